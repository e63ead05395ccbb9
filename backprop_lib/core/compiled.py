"""Training compiled from a network's structure: the spec becomes one Python function of straight-line steps.

numeric.Network interprets the spec through dicts at every step, which is clear but slow. Here one step
(forward pass, loss, backward pass, and the optimiser's update as optimisers.py states it) is written out
once as a list of assignments, one per net, out, delta, parameter and optimiser term, with the same
floating-point operations in the same order as numeric does them, and the whole N-step loop goes inside
one generated function. The assignments are printed two
ways: as plain float expressions for one training run (as fast as a loop written by hand), and as
NumPy calls writing into buffers made once (out=), one entry per copy of the network, for a sweep over
learning rates. Compiled functions are cached by their source, so each structure compiles once.

An expression is a name or number (a str) or a tuple (operation, *operands).
"""
import functools
import keyword
import math

import numpy as np

from . import maths, optimisers, structure

BINARY = {"+": "add", "-": "subtract", "*": "multiply", "/": "true_divide", "**": "power"}
UNARY = {"neg": "negative", "abs": "absolute", "exp": "exp", "expm1": "expm1", "log": "log", "log1p": "log1p",
         "tanh": "tanh", "sqrt": "sqrt"}


def float_sigmoid(z):
    """The logistic function on one float, with no overflow: a sigmoid inside a longer expression (SiLU's)."""
    e = math.exp(-abs(z))
    return (1.0 if z >= 0.0 else e) / (1.0 + e)


FLOAT_NAMESPACE = {"exp": math.exp, "expm1": math.expm1, "log": math.log, "log1p": math.log1p, "tanh": math.tanh,
                   "sqrt": math.sqrt, "sigmoid": float_sigmoid}


CHUNK = 32  # terms added left to right in one expression; longer sums are sums of such chunks


def _sum(terms):
    """Terms added left to right; a long sum (a spec's limits allow 256 samples, and a parameter used on every
    edge) as a sum of chunk sums, so the printed code nests a few dozen parentheses deep, not one per term
    (Python refuses more than 200)."""
    terms = list(terms)
    if len(terms) > CHUNK:
        return _sum(_sum(terms[k:k + CHUNK]) for k in range(0, len(terms), CHUNK))
    total = terms[0]
    for term in terms[1:]:
        total = ("+", total, term)
    return total


# --- one step as assignments ----------------------------------------------------------------------
class _Names:
    """Python names for the generated code: the notes' names where the spec allows, always unique."""

    def __init__(self, reserved):
        self.taken, self.given = set(reserved), {}

    def __call__(self, key, wanted):
        if key not in self.given:
            usable = wanted.isidentifier() and not keyword.iskeyword(wanted) and not wanted.startswith("_")
            base = wanted if usable else "v"  # names starting with _ are the printers' temporaries
            name, k = base, 0
            while name in self.taken:
                k += 1
                name = f"{base}_{k}"
            self.taken.add(name)
            self.given[key] = name
        return self.given[key]


RESERVED = ["run", "lr", "steps", "params", "losses", "step", "copies", "trained", "grads", "change",
            "state", "done", "settings", "t", *optimisers.NAMES, *(f"{n}_rows" for n in optimisers.NAMES),
            "array", "empty", "empty_like", "copyto", "np", "math",
            "exp", "expm1", "log", "log1p", "tanh", "abs", "max", "sigmoid", *BINARY.values(), *UNARY.values(),
            "maximum", "greater"]


LABELS = {"net": "net_", "out": "out_", "r": "r_", "d_out": "d_out_", "d_net": "d_net_", "slope": "slope_",
          "grad": "grad_", "target": "target_", "loss": "loss"}


