"""Check a learner's number for a quantity of a network, and recognise the usual slips with a hint.

An answer is right when it is within a relative 1e-4 of the true value (so any answer typed with 5 or
more significant figures passes), or within 1e-12 when the true value is 0; one within a relative 1e-3
(the notes' 4-figure 0.0822 for dE/dw5) is close and is asked for more digits. For an update 'w5+'
both are measured on the step w5+ − w5: with a small learning rate the new value shares its first five
digits with the old one, so the value itself would pass without any step. Answers are numbers only:
an int or float, or a string that float() reads. Typed text is never evaluated, because a served
notebook (Voila) takes it from whoever opens the page.
"""
import html
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..core import maths, structure
from ..core.printing import MINUS, typeset
from .network import Network, load
from ..core.spec import SpecError

RELATIVE, ABSOLUTE = 1e-4, 1e-12
NEAR = 1e-3  # a relative error below this but above RELATIVE is a right answer given with too few digits
MORE_DIGITS = "close \u2014 give more significant digits (5 or more)."


@dataclass
class CheckResult:
    """The verdict on one answer: `correct`, and a `hint` when it is not."""
    quantity: str
    answer: float
    correct: bool
    hint: str
    expected: float
    near: bool = False  # right to 3 significant figures, not to 5

    def __repr__(self):
        shown = typeset(self.answer)
        if self.correct:
            return f"right: {self.quantity} = {shown}"
        if self.near:
            return f"not yet: {self.quantity} = {shown} is {self.hint}"
        return f"not right: {self.quantity} = {shown} is not it. Hint: {self.hint}"

    def as_html(self):
        """The verdict in its colour: green when right, amber when close, red when not."""
        colour = "#1e8449" if self.correct else "#9a5b00" if self.near else "#b03a2e"
        return f"<div style='color: {colour}'>{html.escape(repr(self))}</div>"

    _repr_html_ = as_html


def close(answer, value, relative=RELATIVE):
    """The tolerance of this module: relative 1e-4, or absolute 1e-12 for a value of 0."""
    return abs(answer - value) <= max(relative * abs(value), ABSOLUTE)


def as_number(answer):
    """A learner's answer as a finite float; anything that is not plainly a number is refused."""
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, str)):
        raise SpecError(f"answer: expected a number, got {type(answer).__name__}")
    if isinstance(answer, str):
        text = answer.strip().replace(MINUS, "-")  # the readouts print U+2212; accept it back
        if not text:
            raise SpecError("answer: empty; type a number such as 0.0821 or 8.21e-2")
        try:
            value = float(text)
        except ValueError:
            raise SpecError(f"answer: {answer!r} is not a number; type digits such as 0.0821 or 8.21e-2") from None
    else:
        value = float(answer)
    if not math.isfinite(value):
        raise SpecError(f"answer: must be a finite number, got {answer!r}")
    return value


def quantities(net):
    """Every quantity name check() knows for this network."""
    names = [f"{kind}_{u}" for u, _, _ in net.units for kind in ("net", "out")]
    names += [f"E_{u}" for u in net.outputs] + ["E_total"] + [f"dE/d{p}" for p in net.params]
    if net.learning_rate is not None:
        names += [f"{p}+" for p in net.params]
    return names


def check(quantity, answer, net=None):
    """Is `answer` right for `quantity` of the network (the built-in 'mazur' by default)?

    Quantities: 'net_h1', 'out_o1' (sample 0), 'E_o1' (an output's loss term summed over samples),
    'E_total', 'dE/dw5', 'w5+' (w5 after one gradient step at the spec's learning rate, even for a
    parameter the spec keeps fixed in training: the step a learner would compute for it)."""
    net = load("mazur") if net is None else net
    quantity = str(quantity).strip().replace("dE_total/d", "dE/d")
    if quantity.endswith("+") and quantity[:-1] in net.params and net.learning_rate is None:
        raise SpecError(f"quantity: {quantity!r} needs a learning rate, and the spec of {net.name} gives none")
    if quantity not in quantities(net):
        raise SpecError(f"quantity: unknown quantity {quantity!r} for {net.name} "
                        f"(for example: {', '.join(quantities(net)[:2])}, E_total, dE/d{next(iter(net.params))})")
    value = as_number(answer)
    expected, slips = _truth_and_slips(net, quantity)
    # an update is judged on its step, so everything is measured from the old value (0 for other quantities)
    start = net.params[quantity[:-1]] if quantity.endswith("+") else 0.0
    near = lambda a, b, relative=RELATIVE: close(a - start, b - start, relative)
    if near(value, expected):
        return CheckResult(quantity, value, True, "", expected)
    for wrong, hint in slips:
        if not near(wrong, expected) and near(value, wrong):
            return CheckResult(quantity, value, False, hint, expected)
    if near(value, expected, NEAR):
        return CheckResult(quantity, value, False, MORE_DIGITS, expected, near=True)
    return CheckResult(quantity, value, False, _general_hint(quantity), expected)


