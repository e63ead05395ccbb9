"""Accessibility in a real browser: axe-core (npm, pinned in tests/package.json) checks the WCAG 2.1 A and AA rules
on the Voila playground, on every page of the static site and on the bundle's own content in notebooks 01 and 04
in JupyterLab; a keyboard alone (Tab, arrows, Space, Enter) drives the playground. Any critical or serious
violation fails. Needs Debian's Chromium and `npm ci --prefix tests` (the Makefile's test target runs it).
"""
import functools
import http.server
import importlib.util
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from support import needs
from test_browser import (TOKEN, browser, dismiss_news, example_loss, free_port, fresh_copy,  # noqa: F401
                          jupyter_env, run_all_and_wait, shown, shut_every_session_down, stop,
                          wait_for_one_settled_kernel, wait_for_port)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PLAYGROUND = next(NOTEBOOKS.glob("[0-9][0-9]-playground.ipynb"))
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
ARTEFACTS = ROOT / "tests" / "artefacts"


pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.npm]


def require_axe():
    if not AXE.exists():
        needs.missing(f"axe-core is not installed at {AXE} (run: npm ci --prefix tests)")


def axe(page, include=None):
    """Run axe-core on the page (or only inside the elements the CSS selectors in `include` match) with the
    WCAG 2.1 A/AA rules; returns its violations, each with the elements it found."""
    require_axe()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async ([include, tags]) => {
        const context = include ? {include: include.map(s => [s])} : document;
        const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160)}))}));
    }""", [include, WCAG21_AA])


def counts(violations):
    """How many elements fail, by impact: {'critical': n, 'serious': n, ...}."""
    out = {}
    for v in violations:
        out[v["impact"]] = out.get(v["impact"], 0) + len(v["nodes"])
    return out


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING]


def report(where, violations):
    lines = [f"{where}: {counts(violations)}"]
    for v in violations:
        lines.append(f"  {v['impact']} {v['id']} ({v['help']}): {len(v['nodes'])} element(s)")
        lines += [f"    {n['target']}  {n['html']}" for n in v["nodes"][:4]]
    return "\n".join(lines)


def undescribed_pictures(page, scope="body"):
    """Pictures under `scope` with no text alternative: axe accepts alt="" (it means decoration), but no figure
    of this bundle is decoration."""
    return page.evaluate("""(scope) => [...document.querySelectorAll(scope)].flatMap(root =>
        [...root.querySelectorAll('img, svg[role=img]')].filter(el => !(el.getAttribute('alt') ||
            el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title') ||
            el.querySelector?.('title')))
        .map(el => el.outerHTML.slice(0, 120)))""", scope)


def unnamed_controls(page, selector="body"):
    """Controls under `selector` whose accessible name (as Chromium's accessibility tree gives it) is empty."""
    tree = page.locator(selector).first.aria_snapshot()
    return [line.strip() for line in tree.splitlines()
            if re.match(r"\s*- (textbox|slider|combobox|button|checkbox|spinbutton|tab|radio)\b(?! \")", line)]


def assert_no_blocking(where, violations):
    print(report(where, violations))
    bad = blocking(violations)
    assert not bad, report(where, bad)


# --- servers -------------------------------------------------------------------------------------

def start(command, tmp, port, notebooks):
    """Start a Jupyter server on copies of `notebooks` (with no outputs when run from scratch) in tmp/work."""
    work = tmp / "work"
    work.mkdir()
    for path in notebooks:
        (work / path.name).write_bytes(path.read_bytes())
    (work / "notes_figures.json").write_bytes((NOTEBOOKS / "notes_figures.json").read_bytes())
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(command, cwd=work, env=jupyter_env(tmp), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait_for_port(port, proc, tmp / "server.log")
    except Exception:
        stop(proc)
        log.close()
        raise
    return proc, log, work


@pytest.fixture
def voila(tmp_path):
    """The playground served by Voila, as the app serves it: its URL."""
    port = free_port()
    command = [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
               f"--token={TOKEN}", PLAYGROUND.name]
    proc, log, _ = start(command, tmp_path, port, [PLAYGROUND])
    try:
        yield f"http://127.0.0.1:{port}/?token={TOKEN}"
    finally:
        stop(proc)
        log.close()


def open_playground(browser, url):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, timeout=90_000)
    page.get_by_text(f"E_total = {shown(example_loss())}", exact=True).first.wait_for(timeout=90_000)
    page.locator(".widget-slider, input[type=range]").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the last sections' figures arrive a moment later
    return page


TAB = ".widget-tab-bar [role=tab]"  # the playground's sections: one tab each, built when first opened
PANEL = ".widget-tab-contents"


def wait_for_section(page, title):
    """Wait until the open tab is `title` and its section's widgets (and, a moment later, figures) are drawn."""
    page.locator(f"{TAB}[aria-selected=true]", has_text=title).wait_for(timeout=30_000)
    page.wait_for_function("""(selector) => { const panel = document.querySelector(selector);
        return panel && [...panel.children].some(c => c.offsetParent !== null && c.querySelector('.jupyter-widgets')); }""",
                           arg=PANEL, timeout=60_000)
    page.wait_for_timeout(1500)


def section_text(page):
    return page.locator(PANEL).inner_text()


def test_voila_playground_has_no_serious_violations(browser, voila):  # noqa: F811
    """The first screen, then each section opened in turn (one is open at a time): axe finds nothing serious."""
    page = open_playground(browser, voila)
    try:
        assert_no_blocking("Voila playground", axe(page))
        assert not unnamed_controls(page), unnamed_controls(page)
        tabs = page.locator(TAB)
        for k in range(tabs.count()):
            title = tabs.nth(k).inner_text().strip()
            tabs.nth(k).click()
            wait_for_section(page, title)
            assert_no_blocking(f"Voila playground, section {title!r} open", axe(page))
            assert not undescribed_pictures(page), f"section {title!r}: {undescribed_pictures(page)}"
            assert not unnamed_controls(page, PANEL), f"section {title!r}: {unnamed_controls(page, PANEL)}"
    except Exception:
        page.screenshot(path=str(ARTEFACTS / "a11y-voila-failure.png"), full_page=True)
        raise
    finally:
        page.close()


# --- the static site ------------------------------------------------------------------------------

def load_build():
    spec = importlib.util.spec_from_file_location("build", ROOT / "tools" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The static site built into a temporary folder and served over HTTP on a free port: its URL."""
    folder = tmp_path_factory.mktemp("export") / "site"
    load_build().build_html([], site=folder)
    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", folder
    finally:
        httpd.shutdown()
        httpd.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def site_pages():
    names = ["index.html"] + [p.with_suffix(".html").name for p in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]
    return names


@pytest.mark.parametrize("name", site_pages())
def test_site_page_has_no_serious_violations(browser, site, name):  # noqa: F811
    url, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url + name, wait_until="load", timeout=60_000)
        page.wait_for_timeout(300)
        assert_no_blocking(f"site {name}", axe(page))
        assert not undescribed_pictures(page, ".jp-OutputArea-output"), name
    finally:
        page.close()


# --- notebooks in JupyterLab -----------------------------------------------------------------------

OUTPUT_AREAS = ".jp-Notebook .jp-OutputArea-output"
OWN_CONTENT = [".jp-Notebook .jp-OutputArea-output", ".jp-Notebook .jp-MarkdownOutput"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on copies of notebooks 01 and 04: (port, their names)."""
    tmp = tmp_path_factory.mktemp("lab")
    chosen = [next(NOTEBOOKS.glob(f"{n}-*.ipynb")) for n in ("01", "04")]
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={TOKEN}", "--allow-root"]
    proc, log, work = start(command, tmp, port, [])
    cells = {p.name: fresh_copy(p, work)[0] for p in chosen}
    try:
        yield port, cells
    finally:
        stop(proc)
        log.close()


@pytest.mark.parametrize("number", ["01", "04"])
def test_notebook_content_in_jupyterlab_has_no_serious_violations(browser, lab, number):  # noqa: F811
    port, cells = lab
    name = next(n for n in cells if n.startswith(number))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}?token={TOKEN}&reset", timeout=60_000)
        page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)
        wait_for_one_settled_kernel(port, interval=0.4)
        dismiss_news(page)
        run_all_and_wait(page, cells[name])
        page.wait_for_timeout(1500)
        # JupyterLab renders only the cells in view: walk down so every cell is in the page once
        for _ in range(60):
            page.mouse.wheel(0, 800)
            page.wait_for_timeout(60)
        page.screenshot(path=str(ARTEFACTS / f"a11y-jupyterlab-{number}.png"), full_page=True)
        assert_no_blocking(f"JupyterLab {name}", axe(page, OWN_CONTENT))
        assert not undescribed_pictures(page, ".jp-Notebook .jp-OutputArea-output"), name
        outputs = page.locator(".jp-Notebook .jp-OutputArea-output")
        unnamed = [c for k in range(outputs.count()) for c in unnamed_controls(page, f"{OUTPUT_AREAS} >> nth={k}")]
        assert not unnamed, f"{name}: {unnamed}"
    except Exception:
        page.screenshot(path=str(ARTEFACTS / f"a11y-jupyterlab-{number}-failure.png"), full_page=True)
        raise
    finally:
        page.close()
        shut_every_session_down(port)


