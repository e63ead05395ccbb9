"""`make app` for a room: it serves the playground and nothing else, the page cannot run code in its kernel, a
kernel whose page is gone is culled while the pool stays full, and several learners opening it at the same
moment each get working widgets and the right loss after a slider move (a bounded load test: loopback only,
LEARNERS simulated learners, time limits, every process stopped).

The server is the Makefile's own command (voila_app.app_command). The browser tests need Debian's Chromium at
/usr/bin/chromium; without it they skip, except when CI=true.
"""
import asyncio
import json
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest

from support import aio, voila_app
from support.pages import example_loss, shown
from support.voila_app import running_app

pytestmark = pytest.mark.server
LEARNERS = 4  # the load test's simulated learners, all opening the app at once


@pytest.fixture(scope="module")
def app():
    """The app with a pool for the load test's learners and the two pages the other tests open."""
    with running_app(LEARNERS + 2) as served:
        yield served


def status(url):
    """The HTTP status a GET finally gets (redirects followed) and the address it ends at."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.url
    except urllib.error.HTTPError as err:
        return err.code, err.url


@pytest.mark.parametrize("path", ["/tree", "/lab", "/terminals", "/api/contents", "/api/sessions",
                                  "/voila/render/notebooks/00-start-here.ipynb",
                                  "/voila/files/notebooks/12-playground.ipynb", "/voila/files/backprop_lib/core/spec.py",
                                  "/voila/files/notebooks/notes_figures.json", "/voila/files/binder/runtime.txt"])
def test_the_app_refuses_everything_but_the_playground(app, path):
    code, where = status(app.url + path)
    assert code in (403, 404), f"{path} answered {code} at {where}"


def test_the_app_serves_the_playground_at_its_root(app):
    with urllib.request.urlopen(app.url + "/", timeout=120) as r:
        page = r.read().decode()
    assert r.status == 200 and re.search(r"<h1[^>]*>12 (·|&#183;|&middot;) Playground", page), page[:3000]
    assert "from backprop_lib.widgets.playground import" not in page  # the notebook's code is not sent


async def ask_kernel_to_run(url, kernel_id, marker):
    """Over the page's own websocket, send an execute_request (code that would write `marker`), then a
    kernel_info_request; return the message types the kernel sends back until the kernel_info_reply."""
    from tornado.websocket import websocket_connect

    ws_url = url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    ws = await websocket_connect(ws_url)

    def message(msg_type, content):
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "learner",
                  "session": uuid.uuid4().hex, "date": "", "version": "5.3"}
        return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                           "channel": "shell", "buffers": []})

    await ws.write_message(message("execute_request", {"code": f"open({str(marker)!r}, 'w').write('ran')",
                                                       "silent": False, "store_history": False,
                                                       "user_expressions": {}, "allow_stdin": False}))
    await ws.write_message(message("kernel_info_request", {}))
    seen = []
    while "kernel_info_reply" not in seen:
        reply = await asyncio.wait_for(ws.read_message(), 30)
        assert reply is not None, "the websocket closed"
        seen.append(json.loads(reply)["header"]["msg_type"] if isinstance(reply, str) else "binary")
    ws.close()
    return seen


def test_the_page_cannot_run_code_in_its_kernel(app, tmp_path):
    with urllib.request.urlopen(app.url + "/", timeout=120) as r:
        kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.read().decode()).group(1)
    marker = tmp_path / "ran.txt"
    seen = aio.run(ask_kernel_to_run(app.url, kernel_id, marker))
    assert "kernel_info_reply" in seen and "execute_reply" not in seen and "execute_input" not in seen
    assert not marker.exists()
    assert 'Received message of type "execute_request", which is not allowed. Ignoring.' in app.log.read_text()


def kernel_ids(app):
    """The kernels the server runs, by id, from the connection files its kernels were started with."""
    ids = set()
    for kernel in voila_app.kernels(app.proc):
        match = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(kernel.cmdline()))
        if match:
            ids.add(match.group(1))
    return ids


def test_a_kernel_whose_page_is_gone_is_culled_and_the_pool_stays_full():
    culling = ["--MappingKernelManager.cull_idle_timeout=4", "--MappingKernelManager.cull_interval=1",
               "--VoilaKernelManager.fill_delay=0"]
    with running_app(1, extra=culling) as served:
        pooled = kernel_ids(served)
        with urllib.request.urlopen(served.url + "/", timeout=120) as r:  # takes the pooled kernel, then leaves
            taken = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.read().decode()).group(1)
        assert {taken} == pooled
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            now = kernel_ids(served)
            if taken not in now and len(now) == 1:
                break
            time.sleep(0.5)
        assert taken not in now, "the kernel of the page that left was not culled"
        assert len(now) == 1, f"the pool holds {len(now)} kernels, not 1"
        time.sleep(6)  # longer than the idle timeout: the kernel waiting in the pool is not culled
        assert kernel_ids(served) == now
        assert "Culling 'idle' kernel" in served.log.read_text()


@pytest.mark.browser
def test_learners_opening_at_once_each_see_the_loss_follow_a_slider(app, artefacts):
    results = voila_app.room(app.url, LEARNERS, timeout=300, screenshots=artefacts)
    expected = f"E_total = {shown(example_loss(w5=0.40 + 0.01 * voila_app.PRESSES))}"
    assert [readout for _, readout in results] == [expected] * LEARNERS
    print("seconds to working widgets:", ", ".join(f"{s:.1f}" for s, _ in results))
