"""What backpropagation saves: multiplications to write out every chain-rule path against reusing deltas.

Both counts treat each chain-rule factor as already known from the forward pass (a weight, an input,
out·(1 − out), −(target − out)) and count the multiplications that join factors together.

- Paths, as net.chain writes them: one path per use of a parameter, per route from that use to an
  output, per sample; a path through k units has 2k + 1 factors, so 2k multiplications.
- Backpropagation, per sample and unit: one multiplication for the delta (dE/dout × dout/dnet), one
  per incoming weight for its gradient (delta × the source's out), one for the bias (delta × 1), and
  one per incoming weight from a hidden unit to pass the error back (delta × weight).
The number of routes is a sum of products of layer widths; backpropagation's count is a sum over edges.
"""
from dataclasses import dataclass

from ..core import structure
from .network import Network, load


@dataclass
class Cost:
    """Multiplications for all gradients of one network, both ways; `paths` is how many paths there are."""
    name: str
    units: int
    edges: int
    paths: int
    by_paths: int
    by_backprop: int

    @property
    def ratio(self):
        return self.by_paths / self.by_backprop


def routes(net):
    """For each unit: (number of routes from it forward to an output, total units along those routes)."""
    consumers = {unit: [later for later, _ in after] for unit, after in structure.consumers(net).items()}
    found = {}
    for unit, _, _ in reversed(net.units):
        if unit in net.outputs:
            found[unit] = (1, 1)
        else:
            count = sum(found[c][0] for c in consumers[unit])
            found[unit] = (count, count + sum(found[c][1] for c in consumers[unit]))
    return found


def count(net):
    """The Cost of every gradient of `net`, by writing out every path and by backpropagation."""
    if not isinstance(net, Network):
        raise ValueError(f"net: expected a network such as bp.load('mazur'), got {type(net).__name__}")
    samples, along = len(net.samples), routes(net)
    paths = by_paths = by_backprop = edges = 0
    for unit, _, body in net.units:
        sources = [source for _, source in structure.terms(body)]
        weights, bias = sum(source is not None for source in sources), None in sources
        hidden_sources = sum(source is not None and source not in net.inputs for source in sources)
        number, length = along[unit]
        paths += (weights + bias) * number * samples
        by_paths += (weights + bias) * 2 * length * samples
        by_backprop += (1 + weights + bias + hidden_sources) * samples
        edges += weights
    return Cost(net.name, len(net.units), edges, paths, by_paths, by_backprop)


def layered(widths, activation="sigmoid"):
    """A fully connected network of the given layer widths (inputs first, outputs last), one sample,
    every weight 0.1 and every bias 0.1: for counting, the values do not matter."""
    if len(widths) < 2 or any(isinstance(w, bool) or not isinstance(w, int) or w < 1 for w in widths):
        raise ValueError(f"widths: expected two or more whole numbers 1 or more, got {widths!r}")
    inputs = [f"i{k + 1}" for k in range(widths[0])]
    layers, params, previous = [], {}, inputs
    for depth, width in enumerate(widths[1:], 1):
        last = depth == len(widths) - 1
        names = [f"o{k + 1}" if last else f"h{depth}_{k + 1}" for k in range(width)]
        neurons = {}
        for unit in names:
            weights = {source: f"w_{source}_{unit}" for source in previous}
            params.update({w: 0.1 for w in weights.values()}, **{f"b_{unit}": 0.1})
            neurons[unit] = {"weights": weights, "bias": f"b_{unit}"}
        layers.append({"activation": activation, "neurons": neurons})
        previous = names
    data = [{**{i: 0.5 for i in inputs}, **{o: 0.5 for o in previous}}]
    spec = {"name": "-".join(map(str, widths)), "inputs": inputs, "layers": layers, "params": params,
            "loss": "half_sse", "data": data}
    return load(spec)
