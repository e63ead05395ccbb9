"""Drive a course hub (deploy/jupyterhub_config.py) for the hub tests and benchmark: start and stop it on
loopback from a clean folder, serve it the course repository as a remote, and act as a learner in the browser
(log in, follow the link, run a cell) or through the hub's own doors (sign in, start a kernel, run code).

The hub runs as root and makes a system user per learner: these users carry the prefix PREFIX, and remove()
deletes them with their homes and memory groups."""
import asyncio
import http.cookiejar
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import course  # noqa: E402
from support import aio  # noqa: E402
from support.servers import free_port  # noqa: E402

PASSWORD = "class-password"
API_TOKEN = "teacher-token-for-the-test"
PREFIX = "bphubtest-"  # the test's learners are system users apart from a real class's (jupyter-...)
LEARNER_ENV = Path(os.environ.get("LEARNER_ENV", "/opt/backprop-course/env"))


def hub_missing():
    """Why a hub cannot run here (not root, no learners' environment, no proxy), or None."""
    if os.geteuid() != 0:
        return "the course hub makes a system user per learner: it runs as root"
    if not os.access(LEARNER_ENV / "bin" / "jupyterhub-singleuser", os.X_OK):
        return f"no learners' environment at {LEARNER_ENV} (make test builds it)"
    if not os.access(ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy", os.X_OK):
        return "no configurable-http-proxy in deploy/node_modules (make test installs it)"
    return None


def open_folder(prefix):
    """A fresh folder under /tmp that other users may pass through (learners' homes live below it)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def source_repository(folder):
    """A git repository cloned from this one's committed main: the course source the link pulls from."""
    subprocess.run(["git", "clone", "-q", "--branch", "main", str(ROOT), str(folder)], check=True)
    for key, value in (("user.name", "Teacher"), ("user.email", "teacher@example.edu")):
        subprocess.run(["git", "-C", str(folder), "config", key, value], check=True)
    return folder


class Remote:
    """The course repository served on loopback with git's own daemon, as a public remote is to a class:
    learners clone it as themselves, without reading the teacher's folder."""

    def __init__(self, repo):
        self.repo, self.port = Path(repo), free_port()
        self.url = f"git://127.0.0.1:{self.port}/{self.repo.name}"
        self.proc = subprocess.Popen(["git", "daemon", "--listen=127.0.0.1", f"--port={self.port}", "--reuseaddr",
                                      "--export-all", f"--base-path={self.repo.parent}", str(self.repo)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: subprocess.run(["git", "ls-remote", self.url], capture_output=True).returncode == 0,
                   30, "git daemon did not serve the course repository", 0.2)

    def __str__(self):
        return self.url

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Hub:
    """A running hub: its address, learners' homes and API; stop() ends it and every server it started, remove()
    also deletes the learners' system users, homes and the folder."""

    def __init__(self, idle):
        self.folder, self.idle, self.port = open_folder("backprop-hub-"), idle, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.homes = self.folder / "homes"
        self.state = self.folder / "state"
        self.proc = None
        self.log = None

    def home(self, user):
        return self.homes / (PREFIX + user)

    def start(self):
        env = dict(os.environ, HOME=str(self.folder / "home"), PORT=str(self.port), HUB_PASSWORD=PASSWORD,
                   HUB_STATE=str(self.state), HOMES=str(self.homes), IDLE=str(self.idle),
                   HUB_API_TOKEN=API_TOKEN, HUB_USER_PREFIX=PREFIX, LEARNER_ENV=str(LEARNER_ENV))
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
        """Stop the hub as make hub's Ctrl-C does; return what it left running (then ended here), as
        (user, command) pairs: learners' servers and kernels, the proxy, the culler."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the hub stops the learners' servers as it exits
            try:  # each server gets up to 20 s (SIGINT, SIGTERM, SIGKILL) and its group up to 10 s, all at once
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.log:
            self.log.close()
        # anything the hub started in a session of its own (the proxy, learners' servers, their kernels) runs in
        # this folder or a home below it, or as one of its learners: it goes too, however the hub ended
        time.sleep(1)
        left = []
        for proc in psutil.process_iter(["username", "cmdline"]):
            try:
                if proc.info["username"].startswith(PREFIX) or Path(proc.cwd()).is_relative_to(self.folder):
                    left.append((proc.info["username"], " ".join(proc.info["cmdline"] or [])))
                    proc.kill()
            except (psutil.Error, OSError):
                continue
        return left

    def remove(self):
        """Stop the hub, then delete every system user it made (PREFIX...) with its home and memory group."""
        self.stop()
        import learners
        for entry in pwd.getpwall():
            if entry.pw_name.startswith(PREFIX):
                subprocess.run(["userdel", "--remove", entry.pw_name], capture_output=True)
                try:
                    learners.end_group(learners.memory_root() / entry.pw_name)
                except OSError:
                    pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self):
        return (self.folder / "hub.log").read_text()[-3000:]

    def api(self, path):
        request = urllib.request.Request(f"{self.url}/hub/api/{path}", headers={"Authorization": f"token {API_TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def running(self, user):
        """True while the learner's server is up."""
        return bool(self.api(f"users/{user}").get("servers", {}).get("", {}).get("ready"))

    def stopped(self, user):
        """True once the learner's server has finished stopping (not while its stop is pending: a visit then gets
        JupyterHub's "your server is stopping" page, which ends on "not running", not on the link's notebook)."""
        return "" not in self.api(f"users/{user}").get("servers", {})

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
        try:
            await page.locator(".jp-Notebook").first.wait_for(timeout=timeout)
        except Exception as error:  # say where the page stopped, and what the hub said meanwhile
            text = (await page.locator("body").inner_text())[:500]
            raise AssertionError(f"no notebook at {page.url}; the page says {text!r}; "
                                 f"the hub's log ends:\n{hub.log_tail()}") from error
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
    return hub.home(user) / course.folder(str(repo)) / course.NOTEBOOK


class Learner:
    """A learner acting through the hub's own doors, as a script or a terminal can: sign in with the class
    password, ask the hub for a token (as the hub's token page does), start their server and run code on a
    kernel of their own."""

    def __init__(self, hub, name):
        self.hub, self.name, self.token = hub, name, None
        self.cookies = http.cookiejar.CookieJar()

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None  # a redirect after sign-in is the answer itself

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), Stay)

    def _xsrf(self):
        return next((c.value for c in self.cookies if c.name == "_xsrf"), "")

    def sign_in(self):
        """Post the sign-in form; return (status, page text)."""
        self.opener.open(f"{self.hub.url}/hub/login", timeout=30).read()
        form = urllib.parse.urlencode({"username": self.name, "password": PASSWORD, "_xsrf": self._xsrf()})
        try:
            with self.opener.open(f"{self.hub.url}/hub/login", form.encode(), timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def call(self, method, path, body=None, timeout=30):
        """The hub's or the learner's server's REST API, with the learner's token (or sign-in cookie)."""
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"token {self.token}"
        else:
            headers["X-XSRFToken"] = self._xsrf()
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.hub.url}{path}", data=data, method=method, headers=headers)
        with self.opener.open(request, timeout=timeout) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def start_kernel(self):
        """Sign in, take a token, start the server if needed, and a kernel on it; return the kernel's id."""
        status, page = self.sign_in()
        assert status == 302, f"{self.name} could not sign in ({status}): {page[-500:]}"
        self.token = self.call("POST", f"/hub/api/users/{self.name}/tokens", {"note": "test"})["token"]
        if not self.hub.running(self.name):
            try:
                self.call("POST", f"/hub/api/users/{self.name}/server")
            except urllib.error.HTTPError as error:
                if error.code != 400:  # 400: already starting, after the sign-in's own redirect
                    raise
            wait_until(lambda: self.hub.running(self.name), 120, f"{self.name}'s server did not start")
        return self.call("POST", f"/user/{self.name}/api/kernels", {"name": "python3"})["id"]

    def run(self, kernel, code, timeout=60):
        """Run code on the kernel; return what it printed, its error name if any, and the kernel states seen."""
        return aio.run(self._run(kernel, code, timeout))

    async def _run(self, kernel, code, timeout):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        url = f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{kernel}/channels"
        socket = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"}))
        msg_id = uuid.uuid4().hex
        socket.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        result = {"stdout": "", "error": None, "states": []}
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                raw = await asyncio.wait_for(socket.read_message(), deadline - time.monotonic())
                if raw is None:
                    result["states"].append("closed")
                    break
                message = json.loads(raw)
                kind, content = message["msg_type"], message["content"]
                if kind == "status" and content["execution_state"] in ("restarting", "dead"):
                    result["states"].append(content["execution_state"])
                    break
                if message["parent_header"].get("msg_id") != msg_id:
                    continue
                if kind == "stream":
                    result["stdout"] += content["text"]
                elif kind == "error":
                    result["error"] = content["ename"]
                elif kind == "status" and content["execution_state"] == "idle":
                    break
            else:
                result["states"].append("timed out")
        except asyncio.TimeoutError:
            result["states"].append("timed out")
        finally:
            socket.close()
        return result

