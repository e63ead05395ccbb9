"""The backward pass one quantity at a time, in the order backpropagation computes it (numbers only).

For each sample, from the output layer back to the first, unit by unit: the unit's ∂E/∂out (for an
output from the loss, for a hidden unit the sum over the edges leaving it), its delta
∂E/∂net = ∂E/∂out × ∂out/∂net, then one gradient term per edge into it and its bias: the delta times
the input on that edge (1 for a bias). A parameter met more than once (a shared bias, or any
parameter when there are several samples) grows by one term per use, as `+=` in code. The last step
lists every gradient, which equals net.gradients().

Names follow the notes: ∂E_total/∂out_o1 (∂SSR/... for the loss "sse"); with several samples each
symbol that changes from sample to sample carries the sample's number, out_y1_2 (as in symbolic).
"""
from dataclasses import dataclass, field

import numpy as np

from ..core import maths, structure
from ..core.printing import MINUS, typeset


@dataclass
class Step:
    """One quantity: its name, its formula, the formula with numbers put in, and its value.

    kind is "output" (∂E/∂out of an output), "delta", "gradient" (one term of a parameter's gradient),
    "hidden" (∂E/∂out of a hidden unit) or "every gradient" (the last step). units and edges are what
    the step involves on the diagram: an edge is (source, unit), source None for a bias edge; unit None
    is the edge from an output into the loss. `gradients` holds every gradient found so far.
    """
    kind: str
    name: str
    formula: str
    numbers: str
    value: float
    sample: int
    units: tuple
    edges: tuple
    factors: dict = field(default_factory=dict)  # name -> value of each number that goes in
    param: str = None
    use: tuple = None  # a gradient term: (this term's number, how many terms the parameter has)
    total: float = None  # a gradient term: the parameter's gradient with every term so far
    edge_terms: dict = field(default_factory=dict)  # a gradient term: {edge: the term}, for the diagram
    gradients: dict = field(default_factory=dict)
    note: str = ""

    def text(self):
        """The step on one line: name = formula = numbers = value (and how a shared gradient adds up)."""
        if self.kind == "every gradient":
            return f"{self.name}: {self.formula}"
        sign = "+=" if self.use and self.use[1] > 1 else "="
        line = f"{self.name} {sign} " + " = ".join(dict.fromkeys([self.formula, self.numbers, typeset(self.value)]))
        return line + (f"; {self.note}" if self.note else "")


class Steps(list):
    """The steps of one backward pass, in order; text() prints them one per line, numbered from 1."""

    def text(self):
        return "\n".join(f"{k}. {step.text()}" for k, step in enumerate(self, 1))

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.text())


def _p(x):
    """A number inside a product: negative ones in parentheses."""
    return f"({typeset(x)})" if x < 0 else typeset(x)


def _slope(act, net_name, out_name, z, out):
    """∂out/∂net of an activation: (formula, formula with numbers, value)."""
    record = maths.activation(act)
    value = float(record.slope(np.float64(z), np.float64(out)))
    return (record.slope_text.format(net=net_name, out=out_name),
            record.slope_text.format(net=_p(z), out=_p(out)), value)


def _coupled(net, sample, values, unit, tag):
    """For one output of a loss over all outputs (softmax or sigmoid with cross-entropy): ∂loss/∂out as
    (formula, formula with numbers, value), and ∂loss/∂net as the loss states it."""
    record, k, samples = net.loss_record, net.outputs.index(unit), len(net.samples)
    outs = [values[f"out_{u}"] for u in net.outputs]
    nets = [np.float64(values[f"net_{u}"]) for u in net.outputs]
    targets = [sample[u] for u in net.outputs]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # ∂E/∂out is infinite where p is 0 or 1
        value = float(record.slopes(nets, np.array(outs), targets, samples)[k])
    delta = float(record.deltas(nets, targets, samples)[k])
    formula = record.slope_text([f"out_{u}{tag}" for u in net.outputs], f"target_{unit}{tag}", k, samples)
    return (formula, record.slope_text([_p(v) for v in outs], typeset(sample[unit]), k, samples), value), delta


def _loss_slope(loss, count, target_name, out_name, target, out):
    """∂loss/∂out of one output, as the notes write it: −(target − out) for half_sse."""
    record = maths.loss(loss)
    residual = f"({target_name} {MINUS} {out_name})", f"({typeset(target)} {MINUS} {_p(out)})"
    return record.slope_text(residual[0], count), record.slope_text(residual[1], count), record.slope(target - out, count)