class Step:
    """One training step as assignments (name, expression): forward and loss, backward, then each trainable
    parameter's gradient (name, parameter, expression), all taken before any parameter changes.

    `labels` changes how the names begin (LABELS: d_net_h1, grad_w5); with `named_data` the inputs and targets
    are names too, given their values in `data` [(name, value)], where otherwise they are numbers in the code."""

    def __init__(self, net, frozen, labels=None, named_data=False):
        self.net, self.samples = net, range(len(net.samples))
        self.names = names = _Names(RESERVED)
        label = {**LABELS, **(labels or {})}
        tag = (lambda s: f"_{s + 1}") if len(net.samples) > 1 else (lambda s: "")
        self.params = {k: names(("param", k), k) for k in net.params}
        self.trainable = [k for k in net.params if k not in frozen]
        self.loss = names(("loss",), label["loss"])
        # a kind with no label of its own (a coupled loss's peak, total, lse) is named kind_unit
        self.var = lambda kind, unit, s: names((kind, unit, s), f"{label.get(kind, kind + '_')}{unit}{tag(s)}")
        self.data, self.out, self.target = [], {}, {}
        for s, sample in enumerate(net.samples):
            for unit in net.inputs:
                self.out[unit, s] = names(("in", unit, s), f"{unit}{tag(s)}") if named_data else repr(sample[unit])
            for unit in net.outputs:
                self.target[unit, s] = self.var("target", unit, s) if named_data else repr(sample[unit])
            self.data += [(self.out[u, s], repr(sample[u])) for u in net.inputs] if named_data else []
            self.data += [(self.target[u, s], repr(sample[u])) for u in net.outputs] if named_data else []
        self.forward, self.backward = self._forward_lines(), self._backward_lines()
        self.gradients = [(names(("grad", k), f"{label['grad']}{k}"), self.params[k], _sum(self.grads[k]))
                          for k in self.trainable]

    def _forward_lines(self):
        net, lines = self.net, []
        for s in self.samples:
            for unit, act, body in net.units:
                terms = [("*", self.params[w], self.out[src, s]) for src, w in body["weights"].items()]
                terms += [self.params[body["bias"]]] if body["bias"] is not None else []
                z = self.var("net", unit, s)
                self.out[unit, s] = self.var("out", unit, s)
                lines += [(z, _sum(terms)), (self.out[unit, s], maths.activation(act).code(z))]
        if maths.coupled(net.loss_record):
            return lines + self._coupled_loss_lines()
        count = len(net.samples) * len(net.outputs)
        terms = []
        for u in net.outputs:
            per_sample = []
            for s in self.samples:
                r = self.var("r", u, s)
                lines.append((r, ("-", self.target[u, s], self.out[u, s])))
                per_sample.append(net.loss_record.code(r, count))
            terms.append(_sum(per_sample))
        lines.append((self.loss, _sum(terms)))
        return lines

    def _coupled_loss_lines(self):
        """A loss over all outputs of a sample (maths.CoupledLoss): its own assignments, the loss, and each
        output's ∂E/∂net kept for the backward pass."""
        net, lines, shares, self.given = self.net, [], [], {}
        for s in self.samples:
            nets = [self.var("net", u, s) for u in net.outputs]
            outs = [self.out[u, s] for u in net.outputs]
            # the targets as numbers: a one-hot target's zero terms are left out of the loss
            targets = [repr(net.samples[s][u]) for u in net.outputs]
            name = lambda kind, s=s: self.var(kind, "loss", s)
            assignments, terms, deltas = net.loss_record.code(nets, outs, targets, len(net.samples), name)
            lines += assignments
            shares += terms
            self.given.update({(u, s): d for u, d in zip(net.outputs, deltas)})
        return lines + [(self.loss, _sum(shares))]

    def _backward_lines(self):
        net, lines = self.net, []
        count = len(net.samples) * len(net.outputs)
        self.grads = {k: [] for k in net.params}
        for unit, act, into, terms in structure.backward_pass(net):
            for s in self.samples:
                d_out, d_net = self.var("d_out", unit, s), self.var("d_net", unit, s)
                if into is None and maths.coupled(net.loss_record):
                    lines.append((d_net, self.given[unit, s]))
                    continue
                if into is None:
                    lines.append((d_out, net.loss_record.code_slope(self.var("r", unit, s), count)))
                else:
                    passed = [("*", self.var("d_net", later, s), self.params[w]) for later, w in into]
                    lines.append((d_out, _sum(passed) if passed else "0.0"))
                z, out = self.var("net", unit, s), self.out[unit, s]
                slope = maths.activation(act).code_slope(z, out)
                if isinstance(slope, tuple) and slope[0] == "sigmoid":  # printed only as a whole assignment
                    lines.append((self.var("slope", unit, s), slope))
                    slope = self.var("slope", unit, s)
                lines.append((d_net, d_out if slope is None else ("*", d_out, slope)))
            for param, source in terms:
                self.grads[param].append(_sum(self.var("d_net", unit, s) if source is None else
                                              ("*", self.var("d_net", unit, s), self.out[source, s]) for s in self.samples))
        return lines


# --- printed as Python over floats ---------------------------------------------------------------
def float_expr(e):
    if isinstance(e, str):
        return e
    op, *args = e
    a = [float_expr(x) for x in args]
    if op in BINARY:
        return f"({a[0]} {op} {a[1]})"
    if op == "neg":
        return f"(-{a[0]})"
    if op == "max0":  # max keeps nan, as np.maximum does
        return f"max({a[0]}, 0.0)"
    if op == "max":
        return f"max({a[0]}, {a[1]})"
    if op == "step":
        return f"(1.0 if {a[0]} > 0.0 else 0.0)"
    return f"{op}({a[0]})"


