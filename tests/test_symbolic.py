"""The chain rule with SymPy: paths and factors against the notes, SymPy's own diff and finite differences."""
import json
import random
import subprocess
import sys

import pytest
import sympy as sp

import backprop_lib as bp
from backprop_lib.core.maths import ACTIVATIONS
from support.networks import SQUARED
from backprop_lib.core.spec import SpecError

S = sp.Symbol
SIGMOID = lambda z: 1 / (1 + sp.exp(-z))


def same(a, b):
    """Two SymPy expressions are equal as functions."""
    return sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0


def expressions(chain):
    return [[f.expression for f in path.factors] for path in chain.paths]


# --- independent oracles ---------------------------------------------------------------------------
def loss_by_hand(spec):
    """The loss of a spec as one SymPy expression, built here from the spec without the library's symbols."""
    act = {"sigmoid": SIGMOID, "tanh": sp.tanh, "identity": lambda z: z,
           "softplus": lambda z: sp.log(1 + sp.exp(z)), "relu": lambda z: sp.Piecewise((z, z > 0), (0, True)),
           "leaky_relu": lambda z: sp.Piecewise((z, z > 0), (z / 100, True)),
           "elu": lambda z: sp.Piecewise((z, z > 0), (sp.exp(z) - 1, True)), "silu": lambda z: z * SIGMOID(z)}
    outputs = list(spec["layers"][-1]["neurons"])
    total = 0
    for sample in spec["data"]:
        out = {u: sp.Float(sample[u]) for u in spec["inputs"]}
        for layer in spec["layers"]:
            for unit, body in layer["neurons"].items():
                z = sum(S(w) * out[src] for src, w in body["weights"].items())
                out[unit] = act[layer["activation"]](z + (S(body["bias"]) if body.get("bias") else 0))
        for u in outputs:
            r = sample[u] - out[u]
            total += {"half_sse": r**2 / 2, "sse": r**2, "mse": r**2 / (len(spec["data"]) * len(outputs))}[spec["loss"]]
    return total


def sympy_gradient(spec, loss, param):
    return float(sp.diff(loss, S(param)).xreplace({S(k): sp.Float(v) for k, v in spec["params"].items()}))


def finite_difference(net, param, h=1e-6):
    up, down = net.with_params(**{param: net.params[param] + h}), net.with_params(**{param: net.params[param] - h})
    return (up.loss() - down.loss()) / (2 * h)


def random_spec(seed):
    """A small network: 1-2 inputs, 1-2 hidden layers of 1-2 units, 1-2 outputs, 2 samples, maybe shared biases."""
    rng = random.Random(seed)
    value = lambda: round(rng.uniform(-1.5, 1.5), 3)
    inputs = [f"x{k + 1}" for k in range(rng.randint(1, 2))]
    sizes = [rng.randint(1, 2) for _ in range(rng.randint(1, 2))] + [rng.randint(1, 2)]
    shared = rng.random() < 0.5
    layers, params, previous = [], {}, inputs
    for depth, size in enumerate(sizes):
        last = depth == len(sizes) - 1
        names = [f"o{k + 1}" if last else f"h{depth + 1}{k + 1}" for k in range(size)]
        neurons = {}
        for unit in names:
            weights = {src: f"w_{src}_{unit}" for src in previous}
            bias = f"b{depth + 1}" if shared else f"b_{unit}"
            params.update({w: value() for w in weights.values()})
            params.setdefault(bias, value())
            neurons[unit] = {"weights": weights, "bias": bias}
        layers.append({"activation": rng.choice(list(ACTIVATIONS)), "neurons": neurons})
        previous = names
    data = [{u: value() for u in inputs + previous} for _ in range(2)]
    return {"name": f"random{seed}", "inputs": inputs, "layers": layers, "params": params,
            "loss": rng.choice(list(SQUARED)), "data": data}


RANDOM = [random_spec(seed) for seed in (1, 2, 3, 5, 8, 12, 16)]  # every activation and loss, shared biases


# --- the notes' network ----------------------------------------------------------------------------
def test_w5_has_one_path_of_three_factors_as_in_the_notes():
    chain = bp.load("mazur").chain("w5")
    assert len(chain.paths) == 1
    names = ["∂E_total/∂out_o1", "∂out_o1/∂net_o1", "∂net_o1/∂w5"]
    assert [f.name for f in chain.paths[0].factors] == names
    expected = [-(S("target_o1") - S("out_o1")), S("out_o1") * (1 - S("out_o1")), S("out_h1")]
    assert all(same(a, b) for a, b in zip(expressions(chain)[0], expected))


def test_w5_factor_values_are_the_notes_figures():
    chain = bp.load("mazur").chain("w5")
    assert [round(f.value, 9) for f in chain.paths[0].factors] == [0.74136507, 0.186815602, 0.593269992]
    assert round(chain.value, 9) == 0.082167041


