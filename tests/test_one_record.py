"""The maths is stated once: an activation (a leaky ReLU of its own) and a loss (log-cosh) registered here, one record each and
nothing else, give forward values, gradients, the chain rule, the compiled training step, the walkthrough and
the backward steps. Every expected number comes from a plain loop, central differences or SymPy's diff."""
import math

import numpy as np
import pytest
import sympy as sp

import backprop_lib as bp
from backprop_lib import symbolic
from backprop_lib.core import maths
from backprop_lib.core.printing import MINUS
from backprop_lib.explain.backward import backward_steps
from backprop_lib.explain.walkthrough import walkthrough

SLOPE = 0.01  # leaky ReLU's slope below 0

LEAKY_RELU = maths.Activation(
    "test_leaky_relu", lambda z: np.where(z > 0, z, SLOPE * z), lambda net, out: np.where(net > 0, 1.0, SLOPE),
    lambda sp, net: sp.Piecewise((net, net > 0), (net / 100, True)),
    lambda sp, net, out: sp.Piecewise((1, net > 0), (sp.Rational(1, 100), True)),
    "(1 if {net} > 0, else 0.01)",
    lambda z: ("-", ("max0", z), ("*", "0.01", ("max0", ("neg", z)))),
    lambda z, out: ("+", "0.01", ("*", "0.99", ("step", z))))

LOG_COSH = maths.Loss(
    "log_cosh", "LogCosh", r"\mathrm{LogCosh}", False,
    lambda r, count: np.abs(r) + np.log1p(np.exp(-2.0 * np.abs(r))) - math.log(2.0),
    lambda r, count: -np.tanh(r),
    lambda sp, r, count: sp.log(sp.cosh(r)),
    lambda sp, r, count: -sp.tanh(r),
    lambda r, count: f"{MINUS}tanh{r}",
    lambda r, count: ("-", ("+", ("abs", r), ("log1p", ("exp", ("*", "-2.0", ("abs", r))))), repr(math.log(2.0))),
    lambda r, count: ("neg", ("tanh", r)))

SPEC = {
    "name": "leaky",
    "inputs": ["x1", "x2"],
    "layers": [
        {"activation": "test_leaky_relu", "neurons": {"h1": {"weights": {"x1": "w1", "x2": "w2"}, "bias": "b1"},
                                                 "h2": {"weights": {"x1": "w3", "x2": "w4"}, "bias": "b1"}}},
        {"activation": "identity", "neurons": {"y": {"weights": {"h1": "w5", "h2": "w6"}, "bias": "b2"}}},
    ],
    "params": {"w1": 0.6, "w2": -0.4, "w3": -0.7, "w4": 0.3, "w5": 0.8, "w6": -1.1, "b1": 0.1, "b2": 0.2},
    "loss": "log_cosh",
    "data": [{"x1": 1.0, "x2": 0.5, "y": 0.3}, {"x1": -0.5, "x2": 1.5, "y": -0.8}],
    "learning_rate": 0.3,
}


@pytest.fixture
def net():
    """The two records registered for this test only; afterwards the tables are as they were."""
    saved = dict(maths.ACTIVATIONS), dict(maths.LOSSES)
    maths.register(LEAKY_RELU)
    maths.register(LOG_COSH)
    yield bp.load(SPEC)
    for table, before in zip((maths.ACTIVATIONS, maths.LOSSES), saved):
        table.clear()
        table.update(before)


def plain_forward(params, sample):
    """Every unit's out, by a loop over the spec written for this network."""
    leaky = lambda z: z if z > 0 else SLOPE * z
    out = dict(sample)
    for unit, w_a, w_b in (("h1", "w1", "w2"), ("h2", "w3", "w4")):
        out[unit] = leaky(params[w_a] * sample["x1"] + params[w_b] * sample["x2"] + params["b1"])
    out["y"] = params["w5"] * out["h1"] + params["w6"] * out["h2"] + params["b2"]
    return out


def plain_loss(params):
    return sum(math.log(math.cosh(s["y"] - plain_forward(params, s)["y"])) for s in SPEC["data"])


def central_differences(params, h=1e-6):
    return {k: (plain_loss({**params, k: v + h}) - plain_loss({**params, k: v - h})) / (2 * h)
            for k, v in params.items()}


