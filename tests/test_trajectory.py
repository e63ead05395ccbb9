"""Training as a film: the frames against an independent plain gradient-descent loop, the last frame against
net.train, and the player and training explorer that play them."""
import math
import warnings

import pytest
from hypothesis import assume, given, settings

import backprop_lib as bp
from backprop_lib import widgets
from backprop_lib.core.numeric import Network
from backprop_lib.widgets.player import film
from backprop_lib.core.trajectory import trajectory
from support.networks import specs
from support.plain import plain_gradients
from support.plain import forward

EXAMPLES = ["mazur", "lecture", "statquest"]


def plain_loop(spec, steps, lr, frozen=()):
    """Parameters after every step of full-batch gradient descent, with plain floats."""
    params, seen = dict(spec["params"]), [dict(spec["params"])]
    for _ in range(steps):
        grads = plain_gradients(spec, params)
        params = {k: v if k in frozen else v - lr * grads[k] for k, v in params.items()}
        seen.append(params)
    return seen


@pytest.mark.parametrize("name", EXAMPLES)
def test_last_frame_equals_net_train_exactly(name):
    net = bp.load(name)
    run, result = trajectory(net, 2500, lr=0.1), net.train(2500, lr=0.1)
    assert run.params[-1] == result.params
    assert run.outputs[-1] == result.outputs
    assert list(run.losses) == list(result.losses)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(specs())
def test_frames_equal_a_plain_gradient_descent_loop(spec):
    net = Network(spec)
    run = trajectory(net, 60, lr=0.1, frames=7)
    try:
        loop = plain_loop(spec, 60, 0.1)
    except OverflowError:
        loop = None
    assume(loop is not None and all(math.isfinite(v) for v in loop[-1].values()))  # a run that blows up: no test
    assert run.steps[0] == 0 and run.steps[-1] == 60 and len(run.steps) == 8
    for step, params in zip(run.steps, run.params):
        assert params == pytest.approx(loop[step], rel=1e-9, abs=1e-12)


def test_frames_keep_the_specs_fixed_parameters_fixed():
    net = bp.load("mazur")  # the notes never update b1 and b2
    run = trajectory(net, 100, lr=0.5, frames=5)
    assert [p["b1"] for p in run.params] == [0.35] * 6
    assert run.params[-1] == pytest.approx(plain_loop(net.spec, 100, 0.5, frozen=("b1", "b2"))[-1], rel=1e-9)


def test_fewer_steps_than_frames_gives_one_frame_per_step():
    assert trajectory(bp.load("lecture"), 3, lr=0.5).steps == [0, 1, 2, 3]


def test_frames_must_be_a_whole_number():
    with pytest.raises(ValueError, match="frames"):
        trajectory(bp.load("mazur"), 10, frames=0)


def test_film_labels_the_loss_by_the_networks_loss():
    net = bp.load("statquest")
    data = film(net, trajectory(net, 10, lr=0.1))
    assert data["loss_name"] == "SSR"
    assert data["frames"][-1]["text"] == f"step 10 of 10: SSR = {bp.number(net.train(10, lr=0.1).losses[-1])}"
    assert data["frames"][-1]["values"]["labels"]["E"][0] == "SSR"


def test_film_of_a_diverging_run_sends_no_infinities():
    net = bp.load("statquest")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = film(net, trajectory(net, 300, lr=100))
    assert data["frames"][-1]["loss"] is None
    assert "not finite" in data["frames"][-1]["text"]


def test_film_frames_send_the_parameters_and_outputs_of_a_plain_loop():
    net = bp.load("lecture")
    data = film(net, trajectory(net, 40, lr=0.5, frames=4))
    loop = plain_loop(net.spec, 40, 0.5)
    for frame in data["frames"]:
        assert frame["values"]["params"] == pytest.approx(loop[frame["step"]], rel=1e-9)
        _, values = forward(net.spec, loop[frame["step"]], net.samples[0])
        assert frame["outputs"] == pytest.approx([values["o1"]], rel=1e-9)


@pytest.mark.slow
def test_training_explorer_shows_the_last_frame_and_restarts_when_the_learning_rate_changes():
    view = widgets.training_explorer(bp.load("mazur"))
    assert not view.player.playing and view.player.frame == len(view.player.film["frames"]) - 1
    view.controls["steps"].value = 2000
    view.controls["lr"].value = 0.3
    assert view.player.playing and view.player.frame == 0
    last = view.player.film["frames"][-1]
    assert last["step"] == 2000
    assert last["loss"] == bp.load("mazur").train(2000, lr=view.controls["lr"].value).losses[-1]


@pytest.mark.slow
def test_player_stopping_at_a_frame_brings_the_diagram_to_that_frame():
    view = widgets.training_explorer(bp.load("lecture"))
    player = view.player
    player.frame = 0
    assert player.diagram.values["labels"]["E"] == ["E_total", bp.number(bp.load("lecture").loss())]
    assert player.diagram.announcement == player.film["frames"][0]["text"]
