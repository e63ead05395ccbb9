"""The learning view's numbers: every unit's heatmap holds that unit's output at each cell, by a plain loop over the
spec; the boundary is the output that wins; the text gives losses and accuracies a plain loop also finds; the
drawing gives the data it shows."""
import math

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib import data
from backprop_lib.widgets.draw import Draw
from backprop_lib.widgets.learn import CELLS, Learner, intensities, plane, unit_outputs
from support.plain import ACT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def plain_outs(spec, params, point):
    """Every unit's out at one input point, a loop over the spec with plain floats."""
    out = dict(zip(spec["inputs"], point))
    for layer in spec["layers"]:
        for unit, body in layer["neurons"].items():
            z = sum(params[w] * out[src] for src, w in body["weights"].items()) + params[body["bias"]]
            out[unit] = ACT[layer["activation"]][0](z)
    return out


@pytest.fixture(scope="module")
def trained():
    train, test = data.split(data.make("xor", n=60, noise=0.05, seed=1), test=0.25, seed=0)
    net = bp.load(data.network(train, hidden=(3, 2), activation="tanh", seed=0))
    return net, train, test, Learner(net, train, test).train(40, lr=0.2, frames=5)


def test_each_unit_output_on_the_grid_is_the_plain_forward_pass(trained):
    net, train, _, learner = trained
    _, points = plane(train, 4)
    outs = unit_outputs(net, learner.run.params, points)
    for k, params in enumerate(learner.run.params):
        for c, point in enumerate(points):
            expected = plain_outs(net.spec, params, point)
            for unit, _, _ in net.units:
                assert outs[unit][k, c] == pytest.approx(expected[unit], abs=1e-12)


def test_the_plane_spans_the_data_and_a_tenth_more_row_by_row_from_the_top():
    d = data.classes([[0.0, 0.0], [1.0, 2.0]], [0, 1])
    extents, points = plane(d, 2)
    assert extents == [(-0.1, 1.1), (-0.2, 2.2)]
    assert points.ravel().tolist() == pytest.approx([0.2, 1.6, 0.8, 1.6, 0.2, 0.4, 0.8, 0.4])


def test_intensities_span_the_activation_range():
    values = np.array([-1.0, 0.0, 1.0, 2.0])
    block, (lo, hi) = intensities(values, "tanh")
    assert block.tolist() == [0, 128, 255, 255] and (lo, hi) == (-1.0, 1.0)
    block, (lo, hi) = intensities(np.array([0.0, 3.0]), "relu")
    assert block.tolist() == [0, 255] and (lo, hi) == (0.0, 3.0)


def test_the_bytes_hold_every_unit_at_every_cell_and_frame_then_the_winning_class(trained):
    net, train, _, learner = trained
    frames, units, cells = len(learner.run.steps), len(net.units), CELLS * CELLS
    raw = np.frombuffer(learner.grids, dtype=np.uint8)
    assert raw.size == frames * units * cells + frames * cells
    _, points = plane(train, CELLS)
    last = learner.run.params[-1]
    guesses = raw[frames * units * cells:].reshape(frames, cells)[-1]
    for c in range(0, cells, 37):
        outs = plain_outs(net.spec, last, points[c])
        assert guesses[c] >> 6 == (0 if outs["c1"] >= outs["c2"] else 1)
        h = raw[: frames * units * cells].reshape(frames, units, cells)[-1, 0, c]
        assert h == round(255 * (outs["h1_1"] + 1) / 2)


def test_the_text_gives_the_losses_and_accuracies_of_a_plain_loop(trained):
    net, train, test, learner = trained
    last = learner.run.params[-1]
    parts = {}
    for name, d in (("train", train), ("test", test)):
        loss, right = 0.0, 0
        for point, target, label in zip(d.x, d.targets, d.labels):
            outs = plain_outs(net.spec, last, point)
            loss += sum(0.5 * (t - outs[u]) ** 2 for u, t in zip(d.outputs, target))
            right += (0 if outs["c1"] >= outs["c2"] else 1) == label
        parts[name] = (loss, right, len(d))
    text = learner.text()
    assert text.startswith("step 40 of 40, ")
    for name, (loss, right, count) in parts.items():
        assert f"{name} E_total = {float(f'{loss:.4g}'):.4g}" in text
        assert f"{name} accuracy {round(100 * right / count)}% ({right} of {count})" in text