def test_w1_goes_through_both_outputs():
    chain = bp.load("mazur").chain("w1")
    assert [p.via for p in chain.paths] == [("h1", "o1"), ("h1", "o2")]
    assert [f.name for f in chain.paths[1].factors] == [
        "∂E_total/∂out_o2", "∂out_o2/∂net_o2", "∂net_o2/∂out_h1", "∂out_h1/∂net_h1", "∂net_h1/∂w1"]
    o1, o2, h1 = S("out_o1"), S("out_o2"), S("out_h1")
    for path, (o, t, w) in zip(expressions(chain), [(o1, S("target_o1"), S("w5")), (o2, S("target_o2"), S("w7"))]):
        assert all(same(a, b) for a, b in zip(path, [-(t - o), o * (1 - o), w, h1 * (1 - h1), S("i1")]))


def test_w1_sums_to_the_notes_figures():
    chain = bp.load("mazur").chain("w1")
    d_out_h1 = sum(p.factors[0].value * p.factors[1].value * p.factors[2].value for p in chain.paths)
    assert round(d_out_h1, 9) == 0.036350306
    assert round(chain.value, 9) == 0.000438568


def test_shared_bias_b1_has_one_path_per_hidden_unit_and_output():
    chain = bp.load("mazur").chain("b1")
    assert [p.via for p in chain.paths] == [("h1", "o1"), ("h1", "o2"), ("h2", "o1"), ("h2", "o2")]
    assert all(p.factors[-1].expression == 1 and p.factors[-1].name == f"∂net_{p.via[0]}/∂b1" for p in chain.paths)
    assert [p.factors[2].expression for p in chain.paths] == [S("w5"), S("w7"), S("w6"), S("w8")]


def test_shared_bias_b2_has_one_path_per_output():
    chain = bp.load("mazur").chain("b2")
    assert [p.via for p in chain.paths] == [("o1",), ("o2",)]
    for path, o in zip(expressions(chain), ["o1", "o2"]):
        out = S(f"out_{o}")
        assert all(same(a, b) for a, b in zip(path, [-(S(f"target_{o}") - out), out * (1 - out), 1]))


def test_loss_factor_is_sympys_derivative_of_the_total_error():
    e_total = sum((S(f"target_{o}") - S(f"out_{o}"))**2 / 2 for o in ("o1", "o2"))
    factor = bp.load("mazur").chain("w7").paths[0].factors[0]
    assert same(factor.expression, sp.diff(e_total, S("out_o2")))


@pytest.mark.parametrize("act, form", [
    ("sigmoid", lambda net, out: out * (1 - out)),
    ("tanh", lambda net, out: 1 - out**2),
    ("softplus", lambda net, out: sp.exp(net) / (1 + sp.exp(net))),
    ("identity", lambda net, out: 1),
])
def test_activation_factor_is_the_notes_form_and_sympys_derivative(act, form):
    spec = bp.load("mazur").spec
    net = bp.load({**spec, "layers": [{**spec["layers"][0], "activation": act}, spec["layers"][1]]})
    factor = net.chain("w1").paths[0].factors[3]
    z, out = S("net_h1"), S("out_h1")
    assert factor.name == "∂out_h1/∂net_h1" and same(factor.expression, form(z, out))
    function = {"sigmoid": SIGMOID, "tanh": sp.tanh, "softplus": lambda x: sp.log(1 + sp.exp(x)),
                "identity": lambda x: x}
    assert same(factor.expression.subs(out, function[act](z)), sp.diff(function[act](z), z))


def test_relu_factor_is_a_step_at_zero():
    spec = bp.load("mazur").spec
    net = bp.load({**spec, "layers": [{**spec["layers"][0], "activation": "relu"}, spec["layers"][1]]})
    factor = net.chain("w1").paths[0].factors[3]
    assert factor.expression.subs(S("net_h1"), 2) == 1 and factor.expression.subs(S("net_h1"), -2) == 0
    assert factor.value == 1.0  # net_h1 = 0.3775 > 0


# --- the sum of paths is the gradient, on every network -----------------------------------------
NETWORKS = [bp.load(name).spec for name in ("mazur", "lecture", "statquest")] + RANDOM
# random12 and random16, the largest, take SymPy a second or more each: make test checks them, make unit does not
CHECKED = [pytest.param(s, marks=pytest.mark.slow) if s["name"] in ("random12", "random16") else s for s in NETWORKS]


