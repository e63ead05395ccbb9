"""The built-in 2-D sets are what their names say and the same seed gives the same set; the split is seeded and
keeps every sample once; the network built around data has the data's shape and stays inside the spec limits."""
import math

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib import data


@pytest.mark.parametrize("name", data.SETS)
def test_the_same_seed_gives_the_same_set(name):
    one, two = data.make(name, n=60, noise=0.1, seed=7), data.make(name, n=60, noise=0.1, seed=7)
    assert np.array_equal(one.x, two.x) and np.array_equal(one.labels, two.labels)


@pytest.mark.parametrize("name", data.SETS)
def test_another_seed_gives_another_set(name):
    assert not np.array_equal(data.make(name, seed=1).x, data.make(name, seed=2).x)


@pytest.mark.parametrize("name", data.SETS)
def test_a_set_has_n_points_half_in_each_class_with_one_hot_targets(name):
    d = data.make(name, n=51, noise=0.0, seed=0)
    assert d.x.shape == (51, 2)
    assert sorted(np.bincount(d.labels)) == [25, 26]
    for label, row in zip(d.labels, d.targets):
        assert list(row) == [1.0 if k == label else 0.0 for k in range(2)]


def test_circle_without_noise_puts_class_one_inside_and_class_two_outside():
    d = data.make("circle", n=80, noise=0.0, seed=3)
    for (a, b), label in zip(d.x, d.labels):
        radius = math.sqrt(a * a + b * b)
        assert (radius <= 0.45) if label == 0 else (0.65 <= radius <= 0.95)


def test_xor_without_noise_puts_a_class_where_the_signs_agree():
    d = data.make("xor", n=80, noise=0.0, seed=3)
    for (a, b), label in zip(d.x, d.labels):
        assert (a * b > 0) == (label == 0)


def test_gaussians_without_noise_centre_each_class_on_its_corner():
    d = data.make("gaussians", n=200, noise=0.0, seed=3)
    for label, corner in ((0, -0.5), (1, 0.5)):
        points = [p for p, k in zip(d.x, d.labels) if k == label]
        mean = [sum(p[j] for p in points) / len(points) for j in range(2)]
        assert mean == pytest.approx([corner, corner], abs=0.06)


def test_spiral_arms_are_half_a_turn_apart():
    d = data.make("spiral", n=40, noise=0.0, seed=3)
    for (a, b), label in zip(d.x, d.labels):
        t = math.hypot(a, b) / 0.9
        expected = 3 * math.pi * t + math.pi * label
        assert math.cos(expected) * t * 0.9 == pytest.approx(a, abs=1e-12)
        assert math.sin(expected) * t * 0.9 == pytest.approx(b, abs=1e-12)


def test_noise_moves_points_by_about_its_size():
    plain, noisy = data.make("circle", n=200, noise=0.0, seed=4), data.make("circle", n=200, noise=0.1, seed=4)
    moves = [math.dist(p, q) for p, q in zip(plain.x, noisy.x)]
    assert 0.05 < sum(moves) / len(moves) < 0.2


@pytest.mark.parametrize("kwargs, field", [({"name": "moons"}, "name"), ({"n": 1}, "n"), ({"n": 257}, "n"),
                                           ({"noise": -0.1}, "noise"), ({"n": 2.5}, "n")])
def test_bad_arguments_are_refused_in_one_line_naming_the_field(kwargs, field):
    with pytest.raises(bp.SpecError) as err:
        data.make(**{"name": "xor", **kwargs})
    assert str(err.value).startswith(f"{field}: ") and "\n" not in str(err.value)


def test_the_split_keeps_every_sample_once_and_holds_out_its_share():
    d = data.make("spiral", n=100, seed=0)
    train, test = data.split(d, test=0.2, seed=5)
    assert (len(train), len(test)) == (80, 20)
    rows = sorted(tuple(p) for p in np.vstack([train.x, test.x]))
    assert rows == sorted(tuple(p) for p in d.x)


