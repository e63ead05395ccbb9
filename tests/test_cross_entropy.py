"""softmax_cross_entropy and binary_cross_entropy, one record each: losses and gradients against a plain loop and
central differences, the chain rule against SymPy's diff of a loss built here, compiled training against a plain
descent loop, no NaN or inf at logits of ±1000, every view, the usual slips named, and one-line spec errors."""
import math

import numpy as np
import pytest
import sympy as sp

import backprop_lib as bp
from backprop_lib.explain.backward import backward_steps
from backprop_lib.explain.walkthrough import walkthrough
from backprop_lib.widgets.diagram import Diagram, fmt
from backprop_lib.widgets.stepper import backward_stepper

PARAMS = {"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4, "w6": 0.45, "w7": 0.5, "w8": 0.55,
          "b1": 0.35, "b2": 0.6}
SOFTMAX_DATA = [{"i1": 0.05, "i2": 0.1, "o1": 0.0, "o2": 1.0}, {"i1": 0.9, "i2": -0.3, "o1": 1.0, "o2": 0.0},
                {"i1": -0.4, "i2": 0.7, "o1": 0.0, "o2": 1.0}]
BINARY_DATA = [{"i1": 0.05, "i2": 0.1, "o1": 1.0}, {"i1": 0.9, "i2": -0.3, "o1": 0.0}]


def softmax_spec(params=PARAMS, data=SOFTMAX_DATA):
    """The notes' 2-2-2 network (mazur) with logits out and softmax cross-entropy."""
    return {"name": "mazur_ce", "inputs": ["i1", "i2"], "layers": [
        {"activation": "sigmoid", "neurons": {"h1": {"weights": {"i1": "w1", "i2": "w2"}, "bias": "b1"},
                                              "h2": {"weights": {"i1": "w3", "i2": "w4"}, "bias": "b1"}}},
        {"activation": "identity", "neurons": {"o1": {"weights": {"h1": "w5", "h2": "w6"}, "bias": "b2"},
                                               "o2": {"weights": {"h1": "w7", "h2": "w8"}, "bias": "b2"}}}],
        "params": dict(params), "loss": "softmax_cross_entropy", "data": data, "learning_rate": 0.5}