# --- the keyboard alone --------------------------------------------------------------------------

def tab_to(page, accessible_name, presses=120):
    """Press Tab until the focused element is named `accessible_name` (its aria-label or text); fail if never."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const el = document.activeElement;
            return el ? (el.getAttribute('aria-label') || el.textContent || '').trim() : ''; }""")
        if focused == accessible_name:
            return
    raise AssertionError(f"{presses} presses of Tab never reached {accessible_name!r}")


def test_keyboard_alone_moves_a_weight_and_the_loss_follows(browser, voila):  # noqa: F811
    """Tab to the slider named "weight w5", press the right arrow three times: the readout shows the loss
    computed here (a plain loop) for w5 + 0.03. No mouse, no click."""
    page = open_playground(browser, voila)
    try:
        tab_to(page, "weight w5")
        for _ in range(3):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(150)
        assert page.evaluate("() => document.activeElement.getAttribute('aria-valuetext')") == "0.430"
        page.get_by_text(f"E_total = {shown(example_loss(w5=0.43))}", exact=True).first.wait_for(timeout=20_000)
    except Exception:
        page.screenshot(path=str(ARTEFACTS / "a11y-keyboard-failure.png"), full_page=True)
        raise
    finally:
        page.close()


def open_section_by_keyboard(page, title, presses=60):
    """Tab to the sections' tab bar, move along it with the right arrow to `title` and press Enter."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('role')") == "tab":
            break
    else:
        raise AssertionError("Tab never reached the sections' tabs")
    for _ in range(12):
        if page.evaluate("() => document.activeElement.textContent.trim()") == title:
            page.keyboard.press("Enter")
            wait_for_section(page, title)
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"no tab {title!r}")


def test_keyboard_alone_steps_through_the_backward_pass(browser, voila):  # noqa: F811
    """Open the stepper with Tab, arrows and Enter; Tab to Next and press Enter, then Space: each shows a new step."""
    page = open_playground(browser, voila)
    try:
        open_section_by_keyboard(page, "Step through the backward pass")
        tab_to(page, "Next")
        for key in ("Enter", "Space"):
            before = section_text(page)
            page.keyboard.press(key)
            page.wait_for_function("([selector, before]) => document.querySelector(selector).innerText !== before",
                                   arg=[PANEL, before], timeout=20_000)
    except Exception:
        page.screenshot(path=str(ARTEFACTS / "a11y-keyboard-stepper-failure.png"), full_page=True)
        raise
    finally:
        page.close()


def test_keyboard_alone_plays_training(browser, voila):  # noqa: F811
    """Open Training with Tab, arrows and Enter; Tab to Play and press Space: the run plays, its readout moves on."""
    page = open_playground(browser, voila)
    try:
        open_section_by_keyboard(page, "Training")
        tab_to(page, "Play")
        before = section_text(page)
        page.keyboard.press("Space")
        page.wait_for_function("([selector, before]) => document.querySelector(selector).innerText !== before",
                               arg=[PANEL, before], timeout=20_000)
    except Exception:
        page.screenshot(path=str(ARTEFACTS / "a11y-keyboard-player-failure.png"), full_page=True)
        raise
    finally:
        page.close()


def test_tab_order_follows_the_page(browser, voila):  # noqa: F811
    """Tab from the top of the first screen: the example list, then the sliders in the order the spec lists the
    inputs, the weights and the biases (read here from the example's JSON), then the sections' tabs."""
    spec = json.loads((ROOT / "backprop_lib" / "core" / "examples" / "mazur.json").read_text())
    biases = {body["bias"] for layer in spec["layers"] for body in layer["neurons"].values()}
    expected = ([f"input {i}" for i in spec["inputs"]] + [f"weight {p}" for p in spec["params"] if p not in biases]
                + [f"bias {p}" for p in spec["params"] if p in biases])
    page = open_playground(browser, voila)
    try:
        stops = []
        for _ in range(len(expected) + 2):
            page.keyboard.press("Tab")
            stops.append(page.evaluate("""() => { const el = document.activeElement;
                return [el.tagName, el.getAttribute('aria-label') || el.getAttribute('role') || ''] }"""))
        assert stops[0][0] == "SELECT"
        assert [name for _, name in stops[1:-1]] == expected
        assert stops[-1] == ["LI", "tab"]
    finally:
        page.close()
