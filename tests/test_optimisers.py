"""The optimisers and minibatches against plain loops written here with floats, as torch.optim states the rules."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings

import backprop_lib as bp
from backprop_lib.core.trajectory import trajectory, update_terms
from support.networks import specs
from support.plain import loss, plain_gradients

OPTIMISERS = ["gd", "sgd", "momentum", "adam"]


def order(count, size, seed, steps):
    """The samples of each step: per epoch one permutation from a NumPy generator seeded once, cut into batches."""
    rng, out = np.random.default_rng(seed), []
    while len(out) < steps:
        perm = rng.permutation(count)
        out += [sorted(perm[k:k + size].tolist()) for k in range(0, count, size)]
    return out[:steps]


def plain_run(spec, steps, lr, optimizer, size=None, seed=0, frozen=(), mu=0.9, b1=0.9, b2=0.999, eps=1e-8):
    """(losses over all samples, final parameters): each step's gradient over its batch, the rule on plain floats."""
    params = dict(spec["params"])
    m = {k: 0.0 for k in params}
    v = {k: 0.0 for k in params}
    batches = order(len(spec["data"]), size or len(spec["data"]), seed, steps)
    losses = [loss(spec, params)]
    for t, batch in enumerate(batches, start=1):
        grads = plain_gradients({**spec, "data": [spec["data"][s] for s in batch]}, params)
        for k, g in grads.items():
            if k in frozen:
                continue
            if optimizer in ("gd", "sgd"):
                params[k] -= lr * g
            elif optimizer == "momentum":
                v[k] = mu * v[k] + g
                params[k] -= lr * v[k]
            else:
                m[k] = b1 * m[k] + (1 - b1) * g
                v[k] = b2 * v[k] + (1 - b2) * g * g
                m_hat, v_hat = m[k] / (1 - b1 ** t), v[k] / (1 - b2 ** t)
                params[k] -= lr * m_hat / (math.sqrt(v_hat) + eps)
        losses.append(loss(spec, params))
    return losses, params


