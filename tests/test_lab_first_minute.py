"""The first minute of `make lab`, as a new learner meets it: the address JupyterLab prints opens notebook 00
itself (not the Launcher), and JupyterLab's "get notified about Jupyter news?" prompt never shows, because
the bundle ships that setting (jupyterlab-settings/overrides.json) rather than relying on a learner's home.

Runs the Makefile's own recipe on a copy of notebook 00 with an empty Jupyter home; needs Debian's Chromium."""
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from support.servers import free_port, serving

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "00-start-here.ipynb"


def empty_jupyter_home(tmp):
    """An environment whose Jupyter home, config, data and runtime folders are new and empty."""
    folders = {name: tmp / name for name in ("home", "config", "data", "runtime", "ipython", "mpl")}
    for folder in folders.values():
        folder.mkdir()
    return dict(os.environ, HOME=str(folders["home"]), JUPYTER_CONFIG_DIR=str(folders["config"]),
                JUPYTER_DATA_DIR=str(folders["data"]), JUPYTER_RUNTIME_DIR=str(folders["runtime"]),
                IPYTHONDIR=str(folders["ipython"]), MPLCONFIGDIR=str(folders["mpl"]))


@pytest.fixture
def printed_address(tmp_path):
    """Start `make lab` on a copy of notebook 00; yield the address it prints, with its token."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)  # the browser may save; never into the repository
    port, log = free_port(), tmp_path / "lab.log"
    flags = f"--no-browser --ip=127.0.0.1 --port={port}"
    command = ["make", "-s", "lab", f"LAB_DIR={work}", f"LAB_FLAGS={flags}"]
    with serving(command, f"http://127.0.0.1:{port}/api/status", ROOT, log, empty_jupyter_home(tmp_path)):
        pattern = re.compile(rf"http://127\.0\.0\.1:{port}/\S+")
        deadline = time.monotonic() + 30
        while not (found := pattern.findall(log.read_text())) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert found, f"make lab printed no address:\n{log.read_text()[-2000:]}"
        yield found[0]


@pytest.mark.browser_context_args(viewport={"width": 1300, "height": 900})
def test_the_address_make_lab_prints_opens_notebook_00_without_the_news_prompt(printed_address, page):
    assert re.search(r"/lab/tree/00-start-here\.ipynb\?token=\w+", printed_address), printed_address
    page.goto(printed_address, timeout=60_000)
    page.locator(".jp-NotebookPanel").first.wait_for(timeout=60_000)
    time.sleep(5)  # JupyterLab asks about the news a moment after it has loaded
    current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert current.all_text_contents() == ["00-start-here.ipynb"]
    assert page.get_by_text("notified about", exact=False).count() == 0
