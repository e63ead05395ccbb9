"""`make app` for tests and benchmarks: start the very command the Makefile runs (on 127.0.0.1, a free port, with a
throwaway home), let simulated learners open it in Debian's Chromium at the same moment, and measure what each one
feels (seconds until the playground's widgets work) and what each kernel costs in memory.

Bounded on purpose: loopback only, a fixed number of learners, a time limit on everything, and every process the
server started is stopped with it."""
import asyncio
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import namedtuple
from contextlib import contextmanager
from pathlib import Path

from . import aio
from .chromium import launch_options
from .pages import example_loss, shown
from .servers import READY, free_port, serving

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "notebooks/12-playground.ipynb"
PRESSES = 3  # arrow-key presses on the w5 slider, one slider step (0.01) each


# --- the server --------------------------------------------------------------------------------------

def app_command(port, learners, extra=()):
    """The command `make app` runs (read from the Makefile with make -n), plus --no-browser and `extra`."""
    dry = subprocess.run(["make", "-s", "-n", "-o", ".venv/.installed", "app", f"PORT={port}",
                          f"LEARNERS={learners}", "HOST=127.0.0.1"], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=30)
    command = shlex.split(dry.stdout.replace("\\\n", " "))
    command[0] = str(Path(sys.executable).parent / Path(command[0]).name)  # this environment's voila
    return command[:-1] + ["--no-browser", *extra, command[-1]]  # the notebook stays last


App = namedtuple("App", "url proc log")


@contextmanager
def running_app(learners, extra=(), timeout=240):
    """Serve the playground with a pool of `learners` kernels (and `extra` options); once every kernel of the pool
    has run the notebook, yield an App (base URL, server process, log file). The server and every kernel are
    stopped however the block ends."""
    with tempfile.TemporaryDirectory(prefix="backprop-app-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, HOME=str(tmp), JUPYTER_CONFIG_DIR=str(tmp / "config"),
                   JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
                   IPYTHONDIR=str(tmp / "ipython"), MPLCONFIGDIR=str(tmp / "mpl"))
        port = free_port()
        url, log_path = f"http://127.0.0.1:{port}", tmp / "server.log"
        with serving(app_command(port, learners, extra), url + READY["voila"], ROOT, log_path, env, timeout) as proc:
            wait_for_full_pool(proc, log_path, learners, timeout)
            wait_until_quiet(proc, learners, timeout)
            yield App(url, proc, log_path)


def wait_for_full_pool(proc, log_path, learners, timeout):
    """Wait until Voila says its pool holds `learners` kernels that have run the notebook."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text()
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}:\n{text[-3000:]}")
        if f"is filled with {learners} kernel(s)" in text:
            return
        time.sleep(0.5)
    raise TimeoutError(f"the pool did not fill within {timeout} s:\n{log_path.read_text()[-3000:]}")


def kernels(proc):
    """The kernel processes the server runs."""
    import psutil

    found = []
    for child in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def wait_until_quiet(proc, count, timeout, interval=1.0):
    """Wait until `count` kernels run and, for three looks in a row, used under 2 % of a core between looks (Voila
    says the pool is full when the kernels have started, before they have run the notebook)."""
    import psutil

    deadline, calm, before = time.monotonic() + timeout, 0, None
    while time.monotonic() < deadline:
        try:
            now = {k.pid: sum(k.cpu_times()[:2]) for k in kernels(proc)}
        except psutil.NoSuchProcess:
            now = {}
        busy = before is None or now.keys() != before.keys() or \
            sum(now.values()) - sum(before.values()) > 0.02 * interval
        calm = 0 if busy or len(now) != count else calm + 1
        if calm >= 3:
            return
        before = now
        time.sleep(interval)
    raise TimeoutError(f"the kernels did not settle within {timeout} s")


def total_memory():
    """Bytes of memory this machine has."""
    import psutil

    return psutil.virtual_memory().total


def kernel_memory(proc):
    """(RSS, USS) in bytes of each kernel the server runs: RSS counts shared libraries in every kernel, USS only
    the memory that kernel alone holds (what one more kernel costs)."""
    sizes = []
    for kernel in kernels(proc):
        info = kernel.memory_full_info()
        sizes.append((info.rss, info.uss))
    return sizes


class CpuSeconds:
    """CPU-seconds spent while the block runs: by the browsers this process starts (sampled every 0.2 s, so a
    browser that exits keeps its last sample), by the app's server process and by its kernels."""

    def __init__(self, app):
        self.app = app

    def __enter__(self):
        import psutil

        self.server = psutil.Process(self.app.proc.pid)
        self.start = (self._own(self.server), self._kernels())
        self.seen, self.running = {}, True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.browser = sum(self.seen.values())
        self.server_cpu = self._own(self.server) - self.start[0]
        self.kernel_cpu = self._kernels() - self.start[1]

    @staticmethod
    def _own(process):
        times = process.cpu_times()
        return times.user + times.system

    def _kernels(self):
        import psutil

        total = 0.0
        for kernel in kernels(self.app.proc):
            try:
                total += self._own(kernel)
            except psutil.NoSuchProcess:
                pass
        return total

    def _watch(self):
        import psutil

        before = {}
        for child in psutil.Process().children(recursive=True):
            if "chrom" in child.name():
                before[child.pid] = self._own(child)
        while self.running:
            for child in psutil.Process().children(recursive=True):
                try:
                    if "chrom" in child.name():
                        self.seen[child.pid] = self._own(child) - before.get(child.pid, 0.0)
                except psutil.NoSuchProcess:
                    pass
            time.sleep(0.2)


