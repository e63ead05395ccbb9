"""Servers for the tests and benchmarks: `serving`, the one way a command (JupyterLab, Voila, `make lab`, `make app`,
a static file server) is started, waited for and stopped; JupyterLab or Voila on a free port of loopback with a
throwaway Jupyter home; and the sessions such a server runs, read through its REST API."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

TOKEN = "backprop-playground-test"  # the token of the tests' Jupyter servers
# An address each server answers at once it is up, without running a notebook (Voila renders its notebook at "/").
READY = {"lab": "/api/status", "voila": "/voila/static/"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url):
    """Whether a server answers HTTP at url; an error status (403, 404) is an answer too."""
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@contextmanager
def serving(command, url, cwd, log, env=None, timeout=60):
    """Start `command` in cwd, in a session of its own, its output into the file `log`; once `url` answers, yield
    the process; then stop it and everything it started (its process group), however the block ends."""
    with open(log, "w") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not answers(url):
            if proc.poll() is not None:
                raise RuntimeError(f"{command[:3]} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing answers at {url} after {timeout} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield proc
    finally:
        stop(proc)


def stop(proc, timeout=30):
    """SIGTERM to a server started in a session of its own (it shuts its kernels down), then SIGKILL to
    anything of its process group left behind."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def jupyter_env(tmp):
    """Everything Jupyter writes goes under tmp: home, config (the news toast off, every cell kept in the page,
    not only those in view), data, runtime. Returns the environment for the server."""
    env = dict(os.environ, HOME=str(tmp / "home"), JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               IPYTHONDIR=str(tmp / "ipython"), MPLCONFIGDIR=str(tmp / "mpl"))
    settings = tmp / "config" / "lab" / "user-settings" / "@jupyterlab"
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    (settings / "notebook-extension").mkdir()
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    for name in ("home", "data", "runtime", "ipython", "mpl"):
        (tmp / name).mkdir()
    return env


@contextmanager
def jupyter(app, tmp, token=TOKEN, files=(), notebook=None):
    """JupyterLab (app "lab") or Voila (app "voila": serving `notebook` at its root, or else its folder) on a free
    port of 127.0.0.1, working in tmp/work with copies of `files` (the browser may save; never into the
    repository), everything Jupyter writes under tmp: yields (port, work folder)."""
    port, work = free_port(), tmp / "work"
    work.mkdir()
    for path in files:
        shutil.copy(path, work / path.name)
    if app == "lab":
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                   f"--IdentityProvider.token={token}", "--allow-root"]
    else:
        command = [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
                   f"--token={token}"] + ([notebook] if notebook else [])
    with serving(command, f"http://127.0.0.1:{port}{READY[app]}", work, tmp / "server.log", jupyter_env(tmp)):
        yield port, work


def session_ids(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/sessions?token={TOKEN}", timeout=5) as r:
        return [s["id"] for s in json.load(r)]


def shut_every_session_down(port):
    for sid in session_ids(port):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/sessions/{sid}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def wait_for_one_settled_kernel(port, timeout=60, interval=0.7):
    """Wait until the server has one session whose kernel stays the same and idle for three looks, interval s
    apart (JupyterLab can start and replace a kernel or two while the page opens)."""
    deadline, seen, calm = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/sessions?token={TOKEN}", timeout=5) as r:
            sessions = json.load(r)
        now = [(x["kernel"]["id"], x["kernel"]["execution_state"]) for x in sessions]
        calm = calm + 1 if len(now) == 1 and now[0][1] == "idle" and now == seen else 0
        if calm >= 3:
            return
        seen = now
        time.sleep(interval)
    raise TimeoutError(f"the kernel did not settle within {timeout} s: {seen}")
