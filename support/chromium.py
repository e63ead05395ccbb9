"""Debian's Chromium as every test and benchmark launches it: its path and its flags, written once (tests/conftest.py
hands them to pytest-playwright; the benchmarks and the asynchronous tests pass them to chromium.launch)."""
CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright never downloads a browser here
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def launch_options():
    """Keyword arguments for Playwright's chromium.launch: Debian's Chromium, headless, with ARGS."""
    return {"executable_path": CHROMIUM, "args": list(ARGS), "headless": True}