# --- the learners ------------------------------------------------------------------------------------

async def one_learner(browser, url, index, screenshots=None):
    """Open the app in a fresh browser context; return seconds until the E_total readout shows the value computed
    here, and the readout after moving w5 by PRESSES steps with the keyboard (checked against example_loss)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        started = time.monotonic()
        await page.goto(url, timeout=120_000)
        await page.get_by_text(f"E_total = {shown(example_loss())}", exact=True).first.wait_for(timeout=120_000)
        seconds = time.monotonic() - started
        slider = page.get_by_role("slider", name=re.compile(r"\bw5$")).first  # its name: "weight w5"
        await slider.focus()
        for _ in range(PRESSES):
            await slider.press("ArrowRight")
            await page.wait_for_timeout(150)
        w5 = round(0.40 + 0.01 * PRESSES, 2)
        expected = f"E_total = {shown(example_loss(w5=w5))}"
        await page.get_by_text(expected, exact=True).first.wait_for(timeout=60_000)
        if screenshots is not None:
            await page.screenshot(path=str(Path(screenshots) / f"app-learner-{index}.png"), full_page=True)
        return seconds, expected
    finally:
        await context.close()


async def _room(url, learners, screenshots):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(**launch_options())
        try:
            return await asyncio.gather(*(one_learner(browser, url, k, screenshots) for k in range(learners)))
        finally:
            await browser.close()


def room(url, learners, timeout=300, screenshots=None):
    """`learners` learners open the app at the same moment; a list of (seconds to widgets, readout after w5)."""
    return aio.run(asyncio.wait_for(_room(url, learners, screenshots), timeout))


async def _first_screen_weight(url):
    from playwright.async_api import async_playwright

    requests, frames = [], []

    def on_websocket(socket):
        socket.on("framereceived", lambda payload: frames.append(len(payload)))

    async with async_playwright() as p:
        browser = await p.chromium.launch(**launch_options())
        try:
            page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
            page.on("requestfinished", lambda request: requests.append(request))
            page.on("websocket", on_websocket)
            await page.goto(url, timeout=120_000)
            await page.get_by_text(f"E_total = {shown(example_loss())}", exact=True).first.wait_for(timeout=120_000)
            await page.wait_for_load_state("networkidle")
            sizes = [await request.sizes() for request in requests]
        finally:
            await browser.close()
    return sum(s["responseBodySize"] for s in sizes), len(sizes), sum(frames)


def first_screen_weight(url, timeout=180):
    """What a learner's browser receives to show the playground's first screen: (bytes of HTTP response bodies as
    sent, number of requests, bytes of the kernel's websocket messages), counted until the E_total readout shows
    and the network is idle."""
    return aio.run(asyncio.wait_for(_first_screen_weight(url), timeout))
