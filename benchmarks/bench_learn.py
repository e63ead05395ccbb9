"""Your own data, played: the redraw rate of the learning view as the learner sees it. Voila serves a 2-8-8-2 network
learning the spiral, every unit's heatmap at 30×30 cells; Debian's Chromium presses Play, and the page counts the
screen refreshes in which the view's SVG changed (requestAnimationFrame and a MutationObserver), from the first changed
refresh to the last. Each such refresh is a whole frame: 18 heatmaps and the decision boundary painted from the bytes,
the edges and the loss curves moved on. Goal: 20 redraws per second or more (the view asks for 30).

`main()` prints the median of a few plays beside the goal and returns it (redraws per second)."""
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the support package the tests share
from bench_player import COUNT_FRAMES  # noqa: E402
from support.chromium import CHROMIUM, launch_options  # noqa: E402
from support.servers import jupyter  # noqa: E402

GOAL = 20.0
PLAYS = 3
CELL = """import backprop_lib as bp
from backprop_lib.widgets.learn import Learner
train, test = bp.data.split(bp.data.make("spiral", n=120, noise=0.1, seed=0), test=0.25, seed=0)
net = bp.load(bp.data.network(train, hidden=(8, 8), activation="tanh", seed=0))
Learner(net, train, test).train(300, lr=0.05, cells=30)"""


def play_once(page):
    """Press Play and wait until the film stops; (redraws, redraws per second)."""
    page.evaluate("window.bpFrames = []; window.bpCounting = true")
    page.get_by_role("button", name="Play", exact=True).click()
    page.locator(".bp-learn[data-playing=true]").wait_for(timeout=10_000)
    page.locator(".bp-learn[data-playing=false]").wait_for(timeout=60_000)
    times = page.evaluate("window.bpCounting = false; window.bpFrames")
    seconds = (times[-1] - times[0]) / 1000 if len(times) > 1 else float("inf")
    return len(times), (len(times) - 1) / seconds


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print(f"your data: skipped (no browser at {CHROMIUM})")
        return None
    from playwright.sync_api import sync_playwright
    tmp = Path(tempfile.mkdtemp(prefix="backprop-bench-learn-"))
    cells = [{"cell_type": "code", "metadata": {}, "source": CELL, "outputs": [], "execution_count": None}]
    try:
        with jupyter("voila", tmp, "bench") as (port, work), sync_playwright() as p:
            (work / "learn.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                          "nbformat_minor": 5}))
            browser = p.chromium.launch(**launch_options())
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/voila/render/learn.ipynb?token=bench", timeout=120_000)
                page.locator(".bp-learn-readout", has_text="step 300 of 300").wait_for(timeout=120_000)
                page.locator("svg.bp-learn-svg").first.evaluate(COUNT_FRAMES)
                plays = [play_once(page) for _ in range(PLAYS)]
            finally:
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rate = statistics.median(r for _, r in plays)
    each = ", ".join(f"{n} redraws at {r:.1f}/s" for n, r in plays)
    print(f"your data (Voila, Chromium; 2-8-8-2 on the spiral, 18 heatmaps of 30x30 cells, 101 frames): {rate:.1f} "
          f"redraws per second, median of {PLAYS} plays ({each}); goal >= {GOAL:.0f}: "
          f"{'ok' if rate >= GOAL else 'MISSED'}")
    return rate


if __name__ == "__main__":
    main()
