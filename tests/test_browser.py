"""The playground in a real browser: JupyterLab runs the playground notebook, a slider moves, the loss shown becomes the
value computed here; then the same page served by Voila; then every other notebook, each run from the Run menu with no
traceback shown and every widget drawn. Screenshots go to tests/artefacts/.

Needs Debian's Chromium at /usr/bin/chromium; without it these tests skip, except when CI=true.
"""
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.pages import (CHROMIUM, CHROMIUM_ARGS, MINUS, example_loss, example_values, free_port, jupyter_env,  # noqa: F401
                   shown, stop, wait_for_port)

pytestmark = [pytest.mark.browser, pytest.mark.server]
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "12-playground.ipynb"
ARTEFACTS = ROOT / "tests" / "artefacts"
TOKEN = "backprop-playground-test"
PRESSES = 3  # arrow-key presses on the w5 slider, one slider step (0.01) each


# --- servers -------------------------------------------------------------------------------------

@contextmanager
def server(command, tmp, port):
    """Start a server in its own process group and stop it (and its kernels) however the test ends."""
    work = tmp / "work"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)  # the browser may save; never into the repository
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(command, cwd=work, env=jupyter_env(tmp), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait_for_port(port, proc, tmp / "server.log")
        yield work
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api
    ARTEFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


# --- the page ------------------------------------------------------------------------------------

def w5_slider(page):
    """The range input a screen reader calls "weight w5"."""
    return page.get_by_role("slider", name="weight w5").first


def move_w5_and_expect_the_loss(page, name):
    """Press the right arrow on w5's slider; the readout must show the loss computed here for the new w5."""
    wait_accepting_dialogs(page, page.get_by_text(f"E_total = {shown(example_loss())}", exact=True))
    slider = w5_slider(page)
    slider.scroll_into_view_if_needed()
    for _ in range(PRESSES):
        slider.press("ArrowRight")  # it reports while moved: each press reaches the kernel
        page.wait_for_timeout(150)
    w5 = round(0.40 + 0.01 * PRESSES, 2)
    readout = slider.locator("xpath=following-sibling::output")
    page.wait_for_function("([el, text]) => el.textContent.trim() === text",
                           arg=[readout.element_handle(), f"{w5:.3f}"], timeout=10_000)
    expected = f"E_total = {shown(example_loss(w5=w5))}"
    page.get_by_text(expected, exact=True).wait_for(timeout=20_000)  # intermediate values come first
    expect_the_diagram(page, w5)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    return expected


def drag_w5_and_expect_the_last_value(page):
    """Drag w5's slider for half a second: values stream to the kernel while it moves (stale ones dropped), and
    when it stops the diagram shows the value the slider stopped at."""
    slider = w5_slider(page)
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.5, y)
    page.evaluate("""el => { window.bpSaid = [];  // what the live region says while the slider moves
        new MutationObserver(() => window.bpSaid.push(el.textContent)).observe(el, {childList: true, characterData: true, subtree: true});
    }""", page.locator(".bp-diagram-box .bp-live").first.element_handle())
    page.mouse.down()
    for k in range(1, 31):
        page.mouse.move(box["x"] + box["width"] * (0.5 + 0.012 * k), y)
        page.wait_for_timeout(16)
    page.mouse.up()
    w5 = float(slider.input_value())
    assert w5 > 0.5  # it moved
    expect_the_diagram(page, w5)
    assert page.evaluate("() => window.bpSaid") == [f"E_total is now {shown(example_loss(w5=w5))}"]  # once, not per frame


def expect_the_diagram(page, w5):
    """The live diagram (SVG, drawn in the page) says the new w5, every unit's net and out, and E_total."""
    desc = page.locator("svg.bp-diagram desc").first
    said = [f"Weight w5 from h1 into o1 = {shown(w5)}.", f"E_total = {shown(example_loss(w5=w5))}."]
    said += [f"{u} (sigmoid): net {shown(n)}, out {shown(o)}" for u, (n, o) in example_values(w5=w5).items()]
    page.wait_for_function("([el, said]) => said.every(s => el.textContent.includes(s))",
                           arg=[desc.element_handle(), said], timeout=10_000)
    label = page.locator('svg.bp-diagram text.bp-edge-label[data-id="h1->o1"]').first
    assert label.text_content() == f"w5 = {shown(w5)}"
    live = page.locator(".bp-diagram-box .bp-live").first  # said once the slider has stopped
    page.wait_for_function("([el, text]) => el.textContent === text",
                           arg=[live.element_handle(), f"E_total is now {shown(example_loss(w5=w5))}"], timeout=5_000)


