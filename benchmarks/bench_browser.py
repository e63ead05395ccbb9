"""What the learner feels, in the browser: the playground served by Voila and by JupyterLab, in Debian's Chromium.

- key press on the w5 slider -> the live diagram (svg.bp-diagram) and the E_total readout both show the new values:
  median of PRESSES presses, goal <= 50 ms for each (the page times it: performance.now() at the keydown,
  a MutationObserver on the diagram and on the readout);
- a one-second mouse drag across the w5 slider -> how many distinct diagrams the screen showed (sampled once per
  animation frame), goal >= 15.

`main()` prints the figures beside the goals (benchmarks/run.py calls it) and returns them.
"""
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the support package the tests share
from support.chromium import CHROMIUM, launch_options  # noqa: E402
from support.pages import example_loss, shown  # noqa: E402
from support.servers import jupyter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "12-playground.ipynb"
TOKEN = "backprop-bench"
PRESSES = 25
GOAL_MS, GOAL_FRAMES = 50, 15

# Times one key press in the page: from the keydown to the moment the diagram, and the readout, say the new values.
WATCH = """([svg, readout]) => {
    const bench = window.bpBench = {t0: null, diagram: null, readout: null, expect: [], loss: ""};
    document.addEventListener("keydown", () => {
        bench.t0 = performance.now(); bench.diagram = null; bench.readout = null;
    }, true);
    const look = () => {
        if (bench.t0 === null) return;
        const now = performance.now();
        if (bench.diagram === null && bench.expect.every(s => svg.textContent.includes(s))) bench.diagram = now - bench.t0;
        if (bench.readout === null && readout.textContent.includes(bench.loss)) bench.readout = now - bench.t0;
    };
    const all = {subtree: true, childList: true, characterData: true, attributes: true};
    new MutationObserver(look).observe(svg, all);
    new MutationObserver(look).observe(readout, all);
}"""
# Samples the diagram's text once per animation frame while a drag lasts.
FRAMES = """svg => {
    const desc = svg.querySelector("desc");
    const drag = window.bpDrag = {before: desc.textContent, seen: new Set(), on: true};
    const look = () => { if (!drag.on) return; drag.seen.add(desc.textContent); requestAnimationFrame(look); };
    requestAnimationFrame(look);
}"""
STOP = "() => { const d = window.bpDrag; d.on = false; d.seen.delete(d.before); return d.seen.size; }"


# --- the page ------------------------------------------------------------------------------------

def w5_slider(page):
    """The w5 slider's keyboard target: an input named "weight w5", or else ipywidgets' slider handle."""
    named = page.get_by_role("slider", name="weight w5")
    if named.count():
        return named.first
    box = page.locator(".widget-slider").filter(has=page.locator("label", has_text=re.compile(r"^w5$"))).first
    return box.locator(".noUi-handle")


def open_voila(page, port):
    page.goto(f"http://127.0.0.1:{port}/?token={TOKEN}", timeout=120_000)


def open_jupyterlab(page, port):
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={TOKEN}&reset", timeout=120_000)
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=120_000)
    page.wait_for_timeout(3000)  # JupyterLab may swap its first kernel while the page settles
    for _ in range(20):
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count() and dialog.first.is_visible():
            dialog.first.click()
        news = page.locator(".jp-toast-button", has_text=re.compile(r"^No$"))
        if news.count():
            news.first.click()
        page.wait_for_timeout(200)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.locator("svg.bp-diagram desc").first.wait_for(state="attached", timeout=120_000)
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=120_000)
    page.wait_for_timeout(2000)  # the last cells' widgets are drawn


def measure(page):
    """Median key-press latencies (diagram, readout) in ms, and the distinct diagrams a 1 s drag shows."""
    page.locator("svg.bp-diagram desc").first.wait_for(state="attached", timeout=120_000)
    slider = w5_slider(page)
    slider.wait_for(timeout=60_000)
    slider.scroll_into_view_if_needed()
    svg = page.locator("svg.bp-diagram").first
    readout = page.locator(".widget-html-content").filter(has_text=re.compile(r"^E_total = ")).first
    readout.wait_for(timeout=60_000)
    page.evaluate(WATCH, [svg.element_handle(), readout.element_handle()])
    diagram, shown_loss = [], []
    for k in range(1, PRESSES + 1):
        w5 = round(0.40 + 0.01 * k, 2)
        loss = f"E_total = {shown(example_loss(w5=w5))}"
        page.evaluate("([expect, loss]) => { window.bpBench.expect = expect; window.bpBench.loss = loss; }",
                      [[f"Weight w5 from h1 into o1 = {shown(w5)}.", loss + "."], loss])
        slider.press("ArrowRight")  # focuses it first: JupyterLab may have moved the focus to a cell
        try:
            page.wait_for_function("() => window.bpBench.diagram !== null && window.bpBench.readout !== null",
                                   timeout=10_000)
        except Exception:
            state = page.evaluate("() => [window.bpBench, document.activeElement.outerHTML.slice(0, 200)]")
            raise RuntimeError(f"press {k}: the page did not show w5 = {w5} ({state}; the readout says "
                               f"{readout.text_content()!r})") from None
        times = page.evaluate("() => [window.bpBench.diagram, window.bpBench.readout]")
        diagram.append(times[0])
        shown_loss.append(times[1])
        page.wait_for_timeout(150)  # the next press starts from a quiet page
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.evaluate(FRAMES, svg.element_handle())
    page.mouse.down()
    began = time.monotonic()
    steps = 60
    for k in range(1, steps + 1):  # across the whole range in one second
        page.mouse.move(box["x"] + 2 + (box["width"] - 4) * k / steps, y)
        wait = began + k / steps - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    frames = page.evaluate(STOP)
    page.mouse.up()
    return statistics.median(diagram), statistics.median(shown_loss), frames


def run(where, browser):
    tmp = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    app, notebook = ("voila", NOTEBOOK.name) if where == "Voila" else ("lab", None)
    try:
        with jupyter(app, tmp, TOKEN, files=[NOTEBOOK], notebook=notebook) as (port, _):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                (open_voila if where == "Voila" else open_jupyterlab)(page, port)
                return measure(page)
            finally:
                page.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print(f"skipped: no browser at {CHROMIUM}")
        return {}
    from playwright.sync_api import sync_playwright
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        try:
            for where in ("Voila", "JupyterLab"):
                results[where] = run(where, browser)
        finally:
            browser.close()
    print(f"the playground in Chromium: key press on the w5 slider until the new values show (median of {PRESSES}), "
          "and a 1 s drag across it:")
    for where, (diagram, readout, frames) in results.items():
        print(f"  {where:10s} diagram {diagram:6.1f} ms, E_total readout {readout:6.1f} ms (goal <= {GOAL_MS} ms: "
              f"{'ok' if max(diagram, readout) <= GOAL_MS else 'MISSED'}); drag: {frames} distinct diagrams "
              f"(goal >= {GOAL_FRAMES}: {'ok' if frames >= GOAL_FRAMES else 'MISSED'})")
    return results


if __name__ == "__main__":
    main()
