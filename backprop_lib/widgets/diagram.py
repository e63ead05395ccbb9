"""The network diagram drawn in the browser (SVG, by diagram.js beside this file) from numbers the kernel sends.

    d = Diagram(net)                  # units with net and out (sample 0), edges with their parameter's value
    d = Diagram(net, gradients=True)  # also dE/dparam on each edge; a shared parameter's edges show each
                                      # use's share, and its total is written once, below the diagram
    d.show(other_net)                 # new values (a network of another shape is laid out again)
    d.gradients = False               # gradients on or off
    d.edges_by = "gradient"           # edge width and colour from |dE/dparam| ("weight": from the parameter)
    d.highlight = ["h1", "w5", "h1->o1"]  # units, parameters (all their edges) or edges "source->target"
    d.light(units=["o1"], edges=[("h1", "o1"), (None, "o1"), ("o1", None)])  # the same from names: a bias
                                      # edge's source is None, an output's edge into the loss has target None
    d.numbers                         # the numbers drawn: E_total (the loss, shown as E_total, SSR or MSE as
                                      # the notes name it), units' net and out, params, gradients, shares
    d.text()                          # the same in words: the SVG's <desc>, read by screen readers

Only small JSON dicts travel: `layout` (positions, once per network shape) and `values` (the numbers and the
labels, formatted as the readouts print them). The SVG's root element carries the CSS class `bp-diagram`.
"""
import math
from pathlib import Path

from ..extras import require

require("diagram", "anywidget")
import anywidget  # noqa: E402
import traitlets as T

from ..core import structure
from ..core.printing import MINUS, typeset as fmt

HERE = Path(__file__).parent
SCALE = 105  # pixels per unit of structure.layout: the same places as the figure in plots.py
RADIUS = 46  # a unit's circle, in pixels; a bias node is smaller


def _finite(x):
    return float(x) if math.isfinite(x) else None  # JSON has no inf or nan


def loss_names(net):
    """The loss as the notes name it (E_total, SSR, MSE) and as it is written in a derivative (∂E/∂w, ∂SSR/∂w)."""
    name = net.loss_record.symbol
    return name, "E" if name == "E_total" else name


def edge_id(source, target):
    return f"{source}->{target}"


def diagram_numbers(net, gradients=False):
    """Everything the diagram shows, as plain numbers from the library: sample 0's inputs, targets, every
    unit's net and out, E_total, the parameters and, with gradients, dE/dparam and each edge's share of it."""
    forward = net.forward()[0]
    numbers = {"E_total": net.loss(),
               "inputs": {i: float(net.samples[0][i]) for i in net.inputs},
               "targets": {o: float(net.samples[0][o]) for o in net.outputs},
               "units": {u: {"net": forward[f"net_{u}"], "out": forward[f"out_{u}"]} for u, _, _ in net.units},
               "params": dict(net.params), "gradients": {}, "shares": {}}
    if gradients:
        numbers["gradients"] = net.gradients()
        numbers["shares"] = {edge_id(s, d): share for (s, d), share in structure.edge_gradients(net).items()}
    return numbers


def diagram_layout(net):
    """Where everything goes, in pixels: nodes (id, kind, x, y, r), edges (id, source, target, param), layer names."""
    pos = structure.layout(net)
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    left, top = min(xs) - 0.75, max(ys) + 1.0

    def px(x, y):
        return round((x - left) * SCALE, 1), round((top - y) * SCALE, 1)

    def kind(node):
        if node == "E":
            return "loss"
        if node.startswith("1:"):
            return "bias"
        return "input" if node in net.inputs else "output" if node in net.outputs else "hidden"

    nodes = [{"id": n, "kind": kind(n), "x": px(x, y)[0], "y": px(x, y)[1],
              "r": RADIUS if not n.startswith("1:") else 16} for n, (x, y) in pos.items()]
    edges = [{"id": edge_id(s, d), "source": s, "target": d, "param": p,
              "bends": d != "E" and abs(pos[d][0] - pos[s][0]) > 1.5 * structure.COLUMN}  # it jumps a layer
             for s, d, p in structure.edges(net)]
    layers = [{"x": px(structure.COLUMN * (k + 1), 0)[0], "y": 14, "text": layer["activation"]}
              for k, layer in enumerate(net.spec["layers"])]
    shared = sum(1 for c in structure.uses(net).values() if c > 1)
    width, height = px(max(xs) + 0.75, min(ys) - 0.8)
    return {"name": net.name, "nodes": nodes, "edges": edges, "layers": layers,
            "width": width, "height": height + 18 * shared}


def diagram_values(net, numbers):
    """What the front end draws: the numbers (non-finite ones as null) and every label, formatted in Python
    so that the diagram and the readouts print a number alike."""
    grads, shares, params = numbers["gradients"], numbers["shares"], numbers["params"]
    uses = structure.uses(net)
    labels = {i: [i, fmt(v)] for i, v in numbers["inputs"].items()}
    for u, v in numbers["units"].items():
        labels[u] = [u, f"net {fmt(v['net'])}", f"out {fmt(v['out'])}"]
    for o, t in numbers["targets"].items():
        labels[o].append(f"target {fmt(t)}")
    loss, de = loss_names(net)
    labels["E"] = [loss, fmt(numbers["E_total"])]
    for s, d, p in structure.edges(net):
        if p is None:
            continue
        lines = [f"{p} = {fmt(params[p])}"]
        if grads:
            share = shares[edge_id(s, d)]
            lines.append(f"share of \u2202{de}/\u2202{p}: {signed(share)}" if uses[p] > 1
                         else f"\u2202{de}/\u2202{p} = {fmt(grads[p])}")
        labels[edge_id(s, d)] = lines
    return {"E_total": _finite(numbers["E_total"]),
            "units": {u: {k: _finite(x) for k, x in v.items()} for u, v in numbers["units"].items()},
            "params": {p: _finite(x) for p, x in params.items()},
            "gradients": {p: _finite(x) for p, x in grads.items()},
            "shares": {e: _finite(x) for e, x in shares.items()},
            "labels": labels, "totals": totals(net, numbers)}