def test_jupyterlab_runs_the_playground_and_a_slider_moves_the_loss(browser, tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={TOKEN}", "--allow-root"]
    with server(command, tmp_path, port):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={TOKEN}", timeout=60_000)
            page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)
            wait_for_one_settled_kernel(port)
            page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=30_000)
            dismiss_news(page)
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            expected = move_w5_and_expect_the_loss(page, "jupyterlab-playground")
            assert page.get_by_text(expected, exact=True).is_visible()
            drag_w5_and_expect_the_last_value(page)
        except Exception:
            page.screenshot(path=str(ARTEFACTS / "jupyterlab-playground-failure.png"), full_page=True)
            raise
        finally:
            page.close()


def test_voila_serves_the_playground_and_a_slider_moves_the_loss(browser, tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
               f"--token={TOKEN}", NOTEBOOK.name]
    with server(command, tmp_path, port):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"http://127.0.0.1:{port}/?token={TOKEN}", timeout=60_000)
            expected = move_w5_and_expect_the_loss(page, "voila-playground")
            assert page.get_by_text(expected, exact=True).is_visible()
            drag_w5_and_expect_the_last_value(page)
            page.locator("select").first.select_option("lecture")  # every section follows the new network
            page.get_by_text(f"E_total = {shown(example_loss('lecture'))}", exact=True).wait_for(timeout=20_000)
            page.get_by_text("Edit or paste a spec (JSON)", exact=True).click()  # built when first opened
            page.locator("textarea").first.fill('{"inputs": ["x"]}')
            page.get_by_role("button", name="use this spec").click()
            page.get_by_text("pasted spec: layers: missing", exact=True).wait_for(timeout=10_000)
        except Exception:
            page.screenshot(path=str(ARTEFACTS / "voila-playground-failure.png"), full_page=True)
            raise
        finally:
            page.close()


NOTEBOOKS = ROOT / "notebooks"
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'  # JupyterLab 4 shows tracebacks so
ERRORS = f'{STDERR}, [data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-child.jp-mod-error'  # or so


def fresh_copy(source, work):
    """Copy a notebook into work with no outputs, counts or saved widget state, its solutions unfolded: all that
    shows afterwards comes from this run, and every code cell has a visible prompt. Returns (code cells, widget
    views the saved run displayed)."""
    nb = json.loads(source.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    views = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in code for o in c["outputs"])
    for cell in code:
        cell.update(outputs=[], execution_count=None)
        cell["metadata"].pop("jupyter", None)
    nb["metadata"].pop("widgets", None)
    (work / source.name).write_text(json.dumps(nb, indent=1))
    return len(code), views


