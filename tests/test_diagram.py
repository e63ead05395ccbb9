"""The live diagram's numbers: what the kernel sends equals a plain loop written here (forward pass, loss,
each edge's share of its parameter's gradient), the shares add up to net.gradients(), and the text
alternative says the same numbers in words."""
import math
import warnings
from collections import defaultdict

import pytest
from hypothesis import given, settings

import backprop_lib as bp
from backprop_lib.widgets.diagram import Diagram, fmt
from backprop_lib.core.numeric import Network
from backprop_lib.core.spec import validate
from support.networks import specs
from support.plain import ACT as PLAIN_ACT

EXAMPLES = ["mazur", "lecture", "statquest"]
ACT = {name: f for name, (f, _) in PLAIN_ACT.items()}
SLOPE = {name: slope for name, (_, slope) in PLAIN_ACT.items()}


# --- a plain loop over the spec: forward, loss, and backprop one edge at a time ----------------

def forward(spec, sample):
    p, values, nets = spec["params"], dict(sample), {}
    for layer in spec["layers"]:
        for unit, body in layer["neurons"].items():
            z = sum(p[w] * values[src] for src, w in body["weights"].items()) + (p[body["bias"]] if body["bias"] else 0)
            nets[unit], values[unit] = z, ACT[layer["activation"]](z)
    return nets, values


def plain_loss(spec):
    outputs, n = list(spec["layers"][-1]["neurons"]), len(spec["data"])
    scale = {"half_sse": 0.5, "sse": 1.0, "mse": 1.0 / (n * len(outputs))}[spec["loss"]]
    return sum(scale * (s[u] - forward(spec, s)[1][u]) ** 2 for s in spec["data"] for u in outputs)


def plain_shares(spec):
    """{(param, source or None, unit): share}: delta of the unit times the value on the edge, summed over samples."""
    outputs, n = list(spec["layers"][-1]["neurons"]), len(spec["data"])
    scale = {"half_sse": 1.0, "sse": 2.0, "mse": 2.0 / (n * len(outputs))}[spec["loss"]]
    shares = defaultdict(float)
    for sample in spec["data"]:
        nets, values = forward(spec, sample)
        d_out = defaultdict(float, {u: scale * (values[u] - sample[u]) for u in outputs})
        for layer in reversed(spec["layers"]):
            for unit, body in reversed(list(layer["neurons"].items())):
                delta = d_out[unit] * SLOPE[layer["activation"]](nets[unit], values[unit])
                for src, w in body["weights"].items():
                    shares[(w, src, unit)] += delta * values[src]
                    d_out[src] += delta * spec["params"][w]
                if body["bias"]:
                    shares[(body["bias"], None, unit)] += delta
    return shares


def edge(spec, param, src, unit):
    """The diagram's id of the edge carrying param from src (None: the bias node of unit's layer) into unit."""
    if src is None:
        k = next(k for k, layer in enumerate(spec["layers"]) if unit in layer["neurons"])
        src = f"1:{k + 1}"
    return f"{src}->{unit}"


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- numbers ---------------------------------------------------------------------------------

def check_sent_numbers(spec):
    """The numbers the widget sends equal the plain loop's; the shares of each parameter add up to net.gradients()."""
    net = Network(validate(spec))
    sent = Diagram(net, gradients=True).values
    nets, values = forward(spec, spec["data"][0])
    for unit in nets:
        assert sent["units"][unit]["net"] == pytest.approx(nets[unit], rel=1e-12, abs=1e-14)
        assert sent["units"][unit]["out"] == pytest.approx(values[unit], rel=1e-12, abs=1e-14)
    assert sent["E_total"] == pytest.approx(plain_loss(spec), rel=1e-12, abs=1e-15)
    assert sent["params"] == spec["params"]
    expected = plain_shares(spec)
    assert len(sent["shares"]) == len(expected)
    for (param, src, unit), share in expected.items():
        assert sent["shares"][edge(spec, param, src, unit)] == pytest.approx(share, rel=1e-9, abs=1e-13)
    added = defaultdict(float)
    for (param, src, unit), _ in expected.items():
        added[param] += sent["shares"][edge(spec, param, src, unit)]
    for param, gradient in net.gradients().items():
        assert added[param] == pytest.approx(gradient, rel=1e-12, abs=1e-15)
        assert sent["gradients"][param] == pytest.approx(sum(v for k, v in expected.items() if k[0] == param),
                                                         rel=1e-9, abs=1e-13)


@pytest.mark.parametrize("name", EXAMPLES)
def test_diagram_sends_the_plain_loops_numbers_for_each_example(name):
    check_sent_numbers(bp.load(name).spec)


@settings(max_examples=25, deadline=None)
@given(specs())
def test_diagram_sends_the_plain_loops_numbers_for_any_spec(spec):
    check_sent_numbers(spec)


def test_mazur_shared_biases_show_each_share_and_the_total_once():
    sent = Diagram(bp.load("mazur"), gradients=True).values
    shares = plain_shares(bp.load("mazur").spec)
    h1, h2 = shares[("b1", None, "h1")], shares[("b1", None, "h2")]
    assert sent["labels"]["1:1->h1"] == ["b1 = 0.35", f"share of \u2202E/\u2202b1: +{fmt(h1)}"]
    assert sent["labels"]["1:1->h2"] == ["b1 = 0.35", f"share of \u2202E/\u2202b1: +{fmt(h2)}"]
    lines = [t for t in sent["totals"] if t.startswith("\u2202E/\u2202b1")]
    assert lines == [f"\u2202E/\u2202b1 = {fmt(h1)} + {fmt(h2)} = {fmt(h1 + h2)} (b1 is used on 2 edges)"]
    assert sum(t.startswith("\u2202E/\u2202w") for t in sent["totals"]) == 0  # a weight used once has no total


