"""The one rule for a test whose tool is missing: skip it with the reason, but fail it in CI (CI=true), where
make test must run everything. conftest.py applies it to the markers browser and npm."""
import importlib.util
import os
import shutil

import pytest

from support.chromium import CHROMIUM


def missing(message):
    """Skip the test with `message`, or fail it when CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def browser():
    """Chromium and Playwright, or the rule."""
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"no browser at {CHROMIUM} (install Debian's chromium package to run the browser tests)")
    if importlib.util.find_spec("playwright") is None:
        missing("playwright is not installed (it is pinned in requirements.txt)")


def npm():
    """npm, or the rule."""
    if shutil.which("npm") is None:
        missing("npm is missing (install Node.js: the site's JavaScript, axe-core and the hub's proxy come from npm)")
