"""Text alternatives: each figure's description says what it shows with the numbers it draws, and controls have names.

Expected numbers come from plain loops over the example's JSON and from finite differences, not from the library."""
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import pytest

import backprop_lib as bp
from backprop_lib import plots, widgets
from backprop_lib.plots import fmt
from backprop_lib.widgets.slider import Slider

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
MAZUR = json.loads((ROOT / "backprop_lib" / "core" / "examples" / "mazur.json").read_text())


def forward(params, spec=MAZUR):
    """Sample 0 through a sigmoid network with a plain loop: ({unit: net}, {unit: out}), and ½ Σ (target − out)²."""
    values, nets = dict(spec["data"][0]), {}
    for layer in spec["layers"]:
        for unit, body in layer["neurons"].items():
            nets[unit] = sum(params[w] * values[src] for src, w in body["weights"].items()) + params[body["bias"]]
            values[unit] = 1 / (1 + math.exp(-nets[unit]))
    loss = sum(0.5 * (spec["data"][0][u] - values[u]) ** 2 for u in spec["layers"][-1]["neurons"])
    return nets, values, loss


def number_after(text, label):
    """The number written right after `label = ` in a description (typographic minus read back)."""
    match = re.search(re.escape(label) + r" = ([−\-]?[0-9.]+(?:e[−\-+]?[0-9]+)?)", text)
    assert match, f"{label} not in: {text}"
    return float(match.group(1).replace("\u2212", "-"))


def test_network_description_gives_every_units_net_and_out():
    text = plots.describe_network(bp.load("mazur"))
    nets, outs, loss = forward(MAZUR["params"])
    for unit in nets:
        assert f"{unit}: net {fmt(nets[unit])}, out {fmt(outs[unit])}" in text
    assert f"E_total = {fmt(loss)}." in text


def test_network_description_gives_every_weight_and_where_it_sits():
    text = plots.describe_network(bp.load("mazur"))
    for layer in MAZUR["layers"]:
        for unit, body in layer["neurons"].items():
            for src, w in body["weights"].items():
                assert f"{w} = {fmt(MAZUR['params'][w])} ({src} to {unit}" in text


def test_network_description_gradients_agree_with_finite_differences():
    text = plots.describe_network(bp.load("mazur"), gradients=True)
    for p, value in MAZUR["params"].items():
        h = 1e-6
        up, down = forward({**MAZUR["params"], p: value + h})[2], forward({**MAZUR["params"], p: value - h})[2]
        assert number_after(text, f"\u2202E/\u2202{p}") == pytest.approx((up - down) / (2 * h), rel=1e-3)


def test_network_description_says_each_gradients_sign_in_words():
    text = plots.describe_network(bp.load("mazur"), gradients=True)
    assert re.search(r"∂E/∂w7 = −[0-9.]+ \(negative, dashed line\)", text)
    assert re.search(r"∂E/∂w5 = [0-9.]+ \(positive\)", text)


def test_highlighted_paths_are_one_per_output_a_hidden_weight_reaches():
    net = bp.load("mazur")
    outputs = list(MAZUR["layers"][-1]["neurons"])
    text = plots.describe_network(net, gradients=True, highlight="w1")
    assert f"follows {len(outputs)} paths" in text
    for o in outputs:
        assert f"i1 to h1 to {o} to E_total" in text
    assert "follows 1 path from its edge to the loss: h1 to o1 to E_total." in plots.describe_network(net, highlight="w5")


def test_a_drawn_figure_carries_the_description_of_its_numbers():
    net = bp.load("lecture")
    assert plots.network(net, gradients=True).description == plots.describe_network(net, gradients=True)


def test_a_figure_displays_with_its_description_as_alt_text():
    figure = plots.network(bp.load("mazur"))
    data, metadata = figure._repr_mimebundle_()
    assert metadata == {"image/png": {"alt": figure.description}}
    assert data["text/plain"] == figure.description
    alt = re.search(r'alt="([^"]*)"', data["text/html"]).group(1)
    assert alt == figure.description.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert data["text/html"].startswith('<img src="data:image/png;base64,' + data["image/png"][:40])


