"""Drive a course hub (deploy/jupyterhub_config.py) for the hub test and benchmark: start and stop it on
loopback from a clean folder, and act as a learner in the browser (log in, follow the link, run a cell)."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import course  # noqa: E402
from pages import CHROMIUM, free_port  # noqa: E402,F401

PASSWORD = "class-password"
API_TOKEN = "teacher-token-for-the-test"


def source_repository(folder):
    """A git repository cloned from this one's committed main: the course source the link pulls from."""
    subprocess.run(["git", "clone", "-q", "--branch", "main", str(ROOT), str(folder)], check=True)
    for key, value in (("user.name", "Teacher"), ("user.email", "teacher@example.edu")):
        subprocess.run(["git", "-C", str(folder), "config", key, value], check=True)
    return folder


class Hub:
    """A running hub: its address, learners' homes and API; stop() ends it and every server it started."""

    def __init__(self, folder, idle):
        self.folder, self.idle, self.port = Path(folder), idle, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.homes = self.folder / "homes"
        self.proc = None

    def start(self):
        env = dict(os.environ, HOME=str(self.folder / "home"), PORT=str(self.port), HUB_PASSWORD=PASSWORD,
                   HUB_STATE=str(self.folder / "state"), HOMES=str(self.homes), IDLE=str(self.idle),
                   HUB_API_TOKEN=API_TOKEN)
        (self.folder / "home").mkdir(parents=True, exist_ok=True)
        self.log = open(self.folder / "hub.log", "a")
        self.proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                      str(ROOT / "deploy" / "jupyterhub_config.py")],
                                     cwd=self.folder, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{self.log_tail()}")
            try:
                self.api("")
                return self
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f"the hub did not answer within 60 s:\n{self.log_tail()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the hub stops the learners' servers as it exits
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        # anything the hub started in a session of its own (the proxy, learners' servers, their kernels) runs in
        # this folder or a home below it: it goes too, however the hub ended
        for proc in psutil.process_iter():
            try:
                if Path(proc.cwd()).is_relative_to(self.folder):
                    proc.kill()
            except (psutil.Error, OSError):
                continue

    def log_tail(self):
        return (self.folder / "hub.log").read_text()[-3000:]

    def api(self, path):
        request = urllib.request.Request(f"{self.url}/hub/api/{path}", headers={"Authorization": f"token {API_TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def running(self, user):
        """True while the learner's server is up."""
        return bool(self.api(f"users/{user}").get("servers", {}).get("", {}).get("ready"))

    def server_pids(self):
        """Process ids of every learner's server and its kernels (for memory figures)."""
        out = subprocess.run(["pgrep", "-f", "jupyterhub-singleuser|ipykernel_launcher"], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]


async def log_in(context, hub, user, then=""):
    page = await context.new_page()
    await page.goto(f"{hub.url}/hub/login?next={urllib.parse.quote(then or '/hub/home')}", timeout=60_000)
    await page.fill("#username_input", user)
    await page.fill("#password_input", PASSWORD)
    await page.click("#login_submit")
    return page


async def open_course(page, hub, repo, app="lab", timeout=120_000):
    """Follow the teacher's link; wait until notebook 00 shows in JupyterLab with an idle kernel."""
    link = course.link(hub.url, str(repo), "main", app)
    await page.goto(link, timeout=timeout)
    if app == "lab":
        await page.locator(".jp-Notebook").first.wait_for(timeout=timeout)
        await page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=timeout)
        tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text="00-start-here.ipynb")
        await tab.first.wait_for(timeout=timeout)
    return page


async def accept_kernel_dialog(page):
    """JupyterLab may ask which kernel to use while a server's first session starts: accept its proposal."""
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    for _ in range(6):
        if await accept.count():
            await accept.first.click()
            return
        await page.wait_for_timeout(250)


async def run_first_code_cell(page, timeout=60_000):
    """Run the notebook's first code cell on the learner's kernel; return its new output's text."""
    await accept_kernel_dialog(page)
    cell = page.locator(".jp-Notebook .jp-CodeCell").first
    old = cell.locator(".jp-OutputArea-output")
    if await old.count():
        await old.first.evaluate("el => el.dataset.stored = 'yes'")
    await cell.locator(".jp-InputArea-editor").click()
    await page.keyboard.press("Shift+Enter")
    fresh = cell.locator(".jp-OutputArea-output:not([data-stored])").first
    await fresh.wait_for(timeout=timeout)
    return await fresh.inner_text()


async def append_to_first_code_cell(page, text):
    """Type a line at the end of the first code cell and save the notebook."""
    await accept_kernel_dialog(page)
    await page.locator(".jp-Notebook .jp-CodeCell").first.locator(".cm-content").click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type("\n" + text)
    await page.keyboard.press("Control+s")
    await page.locator(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty").wait_for(state="detached", timeout=30_000)


def wait_until(condition, timeout, message, interval=1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise TimeoutError(message)


def home_notebook(hub, user, repo):
    return hub.homes / user / course.folder(str(repo)) / course.NOTEBOOK

