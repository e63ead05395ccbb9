"""Test-wide set-up: kernels, Jupyter servers and browsers started by the tests write into a throwaway home."""
import os
import shutil
import tempfile


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="backprop-test-home-")
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        os.environ.pop(name, None)
    os.environ["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR") or os.path.expanduser("~/.cache/pip")
    os.environ["HOME"] = home
