"""Figures: every function returns a Figure pyplot does not hold, draws any spec, and copes with blown-up training."""
import os
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from matplotlib.figure import Figure
from matplotlib.patches import Circle

import backprop_lib as bp
from backprop_lib import plots
from backprop_lib.core.numeric import Network
from backprop_lib.core.spec import SpecError, validate
from support.networks import specs

matplotlib.use("Agg")  # this process only: notebook kernels started by nbval keep their inline backend

EXAMPLES = ["mazur", "lecture", "statquest"]


@pytest.fixture(autouse=True)
def no_warnings_and_no_pyplot_figures():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    assert plt.get_fignums() == []  # a notebook would show a pyplot figure a second time


def circles(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, Circle)]


@pytest.mark.parametrize("name", EXAMPLES)
def test_network_draws_one_circle_per_unit_input_bias_node_and_the_loss(name):
    net = bp.load(name)
    fig = plots.network(net, gradients=True)
    assert isinstance(fig, Figure)
    bias_layers = sum(any(b["bias"] for b in layer["neurons"].values()) for layer in net.spec["layers"])
    assert len(circles(fig)) == len(net.inputs) + len(net.units) + bias_layers + 1
    fig.savefig(os.devnull, format="png")


def test_network_on_a_given_axes_returns_that_axes_figure():
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.network(bp.load("mazur"), ax=ax) is fig


def test_network_shows_the_notes_values_of_mazur():
    texts = [t.get_text() for t in plots.network(bp.load("mazur")).axes[0].texts]
    assert "h1\nnet 0.3775\nout 0.5933" in texts
    assert "E_total\n0.2984" in texts


def test_gradient_edges_are_coloured_by_sign():
    net = bp.load("mazur")
    labels = {t.get_text().split(" =")[0]: t.get_color() for t in plots.network(net, gradients=True).axes[0].texts
              if "\u2202E" in t.get_text()}
    assert labels["w5"] == plots.POSITIVE  # dE/dw5 = 0.0822 in the notes
    assert labels["w7"] == plots.NEGATIVE  # dE/dw7 = -0.0226


def test_chain_path_of_a_hidden_weight_runs_through_both_outputs():
    nodes, edges = plots.chain_path(bp.load("mazur"), "w1")
    assert {"i1", "h1", "o1", "o2", "E"} <= nodes and "h2" not in nodes
    assert {(s, d) for s, d, _ in edges} == {("i1", "h1"), ("h1", "o1"), ("h1", "o2"), ("o1", "E"), ("o2", "E")}


def test_chain_path_of_an_output_weight_reaches_one_output():
    nodes, edges = plots.chain_path(bp.load("mazur"), "w5")
    assert {(s, d) for s, d, _ in edges} == {("h1", "o1"), ("o1", "E")}


def test_chain_path_of_a_shared_bias_has_both_uses():
    _, edges = plots.chain_path(bp.load("mazur"), "b1")
    assert {(d, p) for _, d, p in edges if p == "b1"} == {("h1", "b1"), ("h2", "b1")}


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(specs())
def test_network_draws_any_spec_and_highlights_any_parameter(spec):
    net = Network(validate(spec))
    for param in list(net.params)[:3]:
        fig = plots.network(net, gradients=True, highlight=param)
        nodes, edges = plots.chain_path(net, param)
        assert "E" in nodes and any(p == param for _, _, p in edges)
    fig.savefig(os.devnull, format="png")


def test_network_draws_a_layer_skipping_edge():
    spec = {"inputs": ["x"], "params": {"a": 0.5, "b": 0.2, "c": -0.1},
            "layers": [{"activation": "relu", "neurons": {"h": {"weights": {"x": "a"}}}},
                       {"activation": "identity", "neurons": {"y": {"weights": {"h": "b", "x": "c"}}}}],
            "loss": "mse", "data": [{"x": 1.0, "y": 0.0}]}
    net = Network(validate(spec))
    nodes, edges = plots.chain_path(net, "c")
    assert {(s, d) for s, d, _ in edges} == {("x", "y"), ("y", "E")}
    plots.network(net, highlight="c").savefig(os.devnull, format="png")