def signed(x):
    """A share with its sign always written (+ or −), so a sign is never told by colour alone."""
    return ("+" if x >= 0 else "") + fmt(x)


def totals(net, numbers):
    """One line per shared parameter: its shares added up to its gradient, e.g. 'dE/db1 = a + b = total'."""
    if not numbers["gradients"]:
        return []
    lines = []
    for p, count in structure.uses(net).items():
        if count > 1:
            parts = [numbers["shares"][edge_id(s, d)] for s, d, q in structure.edges(net) if q == p]
            added = " ".join([fmt(parts[0])] + [f"{'+' if x >= 0 else MINUS} {fmt(abs(x))}" for x in parts[1:]])
            lines.append(f"\u2202{loss_names(net)[1]}/\u2202{p} = {added} = {fmt(numbers['gradients'][p])} "
                         f"({p} is used on {count} edges)")
    return lines


def describe(net, numbers, highlight=()):
    """The diagram in words, from the same numbers: each input, each unit's net and out, each parameter's value
    and, when shown, its gradient (a shared one with its shares), E_total and what is highlighted."""
    grads, shares, uses = numbers["gradients"], numbers["shares"], structure.uses(net)
    bias_node, (loss, de) = structure.bias_nodes(net), loss_names(net)
    parts = [f"Network {net.name}, sample 0."]
    parts += [f"Input {i} = {fmt(v)}." for i, v in numbers["inputs"].items()]
    for unit, act, body in net.units:
        v = numbers["units"][unit]
        what = "Output" if unit in net.outputs else "Hidden unit"
        target = f", target {fmt(numbers['targets'][unit])}" if unit in net.outputs else ""
        parts.append(f"{what} {unit} ({act}): net {fmt(v['net'])}, out {fmt(v['out'])}{target}.")
        edges = [(bias_node[unit], p, "bias") if src is None else (src, p, "weight") for p, src in structure.terms(body)]
        for src, p, role in edges:
            line = f"{role.capitalize()} {p} " + (f"from {src} " if role == "weight" else "") + \
                f"into {unit} = {fmt(numbers['params'][p])}"
            if grads and uses[p] > 1:
                line += f", this use's share of the gradient \u2202{de}/\u2202{p} = {signed(shares[edge_id(src, unit)])}"
            elif grads:
                line += f", gradient \u2202{de}/\u2202{p} = {fmt(grads[p])}"
            parts.append(line + ".")
    parts += [line + "." for line in totals(net, numbers)]
    parts.append(f"{loss} = {fmt(numbers['E_total'])}.")
    if highlight:
        parts.append(f"Highlighted: {', '.join(highlight)}.")
    return " ".join(parts)


class Diagram(anywidget.AnyWidget):
    """A network diagram drawn as SVG in the browser; see the module's docstring for how to use it."""
    _esm = HERE / "diagram.js"
    _css = HERE / "diagram.css"
    layout_data = T.Dict().tag(sync=True)  # positions: sent when the network's shape changes
    values = T.Dict().tag(sync=True)  # numbers and labels: sent on every change
    highlight = T.List(T.Unicode()).tag(sync=True)
    edges_by = T.Enum(["weight", "gradient"], "weight").tag(sync=True)
    description = T.Unicode().tag(sync=True)  # the text alternative: the SVG's <desc>
    announcement = T.Unicode().tag(sync=True)  # "E_total is now ...": spoken (politely) once changes stop
    gradients = T.Bool(False)

    def __init__(self, net, gradients=False, edges_by=None, highlight=(), **kwargs):
        super().__init__(gradients=gradients, highlight=list(highlight),
                         edges_by=edges_by or ("gradient" if gradients else "weight"), **kwargs)
        self.net = None
        self.show(net)
        self.observe(lambda _: self.show(self.net), ["gradients"])
        self.observe(lambda _: self._describe(), ["highlight"])

    def __repr__(self):
        return f"<Diagram of {self.net.name}>"

    def show(self, net):
        """Draw this network's numbers (laid out again if its shape differs from the one shown)."""
        layout = diagram_layout(net)
        self.net, self.numbers = net, diagram_numbers(net, self.gradients)
        with self.hold_sync():  # one message carries the layout, the values and the text
            if layout != self.layout_data:
                self.layout_data = layout
            self.values = diagram_values(net, self.numbers)
            self._describe()
            self.announcement = f"{loss_names(net)[0]} is now {fmt(self.numbers['E_total'])}"

    def light(self, units=(), edges=(), params=()):
        """Highlight these units, edges (source, target) and parameters; a bias edge is (None, unit), an
        output's edge into the loss (output, None). Nothing given: nothing highlighted."""
        bias_node = structure.bias_nodes(self.net)
        ids = list(units) + list(params)
        ids += [edge_id(bias_node[t] if s is None else s, "E" if t is None else t) for s, t in edges]
        self.highlight = ids

    def _describe(self):
        self.description = describe(self.net, self.numbers, self.highlight)

    def text(self):
        """The diagram in words, as a screen reader hears it."""
        return self.description