def binary_spec(params=None, data=BINARY_DATA):
    params = params or {k: PARAMS[k] for k in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2")}
    return {"name": "bce", "inputs": ["i1", "i2"], "layers": [
        {"activation": "sigmoid", "neurons": {"h1": {"weights": {"i1": "w1", "i2": "w2"}, "bias": "b1"},
                                              "h2": {"weights": {"i1": "w3", "i2": "w4"}, "bias": "b1"}}},
        {"activation": "sigmoid", "neurons": {"o1": {"weights": {"h1": "w5", "h2": "w6"}, "bias": "b2"}}}],
        "params": dict(params), "loss": "binary_cross_entropy", "data": data, "learning_rate": 0.5}


# --- plain loops, written here ----------------------------------------------------------------------
def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def plain_forward(p, s, outputs):
    h1 = sig(p["w1"] * s["i1"] + p["w2"] * s["i2"] + p["b1"])
    h2 = sig(p["w3"] * s["i1"] + p["w4"] * s["i2"] + p["b1"])
    z = [p["w5"] * h1 + p["w6"] * h2 + p["b2"]]
    if outputs == 2:
        z.append(p["w7"] * h1 + p["w8"] * h2 + p["b2"])
    return h1, h2, z


def plain_loss(spec, p):
    total = 0.0
    for s in spec["data"]:
        _, _, z = plain_forward(p, s, len(spec["layers"][-1]["neurons"]))
        if spec["loss"] == "softmax_cross_entropy":
            total += -math.log(math.exp(z[0 if s["o1"] == 1.0 else 1]) / (math.exp(z[0]) + math.exp(z[1])))
        else:
            q = sig(z[0])
            total += -(s["o1"] * math.log(q) + (1 - s["o1"]) * math.log(1 - q))
    return total / len(spec["data"])


def central_differences(spec, p, h=1e-6):
    return {k: (plain_loss(spec, {**p, k: v + h}) - plain_loss(spec, {**p, k: v - h})) / (2 * h) for k, v in p.items()}


def plain_backprop(spec, p, output_deltas):
    """Gradients by a plain loop, with the outputs' ∂E/∂net given by output_deltas(z, targets, N)."""
    outputs = len(spec["layers"][-1]["neurons"])
    names = ["o1", "o2"][:outputs]
    g = {k: 0.0 for k in p}
    for s in spec["data"]:
        h1, h2, z = plain_forward(p, s, outputs)
        d = output_deltas(z, [s[u] for u in names], len(spec["data"]))
        rows = [("w5", "w6", d[0])] + ([("w7", "w8", d[1])] if outputs == 2 else [])
        for wa, wb, delta in rows:
            g[wa] += delta * h1
            g[wb] += delta * h2
            g["b2"] += delta
        d_h1 = sum(delta * p[wa] for wa, _, delta in rows) * h1 * (1 - h1)
        d_h2 = sum(delta * p[wb] for _, wb, delta in rows) * h2 * (1 - h2)
        g["w1"] += d_h1 * s["i1"]
        g["w2"] += d_h1 * s["i2"]
        g["w3"] += d_h2 * s["i1"]
        g["w4"] += d_h2 * s["i2"]
        g["b1"] += d_h1 + d_h2
    return g


def plain_softmax(z):
    e = [math.exp(x - max(z)) for x in z]
    return [x / sum(e) for x in e]


def true_delta(z, t, n):
    p = plain_softmax(z) if len(z) == 2 else [sig(z[0])]
    return [(pk - tk) / n for pk, tk in zip(p, t)]


SPECS = {"softmax_cross_entropy": softmax_spec, "binary_cross_entropy": binary_spec}


# --- numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("loss", sorted(SPECS))
def test_loss_equals_a_plain_loop(loss):
    spec = SPECS[loss]()
    assert bp.load(spec).loss() == pytest.approx(plain_loss(spec, spec["params"]), rel=1e-12)


@pytest.mark.parametrize("loss", sorted(SPECS))
def test_gradients_equal_central_differences(loss):
    spec = SPECS[loss]()
    assert bp.load(spec).gradients() == pytest.approx(central_differences(spec, spec["params"]), rel=1e-6, abs=1e-9)


def test_softmax_delta_is_p_minus_target_over_n_at_every_output():
    spec = softmax_spec()
    net = bp.load(spec)
    for s, row in zip(spec["data"], net.deltas()):
        _, _, z = plain_forward(spec["params"], s, 2)
        expected = true_delta(z, [s["o1"], s["o2"]], len(spec["data"]))
        assert [row["dE/dnet_o1"], row["dE/dnet_o2"]] == pytest.approx(expected, rel=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("loss", sorted(SPECS))
def test_chain_rule_equals_sympys_diff_of_a_loss_built_here(loss):
    spec = SPECS[loss]()
    net = bp.load(spec)
    sym = {k: sp.Symbol(k) for k in spec["params"]}
    total = 0
    for s in spec["data"]:
        h = [1 / (1 + sp.exp(-(sym[a] * s["i1"] + sym[b] * s["i2"] + sym["b1"]))) for a, b in (("w1", "w2"), ("w3", "w4"))]
        z = [sym["w5"] * h[0] + sym["w6"] * h[1] + sym["b2"]]
        if loss == "softmax_cross_entropy":
            z.append(sym["w7"] * h[0] + sym["w8"] * h[1] + sym["b2"])
            k = 0 if s["o1"] == 1.0 else 1
            total += -sp.log(sp.exp(z[k]) / (sp.exp(z[0]) + sp.exp(z[1])))
        else:
            q = 1 / (1 + sp.exp(-z[0]))
            total += -(s["o1"] * sp.log(q) + (1 - s["o1"]) * sp.log(1 - q))
    total = total / len(spec["data"])
    point = {sym[k]: v for k, v in spec["params"].items()}
    for param in spec["params"]:
        by_diff = float(sp.diff(total, sym[param]).subs(point))
        assert net.chain(param).value == pytest.approx(by_diff, rel=1e-10, abs=1e-12), param


@pytest.mark.parametrize("loss", sorted(SPECS))
def test_compiled_training_equals_a_plain_descent_loop(loss):
    spec = SPECS[loss]()
    p = dict(spec["params"])
    losses = [plain_loss(spec, p)]
    for _ in range(5):
        g = plain_backprop(spec, p, true_delta)
        p = {k: v - spec["learning_rate"] * g[k] for k, v in p.items()}
        losses.append(plain_loss(spec, p))
    net = bp.load(spec)
    result = net.train(steps=5)
    assert result.params == pytest.approx(p, rel=1e-10, abs=1e-12)
    assert list(result.losses) == pytest.approx(losses, rel=1e-10)
    swept = net.sweep([spec["learning_rate"], 0.1], steps=5)
    assert {k: v[0] for k, v in swept.params.items()} == pytest.approx(p, rel=1e-10, abs=1e-12)
    assert list(swept.losses[0]) == pytest.approx(losses, rel=1e-10)
    interpreted = net.sweep_interpreted([spec["learning_rate"]], steps=5)
    assert {k: v[0] for k, v in interpreted.params.items()} == pytest.approx(p, rel=1e-10, abs=1e-12)


# --- logits of ±1000 -------------------------------------------------------------------------------
def huge_softmax():
    return {"name": "huge", "inputs": ["x"], "layers": [
        {"activation": "identity", "neurons": {"o1": {"weights": {"x": "w1"}, "bias": "b1"},
                                               "o2": {"weights": {"x": "w2"}, "bias": "b2"}}}],
        "params": {"w1": 1000.0, "w2": -1000.0, "b1": 0.0, "b2": 0.0}, "loss": "softmax_cross_entropy",
        "data": [{"x": 1.0, "o1": 0.0, "o2": 1.0}, {"x": 1.0, "o1": 1.0, "o2": 0.0}], "learning_rate": 0.1}


def huge_binary():
    return {"name": "huge", "inputs": ["x"], "layers": [
        {"activation": "sigmoid", "neurons": {"o1": {"weights": {"x": "w1"}, "bias": "b1"}}}],
        "params": {"w1": 1000.0, "b1": 0.0}, "loss": "binary_cross_entropy",
        "data": [{"x": 1.0, "o1": 0.0}, {"x": 1.0, "o1": 1.0}, {"x": -1.0, "o1": 1.0}], "learning_rate": 0.1}


@pytest.mark.parametrize("make", [huge_softmax, huge_binary])
def test_logits_of_a_thousand_give_finite_losses_and_gradients(make):
    net = bp.load(make())
    values = [net.loss(), *net.gradients().values()]
    trained = net.train(steps=3)
    swept = net.sweep([0.1, 0.01], steps=3)
    for array in (values, trained.losses, list(trained.params.values()), swept.losses, list(swept.params.values())):
        assert np.all(np.isfinite(array))
    assert np.all(np.isfinite([step.value for step in backward_steps(net) if step.value is not None
                               and step.kind != "output"]))


def test_logits_of_a_thousand_give_the_limits():
    """Softmax CE at logits (1000, −1000): a wrong class costs 2000 + log(1 + e^−2000) ≈ 2000, the right one
    log(1 + e^−2000) ≈ 0; δ = p − target is ±1 or 0, over N = 2."""
    net = bp.load(huge_softmax())
    assert net.loss() == pytest.approx((2000.0 + math.log1p(math.exp(-2000.0)) + math.log1p(math.exp(-2000.0))) / 2)
    assert net.gradients() == pytest.approx({"w1": 0.5, "w2": -0.5, "b1": 0.5, "b2": -0.5})
    binary = bp.load(huge_binary())
    assert binary.loss() == pytest.approx((1000.0 + 0.0 + 1000.0) / 3)
    assert binary.gradients() == pytest.approx({"w1": (1.0 + 0.0 + 1.0) / 3, "b1": (1.0 + 0.0 - 1.0) / 3})


# --- every view ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("loss", sorted(SPECS))
def test_walkthrough_backward_steps_and_diagram_agree_with_central_differences(loss):
    spec = SPECS[loss]()
    net = bp.load(spec)
    expected = central_differences(spec, spec["params"])
    text = walkthrough(net)
    assert f"Loss ({loss})" in text
    lines = text.splitlines()
    symbol = "CE" if loss == "softmax_cross_entropy" else "BCE"
    for param, value in expected.items():
        k = next(k for k, line in enumerate(lines) if line.startswith(f"  ∂{symbol}/∂{param} ="))
        while k + 1 < len(lines) and lines[k + 1].lstrip().startswith("= "):
            k += 1
        assert float(lines[k].rsplit("= ", 1)[1]) == pytest.approx(value, rel=1e-6, abs=1e-9), param
    assert backward_steps(net)[-1].gradients == pytest.approx(expected, rel=1e-6, abs=1e-9)
    diagram = Diagram(net, gradients=True)
    assert diagram.values["labels"]["E"] == [symbol, fmt(plain_loss(spec, spec["params"]))]
    assert f"{symbol} is now {fmt(plain_loss(spec, spec['params']))}" == diagram.announcement
    assert len(backward_stepper(net).children) > 0


def test_backward_steps_write_the_coupled_delta():
    net = bp.load(softmax_spec())
    first = backward_steps(net)[0]
    assert first.formula == "(e^out_o1_1/(e^out_o1_1 + e^out_o2_1) − target_o1_1)/3"
    _, _, z = plain_forward(PARAMS, SOFTMAX_DATA[0], 2)
    assert first.value == pytest.approx(true_delta(z, [0.0, 1.0], 3)[0], rel=1e-12)


# --- the usual slips, built with plain floats ---------------------------------------------------------
SLIPS = {
    "coupling": lambda z, t, n: [tk * (pk - 1.0) / n for pk, tk in zip(plain_softmax(z), t)],
    "sign": lambda z, t, n: [(tk - pk) / n for pk, tk in zip(plain_softmax(z), t)],
    "mean": lambda z, t, n: [pk - tk for pk, tk in zip(plain_softmax(z), t)],
}


@pytest.mark.parametrize("kind", sorted(SLIPS))
def test_check_gradients_names_each_softmax_slip(kind):
    spec = softmax_spec()
    mine = plain_backprop(spec, spec["params"], SLIPS[kind])
    report = bp.check_gradients(mine, bp.load(spec))
    wrong = [r for r in report if not r.correct]
    assert wrong and all(r.slip == kind for r in wrong), [(r.param, r.slip) for r in wrong]


@pytest.mark.parametrize("kind, deltas", [
    ("sign", lambda z, t, n: [(t[0] - sig(z[0])) / n]),
    ("mean", lambda z, t, n: [sig(z[0]) - t[0]])])
def test_check_gradients_names_each_binary_slip(kind, deltas):
    spec = binary_spec()
    report = bp.check_gradients(plain_backprop(spec, spec["params"], deltas), bp.load(spec))
    wrong = [r for r in report if not r.correct]
    assert wrong and all(r.slip == kind for r in wrong), [(r.param, r.slip) for r in wrong]


def test_check_gradients_accepts_the_right_softmax_gradients():
    spec = softmax_spec()
    assert bp.check_gradients(plain_backprop(spec, spec["params"], true_delta), bp.load(spec)).all_right


# --- spec errors, one line each -----------------------------------------------------------------------
def one_output(spec):
    layer = spec["layers"][1]
    return {**spec, "layers": [spec["layers"][0], {**layer, "neurons": {"o1": layer["neurons"]["o1"]}}],
            "params": {k: v for k, v in spec["params"].items() if k not in ("w7", "w8")},
            "data": [{k: v for k, v in s.items() if k != "o2"} for s in spec["data"]]}


@pytest.mark.parametrize("spec, message", [
    (one_output(softmax_spec()), "softmax_cross_entropy needs at least 2 output units"),
    ({**softmax_spec(), "layers": [softmax_spec()["layers"][0], {**softmax_spec()["layers"][1],
                                                                 "activation": "sigmoid"}]},
     'needs the output layer\'s activation to be "identity"'),
    ({**softmax_spec(), "data": [{"i1": 0.0, "i2": 0.0, "o1": 0.5, "o2": 0.5}]}, "needs one-hot targets"),
    ({**softmax_spec(), "data": [{"i1": 0.0, "i2": 0.0, "o1": 1.0, "o2": 1.0}]}, "needs one-hot targets"),
    ({**binary_spec(), "layers": [binary_spec()["layers"][0], {**binary_spec()["layers"][1], "activation": "tanh"}]},
     'needs the output layer\'s activation to be "sigmoid"'),
    ({**softmax_spec(), "loss": "binary_cross_entropy",
      "layers": [softmax_spec()["layers"][0], {**softmax_spec()["layers"][1], "activation": "sigmoid"}]},
     "binary_cross_entropy needs exactly 1 output unit"),
    ({**binary_spec(), "data": [{"i1": 0.0, "i2": 0.0, "o1": 2.0}]}, "needs targets from 0 to 1"),
])
def test_spec_errors_are_one_line(spec, message):
    with pytest.raises(bp.SpecError, match=message) as err:
        bp.load(spec)
    assert "\n" not in str(err.value)


def test_check_names_a_sum_written_for_the_mean_loss():
    spec = softmax_spec()
    total = plain_loss(spec, spec["params"]) * len(spec["data"])
    result = bp.check("E_total", total, bp.load(spec))
    assert not result.correct and "divide the sum over the samples by N = 3" in result.hint
    assert bp.check("E_total", plain_loss(spec, spec["params"]), bp.load(spec)).correct


def test_check_of_an_outputs_share_names_cross_entropy_slips_not_squares():
    spec, p = softmax_spec(), softmax_spec()["params"]
    share = 0.0  # E_o1: the o1 output's part of the mean, -t_o1 log p_o1 summed over samples / N
    for s in spec["data"]:
        _, _, z = plain_forward(p, s, 2)
        share -= s["o1"] * math.log(math.exp(z[0]) / (math.exp(z[0]) + math.exp(z[1])))
    share /= len(spec["data"])
    net = bp.load(spec)
    assert share > 0 and bp.check("E_o1", share, net).correct
    negative = bp.check("E_o1", -share, net)
    assert not negative.correct and "cross-entropy cannot be negative" in negative.hint
    assert "square" not in negative.hint
    summed = bp.check("E_o1", share * len(spec["data"]), net)
    assert not summed.correct and f"N = {len(spec['data'])}" in summed.hint
