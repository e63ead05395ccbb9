"""matplotlib figures of a network: its diagram, activations, loss curves, learning-rate sweeps and loss landscapes.

Every function takes `ax=None` and returns the Figure it drew on. Without an axes it makes a new
Figure that pyplot does not manage, so a notebook shows it once (as the cell's value) and never twice.
"""
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from . import spec as specs
from .numeric import ACTIVATIONS, MINUS
from .spec import SpecError

# Load the backend now: in a notebook kernel the inline backend then registers how a Figure displays,
# so a Figure returned as a cell's value shows as a picture without `%matplotlib inline`.
plt.switch_backend(matplotlib.get_backend())

POSITIVE, NEGATIVE, NEUTRAL, HIGHLIGHT = "#c0392b", "#2471a3", "#7f8c8d", "#f39c12"
COLUMN = 2.6  # distance between the diagram's layers; units in a layer are 1.5 apart
DIVERGED = 1e100  # a loss above this (or not finite) can only come from updates that blew up


def diverged(losses):
    """True where a loss has blown up: not finite, or above DIVERGED."""
    losses = np.asarray(losses, dtype=float)
    return ~np.isfinite(losses) | (losses > DIVERGED)


def fmt(x, digits=4):
    """A number with `digits` significant figures and a typographic minus sign."""
    return f"{x:.{digits}g}".replace("-", MINUS)


def _axes(ax, size):
    if ax is not None:
        return ax
    return Figure(figsize=size, layout="constrained").add_subplot()


# --- the network diagram ----------------------------------------------------------------------

def layout(net):
    """Where each node goes: {node: (x, y)}, one column per layer, a bias node '1' under a layer's
    sources when that layer has biases, and the loss node 'E' on the right."""
    columns = [list(net.inputs)] + [list(layer["neurons"]) for layer in net.spec["layers"]]
    pos = {}
    for k, column in enumerate(columns):
        biased = k < len(net.spec["layers"]) and any(
            b["bias"] is not None for b in net.spec["layers"][k]["neurons"].values())
        nodes = column + ([f"1:{k + 1}"] if biased else [])
        for j, node in enumerate(nodes):
            pos[node] = (COLUMN * k, 1.5 * ((len(nodes) - 1) / 2 - j))
    pos["E"] = (COLUMN * len(columns), 0.0)
    return pos


def edges(net):
    """Every edge of the diagram as (source node, target node, parameter or None)."""
    out = []
    for k, layer in enumerate(net.spec["layers"]):
        for unit, body in layer["neurons"].items():
            out += [(src, unit, w) for src, w in body["weights"].items()]
            if body["bias"] is not None:
                out.append((f"1:{k + 1}", unit, body["bias"]))
    out += [(u, "E", None) for u in net.outputs]
    return out


def chain_path(net, param):
    """The nodes and edges on every path from a parameter's uses to the loss node 'E'."""
    net.check_param(param)
    all_edges = edges(net)
    uses = [e for e in all_edges if e[2] == param]
    reach_loss = {"E"}
    for src, dst, _ in reversed(all_edges):  # edges are in layer order, so one backward pass suffices
        if dst in reach_loss:
            reach_loss.add(src)
    downstream = {dst for _, dst, _ in uses}
    for src, dst, _ in all_edges:
        if src in downstream:
            downstream.add(dst)
    nodes = downstream & reach_loss
    path_edges = [e for e in uses if e[1] in nodes] + \
        [e for e in all_edges if e[0] in nodes and e[1] in nodes]
    return nodes | {e[0] for e in path_edges}, path_edges


def network_size(net):
    """A figure size (inches) that fits the network's diagram."""
    pos = layout(net)
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    return min(0.85 * (max(xs) + 2) + 0.5, 12), min(0.85 * (max(ys) - min(ys) + 2) + 0.6, 9)


def network(net, gradients=False, highlight=None, ax=None):
    """The network with every unit's net and out (sample 0) and every edge's parameter value;
    with `gradients`, edges coloured by the sign of dE/dparam and as wide as its size; with
    `highlight` a parameter name, the chain-rule paths from that parameter to the loss stand out."""
    pos = layout(net)
    ax = _axes(ax, network_size(net))
    values = net.forward()[0]
    grads = net.gradients() if gradients else {}
    largest = max((abs(g) for g in grads.values() if math.isfinite(g)), default=0.0) or 1.0
    path_nodes, path_edges = chain_path(net, highlight) if highlight is not None else (set(), [])
    on_path = set((s, d, p) for s, d, p in path_edges)
    all_edges = edges(net)
    for n, (src, dst, param) in enumerate(all_edges):
        _edge(ax, pos, src, dst, param, net, grads, largest, (src, dst, param) in on_path,
              highlight is not None, n)
    for node, (x, y) in pos.items():
        _node(ax, node, x, y, net, values, node in path_nodes, highlight is not None)
    for k, layer in enumerate(net.spec["layers"]):
        ax.text(COLUMN * (k + 1), max(y for _, y in pos.values()) + 0.75, layer["activation"],
                ha="center", va="bottom", fontsize=8, color=NEUTRAL, style="italic")
    title = f"{net.name}: net and out of sample 0" + (", gradients of the loss" if gradients else "")
    if highlight is not None:
        title += f", chain rule for {highlight}"
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal")
    ax.set_xlim(-0.8, max(x for x, _ in pos.values()) + 0.8)
    ys = [y for _, y in pos.values()]
    ax.set_ylim(min(ys) - 0.8, max(ys) + 1.1)
    ax.axis("off")
    return ax.figure


