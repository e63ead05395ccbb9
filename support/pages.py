"""What the browser tests and benchmarks share: Debian's Chromium, a free port on loopback, a throwaway
Jupyter home for a server, and the loss a page should show, computed here with a plain loop."""
import json
import math
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MINUS = "\u2212"


def example_values(example="mazur", **changed):
    """Every unit's net and out of a built-in sigmoid example (mazur or lecture) for its first sample, by a plain
    loop over the example's JSON: {unit: (net, out)}."""
    spec = json.loads((ROOT / "backprop_lib" / "core" / "examples" / f"{example}.json").read_text())
    p = {**spec["params"], **changed}
    values, nets = dict(spec["data"][0]), {}
    for layer in spec["layers"]:
        for unit, body in layer["neurons"].items():
            nets[unit] = sum(p[w] * values[src] for src, w in body["weights"].items()) + p[body["bias"]]
            values[unit] = 1 / (1 + math.exp(-nets[unit]))
    return {u: (nets[u], values[u]) for u in nets}


def example_loss(example="mazur", **changed):
    """½ Σ (target − out)² of a built-in sigmoid example for its first sample."""
    spec = json.loads((ROOT / "backprop_lib" / "core" / "examples" / f"{example}.json").read_text())
    values = example_values(example, **changed)
    return sum(0.5 * (spec["data"][0][u] - values[u][1]) ** 2 for u in spec["layers"][-1]["neurons"])


def shown(x):
    """A number as the readouts print it: 9 decimal places, trailing zeros dropped, a typographic minus."""
    return f"{x:.9f}".rstrip("0").rstrip(".").replace("-", MINUS)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def wait_for_port(port, proc, log, timeout=60):
    """Wait until the server listens on port (its page may take longer: the browser waits for that)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    stop(proc)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s:\n{log.read_text()[-3000:]}")


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