@pytest.mark.parametrize("name", ["sigmoid", "softplus", "tanh", "relu", "identity"])
def test_activation_derivative_curve_is_the_slope_of_the_function_curve(name):
    fig = plots.activation(name)
    f, df = fig.axes[0].lines[:2]
    z, out = f.get_data()
    slope = np.gradient(out, z)
    away_from_kink = np.abs(z) > 0.05  # relu has no slope at 0
    assert np.allclose(df.get_ydata()[away_from_kink], slope[away_from_kink], atol=1e-3)


def test_activation_unknown_name_is_refused():
    with pytest.raises(SpecError, match="unknown activation"):
        plots.activation("swish")


def test_loss_curve_labels_several_runs_and_a_blown_up_one():
    net = bp.load("statquest")
    runs = {"small": net.train(50, lr=0.01), "huge": net.train(50, lr=100)}
    fig = plots.loss_curve(runs)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0] == "small" and labels[1].startswith("huge (diverged at step")
    assert fig.axes[0].get_yscale() == "log"
    fig.savefig(os.devnull, format="png")


def test_loss_curve_of_one_result_is_labelled_by_learning_rate():
    fig = plots.loss_curve(bp.load("mazur").train(10, lr=0.5))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["lr = 0.5"]


def test_sweep_marks_blown_up_learning_rates_as_diverged():
    result = bp.load("statquest").sweep([0.01, 0.1, 10, 100], 100)
    fig = plots.sweep(result)
    ax = fig.axes[0]
    finals = result.final_losses
    blown = ~np.isfinite(finals) | (finals > plots.DIVERGED)
    assert blown.sum() >= 1
    diverged = [line for line in ax.lines if line.get_label() == "diverged"][0]
    assert list(diverged.get_xdata()) == list(result.learning_rates[blown])
    assert ax.get_xscale() == ax.get_yscale() == "log"
    fig.savefig(os.devnull, format="png")


def test_landscape_path_starts_at_the_parameters_and_takes_a_finite_difference_step():
    net = bp.load("mazur")
    fig = plots.landscape(net, "w5", "w6", steps=20, lr=0.5, span=0.5)
    path = [line for line in fig.axes[0].lines if len(line.get_xdata()) > 2][0]
    x, y = path.get_xdata(), path.get_ydata()
    assert (x[0], y[0]) == (0.4, 0.45)
    h = 1e-6
    g5 = (net.with_params(w5=0.4 + h).loss() - net.with_params(w5=0.4 - h).loss()) / (2 * h)
    g6 = (net.with_params(w6=0.45 + h).loss() - net.with_params(w6=0.45 - h).loss()) / (2 * h)
    assert x[1] == pytest.approx(0.4 - 0.5 * g5, abs=1e-9) and y[1] == pytest.approx(0.45 - 0.5 * g6, abs=1e-9)
    assert len(x) == 21
    assert net.with_params(w5=x[-1], w6=y[-1]).loss() < net.loss()


def test_landscape_with_a_huge_learning_rate_stops_the_path_and_still_draws():
    net = bp.load("statquest")
    fig = plots.landscape(net, "w3", "b3", steps=50, lr=100)
    fig.savefig(os.devnull, format="png")
    path = [line for line in fig.axes[0].lines if len(line.get_xdata()) > 2][0]
    x, y = path.get_xdata(), path.get_ydata()
    assert len(x) < 51  # fewer than the 50 steps asked for
    assert max(abs(x).max(), abs(y).max()) <= 1e6
    # the step after the last point drawn, by central differences (the loss is quadratic in the output layer's
    # w3 and b3, so they are exact up to round-off), goes beyond 1e6: that is where the path stops
    h = 1e-3
    at = net.with_params(w3=x[-1], b3=y[-1])
    g3 = (at.with_params(w3=x[-1] + h).loss() - at.with_params(w3=x[-1] - h).loss()) / (2 * h)
    gb3 = (at.with_params(b3=y[-1] + h).loss() - at.with_params(b3=y[-1] - h).loss()) / (2 * h)
    assert max(abs(x[-1] - 100 * g3), abs(y[-1] - 100 * gb3)) > 1e6


def test_landscape_refuses_the_same_parameter_twice():
    with pytest.raises(SpecError, match="p2"):
        plots.landscape(bp.load("mazur"), "w5", "w5")