def backward_steps(net):
    """Every step of the backward pass of `net` (a Network), in the order backpropagation computes them."""
    loss = net.loss_record.symbol
    several = len(net.samples) > 1
    count = len(net.samples) * len(net.outputs)
    uses = {p: 0 for p in net.params}  # how many gradient terms each parameter has in all
    for _, _, param in structure.unit_edges(net):
        uses[param] += len(net.samples)

    steps, totals, seen = Steps(), {}, {p: 0 for p in net.params}
    for s, (sample, values) in enumerate(zip(net.samples, net.forward())):
        tag = f"_{s + 1}" if several else ""
        d = lambda u: f"∂{loss}/∂{u}{tag}"  # noqa: E731 (a name, as the notes write it)
        out = {u: sample[u] for u in net.inputs}
        out.update({u: values[f"out_{u}"] for u, _, _ in net.units})
        out_name = {u: f"{u}{tag}" for u in net.inputs}
        out_name.update({u: f"out_{u}{tag}" for u, _, _ in net.units})
        d_out, delta = {}, {}

        def add(kind, name, formula, numbers, value, units, edges, **more):
            steps.append(Step(kind, name, formula, numbers, value, s, tuple(units), tuple(edges),
                              gradients=dict(totals), **more))

        for unit, act, after, incoming in structure.backward_pass(net):
            given = None
            if after is None and maths.coupled(net.loss_record):
                (formula, numbers, value), given = _coupled(net, sample, values, unit, tag)
            elif after is None:
                formula, numbers, value = _loss_slope(net.loss_name, count, f"target_{unit}{tag}",
                                                      out_name[unit], sample[unit], out[unit])
            if after is None:
                d_out[unit] = value
                add("output", d(f"out_{unit}"), formula, numbers, value, [unit], [(unit, None)],
                    factors={f"target_{unit}{tag}": sample[unit], out_name[unit]: out[unit]})
            else:
                terms = [delta[c] * net.params[w] for c, w in after]
                d_out[unit] = sum(terms) if terms else 0.0
                formula = " + ".join(f"{d(f'net_{c}')} × {w}" for c, w in after) or "0"
                numbers = " + ".join(f"{_p(delta[c])} × {_p(net.params[w])}" for c, w in after) or "0"
                note = "" if terms else "no later unit uses it"
                if len(terms) > 1:
                    note = "one term per edge leaving it: " + ", ".join(
                        f"{d(f'net_{c}')} × {w} = {typeset(t)}" for (c, w), t in zip(after, terms))
                add("hidden", d(f"out_{unit}"), formula, numbers, d_out[unit],
                    [unit] + [c for c, _ in after], [(unit, c) for c, _ in after], note=note,
                    factors={**{d(f"net_{c}"): delta[c] for c, _ in after}, **{w: net.params[w] for _, w in after}})

            slope_name = f"∂{out_name[unit]}/∂net_{unit}{tag}"
            s_formula, s_numbers, slope = _slope(act, f"net_{unit}{tag}", out_name[unit],
                                                 values[f"net_{unit}"], out[unit])
            delta[unit] = d_out[unit] * slope if given is None else given
            add("delta", d(f"net_{unit}"), f"{d(f'out_{unit}')} × {slope_name}",
                f"{_p(d_out[unit])} × {_p(slope)}", delta[unit], [unit], [],
                factors={d(f"out_{unit}"): d_out[unit], slope_name: slope},
                note=" = ".join(dict.fromkeys([slope_name, s_formula, s_numbers, typeset(slope)])))

            edges = [(src, w, "1" if src is None else out_name[src], 1.0 if src is None else out[src])
                     for w, src in incoming]
            for src, param, input_name, input_value in edges:
                term = delta[unit] * input_value
                totals[param] = totals[param] + term if param in totals else term
                seen[param] += 1
                shared = uses[param] > 1
                note = ""
                if shared:
                    note = f"term {seen[param]} of {uses[param]}; ∂{loss}/∂{param} so far = {typeset(totals[param])}"
                add("gradient", f"∂{loss}/∂{param}", f"{d(f'net_{unit}')} × {input_name}",
                    f"{_p(delta[unit])} × {_p(input_value)}", term,
                    [unit] + ([src] if src is not None else []), [(src, unit)],
                    param=param, use=(seen[param], uses[param]), total=totals[param],
                    edge_terms={(src, unit): term}, note=note,
                    factors={d(f"net_{unit}"): delta[unit], input_name: input_value})

    every = {p: totals.get(p, 0.0) for p in net.params}
    edges = [(src, u) for src, u, _ in structure.unit_edges(net) if src is not None]
    edges += [(src, u) for src, u, _ in structure.unit_edges(net) if src is None]
    listed = ", ".join(f"∂{loss}/∂{p} = {typeset(v)}" for p, v in every.items())
    steps.append(Step("every gradient", "every gradient", listed, listed, None, None,
                      tuple(net.inputs) + tuple(u for u, _, _ in net.units), tuple(edges), gradients=every))
    return steps