@dataclass
class GradientResult:
    """The verdict on one gradient of a learner's backward pass; `slip` names the slip recognised, if any."""
    param: str
    answer: float  # None when not filled in yet
    correct: bool
    hint: str
    expected: float
    slip: str = ""

    def __repr__(self):
        if self.answer is None:
            return f"not filled in yet: dE/d{self.param}"
        shown = f"dE/d{self.param} = {typeset(self.answer)}"
        return f"right: {shown}" if self.correct else f"not right: {shown}. Hint: {self.hint}"


class GradientReport(list):
    """One GradientResult per parameter; shows as one line each, and `all_right` says whether every one is."""

    @property
    def all_right(self):
        return all(r.correct for r in self)

    def __repr__(self):
        right = sum(r.correct for r in self)
        return "\n".join([*map(repr, self), f"{right} of {len(self)} gradients right"])

    def _repr_html_(self):
        rows = [f"<div style='color: {'#1e8449' if r.correct else '#b03a2e'}'>{html.escape(repr(r))}</div>"
                for r in self]
        return "".join(rows) + f"<div>{html.escape(repr(self).splitlines()[-1])}</div>"


def check_gradients(mine, net=None):
    """Compare a dict of gradients {'w5': 0.0822, ...} with the network's own (the built-in 'mazur' by default).

    Keys are parameter names (or 'dE/dw5'); a value of None, or a missing key, counts as not filled in
    yet. Each wrong value is compared with what the usual slips give for this network, to name the slip.
    Returns a GradientReport, which shows one line per parameter."""
    net = load("mazur") if net is None else net
    if not isinstance(net, Network):
        raise SpecError(f"net: expected a network such as bp.load('mazur'), got {type(net).__name__}")
    if not isinstance(mine, Mapping):
        raise SpecError(f"gradients: expected a dict of parameter name to number, got {type(mine).__name__}")
    given = {}
    for key, value in mine.items():
        param = str(key).strip().replace("dE_total/d", "dE/d").removeprefix("dE/d")
        if param not in net.params:
            raise SpecError(f"gradients: {key!r} is not a parameter of {net.name} "
                            f"(parameters: {', '.join(net.params)})")
        if param in given:
            raise SpecError(f"gradients: {param} is given twice")
        try:
            given[param] = None if value is None else as_number(value)
        except SpecError as err:
            raise SpecError(f"gradients: {param}: {str(err).removeprefix('answer: ')}") from None
    truth, report = net.gradients(), GradientReport()
    for param, expected in truth.items():
        value = given.get(param)
        if value is None:
            report.append(GradientResult(param, None, False, "", expected))
        elif close(value, expected):
            report.append(GradientResult(param, value, True, "", expected))
        else:
            hint, slip = _general_hint(f"dE/d{param}"), ""
            for wrong, text, kind in _gradient_slips(net, param):
                if not close(wrong, expected) and close(value, wrong):
                    hint, slip = text, kind
                    break
            report.append(GradientResult(param, value, False, hint, expected, slip))
    return report


def _truth_and_slips(net, quantity):
    """The true value and a list of (value a slip gives, hint) for one quantity."""
    if quantity == "E_total" and maths.coupled(net.loss_record):
        n = len(net.samples)
        return net.loss(), [(-net.loss(), "A cross-entropy cannot be negative: it adds −log of probabilities, "
                                          "each at most 1."),
                            (n * net.loss(), f"The loss is a mean: divide the sum over the samples by N = {n}.")]
    if quantity == "E_total":
        terms = _loss_terms(net)
        slips = [(-net.loss(), "A loss is a sum of squares: it cannot be negative."),
                 *_factor_two(net.loss(), net)]
        slips += [(t, f"That is only E_{u}: E_total adds the terms of every output.")
                  for u, t in terms.items() if len(terms) > 1]
        return net.loss(), slips
    if quantity.startswith("E_") and maths.coupled(net.loss_record):
        value, n = _loss_terms(net)[quantity[2:]], len(net.samples)
        return value, [(-value, "An output's share of a cross-entropy cannot be negative: it adds −log of "
                                "probabilities, each at most 1."),
                       (n * value, f"The loss is a mean: divide the sum over the samples by N = {n}.")]
    if quantity.startswith("E_"):
        value = _loss_terms(net)[quantity[2:]]
        return value, [(-value, "A loss term is a square: it cannot be negative."), *_factor_two(value, net)]
    if quantity.startswith(("net_", "out_")):
        return _forward_slips(net, quantity)
    if quantity.startswith("dE/d"):
        param = quantity[4:]
        return net.gradients()[param], [slip[:2] for slip in _gradient_slips(net, param)]
    param = quantity[:-1]
    lr, g, p = net.learning_rate, net.gradients()[param], net.params[param]
    step = f"{param}+ = {param} \u2212 \u03b7\u00b7dE/d{param}"
    slips = [(p + lr * g, f"Wrong direction: a step goes against the gradient, {step}."),
             (p - g, f"Multiply the gradient by the learning rate \u03b7 = {lr:g} before subtracting it.")]
    slips += [(p - lr * wrong, f"The step is right but dE/d{param} is not. {hint}")
              for wrong, hint, _ in _gradient_slips(net, param)]
    return p - lr * g, slips