def float_lines(name, e):
    if isinstance(e, tuple) and e[0] == "sigmoid":  # the same operations as numeric.sigmoid, no overflow
        z = e[1]
        return [f"_e = exp(-abs({z}))", f"{name} = (1.0 if {z} >= 0.0 else _e) / (1.0 + _e)"]
    return [f"{name} = {float_expr(e)}"]


# --- printed as NumPy calls into buffers ---------------------------------------------------------
class _ArrayPrinter:
    """Each operation becomes one ufunc call writing into a buffer; temporaries are reused between lines.

    Numbers become 0-d arrays made once: a ufunc converts a Python float at every call, which costs
    more than the arithmetic on a few hundred copies.
    """

    def __init__(self):
        self.buffers, self.free, self.temps, self.constants = set(), [], 0, {}

    def constant(self, text):
        if text.isidentifier():
            return text
        return self.constants.setdefault(text, f"_k{len(self.constants) + 1}")

    def lines(self, name, e):
        if isinstance(e, str):
            return [f"{name} = {self.constant(e)}"]  # an alias (identity activation) or a constant
        out, used = [], []
        self._emit(e, name, out, used)
        self.free += used
        return out

    def into(self, row, e):
        """Lines writing e into an existing array (a row of the gradients), never rebinding the name."""
        if isinstance(e, str):
            return [f"copyto({row}, {self.constant(e)})"]
        return self.lines(row, e)

    def _temp(self, used):
        if not self.free:
            self.temps += 1
            self.free.append(f"_t{self.temps}")
        name = self.free.pop()
        self.buffers.add(name)
        used.append(name)
        return name

    def _emit(self, e, target, out, used):
        if isinstance(e, str):
            return self.constant(e)
        self.buffers.add(target)
        op, *args = e
        if op == "sigmoid":
            # 1 / (1 + e^-z): for z >= 0 the same operations as numeric.sigmoid; below, e^-z may overflow to
            # inf (sweeps run with floating-point warnings off), giving 0 as the limit should.
            z = self._emit(args[0], self._temp(used), out, used) if isinstance(args[0], tuple) else args[0]
            t, one = self._temp(used), self.constant("1.0")
            out += [f"negative({z}, {t})", f"exp({t}, {t})", f"add({one}, {t}, {t})", f"true_divide({one}, {t}, {target})"]
            return target
        a = [self._emit(x, self._temp(used), out, used) if isinstance(x, tuple) else self.constant(x) for x in args]
        if op in BINARY:
            out.append(f"{BINARY[op]}({a[0]}, {a[1]}, {target})")
        elif op == "max0":
            out.append(f"maximum({a[0]}, {self.constant('0.0')}, out={target})")
        elif op == "max":
            out.append(f"maximum({a[0]}, {a[1]}, out={target})")
        elif op == "step":
            out.append(f"greater({a[0]}, {self.constant('0.0')}, {target})")
        else:
            out.append(f"{UNARY[op]}({a[0]}, {target})")
        return target


def _rename(e, names):
    """An optimiser's expression with its names (w, g, v, ...) replaced by the generated code's."""
    if isinstance(e, str):
        return names.get(e, e)
    return (e[0], *(_rename(a, names) for a in e[1:]))


def _tuple(names):
    return f"({', '.join(names)},)" if names else "()"


def _float_update(step, record):
    """The optimiser's rule for each trainable parameter on floats: grad_w1 = ..., then v_w1 = ..., w1 = ..."""
    lines = [f"{g} = {float_expr(e)}" for g, _, e in step.gradients]
    lines += [f"{name} = {float_expr(e)}" for name, e in record.per_step] if step.gradients else []
    for (g, p, _), k in zip(step.gradients, step.trainable):
        names = {"w": p, "g": g, **{n: step.names(("term", n, k), f"{n}_{k}") for n in record.terms if n != "w"}}
        lines += [f"{names[n]} = {float_expr(_rename(e, names))}" for n, e in record.rule]
    return lines


def _array_update(record):
    """The optimiser's rule once for all trainable parameters: their rows, gradients and state as (k, copies) arrays."""
    names = {"w": "trained", "g": "grads", **{n: f"{n}_rows" for n in record.terms if n != "w"}}
    lines = [f"{name} = {float_expr(e)}" for name, e in record.per_step]
    for n, e in record.rule:
        text = float_expr(_rename(e, names))
        kept = n == "w" or n in record.state  # arrays that live on between steps are written into
        lines.append(f"copyto({names[n]}, {text})" if kept else f"{names[n]} = {text}")
    return lines


