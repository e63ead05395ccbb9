"""Test-wide set-up: kernels, Jupyter servers and browsers started by the tests write into a throwaway home, and
a test marked browser or npm meets the one rule for a missing tool (support/needs.py)."""
import os
import shutil
import tempfile

import pytest

from support import needs

NEEDS = {"browser": needs.browser, "npm": needs.npm}  # marker -> the check that skips (or in CI fails) without it


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="backprop-test-home-")
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        os.environ.pop(name, None)
    os.environ["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR") or os.path.expanduser("~/.cache/pip")
    os.environ["HOME"] = home
    if getattr(config.option, "output", None):  # pytest-playwright's folder (pyproject.toml): in this repository,
        config.option.output = str(config.rootpath / config.option.output)  # wherever pytest is started


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture starts a browser or a server: the tools the test's markers name."""
    for name, check in NEEDS.items():
        if item.get_closest_marker(name):
            check()


def pytest_terminal_summary(terminalreporter):
    """After the run, the slowest notebooks: nbval's cell times added up per notebook."""
    times = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            nodeid = getattr(report, "nodeid", "")
            if ".ipynb::" in nodeid and getattr(report, "when", "") == "call":
                notebook = nodeid.split("::")[0]
                times[notebook] = times.get(notebook, 0.0) + report.duration
    if times:
        terminalreporter.write_sep("=", f"slowest notebooks ({len(times)} run, {sum(times.values()):.1f} s in all)")
        for notebook, seconds in sorted(times.items(), key=lambda item: -item[1])[:5]:
            terminalreporter.write_line(f"{seconds:6.1f} s  {notebook}")