@pytest.mark.parametrize("spec", CHECKED, ids=lambda s: s["name"])
def test_sum_of_paths_equals_sympys_diff_and_finite_differences(spec):
    net, loss = bp.load(spec), loss_by_hand(spec)
    for param in net.params:
        chain = net.chain(param)
        expected = sympy_gradient(spec, loss, param)
        assert chain.value == pytest.approx(expected, rel=1e-12, abs=1e-13), param
        assert chain.value == pytest.approx(finite_difference(net, param), rel=1e-6, abs=1e-8), param


@pytest.mark.parametrize("spec", NETWORKS[:5], ids=lambda s: s["name"])
def test_verify_agrees_for_every_parameter(spec):
    net = bp.load(spec)
    for param in net.params:
        checked = net.chain(param).verify()
        assert checked["paths"] == pytest.approx(checked["numeric"], rel=1e-12, abs=1e-13)


def test_verify_catches_a_wrong_factor():
    chain = bp.load("mazur").chain("w5")
    chain.paths[0].factors[1].value *= 1.001
    with pytest.raises(AssertionError, match="∂E_total/∂w5"):
        chain.verify()


def test_several_samples_give_one_path_per_sample_with_numbered_symbols():
    chain = bp.load("statquest").chain("w3")
    assert [(p.via, p.sample) for p in chain.paths] == [(("efficacy",), s) for s in range(3)]
    assert [f.name for f in chain.paths[1].factors] == [
        "∂SSR/∂out_efficacy_2", "∂out_efficacy_2/∂net_efficacy_2", "∂net_efficacy_2/∂w3"]
    assert same(chain.paths[1].factors[0].expression, -2 * (S("target_efficacy_2") - S("out_efficacy_2")))
    assert chain.paths[1].factors[2].expression == S("out_y1_2")


def test_mse_is_named_and_scaled():
    spec = bp.load("statquest").spec
    chain = bp.load({**spec, "loss": "mse"}).chain("b3")
    assert chain.paths[0].factors[0].name == "∂MSE/∂out_efficacy_1"
    expected = -sp.Rational(2, 3) * (S("target_efficacy_1") - S("out_efficacy_1"))
    assert same(chain.paths[0].factors[0].expression, expected)


def test_unused_route_gives_no_paths_and_zero():
    spec = bp.load("lecture").spec
    layers = [spec["layers"][0], {**spec["layers"][1], "neurons": {"o1": {"weights": {"h1": "w5"}, "bias": "b2"}}}]
    params = {k: v for k, v in spec["params"].items() if k != "w6"}
    chain = bp.load({**spec, "layers": layers, "params": params}).chain("w3")
    assert chain.paths == [] and chain.value == 0


def test_unknown_parameter_is_a_spec_error_naming_it():
    with pytest.raises(SpecError, match="w9: no such parameter") as err:
        bp.load("mazur").chain("w9")
    assert isinstance(err.value, ValueError) and "\n" not in str(err.value)


# --- rendering -------------------------------------------------------------------------------------
def test_json_follows_the_contract():
    out = json.loads(json.dumps(bp.load("mazur").chain("w1").to_json()))
    assert set(out) == {"param", "paths", "value"} and out["param"] == "w1"
    assert all(set(p) == {"factors", "value"} for p in out["paths"])
    assert all(set(f) == {"name", "expression", "value"} for p in out["paths"] for f in p["factors"])
    assert out["paths"][0]["factors"][0] == {"name": "∂E_total/∂out_o1", "expression": "-(target_o1 - out_o1)",
                                             "value": pytest.approx(0.74136507, abs=5e-9)}
    assert sum(p["value"] for p in out["paths"]) == pytest.approx(out["value"], rel=1e-15)


def test_latex_and_text_show_the_factors_and_the_sum():
    chain = bp.load("mazur").chain("w5")
    latex = chain._repr_latex_()
    assert latex.startswith("$$") and r"\frac{\partial E_{total}}{\partial w_{5}}" in latex
    assert r"\frac{\partial \mathrm{out}_{o1}}{\partial \mathrm{net}_{o1}}" in latex and "0.082167041" in latex
    text = str(chain)
    assert "∂out_o1/∂net_o1" in text and "out_o1*(1 - out_o1)" in text and text.endswith("= 0.082167041")


def test_expressions_are_the_forward_equations():
    eqs = bp.load("mazur").expressions()
    assert same(eqs["net_h1"], S("w1") * S("i1") + S("w2") * S("i2") + S("b1"))
    assert same(eqs["out_o2"], SIGMOID(S("net_o2")))
    assert same(eqs["E_o1"], (S("target_o1") - S("out_o1"))**2 / 2)
    assert same(eqs["E_total"], S("E_o1") + S("E_o2"))
    assert r"\mathrm{net}_{h1} &=" in eqs._repr_latex_()


def test_importing_the_library_leaves_sympy_unloaded():
    code = "import sys, backprop_lib; print('sympy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