def test_forward_values_equal_a_plain_loop(net):
    for sample, values in zip(SPEC["data"], net.forward()):
        expected = plain_forward(SPEC["params"], sample)
        assert {u: values[f"out_{u}"] for u in ("h1", "h2", "y")} == pytest.approx(
            {u: expected[u] for u in ("h1", "h2", "y")}, rel=1e-12)
    assert net.loss() == pytest.approx(plain_loss(SPEC["params"]), rel=1e-12)


def test_gradients_equal_central_differences(net):
    assert net.gradients() == pytest.approx(central_differences(SPEC["params"]), rel=1e-6, abs=1e-9)


def test_chain_rule_equals_sympys_diff_of_the_whole_loss(net):
    loss = symbolic.loss_expression(net)
    sym = symbolic.symbols(net)
    point = {sym.params[k]: v for k, v in SPEC["params"].items()}
    for s, sample in enumerate(SPEC["data"]):
        point.update({sym.input[u, s]: sample[u] for u in SPEC["inputs"]})
        point[sym.target["y", s]] = sample["y"]
    for param in SPEC["params"]:
        by_diff = float(sp.diff(loss, sym.params[param]).xreplace(point))
        assert net.chain(param).value == pytest.approx(by_diff, rel=1e-10, abs=1e-12), param


def test_compiled_training_equals_a_plain_descent_loop(net):
    params = dict(SPEC["params"])
    for _ in range(5):
        grads = central_differences(params)
        params = {k: v - SPEC["learning_rate"] * grads[k] for k, v in params.items()}
    result = net.train(steps=5)
    assert result.params == pytest.approx(params, rel=1e-6, abs=1e-9)
    assert result.losses[-1] == pytest.approx(plain_loss(params), rel=1e-6)
    swept = net.sweep([SPEC["learning_rate"]], steps=5)
    assert {k: v[0] for k, v in swept.params.items()} == pytest.approx(params, rel=1e-6, abs=1e-9)


def test_walkthrough_writes_the_new_slope_and_every_gradient(net):
    text = walkthrough(net)
    assert "Loss (log_cosh)" in text and "E_y_1 = log(cosh(" in text
    r = SPEC["data"][0]["y"] - plain_forward(SPEC["params"], SPEC["data"][0])["y"]
    line = next(line for line in text.splitlines() if line.startswith("  ∂LogCosh/∂out_y_1 = "))
    assert "tanh(" in line and float(line.rsplit(" = ", 1)[1]) == pytest.approx(-math.tanh(r), rel=1e-8)
    assert "  ∂out_h2_1/∂net_h2_1 = Piecewise((1, net_h2_1 > 0), (1/100, True)) = 0.01" in text
    expected = central_differences(SPEC["params"])
    lines = text.splitlines()
    for param, value in expected.items():
        k = next(k for k, line in enumerate(lines) if line.startswith(f"  ∂LogCosh/∂{param} ="))
        while k + 1 < len(lines) and lines[k + 1].lstrip().startswith("= "):  # a long statement, one step a line
            k += 1
        assert float(lines[k].rsplit("= ", 1)[1]) == pytest.approx(value, rel=1e-6, abs=1e-9), param


def test_backward_steps_use_the_new_records(net):
    steps = backward_steps(net)
    first = steps[0]
    assert first.formula == f"{MINUS}tanh(target_y_1 {MINUS} out_y_1)"
    r = SPEC["data"][0]["y"] - plain_forward(SPEC["params"], SPEC["data"][0])["y"]
    assert first.value == pytest.approx(-math.tanh(r), rel=1e-12)
    deltas = [step for step in steps if step.kind == "delta" and step.units == ("h1",)]
    assert "(1 if net_h1_1 > 0, else 0.01)" in deltas[0].note
    assert steps[-1].gradients == pytest.approx(central_differences(SPEC["params"]), rel=1e-6, abs=1e-9)


def test_the_records_are_gone_after_the_test():
    with pytest.raises(bp.SpecError, match="unknown activation"):
        bp.load({**SPEC, "loss": "half_sse"})
    with pytest.raises(bp.SpecError, match="unknown loss"):
        bp.load({**SPEC, "layers": [dict(SPEC["layers"][0], activation="tanh"), SPEC["layers"][1]]})
