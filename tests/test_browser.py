"""The playground in a real browser: JupyterLab runs the playground notebook, a slider moves, the loss shown becomes the
value computed here; then the same page served by Voila; then every other notebook, each run from the Run menu with no
traceback shown and every widget drawn. Screenshots go to tests/artefacts/.

Needs Debian's Chromium at /usr/bin/chromium; without it these tests skip, except when CI=true.
"""
import re
import shutil
import time
from pathlib import Path

import pytest

from support.pages import ERRORS, dismiss_news, example_loss, example_values, fresh_copy, run_all_and_wait, shown
from support.servers import TOKEN, shut_every_session_down, wait_for_one_settled_kernel

pytestmark = [pytest.mark.browser, pytest.mark.server]
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "12-playground.ipynb"
PRESSES = 3  # arrow-key presses on the w5 slider, one slider step (0.01) each


# --- the page ------------------------------------------------------------------------------------

def w5_slider(page):
    """The range input a screen reader calls "weight w5"."""
    return page.get_by_role("slider", name="weight w5").first


def move_w5_and_expect_the_loss(page, picture):
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
    page.screenshot(path=str(picture), full_page=True)
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


def test_jupyterlab_runs_the_playground_and_a_slider_moves_the_loss(lab, page, artefacts):
    port, _ = lab
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={TOKEN}", timeout=60_000)
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)
    wait_for_one_settled_kernel(port)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=30_000)
    dismiss_news(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    expected = move_w5_and_expect_the_loss(page, artefacts / "jupyterlab-playground.png")
    assert page.get_by_text(expected, exact=True).is_visible()
    drag_w5_and_expect_the_last_value(page)


def test_voila_serves_the_playground_and_a_slider_moves_the_loss(voila, page, artefacts):
    port, _ = voila
    page.goto(f"http://127.0.0.1:{port}/?token={TOKEN}", timeout=60_000)
    expected = move_w5_and_expect_the_loss(page, artefacts / "voila-playground.png")
    assert page.get_by_text(expected, exact=True).is_visible()
    drag_w5_and_expect_the_last_value(page)
    page.locator("select").first.select_option("lecture")  # every section follows the new network
    page.get_by_text(f"E_total = {shown(example_loss('lecture'))}", exact=True).wait_for(timeout=20_000)
    page.get_by_text("Edit or paste a spec (JSON)", exact=True).click()  # built when first opened
    page.locator("textarea").first.fill('{"inputs": ["x"]}')
    page.get_by_role("button", name="use this spec").click()
    page.get_by_text("pasted spec: layers: missing", exact=True).wait_for(timeout=10_000)


NOTEBOOKS = ROOT / "notebooks"


def test_every_notebook_runs_in_jupyterlab_without_errors(lab, new_context, artefacts):
    """Every notebook but the playground runs from a fresh kernel through Run All Cells with no traceback shown and every
    widget drawn (the playground has its own test above). One server, one kernel at a time."""
    started = time.monotonic()
    sources = sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb") if p.name != NOTEBOOK.name)
    assert len(sources) == len(list(NOTEBOOKS.glob("[0-9][0-9]-*.md"))) - 1, [p.name for p in sources]
    port, work = lab
    for data in ("notes_figures.json", "names.txt"):  # notebooks read these from their own folder (07, 11, 15)
        shutil.copy(NOTEBOOKS / data, work)
    cells = {p.name: fresh_copy(p, work) for p in sources}
    timings = []
    for source in sources:
        code_cells, views = cells[source.name]
        begun = time.monotonic()
        context = new_context()  # closing it takes the screenshot kept if the test fails
        page = context.new_page()
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
                page.screenshot(path=str(artefacts / "jupyterlab-every-notebook.png"), full_page=True)
        finally:
            context.close()
            shut_every_session_down(port)  # one kernel at a time on a small machine
        timings.append(f"{source.stem[:2]} {time.monotonic() - begun:.1f} s")
    print(f"every notebook ran in {time.monotonic() - started:.0f} s:", ", ".join(timings))


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


def test_stored_notebooks_open_in_jupyterlab_without_an_unsaved_mark(lab, browser):
    """Opening a stored notebook (paired with its .md source, as in the repository) must not mark it modified:
    the tab shows no unsaved dot until the learner changes something."""
    port, work = lab
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