def _edge(ax, pos, src, dst, param, net, grads, largest, on_path, highlighting, n):
    (x0, y0), (x1, y1) = pos[src], pos[dst]
    skips = abs(x1 - x0) > 1.5 * COLUMN and dst != "E"  # an edge that jumps a layer bends round the units between
    colour, lw = NEUTRAL, 1.2
    if param is not None and param in grads:
        g = grads[param]
        colour = POSITIVE if g > 0 else NEGATIVE if g < 0 else NEUTRAL
        lw = 0.6 + 4.0 * min(abs(g) / largest, 1.0) if math.isfinite(g) else 0.6
    alpha = 1.0 if on_path or not highlighting else 0.2
    if skips:
        style = "arc3,rad=0.25"
        if on_path:
            ax.add_artist(FancyArrowPatch((x0, y0), (x1, y1), connectionstyle=style, arrowstyle="-",
                                          lw=lw + 5, color=HIGHLIGHT, alpha=0.55, shrinkA=16, shrinkB=16))
        ax.add_artist(FancyArrowPatch((x0, y0), (x1, y1), connectionstyle=style, arrowstyle="-",
                                      lw=lw, color=colour, alpha=alpha, shrinkA=16, shrinkB=16))
    else:  # straight lines from rim to rim: much faster to draw than arrow patches
        length = math.hypot(x1 - x0, y1 - y0)
        a, b = _radius(src) / length, 1 - _radius(dst) / length
        xs, ys = [x0 + a * (x1 - x0), x0 + b * (x1 - x0)], [y0 + a * (y1 - y0), y0 + b * (y1 - y0)]
        if on_path:
            ax.plot(xs, ys, lw=lw + 5, color=HIGHLIGHT, alpha=0.55, solid_capstyle="round")
        ax.plot(xs, ys, lw=lw, color=colour, alpha=alpha)
    if param is None:
        return
    # alternate along the visible part of the edge so that neighbouring labels do not collide
    length = math.hypot(x1 - x0, y1 - y0)
    a, b = _radius(src) / length, 1 - _radius(dst) / length
    t = a + (0.25 if n % 2 == 0 else 0.72) * (b - a)
    x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
    if skips:
        y += 0.25 * abs(x1 - x0) * 0.5
    label = f"{param} = {fmt(net.params[param])}"
    if param in grads:
        label += f"\n\u2202E/\u2202{param} = {fmt(grads[param])}"
    ax.text(x, y, label, ha="center", va="center", fontsize=6.5, color=colour, alpha=max(alpha, 0.35), zorder=5,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))


def _radius(node):
    return 0.22 if node.startswith("1:") else 0.5


