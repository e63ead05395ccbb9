"""Fixtures the test modules share: Debian's Chromium for pytest-playwright's browser, context and page; the folder
the tests' pictures go to; JupyterLab and Voila on the playground, or Voila on a folder, for the browser tests; and
the static site, built once per session and served."""
import sys
from pathlib import Path

import pytest

from support import chromium
from support.servers import free_port, jupyter, serving
from support.site import ROOT, load_builder

PLAYGROUND = ROOT / "notebooks" / "12-playground.ipynb"
NOTES_FIGURES = ROOT / "notebooks" / "notes_figures.json"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, **chromium.launch_options()}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Pages 1400 × 1000, unless a test's browser_context_args marker gives another viewport."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture(scope="session")
def artefacts(pytestconfig):
    """The folder for the tests' pictures: pytest-playwright's --output (pyproject.toml), where it also keeps the
    screenshot of a page whose test failed."""
    folder = Path(pytestconfig.getoption("--output"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# A test asks for its server before its page, so that the page (and a failed test's screenshot of it) is closed
# while the server still runs.

@pytest.fixture
def lab(tmp_path):
    """JupyterLab on a copy of the playground in tmp_path/work: (port, work folder)."""
    with jupyter("lab", tmp_path, files=[PLAYGROUND]) as served:
        yield served


@pytest.fixture
def voila(tmp_path):
    """Voila serving the playground at its root, as the app does: (port, work folder)."""
    with jupyter("voila", tmp_path, files=[PLAYGROUND, NOTES_FIGURES], notebook=PLAYGROUND.name) as served:
        yield served


@pytest.fixture
def voila_folder(tmp_path):
    """Voila serving the empty folder tmp_path/work, where the test writes its notebook: (port, work folder)."""
    with jupyter("voila", tmp_path) as served:
        yield served


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The static site, built once per test session into a temporary folder."""
    return load_builder().build(tmp_path_factory.mktemp("built") / "site")


@pytest.fixture(scope="session")
def served_site(site, tmp_path_factory):
    """The site served over HTTP on a free port of 127.0.0.1: (URL, folder)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    with serving(command, url, site, tmp_path_factory.mktemp("http") / "server.log"):
        yield url, site