def source(net, frozen, mode, record=optimisers.OPTIMISERS["gd"]):
    """Python source of run(lr, steps, params, losses, state, done, settings) for this network and optimiser; mode
    is "float" or "array". It takes `steps` steps after `done` earlier ones (Adam counts t from the first) and
    returns the parameters and the optimiser's state, so a run may go on in pieces.

    On floats each parameter steps by itself, as the optimiser's rule says: w1 = w1 - lr * grad_w1. On arrays the
    trainable parameters are the rows of one array, the gradients are written into the rows of another, and the
    rule is applied once to them all (the same operations, row by row).
    """
    step = Step(net, frozen)
    values = ", ".join(step.params.values())
    indent = lambda lines, n: [" " * n + line for line in lines]
    if mode == "float":
        render = lambda lines: [text for name, e in lines for text in float_lines(name, e)]
        forward = render(step.forward)
        learn = render(step.backward) + _float_update(step, record)
        state = [step.names(("term", n, k), f"{n}_{k}") for n in record.state for k in step.trainable]
        prologue = []
    else:
        printer = _ArrayPrinter()
        render = lambda lines: [text for name, e in lines for text in printer.lines(name, e)]
        forward = render(step.forward)
        learn = render(step.backward) + [text for row, _, g in step.gradients for text in printer.into(row, g)]
        learn += _array_update(record) if step.gradients else []
        rows = [row for row, _, _ in step.gradients]
        trained = [p for _, p, _ in step.gradients]
        state = [f"{n}_rows" for n in record.state] if step.gradients else []
        prologue = ["copies = len(lr)"] + [f"{name} = array({value})" for value, name in printer.constants.items()]
        prologue += [f"{b} = empty(copies)" for b in sorted(printer.buffers - set(rows))]
        if step.gradients:
            prologue += [f"trained = array([{', '.join(trained)}])", f"{', '.join(trained)}, = trained",
                         "grads = empty_like(trained)", f"{', '.join(rows)}, = grads"]
    prologue += [f"{', '.join(state)}, = state"] if state else []
    prologue += [f"{', '.join(record.settings)}, = settings"] if record.settings else []
    return "\n".join([
        "def run(lr, steps, params, losses, state, done, settings):",
        f"    {values}, = params",
        *indent(prologue, 4),
        "    for t in range(done + 1, done + steps + 1):",
        *indent(forward + [f"losses[t - done - 1] = {step.loss}"] + learn, 8),
        *indent(forward + [f"losses[steps] = {step.loss}"], 4),
        f"    return ({values},), {_tuple(state)}",
    ])


@functools.lru_cache(maxsize=128)
def _compile(text, mode):
    names = ["array", "empty", "empty_like", "copyto", "maximum", "greater",
             *BINARY.values(), *UNARY.values()]
    namespace = dict(FLOAT_NAMESPACE) if mode == "float" else {name: getattr(np, name) for name in names}
    exec(compile(text, f"<backprop_lib.compiled {mode}>", "exec"), namespace)
    return namespace["run"]


def function(net, frozen, mode, record=optimisers.OPTIMISERS["gd"]):
    """run(lr, steps, params, losses, state, done, settings) for this network and optimiser, compiled once per
    structure (see source)."""
    return _compile(source(net, frozen, mode, record), mode)


def train(net, lr, steps, frozen, record=optimisers.OPTIMISERS["gd"], chosen=None):
    """One run on plain floats: (steps + 1 losses as an array, final parameters as a dict of floats)."""
    run = function(net, frozen, "float", record)
    losses = [0.0] * (steps + 1)
    state = (0.0,) * (len(record.state) * (len(net.params) - len(frozen)))
    final, _ = run(lr, steps, tuple(net.params.values()), losses, state, 0, tuple((chosen or {}).values()))
    return np.array(losses), dict(zip(net.params, final))


def sweep(net, lrs, steps, frozen, record=optimisers.OPTIMISERS["gd"], chosen=None):
    """One copy per learning rate, trained at once on arrays: (losses, one row per copy; final parameters)."""
    run = function(net, frozen, "array", record)
    copies = len(lrs)
    losses = np.empty((steps + 1, copies))
    start = tuple(np.array(v) if k in frozen else np.full(copies, v) for k, v in net.params.items())
    trainable = len(net.params) - len(frozen)
    state = tuple(np.zeros((trainable, copies)) for _ in record.state) if trainable else ()
    with np.errstate(all="ignore"):
        final, _ = run(np.asarray(lrs, dtype=float), steps, start, losses, state, 0, tuple((chosen or {}).values()))
    params = {k: np.full(copies, v) if np.ndim(v) == 0 else v for k, v in zip(net.params, final)}
    return np.ascontiguousarray(losses.T), params