def test_the_same_seed_gives_the_same_split_and_another_seed_another():
    d = data.make("xor", n=100, seed=0)
    a, b, c = (data.split(d, seed=s)[1] for s in (3, 3, 4))
    assert np.array_equal(a.x, b.x) and not np.array_equal(a.x, c.x)


def test_the_network_has_one_output_per_class_and_the_hidden_sizes_asked_for():
    spec = data.network(data.make("xor", n=40), hidden=(8, 8), activation="tanh", seed=0)
    assert spec["inputs"] == ["x1", "x2"]
    assert [len(layer["neurons"]) for layer in spec["layers"]] == [8, 8, 2]
    assert [layer["activation"] for layer in spec["layers"]] == ["tanh", "tanh", "sigmoid"]
    assert len(spec["params"]) == 2 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2


def test_the_network_carries_the_data_as_its_samples():
    d = data.make("circle", n=30, seed=2)
    net = bp.load(data.network(d, hidden=(3,)))
    for sample, point, label in zip(net.samples, d.x, d.labels):
        assert (sample["x1"], sample["x2"]) == (point[0], point[1])
        assert (sample["c1"], sample["c2"]) == ((1.0, 0.0) if label == 0 else (0.0, 1.0))


def test_the_same_seed_gives_the_same_weights():
    d = data.make("circle", n=30, seed=2)
    assert data.network(d, seed=9)["params"] == data.network(d, seed=9)["params"]
    assert data.network(d, seed=9)["params"] != data.network(d, seed=10)["params"]


def test_initial_weights_spread_as_one_over_the_root_of_the_units_in():
    spec = data.network(data.make("xor", n=10), hidden=(60,), seed=0)
    first = [v for k, v in spec["params"].items() if k.startswith("w")][:120]  # x1, x2 into 60 units
    spread = math.sqrt(sum(v * v for v in first) / len(first))
    assert spread == pytest.approx(1 / math.sqrt(2), rel=0.2)


def test_one_class_drawn_is_regression_with_an_identity_output():
    d = data.regression([0.0, 0.5, 1.0], [1.0, 2.0, 0.0])
    spec = data.network(d, hidden=(4,))
    assert spec["layers"][-1]["activation"] == "identity" and list(spec["layers"][-1]["neurons"]) == ["y"]
    assert [s["y"] for s in spec["data"]] == [1.0, 2.0, 0.0]


@pytest.mark.parametrize("loss", ["half_sse", "sse", "mse"])
def test_every_loss_the_library_has_can_be_chosen(loss):
    assert data.network(data.make("xor", n=10), loss=loss)["loss"] == loss


def test_training_on_the_data_lowers_the_loss():
    net = bp.load(data.network(data.make("gaussians", n=60, seed=1), hidden=(4,), seed=0))
    run = net.train(200, lr=0.1)
    assert run.losses[-1] < 0.5 * run.losses[0]


@pytest.mark.parametrize("kwargs, start", [({"hidden": (64,)}, "layers[0].neurons: too many units"),
                                           ({"hidden": (0,)}, "hidden[0]: "),
                                           ({"activation": "swish"}, "activation: unknown"),
                                           ({"loss": "hinge"}, "loss: unknown")])
def test_a_network_past_the_limits_is_refused_in_one_line(kwargs, start):
    with pytest.raises(bp.SpecError) as err:
        data.network(data.make("xor", n=10), **kwargs)
    assert str(err.value).startswith(start) and "\n" not in str(err.value)


def test_the_text_gives_counts_per_class_and_extents():
    d = data.classes([[0.0, -1.0], [0.5, 0.25], [-0.5, 1.0]], [0, 1, 1])
    assert d.text() == ("3 samples; class 1 (circles): 1; class 2 (squares): 2; x1 from \u22120.50 to 0.50; "
                        "x2 from \u22121.00 to 1.00")