def _loss_terms(net):
    rows = net.loss_terms()
    return {u: sum(row[u] for row in rows) for u in net.outputs}


def _factor_two(value, net):
    if net.loss_record.halved:
        why = "E = \u00bd(target \u2212 out)\u00b2: keep the \u00bd"
    else:
        why = f"this network's loss ({net.loss_name}) has no \u00bd in front"
    return [(2 * value, f"Off by a factor 2: {why}."), (value / 2, f"Off by a factor 2: {why}.")]


def _forward_slips(net, quantity):
    kind, unit = quantity.split("_", 1)
    values = net.forward()[0]
    value = values[quantity]
    other = "out" if kind == "net" else "net"
    body = next(b for u, _, b in net.units if u == unit)
    slips = [(-value, "Check the signs of the products and the bias."),
             (values[f"{other}_{unit}"],
              f"That is {other}_{unit}: net is the weighted sum plus bias, out is the activation applied to it.")]
    if body["bias"] is not None:
        bias = net.params[body["bias"]]
        missing = values[f"net_{unit}"] - bias
        slips.append((missing if kind == "net" else _activate(net, unit, missing),
                      f"Add the bias {body['bias']} = {bias:g} (times 1) to the weighted sum."))
    return value, slips


def _activate(net, unit, z):
    act = next(a for u, a, _ in net.units if u == unit)
    return float(maths.activation(act).numpy(z))


def _gradient_slips(net, param):
    """Gradients computed with one of the usual slips: (value, the hint that names the slip, the slip's kind)."""
    g = net.gradients()[param]
    own = {unit for unit, _ in structure.places(net, param)}
    slips = [*_sum_slips(net, param),
             (-g, "Right size, wrong sign: dE/dout = \u2212(target \u2212 out); check each factor's sign.", "sign")]
    deriv = "the activation derivative \u2202out/\u2202net (for a sigmoid, out\u00b7(1 \u2212 out))"
    slips += [(_gradient(net, param, skip=own), f"It looks like {deriv} of {', '.join(sorted(own))} is missing.",
               "slope"),
              (_gradient(net, param, skip=set(net.outputs)), f"It looks like {deriv} of the output is missing.",
               "slope"),
              (_gradient(net, param, skip={u for u, _, _ in net.units}),
               f"It looks like {deriv} is missing from the chain.", "slope")]
    if net.learning_rate is not None:
        grads = net.gradients()
        updated = {k: v - net.learning_rate * grads[k] for k, v in net.params.items()}
        slips.append((_gradient(net, param, weights=updated),
                      "You used the updated weights (w+) when passing the error back; every gradient of one "
                      "step uses the original weights.", "updated"))
    if maths.coupled(net.loss_record):
        slips = [(_gradient(net, param, output_deltas=wrong), hint, kind)
                 for kind, hint, wrong in net.loss_record.slips] + slips
    else:
        slips += [(s, "Off by a factor 2: the \u00bd in E = \u00bd(target \u2212 out)\u00b2 cancels the 2 from the "
                   "square." if net.loss_record.halved else
                   f"Off by a factor 2: with {net.loss_name} the 2 from the square stays.", "factor 2")
                  for s in (2 * g, g / 2)]
    if len(net.outputs) > 1:
        paths = [o for o in net.outputs if not close(_gradient(net, param, outputs=[o]), 0.0)]
        if len(paths) > 1:
            slips += [(_gradient(net, param, outputs=[o]),
                       f"You followed only the path through {o}; {param} reaches the loss through "
                       f"{' and '.join(paths)}: add the paths.", "one path") for o in paths]
    return slips