def test_a_negative_share_is_written_with_its_minus_sign():
    sent = Diagram(bp.load("mazur"), gradients=True).values
    share = plain_shares(bp.load("mazur").spec)[("b2", None, "o2")]
    assert share < 0
    assert sent["labels"]["1:2->o2"][1] == f"share of \u2202E/\u2202b2: \u2212{fmt(-share)}"


def test_without_gradients_the_diagram_sends_none():
    sent = Diagram(bp.load("mazur")).values
    assert sent["gradients"] == {} and sent["shares"] == {} and sent["totals"] == []
    assert sent["labels"]["h1->o1"] == ["w5 = 0.4"]


# --- words -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_text_says_every_net_out_weight_and_gradient(name):
    spec = bp.load(name).spec
    text = Diagram(bp.load(name), gradients=True).text()
    nets, values = forward(spec, spec["data"][0])
    for unit in nets:
        assert f"net {fmt(nets[unit])}, out {fmt(values[unit])}" in text
    loss = {"half_sse": "E_total", "sse": "SSR", "mse": "MSE"}[spec["loss"]]  # as the notes name it
    d = "E" if loss == "E_total" else loss
    shares = plain_shares(spec)
    for (param, src, unit), share in shares.items():
        value = fmt(spec["params"][param])
        said = f"Weight {param} from {src} into {unit} = {value}" if src else f"Bias {param} into {unit} = {value}"
        assert said in text
        if sum(k[0] == param for k in shares) == 1:
            assert f"{said}, gradient \u2202{d}/\u2202{param} = {fmt(share)}." in text
    assert text.endswith(f"{loss} = {fmt(plain_loss(spec))}.")


def test_text_follows_a_new_network_and_the_highlight():
    net = bp.load("mazur")
    diagram = Diagram(net)
    moved = net.with_params(w5=0.75)
    diagram.show(moved)
    spec = {**net.spec, "params": {**net.spec["params"], "w5": 0.75}}
    assert f"E_total = {fmt(plain_loss(spec))}." in diagram.text()
    assert diagram.announcement == f"E_total is now {fmt(plain_loss(spec))}"
    diagram.light(units=["o1"], edges=[("h1", "o1"), (None, "o1"), ("o1", None)])
    assert diagram.highlight == ["o1", "h1->o1", "1:2->o1", "o1->E"]
    assert diagram.text().endswith("Highlighted: o1, h1->o1, 1:2->o1, o1->E.")


def test_highlighted_edge_ids_are_edges_of_the_layout():
    diagram = Diagram(bp.load("lecture"))
    diagram.light(edges=[("x1", "h1"), (None, "o1"), ("o1", None)])
    ids = {e["id"] for e in diagram.layout_data["edges"]}
    assert set(diagram.highlight) <= ids


def test_turning_gradients_on_sends_them():
    diagram = Diagram(bp.load("mazur"))
    diagram.gradients = True
    assert diagram.values["gradients"]["w5"] == pytest.approx(plain_shares(bp.load("mazur").spec)[("w5", "h1", "o1")])
    assert "gradient \u2202E/\u2202w5" in diagram.text()


def test_layout_places_every_node_and_edge_once():
    net = bp.load("mazur")
    layout = Diagram(net).layout_data
    ids = [n["id"] for n in layout["nodes"]]
    assert sorted(ids) == sorted(net.inputs + [u for u, _, _ in net.units] + ["1:1", "1:2", "E"])
    assert all(e["source"] in ids and e["target"] in ids for e in layout["edges"])
    assert len(layout["edges"]) == 4 + 2 + 4 + 2 + 2  # weights, bias edges of each layer, outputs into E


# --- the matplotlib diagram (static output) says the same ------------------------------------

def test_matplotlib_diagram_labels_each_shared_bias_edge_with_its_share_and_the_total_once():
    from backprop_lib import plots
    shares = plain_shares(bp.load("mazur").spec)
    h1, h2 = shares[("b1", None, "h1")], shares[("b1", None, "h2")]
    figure = plots.network(bp.load("mazur"), gradients=True)
    texts = [t.get_text() for t in figure.axes[0].texts]
    for share in (h1, h2):
        assert sum(t.endswith(f"share of \u2202E/\u2202b1: +{plots.fmt(share)}") for t in texts) == 1
    total = f"\u2202E/\u2202b1 = {plots.fmt(h1)} + {plots.fmt(h2)} = {plots.fmt(h1 + h2)} (b1 is used on 2 edges)"
    assert texts.count(total) == 1


@settings(max_examples=25, deadline=None)
@given(specs())
def test_matplotlib_edge_shares_add_up_to_each_gradient(spec):
    from backprop_lib import plots
    net = Network(validate(spec))
    added = defaultdict(float)
    for (src, dst, param) in plots.edges(net):
        if param is not None:
            added[param] += plots.edge_gradients(net)[(src, dst)]
    expected = plain_shares(spec)
    for param, gradient in net.gradients().items():
        assert added[param] == pytest.approx(gradient, rel=1e-12, abs=1e-15)
        assert added[param] == pytest.approx(sum(v for k, v in expected.items() if k[0] == param), rel=1e-9, abs=1e-13)