def agrees(result, expected):
    losses, params = expected
    assert result.losses == pytest.approx(losses, rel=1e-9, abs=1e-12)
    assert result.params == pytest.approx(params, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("name", ["mazur", "lecture", "statquest"])
def test_full_batch_run_matches_the_plain_loop(name, optimizer):
    net = bp.load(name)
    result = net.train(60, lr=0.05, optimizer=optimizer)
    agrees(result, plain_run(net.spec, 60, 0.05, optimizer, frozen=net.fixed))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("size", [1, 2])
def test_minibatch_run_matches_the_plain_loop(optimizer, size):
    net = bp.load("statquest")
    result = net.train(40, lr=0.05, optimizer=optimizer, batch_size=size, seed=7)
    agrees(result, plain_run(net.spec, 40, 0.05, optimizer, size=size, seed=7))


def test_adam_settings_reach_the_rule():
    net = bp.load("statquest")
    result = net.train(30, lr=0.02, optimizer="adam", batch_size=2, betas=(0.8, 0.99), eps=1e-6, seed=3)
    agrees(result, plain_run(net.spec, 30, 0.02, "adam", size=2, seed=3, b1=0.8, b2=0.99, eps=1e-6))


def test_momentum_setting_reaches_the_rule():
    net = bp.load("mazur")
    agrees(net.train(30, lr=0.1, optimizer="momentum", momentum=0.5), plain_run(net.spec, 30, 0.1, "momentum",
                                                                                   frozen=net.fixed, mu=0.5))


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(specs())
def test_every_optimiser_on_random_networks_matches_the_plain_loop(spec):
    net = bp.load(spec)
    for optimizer in ["sgd", "momentum", "adam"]:
        result = net.train(15, lr=0.05, optimizer=optimizer, batch_size=1, seed=5)
        agrees(result, plain_run(spec, 15, 0.05, optimizer, size=1, seed=5))
        agrees(net.train(15, lr=0.05, optimizer=optimizer, batch_size=len(spec["data"])),
               plain_run(spec, 15, 0.05, optimizer))


@pytest.mark.parametrize("name", ["mazur", "statquest"])
def test_sgd_with_the_whole_data_as_one_batch_equals_gd(name):
    net = bp.load(name)
    whole = net.train(200, lr=0.1, optimizer="sgd", batch_size=len(net.samples), seed=11)
    gd = net.train(200, lr=0.1)
    assert list(whole.losses) == list(gd.losses) and whole.params == gd.params


def test_the_same_seed_repeats_a_run_exactly():
    net = bp.load("statquest")
    first, again = (net.train(50, lr=0.1, optimizer="adam", batch_size=1, seed=4) for _ in range(2))
    assert list(first.losses) == list(again.losses) and first.params == again.params


def test_different_seeds_visit_the_samples_in_a_different_order():
    net = bp.load("statquest")
    one, two = (net.train(3, lr=0.1, optimizer="sgd", batch_size=1, seed=s) for s in (1, 2))
    assert order(3, 1, 1, 3) != order(3, 1, 2, 3)
    assert list(one.losses) != list(two.losses)


def test_each_epoch_sees_every_sample_once():
    batches = order(3, 1, 0, 9)
    assert all(sorted(sum(batches[k:k + 3], [])) == [0, 1, 2] for k in range(0, 9, 3))


def test_fixed_parameters_stay_fixed_for_every_optimiser():
    net = bp.load("mazur")
    for optimizer in OPTIMISERS:
        result = net.train(20, lr=0.1, optimizer=optimizer)
        assert (result.params["b1"], result.params["b2"]) == (0.35, 0.60)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_a_sweep_matches_separate_runs(optimizer):
    net = bp.load("statquest")
    sweep = net.sweep([0.01, 0.05], 40, optimizer=optimizer)
    for k, lr in enumerate([0.01, 0.05]):
        assert sweep.losses[k] == pytest.approx(net.train(40, lr=lr, optimizer=optimizer).losses, rel=1e-12)


def test_a_minibatch_sweep_matches_separate_runs_with_the_same_seed():
    net = bp.load("statquest")
    sweep = net.sweep([0.01, 0.05], 40, optimizer="adam", batch_size=2, seed=9)
    for k, lr in enumerate([0.01, 0.05]):
        run = net.train(40, lr=lr, optimizer="adam", batch_size=2, seed=9)
        assert sweep.losses[k] == pytest.approx(run.losses, rel=1e-12)


@pytest.mark.parametrize("arguments, field", [
    ({"optimizer": "rmsprop"}, "optimizer"), ({"optimizer": "gd", "batch_size": 1}, "batch_size"),
    ({"optimizer": "sgd", "batch_size": 0}, "batch_size"), ({"optimizer": "sgd", "batch_size": 4}, "batch_size"),
    ({"optimizer": "sgd", "batch_size": 1.5}, "batch_size"), ({"seed": -1}, "seed"), ({"seed": "a"}, "seed"),
    ({"optimizer": "momentum", "momentum": 1.0}, "momentum"), ({"optimizer": "adam", "betas": (0.9,)}, "betas"),
    ({"optimizer": "adam", "betas": (0.9, 1.2)}, "betas[1]"), ({"optimizer": "adam", "eps": 0}, "eps")])
def test_a_bad_argument_is_one_value_error_naming_it(arguments, field):
    with pytest.raises(ValueError) as error:
        bp.load("statquest").train(5, **arguments)
    assert str(error.value).startswith(f"{field}: ") and "\n" not in str(error.value)


@pytest.mark.parametrize("arguments", [["--optimizer", "rmsprop"], ["--batch-size", "9", "--optimizer", "sgd"],
                                       ["--seed", "x"]])
def test_the_command_line_refuses_a_bad_argument_in_one_line_with_status_2(arguments):
    done = subprocess.run([sys.executable, "-m", "backprop_lib", "train", "statquest", "--steps", "5", *arguments],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and done.stderr.count("\n") == 1


def test_the_command_line_trains_with_an_optimiser_and_minibatches():
    done = subprocess.run([sys.executable, "-m", "backprop_lib", "train", "statquest", "--steps", "40", "--lr", "0.05",
                           "--optimizer", "adam", "--batch-size", "2", "--seed", "7", "--json"],
                          capture_output=True, text=True, check=True)
    printed = json.loads(done.stdout)
    losses, params = plain_run(bp.load("statquest").spec, 40, 0.05, "adam", size=2, seed=7)
    assert printed["optimizer"] == "adam" and printed["params"] == pytest.approx(params, rel=1e-9)


@pytest.mark.parametrize("arguments", [{"optimizer": "adam"}, {"optimizer": "momentum"},
                                       {"optimizer": "sgd", "batch_size": 1, "seed": 3},
                                       {"optimizer": "adam", "batch_size": 2, "seed": 5}])
def test_the_films_last_frame_equals_net_train_exactly(arguments):
    net = bp.load("statquest")
    run, result = trajectory(net, 90, lr=0.05, frames=7, **arguments), net.train(90, lr=0.05, **arguments)
    assert run.params[-1] == result.params and list(run.losses) == list(result.losses)


def test_the_films_update_terms_follow_adam_by_hand():
    net = bp.load("statquest")
    run = trajectory(net, 20, lr=0.05, frames=20, optimizer="adam", batch_size=2, seed=5)
    k = 10
    step = run.steps[k]
    spec = net.spec
    g = plain_gradients({**spec, "data": [spec["data"][s] for s in order(3, 2, 5, step + 1)[step]]}, run.params[k])
    terms = update_terms(net, run, k)
    for param, found in terms.items():
        m = 0.9 * run.states[k]["m"][param] + 0.1 * g[param]
        v = 0.999 * run.states[k]["v"][param] + 0.001 * g[param] ** 2
        m_hat, v_hat = m / (1 - 0.9 ** (step + 1)), v / (1 - 0.999 ** (step + 1))
        w = run.params[k][param] - 0.05 * m_hat / (math.sqrt(v_hat) + 1e-8)
        assert [found[n] for n in ("g", "m", "v", "m_hat", "v_hat", "w")] == pytest.approx(
            [g[param], m, v, m_hat, v_hat, w], rel=1e-9, abs=1e-15)
        assert found["w"] == pytest.approx(run.params[k + 1][param], rel=1e-12)


def test_the_film_has_no_terms_after_the_last_step():
    net = bp.load("mazur")
    run = trajectory(net, 5, lr=0.5, optimizer="momentum")
    assert update_terms(net, run, len(run.steps) - 1) == {}
