"""The activations and losses, one record each: every form of one function that the library uses, side by side.

An Activation gives out from net and ∂out/∂net; a Loss gives one output's share of the loss and ∂loss/∂out,
both from the residual r = target − out. Each states its maths four ways: on NumPy arrays (numeric), as SymPy
(the chain rule; the SymPy module is passed in, so this module needs NumPy alone), as the notes write it (the
backward steps' text), and as expressions for the compiled training step (see compiled.py: a name or a number
is a str, an operation a tuple). Adding an activation or a loss is one register() call with one record.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .printing import MINUS



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
