"""The compiled training (train on floats, sweep on arrays) against the generic path it replaces."""
import warnings

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.core import compiled


def assert_equal(result, reference, row):
    """A train or sweep row matches row `row` of the generic sweep to 1e-12, non-finite values included."""
    losses = result.losses if result.losses.ndim == 1 else result.losses[row]
    np.testing.assert_allclose(losses, reference.losses[row], rtol=1e-12, atol=1e-15)
    for k, v in result.params.items():
        np.testing.assert_allclose(v if np.ndim(v) == 0 else v[row], reference.params[k][row], rtol=1e-12, atol=1e-15)


def spec_with(name, **changes):
    return {**bp.load(name).spec, **changes}


def two_samples_shared_bias():
    """2 inputs, tanh and relu hidden layers sharing one bias each, 2 sigmoid outputs, 2 samples, mse."""
    return {
        "name": "deep", "inputs": ["x1", "x2"], "loss": "mse",
        "layers": [
            {"activation": "tanh", "neurons": {"a": {"weights": {"x1": "w1", "x2": "w2"}, "bias": "b1"},
                                               "b": {"weights": {"x1": "w3", "x2": "w4"}, "bias": "b1"}}},
            {"activation": "relu", "neurons": {"c": {"weights": {"a": "w5", "b": "w6"}, "bias": "b2"},
                                               "d": {"weights": {"a": "w7", "x2": "w8"}, "bias": "b2"}}},
            {"activation": "sigmoid", "neurons": {"y1": {"weights": {"c": "w9", "d": "w10"}},
                                                  "y2": {"weights": {"c": "w11", "b": "w12"}, "bias": "b3"}}},
        ],
        "params": {"w1": 0.4, "w2": -0.3, "w3": 0.2, "w4": 0.5, "w5": 0.7, "w6": -0.2, "w7": 0.3, "w8": 0.9,
                   "w9": -0.6, "w10": 0.8, "w11": 0.5, "w12": -0.4, "b1": 0.1, "b2": 0.05, "b3": -0.1},
        "data": [{"x1": 0.5, "x2": -1.0, "y1": 0.2, "y2": 0.9}, {"x1": -0.3, "x2": 0.8, "y1": 0.7, "y2": 0.1}],
    }


@pytest.mark.slow
def test_mazur_ten_thousand_steps_match_the_generic_path():
    net = bp.load("mazur")
    lrs, freeze = [0.1, 0.5, 2.0], ("b1", "b2")
    reference = net.sweep_interpreted(lrs, 10_000, freeze)
    assert_equal(net.train(steps=10_000, lr=0.5, freeze=freeze), reference, 1)
    assert_equal(net.sweep(lrs, 10_000, freeze), reference, slice(None))


@pytest.mark.parametrize("spec", [bp.load("statquest").spec, bp.load("lecture").spec, two_samples_shared_bias(),
                                  spec_with("statquest", loss="half_sse")],
                         ids=["statquest", "lecture", "deep", "statquest-half-sse"])
def test_train_and_sweep_match_the_generic_path(spec):
    net, lrs = bp.load(spec), [0.001, 0.01, 0.1]
    reference = net.sweep_interpreted(lrs, 400)
    assert_equal(net.sweep(lrs, 400), reference, slice(None))
    for row, lr in enumerate(lrs):
        assert_equal(net.train(steps=400, lr=lr), reference, row)


def test_frozen_parameters_stay_exactly_and_the_rest_match():
    net = bp.load(two_samples_shared_bias())
    freeze = ("b1", "w5", "w12")
    reference = net.sweep_interpreted([0.05, 0.2], 300, freeze)
    result, sweep = net.train(steps=300, lr=0.2, freeze=freeze), net.sweep([0.05, 0.2], 300, freeze)
    assert all(result.params[k] == net.params[k] and (sweep.params[k] == net.params[k]).all() for k in freeze)
    assert_equal(result, reference, 1)
    assert_equal(sweep, reference, slice(None))


def test_everything_frozen_and_zero_steps():
    net = bp.load("mazur")
    result = net.train(steps=5, lr=0.5, freeze=tuple(net.params))
    assert result.params == net.params and np.all(result.losses == result.losses[0])
    sweep = net.sweep([0.5, 1.0], 0)
    assert sweep.losses.shape == (2, 1) and sweep.losses[0, 0] == pytest.approx(net.loss(), rel=1e-15)


def test_diverging_runs_give_non_finite_losses_without_warnings():
    net = bp.load(spec_with("statquest", layers=[{**bp.load("statquest").spec["layers"][0], "activation": "relu"},
                                                  bp.load("statquest").spec["layers"][1]]))
    lrs = [0.01, 5.0, 50.0]
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        result, sweep = net.train(steps=300, lr=50.0), net.sweep(lrs, 300)
    reference = net.sweep_interpreted(lrs, 300)
    assert not np.isfinite(result.losses[-1]) and not np.isfinite(sweep.losses[1:, -1]).any()
    assert np.isfinite(sweep.losses[0]).all()
    assert_equal(result, reference, 2)
    assert_equal(sweep, reference, slice(None))


def test_sigmoid_far_from_zero_neither_overflows_nor_warns():
    net = bp.load(spec_with("mazur", params={**bp.load("mazur").params, "w5": 900.0, "w7": -900.0, "b2": -800.0}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result, sweep = net.train(steps=50, lr=0.5), net.sweep([0.5, 5.0], 50)
    reference = net.sweep_interpreted([0.5, 5.0], 50)
    assert_equal(result, reference, 0)
    assert_equal(sweep, reference, slice(None))


def test_names_that_are_not_python_identifiers_still_compile():
    spec = {"name": "odd", "inputs": ["in put"], "loss": "sse",
            "layers": [{"activation": "softplus", "neurons": {"h-1": {"weights": {"in put": "lambda"}, "bias": "_t1"}}},
                       {"activation": "identity", "neurons": {"out": {"weights": {"h-1": "w.2"}, "bias": "step"}}}],
            "params": {"lambda": 0.3, "_t1": -0.2, "w.2": 0.7, "step": 0.1},
            "data": [{"in put": 1.0, "out": 0.5}, {"in put": -1.0, "out": 0.0}]}
    net = bp.load(spec)
    reference = net.sweep_interpreted([0.1, 0.3], 100)
    assert_equal(net.train(steps=100, lr=0.3), reference, 1)
    assert_equal(net.sweep([0.1, 0.3], 100), reference, slice(None))


def test_one_structure_compiles_once():
    net = bp.load("lecture")
    net.train(steps=3, lr=0.1)
    before = compiled._compile.cache_info()
    net.with_params(w1=0.9).train(steps=7, lr=0.2)
    after = compiled._compile.cache_info()
    assert after.hits == before.hits + 1 and after.misses == before.misses
