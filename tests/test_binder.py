"""Binder: the files in binder/ alone must give an environment in which the notebooks run.

repo2docker reads binder/runtime.txt (the Python version) and installs binder/requirements.txt with
`pip install -r binder/requirements.txt`, run from the repository's top folder after the whole repository
has been copied in (it copies everything first whenever the file has a local reference such as `-r` or
`-e .`). The slow test does the same in a fresh virtual environment and runs notebook 01 under strict nbval.
It reinstalls everything (pip's cache makes downloads free, not installs), so it runs only in CI (CI=true)
or when BINDER_TEST=1 is set.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
NOTEBOOK = "notebooks/01-forward-pass.ipynb"
SLOW_WANTED = os.environ.get("CI", "").lower() == "true" or os.environ.get("BINDER_TEST") == "1"
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "site", "__pycache__", "*.egg-info", ".pytest_cache",
                                    ".hypothesis", ".ipynb_checkpoints", "artefacts", "build")


def runtime_version():
    """'3.11' from binder/runtime.txt ('python-3.11')."""
    text = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"binder/runtime.txt: expected 'python-X.Y', got {text!r}"
    return match.group(1)


def requirement_lines(path):
    """Every requirement line of a requirements file, following -r references as pip does."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            lines += requirement_lines((path.parent / line[3:].strip()).resolve())
        elif line:
            lines.append(line)
    return lines


def interpreter(version):
    """A Python of the version runtime.txt names: this one if it matches, else pythonX.Y on PATH."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    return shutil.which(f"python{version}")


def test_runtime_names_a_python_version():
    assert runtime_version().startswith("3.")


def test_requirements_install_backprop_lib_from_the_repository():
    lines = requirement_lines(BINDER / "requirements.txt")
    assert "-e ." in lines or "." in lines, "binder/requirements.txt must install the package itself"


def test_requirements_pin_every_package():
    lines = [x for x in requirement_lines(BINDER / "requirements.txt") if not x.startswith(("-e", "."))]
    unpinned = [x for x in lines if "==" not in x]
    assert lines and not unpinned, f"unpinned: {unpinned}"


@pytest.mark.skipif(not SLOW_WANTED, reason="full install from binder/: runs in CI (CI=true) or with BINDER_TEST=1")
def test_notebook_01_runs_in_an_environment_built_from_binder_files(tmp_path):
    python = interpreter(runtime_version())
    if python is None:
        pytest.skip(f"no python{runtime_version()} here to build the Binder environment with")
    if not (ROOT / NOTEBOOK).exists():
        pytest.skip(f"{NOTEBOOK} does not exist yet")
    repo, env_dir, home = tmp_path / "repo", tmp_path / "env", tmp_path / "home"
    shutil.copytree(ROOT, repo, ignore=NOT_COPIED)
    home.mkdir()
    subprocess.run([python, "-m", "venv", str(env_dir)], check=True)
    bin_dir = env_dir / "bin"
    env = {**os.environ, "HOME": str(home), "VIRTUAL_ENV": str(env_dir),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR"):
        env.pop(name, None)

    def run(*args):
        done = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt")
    where = run(bin_dir / "python", "-c", "import backprop_lib; print(backprop_lib.__file__)").strip()
    assert Path(where).resolve().is_relative_to(repo.resolve()), f"backprop_lib imported from {where}"
    sanitize = ["--sanitize-with", "notebooks/sanitize.cfg"] if (repo / "notebooks/sanitize.cfg").exists() else []
    run(bin_dir / "python", "-m", "pytest", "-p", "no:cacheprovider", "--nbval", *sanitize, NOTEBOOK)
