"""Backpropagation's gradients against central finite differences on random networks."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings

import backprop_lib as bp
from backprop_lib.core.maths import sigmoid, softplus

from support.networks import specs


def finite_difference(net, param, h=1e-6):
    up = net.with_params(**{param: net.params[param] + h}).loss()
    down = net.with_params(**{param: net.params[param] - h}).loss()
    return (up - down) / (2 * h)


KINKED = ("relu", "leaky_relu")  # no slope at 0: a central difference there averages the two sides


def away_from_relu_kinks(net):
    relu_units = {u for u, act, _ in net.units if act in KINKED}
    return all(abs(v) > 1e-3 for s in net.forward() for k, v in s.items()
               if k.startswith("net_") and k[4:] in relu_units)


@settings(max_examples=60, deadline=None)
@given(specs())
def test_gradients_equal_central_finite_differences(spec):
    net = bp.load(spec)
    assume(away_from_relu_kinks(net))
    grads = net.gradients()
    assert list(grads) == list(spec["params"])
    for param, g in grads.items():
        assert g == pytest.approx(finite_difference(net, param), rel=1e-5, abs=1e-8)


def test_shared_bias_gradient_sums_both_uses():
    net = bp.load("mazur")
    d = net.deltas()[0]
    grads = net.gradients()
    assert grads["b1"] == pytest.approx(d["dE/dnet_h1"] + d["dE/dnet_h2"], rel=1e-14)
    assert grads["b2"] == pytest.approx(d["dE/dnet_o1"] + d["dE/dnet_o2"], rel=1e-14)


def test_loss_terms_add_up_to_the_loss():
    for name in bp.examples():
        net = bp.load(name)
        assert sum(sum(s.values()) for s in net.loss_terms()) == pytest.approx(net.loss(), rel=1e-14)


def test_loss_kinds_follow_their_definitions():
    spec = bp.load("statquest").spec
    residuals = [s["efficacy"] - p["efficacy"] for s, p in zip(spec["data"], bp.load(spec).predictions())]
    sse = sum(r * r for r in residuals)
    assert bp.load({**spec, "loss": "sse"}).loss() == pytest.approx(sse, rel=1e-14)
    assert bp.load({**spec, "loss": "half_sse"}).loss() == pytest.approx(sse / 2, rel=1e-14)
    assert bp.load({**spec, "loss": "mse"}).loss() == pytest.approx(sse / 3, rel=1e-14)


@pytest.mark.parametrize("z", [-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
def test_sigmoid_and_softplus_are_stable_for_large_nets(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, p = float(sigmoid(np.float64(z))), float(softplus(np.float64(z)))
    assert s == pytest.approx(1 / (1 + math.exp(-z)) if z > -700 else 0.0, rel=1e-14, abs=1e-300)
    assert p == pytest.approx(math.log1p(math.exp(z)) if z < 700 else z, rel=1e-15)


def test_extreme_nets_give_finite_outputs_without_warnings():
    spec = bp.load("mazur").spec
    net = bp.load({**spec, "params": {**spec["params"], "b1": 1e4, "b2": -1e4}})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [*net.forward()[0].values(), *net.gradients().values(), net.loss()]
    assert all(math.isfinite(v) for v in values)