def _node(ax, node, x, y, net, values, on_path, highlighting):
    alpha = 1.0 if on_path or not highlighting else 0.35
    edge = HIGHLIGHT if on_path else "#34495e"
    if node.startswith("1:"):
        ax.add_artist(Circle((x, y), _radius(node), fc="#ecf0f1", ec=edge, lw=2.5 if on_path else 1, alpha=alpha))
        ax.text(x, y, "1", ha="center", va="center", fontsize=8, alpha=alpha)
        return
    radius = _radius(node)
    if node == "E":
        text = f"E_total\n{fmt(net.loss())}"
        fc = "#fdebd0"
    elif node in net.inputs:
        text = f"{node}\n{fmt(net.samples[0][node])}"
        fc = "#eaf2f8"
    else:
        text = f"{node}\nnet {fmt(values['net_' + node])}\nout {fmt(values['out_' + node])}"
        fc = "#eafaf1" if node not in net.outputs else "#fef9e7"
    ax.add_artist(Circle((x, y), radius, fc=fc, ec=edge, lw=3 if on_path else 1.2, alpha=alpha, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=7, alpha=max(alpha, 0.5), zorder=4)
    if node in net.outputs:
        ax.text(x, y - radius - 0.12, f"target {fmt(net.samples[0][node])}", ha="center", va="top",
                fontsize=6.5, color=NEUTRAL, zorder=4)


# --- activations ------------------------------------------------------------------------------

def activation(name, ax=None):
    """An activation function and its derivative over net from -6 to 6."""
    if name not in ACTIVATIONS:
        raise SpecError(f"activation: unknown activation {name!r} (choose one of {', '.join(ACTIVATIONS)})")
    f, df = ACTIVATIONS[name]
    z = np.linspace(-6, 6, 601)
    out = f(z)
    ax = _axes(ax, (5, 3.2))
    ax.plot(z, out, label=f"out = {name}(net)", color=NEGATIVE, lw=2)
    ax.plot(z, df(z, out), label="\u2202out/\u2202net", color=POSITIVE, lw=2, ls="--")
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("net")
    ax.set_title(name)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax.figure


# --- training ---------------------------------------------------------------------------------

def _labelled(results):
    if isinstance(results, dict):
        return list(results.items())
    if isinstance(results, (list, tuple)):
        return [(f"lr = {r.learning_rate:g}", r) for r in results]
    return [(f"lr = {results.learning_rate:g}", results)]


def loss_curve(result, ax=None):
    """Loss against training step on a log scale, for one TrainResult or a list or dict of them.
    A run whose loss blows up is drawn up to its last finite step and labelled as diverged."""
    ax = _axes(ax, (6, 3.5))
    for label, r in _labelled(result):
        losses = np.asarray(r.losses, dtype=float)
        bad = np.flatnonzero(diverged(losses))
        shown = np.where(diverged(losses), np.nan, np.maximum(losses, 1e-300))
        if len(bad):
            label += f" (diverged at step {bad[0]})"
        ax.plot(np.arange(len(losses)), shown, label=label, lw=1.6)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("loss during training")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return ax.figure


def sweep(sweep_result, ax=None):
    """Final loss against learning rate (log-log); runs whose loss blew up are marked as diverged."""
    ax = _axes(ax, (6, 3.5))
    lrs = np.asarray(sweep_result.learning_rates, dtype=float)
    final = np.asarray(sweep_result.final_losses, dtype=float)
    ok = ~diverged(final)
    shown = np.maximum(final[ok], 1e-300)
    ax.plot(lrs[ok], shown, "o-", color=NEGATIVE, label="final loss")
    if (~ok).any():
        top = shown.max() * 3 if ok.any() else 1.0
        ax.plot(lrs[~ok], np.full((~ok).sum(), top), "x", color=POSITIVE, ms=9, mew=2, label="diverged")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel(f"loss after {sweep_result.steps} steps")
    ax.set_title("which learning rate?")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return ax.figure


# --- the loss landscape -----------------------------------------------------------------------

def descent_path(net, p1, p2, steps, lr):
    """Values of (p1, p2) during gradient descent on those two parameters alone, stopping if they overflow."""
    path, current = [(net.params[p1], net.params[p2])], net
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            g = current.gradients()
            a, b = path[-1][0] - lr * g[p1], path[-1][1] - lr * g[p2]
            if not (math.isfinite(a) and math.isfinite(b)) or max(abs(a), abs(b)) > 1e6:
                break
            path.append((a, b))
            current = current.with_params(**{p1: a, p2: b})
    return np.array(path)


def landscape(net, p1, p2, steps=50, lr=None, span=1.0, ax=None, grid=41):
    """Contours of the loss over two parameters (the others held fixed) with the path gradient
    descent takes from the current values, `steps` steps at learning rate `lr` (the spec's if None)."""
    net.check_param(p1)
    net.check_param(p2)
    if p1 == p2:
        raise SpecError(f"p2: choose a parameter other than {p1}")
    lr = specs.learning_rate(net.learning_rate if lr is None else lr, "lr")
    steps = net._steps(steps)
    span = specs.number(span, "span")
    if span <= 0:
        raise SpecError(f"span: must be greater than 0, got {span}")
    path = descent_path(net, p1, p2, steps, lr)
    lo = np.minimum(path.min(axis=0), path[0] - span) - 0.1 * span
    hi = np.maximum(path.max(axis=0), path[0] + span) + 0.1 * span
    a = np.linspace(lo[0], hi[0], grid)
    b = np.linspace(lo[1], hi[1], grid)
    with np.errstate(over="ignore", invalid="ignore"):
        loss = np.array([[net.with_params(**{p1: x, p2: y}).loss() for x in a] for y in b])
    ax = _axes(ax, (5.5, 4.5))
    finite = loss[np.isfinite(loss)]
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, 16))) if finite.size else 10
    filled = ax.contourf(a, b, loss, levels=levels, cmap="viridis_r", alpha=0.85)
    ax.figure.colorbar(filled, ax=ax, label="loss")
    ax.plot(path[:, 0], path[:, 1], ".-", color="white", lw=1.5, ms=3, mec="black", mew=0.3)
    ax.plot(*path[0], "o", color="white", mec="black", ms=7, label="start")
    ax.plot(*path[-1], "*", color=HIGHLIGHT, mec="black", ms=12, label=f"after {len(path) - 1} steps")
    ax.set_xlabel(p1)
    ax.set_ylabel(p2)
    ax.set_title(f"loss over {p1} and {p2}, learning rate {lr:g}")
    ax.legend(fontsize=8, loc="upper right")
    return ax.figure
