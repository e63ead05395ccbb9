"""Training and sweeps against an independent plain-float loop written out for the mazur network."""
import math

import numpy as np
import pytest

import backprop_lib as bp


def mazur_by_hand(steps, lr, train_biases):
    """The 2-2-2 network's gradient descent written out weight by weight, as the notes do it."""
    w1, w2, w3, w4, w5, w6, w7, w8, b1, b2 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60
    i1, i2, t1, t2 = 0.05, 0.10, 0.01, 0.99
    s = lambda x: 1 / (1 + math.exp(-x))
    losses = []
    for step in range(steps + 1):
        h1, h2 = s(w1 * i1 + w2 * i2 + b1), s(w3 * i1 + w4 * i2 + b1)
        o1, o2 = s(w5 * h1 + w6 * h2 + b2), s(w7 * h1 + w8 * h2 + b2)
        losses.append(0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2)
        if step == steps:
            return losses, (o1, o2), (w1, w2, w3, w4, w5, w6, w7, w8, b1, b2)
        d1, d2 = (o1 - t1) * o1 * (1 - o1), (o2 - t2) * o2 * (1 - o2)
        e1, e2 = (d1 * w5 + d2 * w7) * h1 * (1 - h1), (d1 * w6 + d2 * w8) * h2 * (1 - h2)
        w1, w2, w3, w4 = w1 - lr * e1 * i1, w2 - lr * e1 * i2, w3 - lr * e2 * i1, w4 - lr * e2 * i2
        w5, w6, w7, w8 = w5 - lr * d1 * h1, w6 - lr * d1 * h2, w7 - lr * d2 * h1, w8 - lr * d2 * h2
        if train_biases:
            b1, b2 = b1 - lr * (e1 + e2), b2 - lr * (d1 + d2)


def test_ten_thousand_steps_with_frozen_biases_match_the_plain_loop():
    result = bp.load("mazur").train(steps=10_000, lr=0.5, freeze=("b1", "b2"))
    losses, outputs, params = mazur_by_hand(10_000, 0.5, train_biases=False)
    assert result.losses == pytest.approx(losses, rel=1e-12, abs=1e-15)
    assert [result.outputs[0]["o1"], result.outputs[0]["o2"]] == pytest.approx(outputs, rel=1e-12)
    assert list(result.params.values()) == pytest.approx(params, rel=1e-12)


def test_training_biases_too_matches_the_plain_loop():
    result = bp.load("mazur").train(steps=500, lr=0.5, freeze=())
    losses, _, params = mazur_by_hand(500, 0.5, train_biases=True)
    assert result.losses == pytest.approx(losses, rel=1e-12)
    assert list(result.params.values()) == pytest.approx(params, rel=1e-12)


def test_by_default_training_keeps_the_specs_fixed_biases_as_the_notes_do():
    result = bp.load("mazur").train(steps=200)
    losses, _, params = mazur_by_hand(200, 0.5, train_biases=False)
    assert result.frozen == ("b1", "b2")
    assert result.losses == pytest.approx(losses, rel=1e-12)
    assert list(result.params.values()) == pytest.approx(params, rel=1e-12)


def test_one_default_step_gives_the_notes_error_after_one_step():
    losses, _, _ = mazur_by_hand(1, 0.5, train_biases=False)
    assert round(bp.load("mazur").train(steps=1).losses[1], 9) == round(losses[1], 9) == 0.291027774


def test_a_sweep_also_keeps_the_specs_fixed_parameters_by_default():
    sweep = bp.load("mazur").sweep([0.1, 0.5], 50)
    assert sweep.frozen == ("b1", "b2") and (sweep.params["b1"] == 0.35).all()
    assert sweep.losses[1] == pytest.approx(mazur_by_hand(50, 0.5, train_biases=False)[0], rel=1e-12)


def test_a_spec_without_fixed_trains_everything_by_default():
    spec = {k: v for k, v in bp.load("mazur").spec.items() if k != "fixed"}
    result = bp.Network(spec).train(steps=50)
    assert result.frozen == () and result.losses == pytest.approx(mazur_by_hand(50, 0.5, True)[0], rel=1e-12)


def test_the_lecture_spec_steps_at_the_lectures_own_learning_rate():
    net = bp.load("lecture")
    assert net.learning_rate == 0.0001  # the lecture: "LR = 0.0001", New W5 = 0.40 - (0.0001 × 0.0822)
    assert net.train(steps=1).params["w5"] == pytest.approx(0.4 - 0.0001 * net.gradients()["w5"], rel=1e-15)


def test_result_holds_steps_plus_one_losses_and_the_default_learning_rate():
    net = bp.load("mazur")
    result = net.train(steps=7)
    assert len(result.losses) == 8 and result.losses[0] == net.loss()
    assert result.learning_rate == 0.5 and result.steps == 7


def test_training_leaves_the_loaded_network_unchanged():
    net = bp.load("mazur")
    before = dict(net.params)
    net.train(steps=10)
    assert net.params == before


def test_zero_steps_returns_the_starting_point():
    net = bp.load("statquest")
    result = net.train(steps=0)
    assert list(result.losses) == [net.loss()] and result.params == net.params


def test_sweep_rows_equal_separate_runs():
    net = bp.load("statquest")
    lrs = [0.001, 0.01, 0.1]
    sweep = net.sweep(lrs=lrs, steps=200, freeze=("w1", "b1"))
    for k, lr in enumerate(lrs):
        single = net.train(steps=200, lr=lr, freeze=("w1", "b1"))
        assert sweep.losses[k] == pytest.approx(single.losses, rel=1e-12)
        assert {p: v[k] for p, v in sweep.params.items()} == pytest.approx(single.params, rel=1e-12)


def test_a_diverging_run_stays_quiet_and_reports_non_finite_losses():
    spec = bp.load("statquest").spec
    net = bp.load({**spec, "layers": [{**spec["layers"][0], "activation": "relu"}, spec["layers"][1]]})
    with np.errstate(all="raise"):
        result = net.train(steps=300, lr=5.0)
    assert not math.isfinite(result.losses[-1])