def _gradient(net, param, skip=(), weights=None, outputs=None, use=None, sample=None, output_deltas=None):
    """dE/dparam by the chain rule, summed over samples, with slips made on purpose: the units in
    `skip` lose their activation derivative, `weights` replace the parameters used to pass errors
    back, only the loss terms of `outputs` count, only one `use` (unit, source; source None for a
    bias) of the parameter counts, or only one `sample` (counted from 0). For a loss that states
    ∂E/∂net of the outputs itself, `output_deltas` (nets, targets, N) -> deltas replaces the loss's own."""
    weights = net.params if weights is None else weights
    outputs = net.outputs if outputs is None else outputs
    count = len(net.samples) * len(net.outputs)
    counts = lambda unit, source: use is None or use == (unit, source)
    total = 0.0
    for k, (row, values) in enumerate(zip(net.samples, net.forward())):
        if sample is not None and k != sample:
            continue
        out = {**{i: row[i] for i in net.inputs}, **{u: values[f"out_{u}"] for u, _, _ in net.units}}
        d_net, given = {}, _output_deltas(net, row, values, output_deltas)
        for unit, act, into, terms in structure.backward_pass(net):
            if into is None:
                delta = net.loss_record.slope(row[unit] - out[unit], count) if given is None else given[unit]
                delta = delta if unit in outputs else 0.0
            else:
                delta = 0.0
                for later, w in into:
                    delta = delta + d_net[later] * weights[w]
            if unit not in skip and not (into is None and given is not None):
                delta *= float(maths.activation(act).slope(np.float64(values[f"net_{unit}"]), np.float64(out[unit])))
            d_net[unit] = delta
            for p, source in terms:
                if p == param and counts(unit, source):
                    total += delta if source is None else delta * out[source]
    return total


def _output_deltas(net, row, values, deltas=None):
    """∂E/∂net of each output of one sample for a loss that states it itself ({output: float}), else None."""
    record = net.loss_record
    if not maths.coupled(record):
        return None
    nets = [np.float64(values[f"net_{u}"]) for u in net.outputs]
    found = (deltas or record.deltas)(nets, [row[u] for u in net.outputs], len(net.samples))
    return {u: float(d) for u, d in zip(net.outputs, found)}


def _sum_slips(net, param):
    """A shared parameter's gradient overwritten by one use, and a gradient of one sample only."""
    found, slips = structure.places(net, param), []
    if len(found) > 1:
        where = " and ".join(unit if src is None else f"{src}\u2192{unit}" for unit, src in found)
        slips += [(_gradient(net, param, use=u),
                   f"That is the part of one use of {param} only ({u[0]}); {param} is used {len(found)} times "
                   f"({where}), so its gradient is the sum of every use: add each part (+=), do not "
                   f"overwrite it (=).", "overwritten") for u in found]
    if len(net.samples) > 1:
        slips += [(_gradient(net, param, sample=k),
                   f"That is the part of sample {k + 1} only; the loss adds up every sample, so add "
                   f"the parts of all {len(net.samples)} samples.", "one sample") for k in range(len(net.samples))]
    return slips


def _general_hint(quantity):
    if quantity.startswith("dE/d"):
        return ("Write the chain \u2202E/\u2202out \u00d7 \u2202out/\u2202net \u00d7 \u2202net/\u2202"
                f"{quantity[4:]} and compute each factor; a hidden parameter adds one such chain per path.")
    if quantity.endswith("+"):
        return f"{quantity} = {quantity[:-1]} \u2212 \u03b7\u00b7dE/d{quantity[:-1]}: first get the gradient right."
    if quantity.startswith("E_"):
        return "Use the outputs of the forward pass: E = \u00bd(target \u2212 out)\u00b2 per output (for half_sse)."
    return "Go through the forward pass again: net = \u03a3 weight \u00d7 input + bias, out = activation(net)."


def check_step(param, answer, net, steps=1, **learning):
    """Is `answer` the value of `param` after `steps` steps of net.train(steps, **learning) (an optimizer, its
    settings, lr, batches)? As for 'w5+', the answer is judged on the last step's change, worked out here."""
    net.check_param(param)
    value = as_number(answer)
    before = net.train(steps - 1, **learning).params[param] if steps > 1 else net.params[param]
    expected = net.train(steps, **learning).params[param]
    quantity = f"{param} after {steps} {learning.get('optimizer', 'gd')} step{'s' if steps > 1 else ''}"
    if close(value - before, expected - before):
        return CheckResult(quantity, value, True, "", expected)
    if close(value - before, expected - before, NEAR):
        return CheckResult(quantity, value, False, MORE_DIGITS, expected, near=True)
    return CheckResult(quantity, value, False, f"work out each term of the rule in order (the state, its corrections, "
                       f"then {param}) from {param} = {typeset(before)} before this step.", expected)
