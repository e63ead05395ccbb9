"""The image a JupyterHub course runs is the one repo2docker builds from binder/, as Binder does. repo2docker
renders its build plan (a Dockerfile) with no Docker at all (`--no-build --debug`); the plan must use the Python
that binder/runtime.txt names, install binder/requirements.txt, and install backprop_lib (binder/postBuild) only
after the whole repository has been copied in."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.handout
ROOT = Path(__file__).resolve().parent.parent
REPO2DOCKER = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """repo2docker's log and Dockerfile for this repository, as lines."""
    if REPO2DOCKER is None:
        pytest.skip("jupyter-repo2docker is not installed (it is pinned in requirements.txt)")
    home = tmp_path_factory.mktemp("home")
    done = subprocess.run([REPO2DOCKER, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True,
                          timeout=120, cwd=home, env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
                                                      "HOME": str(home)})
    assert done.returncode == 0, done.stderr[-3000:]
    return (done.stdout + done.stderr).splitlines()


def index(lines, pattern):
    """The number of the first line matching pattern (a regular expression)."""
    for k, line in enumerate(lines):
        if re.search(pattern, line):
            return k
    raise AssertionError(f"no line matches {pattern!r} in the build plan")


def test_the_image_uses_the_python_that_runtime_txt_names(plan):
    version = re.fullmatch(r"python-(\d+\.\d+)", (ROOT / "binder" / "runtime.txt").read_text().strip()).group(1)
    index(plan, rf"Building conda environment for python={re.escape(version)}$")
    escaped = f"environment.py-{version}-linux-64.lock".replace("-", "-2d").replace(".", "-2e")  # as the plan names files
    index(plan, rf"{re.escape(escaped)}\S* /tmp/env/environment\.lock$")


def test_the_image_installs_binder_requirements_not_the_development_ones(plan):
    index(plan, r'pip install --no-cache-dir -r "binder/requirements\.txt"')
    assert not [line for line in plan if re.search(r'-r "?requirements\.txt', line)]


def test_backprop_lib_is_installed_after_the_whole_repository_is_copied(plan):
    copied = index(plan, r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$")
    installed = index(plan, r"^RUN \./binder/postBuild$")
    assert copied < installed
    assert "pip install" in (ROOT / "binder" / "postBuild").read_text()


def test_the_image_serves_a_course_pulls_the_notebooks_and_the_playground():
    """A JupyterHub course runs this image: nbgitpuller for the teacher's link, Voila for the playground."""
    names = {line.split("==")[0].lower() for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if "==" in line and not line.startswith("#")}
    assert {"nbgitpuller", "voila", "jupyterlab"} <= names
