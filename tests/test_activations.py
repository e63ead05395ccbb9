"""leaky_relu, elu and silu, one record each: forward values against a plain loop, gradients against central
differences, the chain rule against SymPy's diff, the compiled training step against a plain descent loop, and the
library's convention at a kink (the slope from the left: ReLU′(0) = 0, leaky ReLU′(0) = 0.01)."""
import math

import pytest
import sympy as sp

import backprop_lib as bp
from backprop_lib import symbolic

PLAIN = {
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "elu": lambda z: z if z > 0 else math.exp(z) - 1.0,
    "silu": lambda z: z / (1.0 + math.exp(-z)),
}


def spec(activation, params=None, data=None):
    return {
        "name": activation,
        "inputs": ["x1", "x2"],
        "layers": [
            {"activation": activation, "neurons": {"h1": {"weights": {"x1": "w1", "x2": "w2"}, "bias": "b1"},
                                                   "h2": {"weights": {"x1": "w3", "x2": "w4"}, "bias": "b1"}}},
            {"activation": "identity", "neurons": {"y": {"weights": {"h1": "w5", "h2": "w6"}, "bias": "b2"}}},
        ],
        "params": params or {"w1": 0.6, "w2": -0.4, "w3": -0.7, "w4": 0.3, "w5": 0.8, "w6": -1.1,
                             "b1": 0.1, "b2": 0.2},
        "loss": "half_sse",
        "data": data or [{"x1": 1.0, "x2": 0.5, "y": 0.3}, {"x1": -0.5, "x2": 1.5, "y": -0.8}],
        "learning_rate": 0.3,
    }


def plain_out(f, params, sample):
    h1 = f(params["w1"] * sample["x1"] + params["w2"] * sample["x2"] + params["b1"])
    h2 = f(params["w3"] * sample["x1"] + params["w4"] * sample["x2"] + params["b1"])
    return params["w5"] * h1 + params["w6"] * h2 + params["b2"]


def plain_loss(f, params, data):
    return sum(0.5 * (s["y"] - plain_out(f, params, s)) ** 2 for s in data)


def central_differences(f, params, data, h=1e-6):
    return {k: (plain_loss(f, {**params, k: v + h}, data) - plain_loss(f, {**params, k: v - h}, data)) / (2 * h)
            for k, v in params.items()}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_forward_and_loss_equal_a_plain_loop(name):
    s = spec(name)
    net = bp.load(s)
    for sample, pred in zip(s["data"], net.predictions()):
        assert pred["y"] == pytest.approx(plain_out(PLAIN[name], s["params"], sample), rel=1e-12)
    assert net.loss() == pytest.approx(plain_loss(PLAIN[name], s["params"], s["data"]), rel=1e-12)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_gradients_equal_central_differences(name):
    s = spec(name)
    expected = central_differences(PLAIN[name], s["params"], s["data"])
    assert bp.load(s).gradients() == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_chain_rule_equals_sympys_diff(name):
    net = bp.load(spec(name))
    for param in net.params:
        values = net.chain(param).verify(tolerance=1e-10)
        assert values["paths"] == pytest.approx(values["sympy_diff"], rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_compiled_training_equals_a_plain_descent_loop(name):
    s = spec(name)
    params = dict(s["params"])
    for _ in range(4):
        grads = central_differences(PLAIN[name], params, s["data"])
        params = {k: v - s["learning_rate"] * grads[k] for k, v in params.items()}
    net = bp.load(s)
    assert net.train(steps=4).params == pytest.approx(params, rel=1e-6, abs=1e-9)
    swept = net.sweep([s["learning_rate"]], steps=4)
    assert {k: v[0] for k, v in swept.params.items()} == pytest.approx(params, rel=1e-6, abs=1e-9)


def at_kink(activation):
    """A network whose h1 has net exactly 0 (1 × 0.5 − 0.5) and h2 does not."""
    params = {"w1": 0.5, "w2": 0.0, "w3": 0.25, "w4": 0.0, "w5": 1.0, "w6": 1.0, "b1": -0.5, "b2": 0.0}
    return bp.load(spec(activation, params, [{"x1": 1.0, "x2": 0.0, "y": 1.0}]))


@pytest.mark.parametrize("name, left_slope", [("relu", 0.0), ("leaky_relu", 0.01)])
def test_slope_at_a_kink_is_the_slope_from_the_left(name, left_slope):
    net = at_kink(name)
    row = net.deltas()[0]
    assert net.forward()[0]["net_h1"] == 0.0
    h = 1e-7
    f = PLAIN.get(name, lambda z: max(z, 0.0))
    assert (f(0.0) - f(-h)) / h == pytest.approx(left_slope, abs=1e-9)  # the left-hand difference quotient
    assert row["dE/dnet_h1"] == pytest.approx(left_slope * row["dE/dout_h1"], abs=1e-15)
    assert net.gradients()["w1"] == pytest.approx(left_slope * row["dE/dout_h1"] * 1.0, abs=1e-15)


@pytest.mark.parametrize("name", ["relu", "leaky_relu"])
def test_compiled_path_and_chain_follow_the_kink_convention(name):
    net = at_kink(name)
    lr = 0.1
    expected = {k: v - lr * g for k, v in net.params.items() for g in [net.gradients()[k]]}
    assert net.train(steps=1, lr=lr).params == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert net.chain("w1").value == pytest.approx(net.gradients()["w1"], abs=1e-15)


@pytest.mark.parametrize("name", ["elu", "silu"])
def test_smooth_activations_have_the_same_slope_from_both_sides(name):
    f, h = PLAIN[name], 1e-6
    left, right = (f(0.0) - f(-h)) / h, (f(h) - f(0.0)) / h
    assert left == pytest.approx(right, abs=1e-5)
    net = at_kink(name)
    row = net.deltas()[0]
    assert row["dE/dnet_h1"] == pytest.approx((f(h) - f(-h)) / (2 * h) * row["dE/dout_h1"], rel=1e-6)


def test_spec_validation_lists_the_new_activations():
    with pytest.raises(bp.SpecError, match="leaky_relu, elu, silu"):
        bp.load(spec("swish"))
