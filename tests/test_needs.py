"""The one rule for a missing tool (support/needs.py): a test skips with the reason, and fails when CI=true."""
import pytest

from support import needs


def test_a_missing_browser_skips_with_a_reason(monkeypatch):
    monkeypatch.setattr(needs, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install Debian's chromium"):
        needs.browser()


def test_a_missing_browser_fails_on_ci(monkeypatch):
    monkeypatch.setattr(needs, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no browser"):
        needs.browser()


def test_missing_npm_skips_here_and_fails_on_ci(monkeypatch):
    monkeypatch.setattr(needs.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="npm is missing"):
        needs.npm()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="npm is missing"):
        needs.npm()