def test_a_drawing_with_two_classes_gives_one_hot_targets_and_says_its_counts():
    d = Draw(classes=2, points=[[0.5, -0.25, 0], [-0.5, 0.75, 1], [0.0, 0.0, 1]])
    assert d.data().targets.tolist() == [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
    assert d.text() == ("3 samples; class 1 (circles): 1; class 2 (squares): 2; x1 from \u22120.50 to 0.50; "
                        "x2 from \u22120.25 to 0.75")


def test_a_drawing_with_one_class_is_y_against_x():
    d = Draw(classes=1, points=[[0.5, -0.25, 0], [-0.5, 0.75, 0]]).data()
    assert (d.x.tolist(), d.targets.tolist(), d.inputs, d.outputs) == ([[0.5], [-0.5]], [[-0.25], [0.75]], ["x"], ["y"])


def test_a_regression_film_sends_the_curve_of_the_output_over_x():
    d = data.regression([0.0, 0.5, 1.0], [1.0, 2.0, 0.0])
    net = bp.load(data.network(d, hidden=(2,)))
    learner = Learner(net, d).train(10, lr=0.05, frames=2)
    _, points = plane(d)
    curve = learner.film["curve"][-1]
    for c in (0, 13, CELLS - 1):
        assert curve[c] == pytest.approx(plain_outs(net.spec, learner.run.params[-1], points[c])["y"], abs=1e-12)
    assert math.isfinite(curve[0])


def test_one_sample_keeps_the_parameters_and_its_gradients_are_that_samples_share(trained):
    from backprop_lib.widgets.yourdata import one_sample
    from support.plain import plain_gradients
    net, _, _, learner = trained
    now = net.with_params(**learner.run.params[2])
    alone = one_sample(now, 4)
    assert alone.params == now.params and alone.samples == [net.samples[4]]
    expected = plain_gradients({**net.spec, "data": [net.samples[4]]}, now.params)
    assert alone.gradients() == pytest.approx(expected, abs=1e-12)
    assert len(alone.backward_steps()) > 0


def test_a_number_to_fit_over_two_inputs_is_drawn_as_the_output_heatmap():
    d = bp.data.Data(np.array([[0.0, 0.0], [1.0, 0.5], [0.5, 1.0]]), np.array([[0.0], [1.0], [2.0]]),
                     ["a", "b"], ["t"])
    learner = Learner(bp.load(data.network(d, hidden=(2,))), d).train(5, lr=0.01, frames=1)
    assert learner.film["surface"] == 2 and "curve" not in learner.film  # units h1_1, h1_2, then t


def test_the_learning_view_refuses_three_inputs_in_one_line():
    d = bp.data.Data(np.zeros((2, 3)), np.zeros((2, 1)), ["a", "b", "c"], ["t"])
    with pytest.raises(bp.SpecError) as err:
        Learner(bp.load(data.network(d, hidden=(2,))), d)
    assert str(err.value) == "inputs: the learning view draws a plane of one or two inputs; your data has 3"


def test_an_uploaded_csv_trains_and_a_bad_one_says_its_line_and_column():
    from datetime import datetime, timezone

    from backprop_lib.widgets.yourdata import CSV, your_data
    view = your_data(CSV)
    rows = "".join(f"{k / 10},{(k % 7) / 10},{k % 3}\n" for k in range(20))
    upload = {"name": "mine.csv", "type": "text/csv", "size": 0, "last_modified": datetime.now(timezone.utc),
              "content": memoryview(f"x1,x2,y\n{rows}".encode())}
    view.controls["csv"].value = (upload,)
    view.train()
    assert view.net.inputs == ["x1", "x2"] and view.net.outputs == ["y"]
    assert view.numbers["training"].startswith("step 300 of 300, train E_total = ")
    view.controls["csv"].value = ({**upload, "content": memoryview(b"x1,x2,y\n1,2,three\n")},)
    view.train()
    assert "mine.csv: line 2, column 'y': not a number: 'three'" in view.readout.value


def test_an_uploaded_csv_with_a_class_column_trains_one_output_per_class():
    from datetime import datetime, timezone

    from backprop_lib.widgets.yourdata import CSV, your_data
    view = your_data(CSV)
    rows = "".join(f"{k / 10},{(k % 7) / 10},{'low' if k < 10 else 'high'}\n" for k in range(20))
    view.controls["csv"].value = ({"name": "mine.csv", "type": "text/csv", "size": 0,
                                   "last_modified": datetime.now(timezone.utc),
                                   "content": memoryview(f"x1,x2,kind\n{rows}".encode())},)
    view.controls["column_label"].value = "kind"
    view.train()
    assert view.net.outputs == ["c1", "c2"] and "accuracy" in view.numbers["training"]
    # the classes in sorted order: 'high' (x1 from 1.0 on) is c1, 'low' is c2, one-hot
    assert all((s["c1"], s["c2"]) == ((1.0, 0.0) if s["x1"] >= 1.0 else (0.0, 1.0)) for s in view.net.samples)