def session_ids(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/sessions?token={TOKEN}", timeout=5) as r:
        return [s["id"] for s in json.load(r)]


def shut_every_session_down(port):
    for sid in session_ids(port):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/sessions/{sid}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def run_all_and_wait(page, code_cells, timeout=120):
    """Run All Cells from the Run menu; wait until the last code cell shows [code_cells]: and the notebook is idle,
    or until a traceback shows (Run All stops there, so the last prompt would never come)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    last = page.locator(".jp-Notebook .jp-CodeCell").last.locator(".jp-InputArea-prompt")
    idle = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    tracebacks = page.locator(STDERR).filter(has_text=re.compile("Traceback|Error"))
    deadline, done = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        if tracebacks.count():
            return
        shown_count = last.text_content() if last.count() else ""
        done = done + 1 if shown_count.strip() == f"[{code_cells}]:" and idle.count() else 0
        if done >= 2:
            return
        page.wait_for_timeout(250)
    raise TimeoutError(f"the last code cell shows {last.text_content()!r}, not [{code_cells}]:, after {timeout} s")


def test_every_notebook_runs_in_jupyterlab_without_errors(browser, tmp_path):
    """Every notebook but the playground runs from a fresh kernel through Run All Cells with no traceback shown and every
    widget drawn (the playground has its own test above). One server, one kernel at a time."""
    started = time.monotonic()
    sources = sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb") if p.name != NOTEBOOK.name)
    assert len(sources) == len(list(NOTEBOOKS.glob("[0-9][0-9]-*.md"))) - 1, [p.name for p in sources]
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={TOKEN}", "--allow-root"]
    with server(command, tmp_path, port) as work:
        for data in ("notes_figures.json", "names.txt"):  # notebooks read these from their own folder (07, 11, 15)
            shutil.copy(NOTEBOOKS / data, work)
        cells = {p.name: fresh_copy(p, work) for p in sources}
        timings = []
        for source in sources:
            code_cells, views = cells[source.name]
            begun = time.monotonic()
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{source.name}?token={TOKEN}&reset", timeout=60_000)
                page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)
                wait_for_one_settled_kernel(port, interval=0.4)
                page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=30_000)
                dismiss_news(page)
                run_all_and_wait(page, code_cells)
                notebook = page.locator(".jp-Notebook")
                errors = [t for t in notebook.locator(ERRORS).all_inner_texts() if re.search("Traceback|Error", t)]
                assert not errors, f"{source.name} shows an error:\n" + "\n".join(t[-1500:] for t in errors)
                # a view drawn in an output: a container has the class jupyter-widgets, a bare anywidget (16's
                # drawing plane and learning view) has not, so count what its render put in the output's panel
                drawn = notebook.locator(".jp-OutputArea-output.lm-Panel > .lm-Widget:not(:empty)")
                for _ in range(40):  # views come a moment after their cell is done
                    if drawn.count() >= views:
                        break
                    page.wait_for_timeout(250)
                text = notebook.inner_text()
                for bad in ("Error displaying widget", "Loading widget", "Click to show javascript error"):
                    assert bad not in text, f"{source.name} shows {bad!r}"
                assert not notebook.locator(".jupyter-widgets-error-widget").count(), f"{source.name}: a widget failed"
                assert drawn.count() >= views, f"{source.name} draws {drawn.count()} widgets, not {views}"
                if source == sources[-1]:
                    page.screenshot(path=str(ARTEFACTS / "jupyterlab-every-notebook.png"), full_page=True)
            except Exception:
                page.screenshot(path=str(ARTEFACTS / f"jupyterlab-{source.stem}-failure.png"), full_page=True)
                raise
            finally:
                page.close()
                shut_every_session_down(port)  # one kernel at a time on a small machine
            timings.append(f"{source.stem[:2]} {time.monotonic() - begun:.1f} s")
    print(f"every notebook ran in {time.monotonic() - started:.0f} s:", ", ".join(timings))


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


def wait_accepting_dialogs(page, target, timeout=60):
    """Wait for target to show; JupyterLab may first ask which kernel to use: accept its proposal."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if target.is_visible():
            return
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count() and dialog.first.is_visible():
            dialog.first.click()
        page.wait_for_timeout(250)
    target.wait_for(timeout=1)  # fails with Playwright's own message


def dismiss_news(page):
    """JupyterLab may ask once whether to fetch news; answer no if it does."""
    button = page.locator(".jp-toast-button", has_text=re.compile(r"^No$"))
    if button.count():
        button.first.click()


def test_stored_notebooks_open_in_jupyterlab_without_an_unsaved_mark(browser, tmp_path):
    """Opening a stored notebook (paired with its .md source, as in the repository) must not mark it modified:
    the tab shows no unsaved dot until the learner changes something."""
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={TOKEN}", "--allow-root"]
    with server(command, tmp_path, port) as work:
        for source in NOTEBOOKS.glob("[0-9][0-9]-*.*"):
            shutil.copy(source, work)
        dirty = []
        for name in sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}?token={TOKEN}&reset", timeout=60_000)
                page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)
                page.wait_for_timeout(1500)  # anything JupyterLab rewrites on open has happened by now
                tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name).first
                if "jp-mod-dirty" in (tab.get_attribute("class") or ""):
                    dirty.append(name)
            finally:
                page.close()
                shut_every_session_down(port)
        assert not dirty, f"marked modified on opening: {dirty}"