def test_activation_description_gives_the_sigmoids_steepest_slope():
    text = plots.describe_activation("sigmoid")
    assert "is largest, 0.25, at net = 0" in text  # σ'(0) = σ(0)(1 − σ(0)) = ¼
    assert f"out goes from {fmt(1 / (1 + math.exp(6)))} to {fmt(1 / (1 + math.exp(-6)))}" in text


def run(losses, lr):
    return SimpleNamespace(losses=losses, learning_rate=lr)


def test_loss_curve_description_gives_first_and_last_loss_of_each_run():
    text = plots.describe_loss_curve([run([0.5, 0.25, 0.125], 0.1), run([0.5, 0.4, 0.3], 0.01)])
    assert "lr = 0.1: 0.5 at step 0, 0.125 at step 2." in text
    assert "lr = 0.01: 0.5 at step 0, 0.3 at step 2." in text


def test_loss_curve_description_says_where_two_curves_cross():
    text = plots.describe_loss_curve([run([4, 3, 2, 1], 0.1), run([1, 2, 3, 4], 1)])
    assert "lr = 0.1 and lr = 1 cross at step 2, loss 2." in text  # 3 > 2 at step 1, 2 < 3 at step 2


def test_loss_curve_description_says_where_a_run_blew_up():
    text = plots.describe_loss_curve(run([0.3, 5.0, float("inf"), float("nan")], 10))
    assert "lr = 10: 0.3 at step 0, blew up (diverged) at step 2, after 5 at step 1." in text


def test_sweep_description_lists_every_point_and_the_lowest():
    result = SimpleNamespace(learning_rates=[0.1, 1.0, 10.0, 100.0], final_losses=[0.2, 0.01, 0.05, math.inf],
                             steps=100)
    text = plots.describe_sweep(result)
    assert "Lowest loss 0.01 at learning rate 1." in text
    assert "Diverged at 100." in text
    assert "0.1: 0.2; 1: 0.01; 10: 0.05; 100: diverged." in text


def test_landscape_description_starts_at_the_networks_own_loss():
    net = bp.load("mazur")
    text = plots.describe_landscape(net, "w5", "w6", steps=10, lr=0.5)
    assert f"(loss {fmt(forward(MAZUR['params'])[2])}) and after 10 steps" in text
    assert plots.landscape(net, "w5", "w6", steps=10, lr=0.5).description == text


@pytest.mark.slow
def test_widget_pictures_carry_their_description_as_accessible_name():
    view = widgets.training_explorer(bp.load("mazur"))
    assert view.canvas.image.alt == view.canvas.figure.description
    assert view.canvas.image.alt.startswith("Loss (log scale) against training step")


def test_forward_explorer_sliders_are_named_for_their_parameter():
    net = bp.load("mazur")
    view = widgets.forward_explorer(net)
    assert view.controls["w5"].name == "weight w5"
    assert view.controls["b1"].name == "bias b1"
    assert view.controls["i1"].name == "input i1"


def test_slider_value_text_is_rounded_as_it_is_shown():
    assert Slider("i1", "input i1", 0.04999999999999982, -2, 2).text() == "0.050"
    assert Slider("ε", "epsilon", 1e-4, 1e-12, 1, scale="log", style="exponent", digits=1).text() == "1.0e-04"


def test_every_text_box_and_list_of_the_picker_and_exercise_has_a_name():
    picker, check = widgets.Picker("mazur"), widgets.exercise("dE/dw5")
    boxes = [picker.json, picker.examples, check.controls["quantity"], check.controls["answer"]]
    assert [b.description for b in boxes] == ["spec (JSON)", "example", "quantity", "answer"]
