"""Binder: the files in binder/ alone must give a working, conflict-free environment with no test tools.

repo2docker reads binder/runtime.txt (the Python version), starts from its base environment (which already holds
jupyterlab, notebook, jupyter_server, jupyterhub-singleuser and ipywidgets at the versions in BASE), installs
binder/requirements.txt on top with pip, copies the repository in and runs binder/postBuild from its top folder.
The slow tests do the same in one fresh virtual environment. It reinstalls everything (pip's cache makes
downloads free, not installs), so they run only in CI (CI=true) or when BINDER_TEST=1 is set.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.handout
ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
NOTEBOOK = "notebooks/01-forward-pass.ipynb"
# repo2docker 2026.4's base environment (Python 3.11); jupyterhub-singleuser is the jupyterhub package on PyPI.
BASE = ["jupyterlab==4.4.9", "notebook==7.4.7", "jupyter_server==2.17.0", "jupyterhub==5.4.0", "ipywidgets==8.1.7"]
TEST_TOOLS = ["pytest", "playwright", "pytest-playwright", "pytest-xdist", "hypothesis", "nbval", "build", "twine"]
# A test tool that a run-time package pulls in, and the requirement that does: otter-grader (graded assignments,
# grader.check in the notebook) requires nbconvert[webpdf], whose PDF export needs playwright's Python package
# (no browser is downloaded with it).
PULLED_IN = {"playwright": ("otter-grader", "nbconvert[webpdf]")}
SLOW_WANTED = os.environ.get("CI", "").lower() == "true" or os.environ.get("BINDER_TEST") == "1"
slow = pytest.mark.skipif(not SLOW_WANTED, reason="builds the Binder environment: runs in CI (CI=true) or with BINDER_TEST=1")
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "site", "node_modules", "__pycache__", "*.egg-info",
                                    ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", "artefacts", "build", "dist")


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


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def interpreter(version):
    """A Python of the version runtime.txt names: this one if it matches, else pythonX.Y on PATH."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    return shutil.which(f"python{version}")


def test_runtime_names_a_python_version():
    assert runtime_version().startswith("3.")


def test_binder_requirements_pin_every_package_exactly():
    lines = requirement_lines(BINDER / "requirements.txt")
    unpinned = [x for x in lines if not re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.]*", x)]
    assert lines and not unpinned, f"not pinned exactly: {unpinned}"


def test_binder_requirements_name_no_test_tool():
    names = {canonical(x.split("==")[0]) for x in requirement_lines(BINDER / "requirements.txt")}
    assert not names & set(TEST_TOOLS)


def test_binder_requirements_do_not_copy_the_repository_before_installing():
    """A local reference (-r outside binder/, -e ., .) makes repo2docker copy everything first, losing its cache."""
    text = (BINDER / "requirements.txt").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(-r|-e|\.)", text, re.MULTILINE)


def test_top_level_requirements_add_to_the_binder_pins_without_repeating_them():
    top = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-r binder/requirements.txt" in top
    binder = {canonical(x.split("==")[0]) for x in requirement_lines(BINDER / "requirements.txt")}
    own = [x.split("#", 1)[0].strip() for x in top]
    repeated = [x for x in own if "==" in x and canonical(x.split("==")[0]) in binder]
    assert not repeated, f"pinned in binder/requirements.txt already: {repeated}"


def test_post_build_is_executable_and_installs_the_package_without_dependencies():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert re.search(r"pip install .*--no-deps .*\.$", post_build.read_text(encoding="utf-8"), re.MULTILINE)


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A virtual environment built as repo2docker builds the image: base, binder/requirements.txt, postBuild."""
    python = interpreter(runtime_version())
    if python is None:
        missing = f"no python{runtime_version()} here to build the Binder environment with"
        pytest.fail(missing) if os.environ.get("CI", "").lower() == "true" else pytest.skip(missing)
    tmp = tmp_path_factory.mktemp("binder")
    repo, env_dir, home = tmp / "repo", tmp / "env", tmp / "home"
    shutil.copytree(ROOT, repo, ignore=NOT_COPIED)
    home.mkdir()
    subprocess.run([python, "-m", "venv", str(env_dir)], check=True)
    bin_dir = env_dir / "bin"
    env = {**os.environ, "HOME": str(home), "VIRTUAL_ENV": str(env_dir), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR"):
        env.pop(name, None)

    def run(*args, cwd=repo, check=True):
        done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
        if check:
            assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done

    pip = [bin_dir / "python", "-m", "pip"]
    run(*pip, "install", "--quiet", *BASE)
    run(*pip, "install", "--quiet", "-r", "binder/requirements.txt")
    run("bash", "binder/postBuild")
    return {"python": bin_dir / "python", "repo": repo, "env": env, "run": run}


@slow
def test_binder_environment_passes_pip_check(binder_env):
    done = binder_env["run"](binder_env["python"], "-m", "pip", "check", check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@slow
def test_binder_environment_holds_no_test_tool(binder_env):
    listing = binder_env["run"](binder_env["python"], "-m", "pip", "list", "--format=json").stdout
    installed = {canonical(p["name"]) for p in json.loads(listing)}
    code = "import importlib.metadata as m, json, sys; print(json.dumps(m.requires(sys.argv[1]) or []))"
    pulled = {tool for tool, (package, requirement) in PULLED_IN.items() if canonical(package) in installed and any(
        r.startswith(requirement) for r in json.loads(binder_env["run"](binder_env["python"], "-c", code, package).stdout))}
    tools = installed & set(TEST_TOOLS) - pulled
    assert not tools, f"test tools in the image: {sorted(tools)}"


@slow
def test_binder_environment_imports_the_installed_package_from_outside_the_repository(binder_env):
    code = "import backprop_lib, backprop_lib.explain.symbolic, backprop_lib.widgets; print(backprop_lib.__file__)"
    where = Path(binder_env["run"](binder_env["python"], "-c", code, cwd=binder_env["repo"] / "notebooks").stdout.strip())
    assert not where.resolve().is_relative_to(binder_env["repo"].resolve()), f"backprop_lib imported from {where}"


@slow
def test_notebook_01_gives_its_stored_outputs_on_a_binder_kernel(binder_env, tmp_path):
    """Strict nbval, run from the test environment, against a kernel started in the Binder environment."""
    if not (binder_env["repo"] / NOTEBOOK).exists():
        pytest.skip(f"{NOTEBOOK} does not exist")
    kernel_dir = tmp_path / "jupyter" / "kernels" / "binder-env"
    kernel_dir.mkdir(parents=True)
    (kernel_dir / "kernel.json").write_text(json.dumps({
        "argv": [str(binder_env["python"]), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Binder environment", "language": "python"}), encoding="utf-8")
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter")}
    sanitize = ["--nbval-sanitize-with", "notebooks/sanitize.cfg"] if (ROOT / "notebooks/sanitize.cfg").exists() else []
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval", *sanitize,
                           "--nbval-kernel-name", "binder-env", NOTEBOOK],
                          cwd=binder_env["repo"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


@slow
def test_binder_environment_keeps_jupyterlabs_news_prompt_away(binder_env):
    code = ("import pathlib, sys; "
            "print((pathlib.Path(sys.prefix) / 'share/jupyter/lab/settings/overrides.json').read_text())")
    shipped = json.loads(binder_env["run"](binder_env["python"], "-c", code).stdout)
    assert shipped == json.loads((ROOT / "jupyterlab-settings" / "overrides.json").read_text())
    assert shipped["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
