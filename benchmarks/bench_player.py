"""The training player's frame rate as the learner sees it: Voila serves a training explorer, Debian's Chromium
presses Play, and the page counts the screen refreshes in which the diagram's SVG changed (requestAnimationFrame and
a MutationObserver) from the first changed frame to the last. Goal: 20 distinct frames per second or more.

`main()` prints the median of a few plays beside the goal and returns it (frames per second)."""
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the support package the tests share
from support.chromium import CHROMIUM, launch_options  # noqa: E402
from support.servers import jupyter  # noqa: E402

GOAL = 20.0  # distinct diagrams per second, median over plays
PLAYS = 3
CELL = 'import backprop_lib as bp\nexplorer = bp.widgets.training_explorer(bp.load("mazur"))\nexplorer'
COUNT_FRAMES = """svg => {
    window.bpFrames = [];
    window.bpCounting = false;
    let changed = false;
    new MutationObserver(() => { changed = true; })
        .observe(svg, {subtree: true, childList: true, attributes: true, characterData: true});
    const look = t => {
        if (changed && window.bpCounting) window.bpFrames.push(t);
        changed = false;
        requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
}"""


def play_once(page):
    """Press Play and wait for the film's end; (distinct frames, frames per second)."""
    page.evaluate("window.bpFrames = []; window.bpCounting = true")
    page.get_by_role("button", name="Play", exact=True).click()
    page.locator(".bp-player-live", has_text="Finished").wait_for(timeout=60_000, state="attached")
    times = page.evaluate("window.bpCounting = false; window.bpFrames")  # before the kernel's own redraw arrives
    seconds = (times[-1] - times[0]) / 1000 if len(times) > 1 else float("inf")
    return len(times), (len(times) - 1) / seconds


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print(f"training player: skipped (no browser at {CHROMIUM})")
        return None
    from playwright.sync_api import sync_playwright
    tmp = Path(tempfile.mkdtemp(prefix="backprop-bench-player-"))
    cells = [{"cell_type": "code", "metadata": {}, "source": CELL, "outputs": [], "execution_count": None}]
    try:
        with jupyter("voila", tmp, "bench") as (port, work), sync_playwright() as p:
            (work / "player.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                           "nbformat_minor": 5}))
            browser = p.chromium.launch(**launch_options())
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/voila/render/player.ipynb?token=bench", timeout=120_000)
                page.get_by_role("button", name="Play", exact=True).wait_for(timeout=120_000)
                page.locator(".bp-player-readout", has_text="step 1000 of 1000").wait_for(timeout=60_000)
                page.locator("svg.bp-diagram").first.evaluate(COUNT_FRAMES)
                plays = [play_once(page) for _ in range(PLAYS)]
            finally:
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fps = statistics.median(rate for _, rate in plays)
    each = ", ".join(f"{n} frames at {rate:.1f}/s" for n, rate in plays)
    print(f"training player (Voila, Chromium; mazur, 1000 steps as 301 frames): {fps:.1f} distinct diagrams per "
          f"second, median of {PLAYS} plays ({each}); goal >= {GOAL:.0f}: "
          f"{'ok' if fps >= GOAL else 'MISSED'}")
    return fps


if __name__ == "__main__":
    main()
