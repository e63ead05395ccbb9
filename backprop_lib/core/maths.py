"""The activations and losses, one record each: every form of one function that the library uses, side by side.

An Activation gives out from net and ∂out/∂net; a Loss gives one output's share of the loss and ∂loss/∂out,
both from the residual r = target − out. Each states its maths four ways: on NumPy arrays (numeric), as SymPy
(the chain rule; the SymPy module is passed in, so this module needs NumPy alone), as the notes write it (the
backward steps' text), and as expressions for the compiled training step (see compiled.py: a name or a number
is a str, an operation a tuple). Adding an activation or a loss is one register() call with one record.

The derivative at a kink: where an activation has a corner (ReLU and leaky ReLU at net = 0) the library takes
the slope from the left, the side net ≤ 0: ReLU′(0) = 0 and leaky ReLU′(0) = LEAKY_SLOPE, as PyTorch does. ELU
(α = 1) and SiLU have no corner: their slope at 0 is 1 and ½ from either side.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .printing import MINUS

LEAKY_SLOPE = 0.01  # leaky ReLU's slope for net ≤ 0


def sigmoid(z):
    """Logistic function, written so that no exp overflows for any z."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(z):
    """log(1 + e^z), written so that no exp overflows for any z."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


@dataclass(frozen=True)
class Activation:
    """out = f(net) and its slope ∂out/∂net, in every form the library uses."""
    name: str
    numpy: Callable  # net -> out, on arrays
    slope: Callable  # (net, out) -> ∂out/∂net, on arrays
    sympy: Callable  # (sp, net) -> out as a SymPy expression
    sympy_slope: Callable  # (sp, net, out) -> ∂out/∂net as the notes write it, in the symbols net and out
    slope_text: str  # ∂out/∂net as the notes write it, with {net} and {out} to fill in (names or numbers)
    code: Callable  # net -> out as an expression of the compiled step
    code_slope: Callable  # (net, out) -> ∂out/∂net as an expression, or None where it is 1


@dataclass(frozen=True)
class Loss:
    """One output's share of the loss and ∂loss/∂out, from the residual r = target − out; count is samples ×
    outputs (a mean divides by it)."""
    name: str
    symbol: str  # how the notes name the loss: E_total, SSR, MSE
    latex: str
    halved: bool  # written with ½ in front, so that the 2 from the square cancels
    term: Callable  # (r, count) -> one output's share, on arrays or floats
    slope: Callable  # (r, count) -> ∂loss/∂out
    sympy: Callable  # (sp, r, count) -> the share as a SymPy expression
    sympy_slope: Callable  # (sp, r, count) -> ∂loss/∂out as the notes write it
    slope_text: Callable  # (r as text, count) -> ∂loss/∂out as the notes write it
    code: Callable  # (r, count) -> the share as an expression of the compiled step
    code_slope: Callable  # (r, count) -> ∂loss/∂out as an expression


@dataclass(frozen=True)
class CoupledLoss:
    """A loss over all the outputs of one sample, which states each output's ∂E/∂net itself: the softmax couples
    the outputs (each output's share depends on every logit), and with a sigmoid the slope σ′ cancels, so
    ∂E/∂net = (p − target)/N, finite where ∂E/∂out × ∂out/∂net would give ∞ × 0. It is a mean over the N
    samples.

    Each function takes the outputs of one sample as lists in the spec's order (arrays across samples, floats,
    SymPy symbols, or names in the compiled step) and returns one entry per output."""
    name: str
    symbol: str
    latex: str
    activation: str  # what the output layer must use: "identity" (its outs are logits) or "sigmoid"
    outputs: tuple  # (fewest, most) output units; most is None for no limit
    one_hot: bool  # each sample's targets: one 1 and the rest 0; else each target is 0 or 1 or between
    terms: Callable  # (nets, targets, N) -> each output's share of the loss, from the nets (no overflow)
    deltas: Callable  # (nets, targets, N) -> ∂E/∂net of each output
    slopes: Callable  # (nets, outs, targets, N) -> ∂E/∂out of each output
    sympy: Callable  # (sp, outs, targets, N) -> each output's share as SymPy, in the out symbols
    sympy_slopes: Callable  # (sp, outs, targets, N) -> ∂E/∂out of each output as the notes write it
    slope_text: Callable  # (outs as text, target as text, k, N) -> ∂E/∂out of output k as the notes write it
    code: Callable  # (nets, outs, targets, N, name) -> (assignments, shares, deltas) of the compiled step
    slips: tuple = ()  # (kind, hint, deltas function as above): the usual wrong ∂E/∂net, for check_gradients
    halved: bool = False


ACTIVATIONS = {}
LOSSES = {}


def register(record):
    """Make an Activation or a Loss known by its name: specs may use it, and every view reads it from here."""
    table = ACTIVATIONS if isinstance(record, Activation) else LOSSES
    table[record.name] = record
    return record


def activation(name):
    return ACTIVATIONS[name]


def loss(name):
    return LOSSES[name]


register(Activation(
    "sigmoid", sigmoid, lambda net, out: out * (1.0 - out),
    lambda sp, net: 1 / (1 + sp.exp(-net)), lambda sp, net, out: out * (1 - out),
    f"{{out}} × (1 {MINUS} {{out}})",
    lambda z: ("sigmoid", z), lambda z, out: ("*", out, ("-", "1.0", out))))
register(Activation(
    "tanh", np.tanh, lambda net, out: 1.0 - out * out,
    lambda sp, net: sp.tanh(net), lambda sp, net, out: 1 - out**2,
    f"1 {MINUS} {{out}}²",
    lambda z: ("tanh", z), lambda z, out: ("-", "1.0", ("*", out, out))))
register(Activation(
    "relu", lambda z: np.maximum(z, 0.0), lambda net, out: (net > 0).astype(float),
    lambda sp, net: sp.Piecewise((net, net > 0), (0, True)), lambda sp, net, out: sp.Heaviside(net, 0),
    "(1 if {net} > 0, else 0)",
    lambda z: ("max0", z), lambda z, out: ("step", z)))
register(Activation(
    "softplus", softplus, lambda net, out: sigmoid(net),
    lambda sp, net: sp.log(1 + sp.exp(net)), lambda sp, net, out: sp.exp(net) / (1 + sp.exp(net)),
    f"1/(1 + e^({MINUS}{{net}}))",
    lambda z: ("+", ("max0", z), ("log1p", ("exp", ("neg", ("abs", z))))), lambda z, out: ("sigmoid", z)))
register(Activation(
    "leaky_relu", lambda z: np.where(z > 0, z, LEAKY_SLOPE * z), lambda net, out: np.where(net > 0, 1.0, LEAKY_SLOPE),
    lambda sp, net: sp.Piecewise((net, net > 0), (sp.Rational(1, 100) * net, True)),
    lambda sp, net, out: sp.Piecewise((1, net > 0), (sp.Rational(1, 100), True)),
    f"(1 if {{net}} > 0, else {LEAKY_SLOPE})",
    lambda z: ("-", ("max0", z), ("*", repr(LEAKY_SLOPE), ("max0", ("neg", z)))),
    lambda z, out: ("+", repr(LEAKY_SLOPE), ("*", repr(1.0 - LEAKY_SLOPE), ("step", z)))))
register(Activation(
    "elu", lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
    lambda net, out: np.exp(np.minimum(net, 0.0)),
    lambda sp, net: sp.Piecewise((net, net > 0), (sp.exp(net) - 1, True)),
    lambda sp, net, out: sp.Piecewise((1, net > 0), (sp.exp(net), True)),
    "(1 if {net} > 0, else e^{net})",
    lambda z: ("+", ("max0", z), ("expm1", ("neg", ("max0", ("neg", z))))),
    lambda z, out: ("exp", ("neg", ("max0", ("neg", z))))))
register(Activation(
    "silu", lambda z: z * sigmoid(z), lambda net, out: sigmoid(net) * (1.0 + net * (1.0 - sigmoid(net))),
    lambda sp, net: net / (1 + sp.exp(-net)),
    lambda sp, net, out: (1 + net * (1 - 1 / (1 + sp.exp(-net)))) / (1 + sp.exp(-net)),
    f"σ({{net}}) × (1 + {{net}} × (1 {MINUS} σ({{net}})))",
    lambda z: ("*", z, ("sigmoid", z)),
    lambda z, out: ("*", ("sigmoid", z), ("+", "1.0", ("*", z, ("-", "1.0", ("sigmoid", z)))))))
register(Activation(
    "identity", lambda z: 1.0 * z, lambda net, out: np.ones_like(net),
    lambda sp, net: net, lambda sp, net, out: sp.Integer(1),
    "1",
    lambda z: z, lambda z, out: None))

register(Loss(
    "half_sse", "E_total", "E_{total}", True,
    lambda r, count: 0.5 * r * r, lambda r, count: -1.0 * r,
    lambda sp, r, count: sp.Mul(sp.Rational(1, 2), r**2, evaluate=False),
    lambda sp, r, count: sp.Mul(-1, r, evaluate=False),
    lambda r, count: f"{MINUS}{r}",
    lambda r, count: ("*", ("*", "0.5", r), r), lambda r, count: ("neg", r)))
register(Loss(
    "sse", "SSR", r"\mathrm{SSR}", False,
    lambda r, count: r * r, lambda r, count: -2.0 * r,
    lambda sp, r, count: r**2,
    lambda sp, r, count: sp.Mul(-2, r, evaluate=False),
    lambda r, count: f"{MINUS}2 × {r}",
    lambda r, count: ("*", r, r), lambda r, count: ("*", repr(-2.0), r)))
register(Loss(
    "mse", "MSE", r"\mathrm{MSE}", False,
    lambda r, count: r * r / count, lambda r, count: -(2.0 / count) * r,
    lambda sp, r, count: sp.Mul(sp.Rational(1, count), r**2, evaluate=False),
    lambda sp, r, count: sp.Mul(sp.Rational(-2, count), r, evaluate=False),
    lambda r, count: f"{MINUS}2/{count} × {r}",
    lambda r, count: ("/", ("*", r, r), repr(float(count))), lambda r, count: ("*", repr(-(2.0 / count)), r)))


def coupled(record):
    """Whether a loss states ∂E/∂net of the outputs itself (a CoupledLoss) rather than ∂E/∂out of each one."""
    return isinstance(record, CoupledLoss)


def log_sum_exp(nets):
    """log(e^z1 + e^z2 + ...) of a list of arrays, with no overflow: the largest z taken out first."""
    top = nets[0]
    for z in nets[1:]:
        top = np.maximum(top, z)
    return top + np.log(sum(np.exp(z - top) for z in nets))


def softmax(nets):
    """e^zk / (e^z1 + e^z2 + ...) for each k, of a list of arrays, with no overflow."""
    lse = log_sum_exp(nets)
    return [np.exp(z - lse) for z in nets]


def _softmax_code(nets, outs, targets, count, name):
    top = nets[0]
    for z in nets[1:]:
        top = ("max", top, z)
    peak, total, lse = name("peak"), name("total"), name("lse")
    exps = [name(f"e{k + 1}") for k in range(len(nets))]
    lines = [(peak, top)] + [(e, ("exp", ("-", z, peak))) for e, z in zip(exps, nets)]
    lines += [(total, _code_sum(exps)), (lse, ("+", peak, ("log", total)))]
    shares = [("*", repr(float(t) / count), ("-", lse, z)) for z, t in zip(nets, targets) if float(t) != 0.0]
    deltas = [("*", ("-", ("/", e, total), t), repr(1.0 / count)) for e, t in zip(exps, targets)]
    return lines, shares or ["0.0"], deltas


def _code_sum(terms):
    total = terms[0]
    for term in terms[1:]:
        total = ("+", total, term)
    return total


def _softmax_text(outs, target, k, count):
    p = f"e^{outs[k]}/({' + '.join(f'e^{o}' for o in outs)})"
    return f"({p} {MINUS} {target})" + (f"/{count}" if count != 1 else "")


def _sympy_softmax(sp, outs, k):
    return sp.exp(outs[k]) / sp.Add(*[sp.exp(o) for o in outs], evaluate=False)


def _mean(sp, count, expr):
    return expr if count == 1 else sp.Mul(sp.Rational(1, count), expr, evaluate=False)


register(CoupledLoss(
    "softmax_cross_entropy", "CE", r"\mathrm{CE}", "identity", (2, None), True,
    lambda nets, targets, count: [t * (log_sum_exp(nets) - z) / count for z, t in zip(nets, targets)],
    lambda nets, targets, count: [(p - t) / count for p, t in zip(softmax(nets), targets)],
    lambda nets, outs, targets, count: [(p - t) / count for p, t in zip(softmax(nets), targets)],
    lambda sp, outs, targets, count: [_mean(sp, count, sp.Mul(-1, t, sp.log(_sympy_softmax(sp, outs, k)),
                                                               evaluate=False))
                                      for k, t in enumerate(targets)],
    lambda sp, outs, targets, count: [_mean(sp, count, _sympy_softmax(sp, outs, k) - t)
                                      for k, t in enumerate(targets)],
    _softmax_text, _softmax_code,
    slips=(("coupling", "It looks like each output's δ took only its own share −target·log p into account: the "
                        "softmax couples the outputs, so every output gets p − target, not only the target's one.",
            lambda nets, targets, count: [t * (p - 1.0) / count for p, t in zip(softmax(nets), targets)]),
           ("sign", "Right size, wrong sign: δ = p − target (the prediction minus the target), not target − p.",
            lambda nets, targets, count: [(t - p) / count for p, t in zip(softmax(nets), targets)]),
           ("mean", "The loss is a mean over the samples: divide δ = p − target by N, the number of samples.",
            lambda nets, targets, count: [p - t for p, t in zip(softmax(nets), targets)]))))


def _bce_code(nets, outs, targets, count, name):
    z, out, t = nets[0], outs[0], targets[0]
    share = ("+", ("-", ("max0", z), ("*", t, z)), ("log1p", ("exp", ("neg", ("abs", z)))))
    return [], [("*", repr(1.0 / count), share)], [("*", ("-", out, t), repr(1.0 / count))]


register(CoupledLoss(
    "binary_cross_entropy", "BCE", r"\mathrm{BCE}", "sigmoid", (1, 1), False,
    lambda nets, targets, count: [(np.maximum(nets[0], 0.0) - targets[0] * nets[0]
                                   + np.log1p(np.exp(-np.abs(nets[0])))) / count],
    lambda nets, targets, count: [(sigmoid(nets[0]) - targets[0]) / count],
    lambda nets, outs, targets, count: [(outs[0] - targets[0]) / (outs[0] * (1.0 - outs[0])) / count],
    lambda sp, outs, targets, count: [_mean(sp, count, -(targets[0] * sp.log(outs[0])
                                                         + (1 - targets[0]) * sp.log(1 - outs[0])))],
    lambda sp, outs, targets, count: [_mean(sp, count, (outs[0] - targets[0]) / (outs[0] * (1 - outs[0])))],
    lambda outs, target, k, count: f"({outs[0]} {MINUS} {target})/({outs[0]} × (1 {MINUS} {outs[0]}))"
                                   + (f"/{count}" if count != 1 else ""),
    _bce_code,
    slips=(("sign", "Right size, wrong sign: δ = out − target (the prediction minus the target), not "
                    "target − out.",
            lambda nets, targets, count: [(targets[0] - sigmoid(nets[0])) / count]),
           ("mean", "The loss is a mean over the samples: divide δ = out − target by N, the number of samples.",
            lambda nets, targets, count: [sigmoid(nets[0]) - targets[0]]))))
