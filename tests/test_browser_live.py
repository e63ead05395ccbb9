"""The backward stepper and the training player in a real browser, in JupyterLab and in Voila: Next walks the stepper
to its last step and the diagram shows every gradient; Play runs the training film frame by frame in the page and
stops at the chosen step showing the loss. Expected numbers come from plain-float loops written in the tests.

Needs Debian's Chromium at /usr/bin/chromium; without it these tests skip, except when CI=true.
"""
import json
import math
import re

import pytest

from support.axe import assert_no_blocking, axe
from support.pages import MINUS, dismiss_news, run_all_and_wait
from support.plain import plain_backward, plain_gradients
from support.servers import TOKEN, wait_for_one_settled_kernel
from backprop_lib.core.spec import read

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.npm]
NAME = "live-widgets.ipynb"
CELLS = ['import backprop_lib as bp\nstepper = bp.widgets.backward_stepper(bp.load("mazur"))\nstepper',
         'explorer = bp.widgets.training_explorer(bp.load("lecture"))\nexplorer',
         'bp.widgets.backward_stepper(bp.load("lecture"))', 'bp.widgets.backward_stepper(bp.load("statquest"))']
LAST = {"lecture": (2, 16, "E_total"), "statquest": (3, 40, "SSR")}  # diagram (in page order), steps, the loss

# Counts the distinct pictures the training diagram shows: a screen refresh in which the SVG changed is one frame.
COUNT_FRAMES = """svg => {
    window.bpFrames = [];
    let changed = false;
    new MutationObserver(() => { changed = true; })
        .observe(svg, {subtree: true, childList: true, attributes: true, characterData: true});
    const look = t => { if (changed) { window.bpFrames.push(t); changed = false; } requestAnimationFrame(look); };
    requestAnimationFrame(look);
}"""


def notebook(work):
    cells = [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None} for c in CELLS]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}
    (work / NAME).write_text(json.dumps(nb))


def shown(x):
    """A number as the readouts print it (bp.number): 9 decimals, or 9 significant digits below 1e-4; a
    typographic minus."""
    text = f"{x:.9g}" if x != 0 and abs(x) < 1e-4 else f"{x:.9f}".rstrip("0").rstrip(".")
    return text.replace("-", MINUS)


def lecture_loss_after(steps):
    """E_total of the lecture network after `steps` steps of plain gradient descent at its own learning rate."""
    spec = read("lecture")
    params = dict(spec["params"])
    for _ in range(steps):
        grads = plain_gradients(spec, params)
        params = {k: v - spec["learning_rate"] * grads[k] for k, v in params.items()}
    sample, out = spec["data"][0], {}
    values = dict(sample)
    for layer in spec["layers"]:
        for unit, body in layer["neurons"].items():
            z = sum(params[w] * values[src] for src, w in body["weights"].items()) + params[body["bias"]]
            values[unit] = out[unit] = 1 / (1 + math.exp(-z))
    return sum(0.5 * (sample[u] - out[u]) ** 2 for u in spec["layers"][-1]["neurons"])


def walk_the_stepper(page):
    """Press Next to the last step; the stepper's diagram must then show every gradient of mazur."""
    spec = read("mazur")
    page.get_by_text("Step 1 of 21", exact=True).wait_for(timeout=60_000)
    page.get_by_role("button", name="Next", exact=True).first.wait_for(timeout=10_000)
    for k in range(2, 22):
        page.get_by_role("button", name="Next", exact=True).first.click()
        page.get_by_text(f"Step {k} of 21", exact=True).wait_for(timeout=20_000)
    assert page.get_by_role("button", name="Next", exact=True).first.is_disabled()
    diagram = page.locator("svg.bp-diagram").first.text_content()
    grads = plain_gradients(spec, spec["params"])
    for param in ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"):
        assert f"∂E_total/∂{param} = {shown(grads[param])}" in diagram, param
    values, _ = plain_backward(spec, spec["params"])
    b2 = f"{shown(values['d_net', 'o1', 0])} {MINUS} {shown(-values['d_net', 'o2', 0])} = {shown(grads['b2'])}"
    assert f"∂E_total/∂b2 so far = {b2}" in diagram
    page.locator(".bp-live", has_text="Step 21 of 21: every gradient").first.wait_for(timeout=5_000, state="attached")


def end_the_other_steppers(page):
    """Press End on the lecture's and statquest's step sliders: each diagram then shows that network's gradients."""
    sliders = page.get_by_role("slider", name="step of the backward pass")
    for name, (k, steps, loss) in LAST.items():
        slider = sliders.nth(k - 1)
        slider.focus()
        slider.press("End")
        page.get_by_text(f"Step {steps} of {steps}", exact=True).wait_for(timeout=20_000)
        spec = read(name)
        expected = [f"∂{loss}/∂{param} = {shown(value)}" for param, value in plain_gradients(spec, spec["params"]).items()
                    if param != "b1" or name != "lecture"]  # the lecture's b1 is shared: each edge shows a share
        # the readout may show the last step a moment before the diagram is drawn again
        page.locator("svg.bp-diagram").nth(k).filter(has_text=expected[0]).wait_for(timeout=20_000)
        diagram = page.locator("svg.bp-diagram").nth(k).text_content()
        for label in expected:
            assert label in diagram, (name, label)


def play_the_training(page):
    """Press Play: the film runs in the page (many distinct frames) and stops at step 1000 with the loop's loss."""
    svg = page.locator("svg.bp-diagram").nth(1)
    svg.wait_for(timeout=30_000)
    svg.evaluate(COUNT_FRAMES)
    page.get_by_role("button", name="Play", exact=True).click()
    expected = f"Finished at step 1000 of 1000: E_total = {shown(lecture_loss_after(1000))}"
    page.locator(".bp-player-live", has_text=expected).wait_for(timeout=30_000, state="attached")
    assert page.locator(".bp-player-readout").text_content() == expected.removeprefix("Finished at ")
    assert page.evaluate("window.bpFrames.length") > 20  # it played frame by frame, not one jump to the end


def test_jupyterlab_stepper_reaches_every_gradient_and_training_plays_to_its_end(lab, page, artefacts):
    port, work = lab
    notebook(work)
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{NAME}?token={TOKEN}", timeout=60_000)
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)
    wait_for_one_settled_kernel(port)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=30_000)
    dismiss_news(page)
    run_all_and_wait(page, len(CELLS))
    walk_the_stepper(page)
    end_the_other_steppers(page)
    play_the_training(page)
    page.screenshot(path=str(artefacts / "jupyterlab-live-widgets.png"), full_page=True)


def test_voila_stepper_reaches_every_gradient_and_training_plays_to_its_end(voila_folder, page, artefacts):
    port, work = voila_folder  # the folder: the notebook is written once the server has made it
    notebook(work)
    page.goto(f"http://127.0.0.1:{port}/voila/render/{NAME}?token={TOKEN}", timeout=90_000)
    walk_the_stepper(page)
    end_the_other_steppers(page)
    play_the_training(page)
    page.screenshot(path=str(artefacts / "voila-live-widgets.png"), full_page=True)
    page.locator(".bp-player").screenshot(path=str(artefacts / "voila-player.png"))
    assert_no_blocking("stepper and player in Voila", axe(page, [".bp-player", ".bp-diagram-box"]))
