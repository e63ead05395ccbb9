"""Your own data in a real browser (Voila): points drawn with the mouse and with the keyboard arrive in the kernel,
the network trains on them, and while the film plays every unit's heatmap changes; axe finds nothing serious.

Needs Debian's Chromium at /usr/bin/chromium and `npm ci --prefix tests` (axe-core).
"""
import json
import re

import pytest

from support.axe import assert_no_blocking, axe, undescribed_pictures, unnamed_controls
from support.servers import TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.npm]
NAME = "your-data.ipynb"
CELL = 'from backprop_lib.widgets.yourdata import your_data\nview = your_data("draw your own")\nview'


def notebook(work):
    cell = {"cell_type": "code", "metadata": {}, "source": CELL, "outputs": [], "execution_count": None}
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = {"cells": [cell], "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}
    (work / NAME).write_text(json.dumps(nb))


def counts(page):
    """The drawing's text line as {class: count}, and the markers the plane shows of each class."""
    text = page.locator(".bp-draw-text").inner_text()
    said = {int(k): int(n) for k, n in re.findall(r"class (\d) \(\w+\): (\d+)", text)}
    drawn = {k + 1: page.locator(f".bp-draw-point.bp-class-{k}").count() for k in range(2)}
    return said, drawn


def draw_with_the_mouse(page):
    plane = page.locator(".bp-draw-plane svg")
    box = plane.bounding_box()
    page.mouse.move(box["x"] + 60, box["y"] + 60)
    page.mouse.down()
    for k in range(1, 8):
        page.mouse.move(box["x"] + 60 + 12 * k, box["y"] + 60 + 6 * k, steps=2)
    page.mouse.up()


def draw_with_the_keyboard(page):
    page.get_by_role("application").focus()
    page.keyboard.press("2")
    page.locator(".bp-draw-button[aria-pressed=true]", has_text="class 2").wait_for(timeout=10_000)
    for _ in range(8):
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
    for _ in range(3):
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")


def heat_images(page):
    return page.locator(".bp-learn-heat").evaluate_all("els => els.map(e => e.toDataURL())")


def test_draw_with_mouse_and_keyboard_then_train_and_the_heatmaps_change(voila_folder, page, artefacts):
    port, work = voila_folder
    notebook(work)
    page.goto(f"http://127.0.0.1:{port}/voila/render/{NAME}?token={TOKEN}", timeout=90_000)
    page.locator(".bp-draw-plane").wait_for(timeout=90_000)
    draw_with_the_mouse(page)
    page.wait_for_function("() => document.querySelectorAll('.bp-draw-point.bp-class-0').length >= 6")
    draw_with_the_keyboard(page)
    page.wait_for_function("() => document.querySelectorAll('.bp-draw-point.bp-class-1').length == 15")
    said, drawn = counts(page)
    assert said == drawn and drawn[2] == 15
    assert_no_blocking("your data, drawn", axe(page, [".bp-draw"]))
    page.get_by_role("button", name="train and play").click()
    page.locator(".bp-learn-heat").first.wait_for(timeout=60_000)
    first = heat_images(page)
    assert len(first) == 8 + 8 + 2
    page.locator(".bp-learn[data-playing=false]").wait_for(timeout=60_000)
    last = heat_images(page)
    assert sum(a != b for a, b in zip(first, last)) >= 12  # most units learnt something new
    readout = page.locator(".bp-learn-readout").inner_text()
    assert readout.startswith("step 300 of 300, train E_total = ") and "test accuracy" in readout
    assert int(page.locator(".bp-learn").get_attribute("data-drawn")) > 20  # frame by frame, not a jump
    assert not undescribed_pictures(page, ".bp-learn")
    assert not unnamed_controls(page, ".bp-learn"), unnamed_controls(page, ".bp-learn")
    assert_no_blocking("your data, trained", axe(page, [".bp-learn", ".bp-draw"]))
    page.screenshot(path=str(artefacts / "voila-your-data.png"), full_page=True)


def test_one_class_drawn_from_the_keyboard_is_a_curve_to_fit(voila_folder, page):
    port, work = voila_folder
    notebook(work)
    page.goto(f"http://127.0.0.1:{port}/voila/render/{NAME}?token={TOKEN}", timeout=90_000)
    page.locator(".bp-draw-plane").wait_for(timeout=90_000)
    page.get_by_label("classes").select_option("1")
    page.get_by_role("application").focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    for _ in range(4):
        page.keyboard.press("Space")
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowUp")
    page.locator(".bp-draw-text", has_text="20 samples; y from").wait_for(timeout=10_000)
    rate = page.get_by_role("slider", name="learning rate")
    rate.focus()
    rate.press("Home")  # 0.001: a sum of squares over every sample overshoots at the usual 0.1
    page.get_by_role("button", name="train and play").click()
    page.locator(".bp-learn[data-playing=false]").wait_for(timeout=60_000)
    assert page.locator(".bp-learn-curve").get_attribute("d").count("L") == 29  # one point per cell
    readout = page.locator(".bp-learn-readout").inner_text()
    assert readout.startswith("step 300 of 300, train E_total = ") and "accuracy" not in readout
    assert "overflow" not in readout
    assert page.locator(".bp-learn-heat").count() == 8 + 8 + 1
