"""Accessibility in a real browser: axe-core (npm, pinned in tests/package.json) checks the WCAG 2.1 A and AA rules
on the Voila playground, on every page of the static site and on the bundle's own content in notebooks 01 and 04
in JupyterLab; a keyboard alone (Tab, arrows, Space, Enter) drives the playground. Any critical or serious
violation fails. Needs Debian's Chromium and `npm ci --prefix tests` (the Makefile's test target runs it).
"""
import json
from pathlib import Path

import pytest

from support.axe import assert_no_blocking, axe, undescribed_pictures, unnamed_controls
from support.pages import dismiss_news, example_loss, fresh_copy, run_all_and_wait, shown
from support.servers import TOKEN, jupyter, shut_every_session_down, wait_for_one_settled_kernel

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.npm]


def open_playground(page, voila):
    """The playground as Voila serves it (the voila fixture), once its first screen is drawn."""
    port, _ = voila
    page.goto(f"http://127.0.0.1:{port}/?token={TOKEN}", timeout=90_000)
    page.get_by_text(f"E_total = {shown(example_loss())}", exact=True).first.wait_for(timeout=90_000)
    page.locator(".widget-slider, input[type=range]").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the last sections' figures arrive a moment later


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


def test_voila_playground_has_no_serious_violations(voila, page):
    """The first screen, then each section opened in turn (one is open at a time): axe finds nothing serious."""
    open_playground(page, voila)
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


# --- the static site ------------------------------------------------------------------------------

def site_pages():
    names = ["index.html"] + [p.with_suffix(".html").name for p in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]
    return names


@pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900})
@pytest.mark.parametrize("name", site_pages())
def test_site_page_has_no_serious_violations(served_site, page, name):
    url, _ = served_site
    page.goto(url + name, wait_until="load", timeout=60_000)
    page.wait_for_timeout(300)
    assert_no_blocking(f"site {name}", axe(page))
    assert not undescribed_pictures(page, ".jp-OutputArea-output"), name


# --- notebooks in JupyterLab -----------------------------------------------------------------------

OUTPUT_AREAS = ".jp-Notebook .jp-OutputArea-output"
OWN_CONTENT = [".jp-Notebook .jp-OutputArea-output", ".jp-Notebook .jp-MarkdownOutput"]


@pytest.fixture(scope="module")
def lab_01_04(tmp_path_factory):
    """JupyterLab on fresh copies of notebooks 01 and 04: (port, {name: code cells})."""
    chosen = [next(NOTEBOOKS.glob(f"{n}-*.ipynb")) for n in ("01", "04")]
    with jupyter("lab", tmp_path_factory.mktemp("lab"), files=[NOTEBOOKS / "notes_figures.json"]) as (port, work):
        yield port, {p.name: fresh_copy(p, work)[0] for p in chosen}


@pytest.fixture
def one_kernel(lab_01_04):
    """JupyterLab on 01 and 04; after the test, and after its page is closed, every session is shut down: one
    kernel at a time."""
    yield lab_01_04
    shut_every_session_down(lab_01_04[0])


@pytest.mark.parametrize("number", ["01", "04"])
def test_notebook_content_in_jupyterlab_has_no_serious_violations(one_kernel, page, number, artefacts):
    port, cells = one_kernel
    name = next(n for n in cells if n.startswith(number))
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
    page.screenshot(path=str(artefacts / f"a11y-jupyterlab-{number}.png"), full_page=True)
    assert_no_blocking(f"JupyterLab {name}", axe(page, OWN_CONTENT))
    assert not undescribed_pictures(page, ".jp-Notebook .jp-OutputArea-output"), name
    outputs = page.locator(".jp-Notebook .jp-OutputArea-output")
    unnamed = [c for k in range(outputs.count()) for c in unnamed_controls(page, f"{OUTPUT_AREAS} >> nth={k}")]
    assert not unnamed, f"{name}: {unnamed}"


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


def test_keyboard_alone_moves_a_weight_and_the_loss_follows(voila, page):
    """Tab to the slider named "weight w5", press the right arrow three times: the readout shows the loss
    computed here (a plain loop) for w5 + 0.03. No mouse, no click."""
    open_playground(page, voila)
    tab_to(page, "weight w5")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-valuetext')") == "0.430"
    page.get_by_text(f"E_total = {shown(example_loss(w5=0.43))}", exact=True).first.wait_for(timeout=20_000)


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


def test_keyboard_alone_steps_through_the_backward_pass(voila, page):
    """Open the stepper with Tab, arrows and Enter; Tab to Next and press Enter, then Space: each shows a new step."""
    open_playground(page, voila)
    open_section_by_keyboard(page, "Step through the backward pass")
    tab_to(page, "Next")
    for key in ("Enter", "Space"):
        before = section_text(page)
        page.keyboard.press(key)
        page.wait_for_function("([selector, before]) => document.querySelector(selector).innerText !== before",
                               arg=[PANEL, before], timeout=20_000)


def test_keyboard_alone_plays_training(voila, page):
    """Open Training with Tab, arrows and Enter; Tab to Play and press Space: the run plays, its readout moves on."""
    open_playground(page, voila)
    open_section_by_keyboard(page, "Training")
    tab_to(page, "Play")
    before = section_text(page)
    page.keyboard.press("Space")
    page.wait_for_function("([selector, before]) => document.querySelector(selector).innerText !== before",
                           arg=[PANEL, before], timeout=20_000)


def test_tab_order_follows_the_page(voila, page):
    """Tab from the top of the first screen: the example list, then the sliders in the order the spec lists the
    inputs, the weights and the biases (read here from the example's JSON), then the sections' tabs."""
    spec = json.loads((ROOT / "backprop_lib" / "core" / "examples" / "mazur.json").read_text())
    biases = {body["bias"] for layer in spec["layers"] for body in layer["neurons"].values()}
    expected = ([f"input {i}" for i in spec["inputs"]] + [f"weight {p}" for p in spec["params"] if p not in biases]
                + [f"bias {p}" for p in spec["params"] if p in biases])
    open_playground(page, voila)
    stops = []
    for _ in range(len(expected) + 2):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const el = document.activeElement;
            return [el.tagName, el.getAttribute('aria-label') || el.getAttribute('role') || ''] }"""))
    assert stops[0][0] == "SELECT"
    assert [name for _, name in stops[1:-1]] == expected
    assert stops[-1] == ["LI", "tab"]
