"""bp.cost: the multiplications of writing out every chain-rule path and of backpropagation, counted here
independently by net.chain's paths, by enumerating every path, and by a backward pass that counts its products."""
import math

import numpy as np
import pytest
from hypothesis import given, settings

import backprop_lib as bp
from backprop_lib.core.maths import activation

from support.networks import specs


class Counter:
    """Multiplies two numbers and counts how often it was asked to."""

    def __init__(self):
        self.calls = 0

    def __call__(self, a, b):
        self.calls += 1
        return a * b


def factors_known(net):
    """Per sample: every unit's out (inputs too), its slope dout/dnet and, for outputs, dE/dout."""
    scale = {"half_sse": 1.0, "sse": 2.0, "mse": 2.0 / (len(net.samples) * len(net.outputs))}[net.loss_name]
    rows = []
    for sample, values in zip(net.samples, net.forward()):
        out = {**{i: sample[i] for i in net.inputs}, **{u: values[f"out_{u}"] for u, _, _ in net.units}}
        slope = {u: float(activation(a).slope(np.float64(values[f"net_{u}"]), out[u])) for u, a, _ in net.units}
        loss = {u: -scale * (sample[u] - out[u]) for u in net.outputs}
        rows.append((out, slope, loss))
    return rows


def every_path(net, mul):
    """All gradients by writing out every path from each use of a parameter to the loss, one product each."""
    units = {u: body for u, _, body in net.units}
    after = lambda unit: [u for u, body in units.items() if unit in body["weights"]]

    def routes(unit):
        return [[unit]] if unit in net.outputs else [[unit, *r] for c in after(unit) for r in routes(c)]

    grads = dict.fromkeys(net.params, 0.0)
    for out, slope, loss in factors_known(net):
        for unit, body in units.items():
            uses = [(w, out[src]) for src, w in body["weights"].items()]
            uses += [(body["bias"], 1.0)] if body["bias"] is not None else []
            for param, last in uses:
                for route in routes(unit):
                    product = loss[route[-1]]
                    for k in range(len(route) - 1, -1, -1):
                        product = mul(product, slope[route[k]])
                        if k > 0:
                            weight = units[route[k]]["weights"][route[k - 1]]
                            product = mul(product, net.params[weight])
                    grads[param] += mul(product, last)
    return grads


def backward(net, mul):
    """All gradients by one backward pass per sample, reusing each unit's delta."""
    grads = dict.fromkeys(net.params, 0.0)
    for out, slope, loss in factors_known(net):
        d_out = dict(loss)
        for unit, _, body in reversed(net.units):
            delta = mul(d_out.get(unit, 0.0), slope[unit])
            for src, w in body["weights"].items():
                grads[w] += mul(delta, out[src])
                if src not in net.inputs:
                    d_out[src] = d_out.get(src, 0.0) + mul(delta, net.params[w])
            if body["bias"] is not None:
                grads[body["bias"]] += mul(delta, 1.0)
    return grads


def assert_same_gradients(grads, net):
    for param, g in net.gradients().items():
        assert math.isclose(grads[param], g, rel_tol=1e-9, abs_tol=1e-12), param


@pytest.mark.parametrize("name", ["mazur", "lecture", "statquest"])
def test_path_count_equals_net_chain_paths(name):
    net = bp.load(name)
    chains = [net.chain(p) for p in net.params]
    cost = bp.cost.count(net)
    assert cost.paths == sum(len(c.paths) for c in chains)
    assert cost.by_paths == sum(len(path.factors) - 1 for c in chains for path in c.paths)


@settings(max_examples=40, deadline=None)
@given(specs())
def test_path_multiplications_equal_an_enumeration_of_every_path(spec):
    net, mul = bp.Network(spec), Counter()
    assert_same_gradients(every_path(net, mul), net)
    assert bp.cost.count(net).by_paths == mul.calls


@settings(max_examples=40, deadline=None)
@given(specs())
def test_backprop_multiplications_equal_a_counted_backward_pass(spec):
    net, mul = bp.Network(spec), Counter()
    assert_same_gradients(backward(net, mul), net)
    assert bp.cost.count(net).by_backprop == mul.calls


def test_mazur_needs_60_multiplications_by_paths_and_20_by_backprop():
    # w5..w8 and b2 twice: 6 uses, 1 path each of 2 products; w1..w4 and b1 twice: 6 uses, 2 paths of 4.
    # Backprop: 4 deltas, 8 weight gradients, 4 bias uses, 4 edges from h1, h2 passing the error back.
    cost = bp.cost.count(bp.load("mazur"))
    assert (cost.paths, cost.by_paths, cost.by_backprop) == (6 + 6 * 2, 6 * 2 + 6 * 2 * 4, 4 + 8 + 4 + 4)


@pytest.mark.parametrize("a, b, c", [(1, 1, 1), (2, 2, 2), (3, 5, 2), (4, 10, 3), (7, 3, 9)])
def test_one_hidden_layer_paths_grow_with_the_product_of_widths_backprop_with_edges(a, b, c):
    cost = bp.cost.count(bp.cost.layered([a, b, c]))
    hidden_uses, output_uses = a * b + b, b * c + c       # every hidden use has c routes, of 2 units
    assert cost.paths == hidden_uses * c + output_uses
    assert cost.by_paths == 4 * hidden_uses * c + 2 * output_uses
    assert cost.edges == a * b + b * c
    assert cost.by_backprop == (b + c) + cost.edges + (b + c) + b * c


def test_a_first_layer_weight_of_a_deep_network_has_one_path_per_product_of_later_widths():
    net = bp.cost.layered([2, 3, 4, 5, 2])
    assert len(net.chain("w_i1_h1_1").paths) == 4 * 5 * 2


@pytest.mark.parametrize("widths", [[3], [], [2, 0, 1], [2, 1.5, 1], "22", [2, True]])
def test_layered_refuses_widths_that_are_not_two_or_more_positive_whole_numbers(widths):
    with pytest.raises(ValueError, match="widths"):
        bp.cost.layered(widths)


def test_count_refuses_what_is_not_a_network():
    with pytest.raises(ValueError, match="net: expected a network"):
        bp.cost.count("mazur")
