"""matplotlib figures of a network: its diagram, activations, loss curves, learning-rate sweeps and loss landscapes.

Every function takes `ax=None` and returns the Figure it drew on. Without an axes it makes a new
Figure that pyplot does not manage, so a notebook shows it once (as the cell's value) and never twice.
"""
import html
import math

from .extras import require

require("plots", "matplotlib")
import matplotlib  # noqa: E402
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from .core import spec as specs
from .core import maths
from .core.printing import MINUS
from .core.spec import SpecError
from .core.structure import COLUMN, chain_path, edge_gradients, edges, layout, uses  # noqa: F401 (bp.plots.chain_path)

# Load the backend now: in a notebook kernel the inline backend then registers how a Figure displays,
# so a Figure returned as a cell's value shows as a picture without `%matplotlib inline`.
plt.switch_backend(matplotlib.get_backend())

POSITIVE, NEGATIVE, NEUTRAL, HIGHLIGHT = "#c0392b", "#2471a3", "#7f8c8d", "#f39c12"
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
    return DescribedFigure(figsize=size, layout="constrained").add_subplot()


class DescribedFigure(Figure):
    """A Figure that a notebook shows with its text alternative: `description` becomes the picture's alt text
    (in HTML, and as the PNG's `alt` metadata that exporters read) and the plain-text form of the output."""

    description = ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        if not self.description:
            return None
        from IPython.core.pylabtools import print_figure
        png = print_figure(self, "png", bbox_inches="tight", base64=True)
        alt = html.escape(self.description)
        return ({"text/html": f'<img src="data:image/png;base64,{png}" alt="{alt}" style="max-width: 100%">',
                 "image/png": png, "text/plain": self.description},
                {"image/png": {"alt": self.description}})


def _described(ax, text):
    """Attach the figure's text alternative (made from the numbers it draws) and return the figure."""
    ax.figure.description = text
    return ax.figure


def _listed(items):
    return "; ".join(items)


# --- the network diagram ----------------------------------------------------------------------

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
    grads = edge_gradients(net) if gradients else {}  # a shared parameter's edges each show their own share
    largest = max((abs(g) for g in grads.values() if math.isfinite(g)), default=0.0) or 1.0
    path_nodes, path_edges = chain_path(net, highlight) if highlight is not None else (set(), [])
    on_path = set((s, d, p) for s, d, p in path_edges)
    all_edges = edges(net)
    shared = {p for p, count in uses(net).items() if count > 1}
    for n, (src, dst, param) in enumerate(all_edges):
        _edge(ax, pos, src, dst, param, net, grads, largest, (src, dst, param) in on_path,
              highlight is not None, n, param in shared)
    totals = shared_totals(net) if gradients else []
    ys = [y for _, y in pos.values()]
    for k, line in enumerate(totals):  # each shared parameter's total, once, under the diagram
        ax.text(-0.6, min(ys) - 0.7 - 0.35 * k, line, ha="left", va="top", fontsize=7)
    for node, (x, y) in pos.items():
        _node(ax, node, x, y, net, values, node in path_nodes, highlight is not None)
    for k, layer in enumerate(net.spec["layers"]):
        ax.text(COLUMN * (k + 1), max(y for _, y in pos.values()) + 0.75, layer["activation"],
                ha="center", va="bottom", fontsize=8, color=NEUTRAL, style="italic")
    title = f"{net.name}: net and out of sample 0" + (", gradients of the loss (dashed: negative)" if gradients else "")
    if highlight is not None:
        title += f", chain rule for {highlight}"
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal")
    ax.set_xlim(-0.8, max(x for x, _ in pos.values()) + 0.8)
    ax.set_ylim(min(ys) - 0.8 - 0.35 * len(totals), max(ys) + 1.1)
    ax.axis("off")
    return _described(ax, describe_network(net, gradients, highlight))


def describe_network(net, gradients=False, highlight=None):
    """The diagram in words, from the numbers it draws: each input, each unit's net and out (sample 0), each
    parameter's value and the edges it weighs; with `gradients` each \u2202E/\u2202param; with `highlight`
    the chain-rule paths from that parameter to the loss."""
    values = net.forward()[0]
    grads = net.gradients() if gradients else {}
    what = "gradients of the loss" if gradients else "values"
    lines = [f"Diagram of the network {net.name} with its {what}, sample 0. "
             "Inputs: " + _listed(f"{i} = {fmt(net.samples[0][i])}" for i in net.inputs) + "."]
    for k, layer in enumerate(net.spec["layers"]):
        units = []
        for u in layer["neurons"]:
            words = f"{u}: net {fmt(values['net_' + u])}, out {fmt(values['out_' + u])}"
            units.append(words + (f", target {fmt(net.samples[0][u])}" if u in net.outputs else ""))
        lines.append(f"Layer {k + 1} ({layer['activation']}): " + _listed(units) + ".")
    uses, shares = {}, edge_gradients(net) if gradients else {}
    for src, dst, param in edges(net):
        if param is not None:
            uses.setdefault(param, []).append((f"{'bias' if src.startswith('1:') else src} to {dst}", (src, dst)))
    params = []
    for param, where in uses.items():
        words = f"{param} = {fmt(net.params[param])} ({', '.join(w for w, _ in where)})"
        if param in grads:
            sign = "positive" if grads[param] > 0 else "negative, dashed line" if grads[param] < 0 else "zero"
            words += f", \u2202E/\u2202{param} = {fmt(grads[param])} ({sign})"
            if len(where) > 1:  # a shared parameter: each edge's share, which add up to the gradient
                words += " = " + " + ".join(f"{fmt(shares[e])} ({w})" for w, e in where)
        params.append(words)
    lines.append("Parameters: " + _listed(params) + ".")
    lines.append(f"{net.loss_record.symbol} = {fmt(net.loss())}.")
    if highlight is not None:
        paths = _paths_to_loss(net, highlight)
        lines.append(f"Highlighted: the chain rule for {highlight} follows {len(paths)} "
                     f"path{'s' if len(paths) != 1 else ''} from its edge to the loss: "
                     + _listed(" to ".join(p) for p in paths) + ".")
    return " ".join(lines)


def _paths_to_loss(net, param):
    """Every path of nodes from an edge that uses `param` to the loss node E, as lists of node names."""
    _, path_edges = chain_path(net, param)
    after = {}
    for src, dst, p in path_edges:
        if p is None or p == param or not src.startswith("1:"):
            after.setdefault(src, set()).add(dst)

    def walk(node):
        if node == "E":
            return [[net.loss_record.symbol]]
        return [[node] + rest for nxt in sorted(after.get(node, ())) for rest in walk(nxt)]
    starts = [(src, dst) for src, dst, p in edges(net) if p == param and dst in after]
    return [["bias" if src.startswith("1:") else src] + rest for src, dst in starts for rest in walk(dst)]


def shared_totals(net):
    """A line per shared parameter: its edges' shares added up to its gradient ('∂E/∂b1 = a + b = total')."""
    shares, grads, lines = edge_gradients(net), net.gradients(), []
    for param, count in uses(net).items():
        if count > 1:
            parts = [shares[(s, d)] for s, d, p in edges(net) if p == param]
            added = " ".join([fmt(parts[0])] + [f"{'+' if x >= 0 else MINUS} {fmt(abs(x))}" for x in parts[1:]])
            lines.append(f"\u2202E/\u2202{param} = {added} = {fmt(grads[param])} ({param} is used on {count} edges)")
    return lines


def _edge(ax, pos, src, dst, param, net, grads, largest, on_path, highlighting, n, shared=False):
    (x0, y0), (x1, y1) = pos[src], pos[dst]
    skips = abs(x1 - x0) > 1.5 * COLUMN and dst != "E"  # an edge that jumps a layer bends round the units between
    colour, lw, dashes = NEUTRAL, 1.2, "-"
    if param is not None and (src, dst) in grads:
        g = grads[(src, dst)]
        colour = POSITIVE if g > 0 else NEGATIVE if g < 0 else NEUTRAL
        dashes = "--" if g < 0 else "-"  # the sign is told by the line style too, not by colour alone
        lw = 0.6 + 4.0 * min(abs(g) / largest, 1.0) if math.isfinite(g) else 0.6
    alpha = 1.0 if on_path or not highlighting else 0.2
    if skips:
        style = "arc3,rad=0.25"
        if on_path:
            ax.add_artist(FancyArrowPatch((x0, y0), (x1, y1), connectionstyle=style, arrowstyle="-",
                                          lw=lw + 5, color=HIGHLIGHT, alpha=0.55, shrinkA=16, shrinkB=16))
        ax.add_artist(FancyArrowPatch((x0, y0), (x1, y1), connectionstyle=style, arrowstyle="-", ls=dashes,
                                      lw=lw, color=colour, alpha=alpha, shrinkA=16, shrinkB=16))
    else:  # straight lines from rim to rim: much faster to draw than arrow patches
        length = math.hypot(x1 - x0, y1 - y0)
        a, b = _radius(src) / length, 1 - _radius(dst) / length
        xs, ys = [x0 + a * (x1 - x0), x0 + b * (x1 - x0)], [y0 + a * (y1 - y0), y0 + b * (y1 - y0)]
        if on_path:
            ax.plot(xs, ys, lw=lw + 5, color=HIGHLIGHT, alpha=0.55, solid_capstyle="round")
        ax.plot(xs, ys, lw=lw, color=colour, alpha=alpha, ls=dashes)
    if param is None:
        return
    # alternate along the visible part of the edge so that neighbouring labels do not collide
    length = math.hypot(x1 - x0, y1 - y0)
    a, b = _radius(src) / length, 1 - _radius(dst) / length
    t = a + (0.3 if src.startswith("1:") else 0.25 if n % 2 == 0 else 0.72) * (b - a)  # a bias's near its node
    x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
    if skips:
        y += 0.25 * abs(x1 - x0) * 0.5
    label = f"{param} = {fmt(net.params[param])}"
    if (src, dst) in grads:
        g = grads[(src, dst)]
        label += f"\n{'share of ' if shared else ''}\u2202E/\u2202{param}{':' if shared else ' ='} {'+' if g > 0 else ''}{fmt(g)}"
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
        text = f"{net.loss_record.symbol}\n{fmt(net.loss())}"
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
    z, out, slope = _activation_curves(name)
    ax = _axes(ax, (5, 3.2))
    ax.plot(z, out, label=f"out = {name}(net)", color=NEGATIVE, lw=2)
    ax.plot(z, slope, label="\u2202out/\u2202net", color=POSITIVE, lw=2, ls="--")
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("net")
    ax.set_title(name)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _described(ax, describe_activation(name))


def _activation_curves(name):
    """net from -6 to 6, out = f(net) and d out / d net there: what activation() draws."""
    if name not in maths.ACTIVATIONS:
        raise SpecError(f"activation: unknown activation {name!r} (choose one of {', '.join(maths.ACTIVATIONS)})")
    record = maths.activation(name)
    z = np.linspace(-6, 6, 601)
    out = record.numpy(z)
    return z, out, record.slope(z, out)


def describe_activation(name):
    """The activation plot in words: the range of out and where its slope is largest."""
    z, out, slope = _activation_curves(name)
    top = int(np.argmax(slope))
    return (f"{name}: out = {name}(net) (solid line) and \u2202out/\u2202net (dashed line) against net from "
            f"{fmt(z[0])} to {fmt(z[-1])}. out goes from {fmt(out[0])} to {fmt(out[-1])}, and is {fmt(out[300])} "
            f"at net = 0; \u2202out/\u2202net is largest, {fmt(slope[top])}, at net = {fmt(z[top])}, and is "
            f"{fmt(slope[0])} at net = {fmt(z[0])} and {fmt(slope[-1])} at net = {fmt(z[-1])}.")


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
    return _described(ax, describe_loss_curve(result))


def describe_loss_curve(result):
    """The loss curves in words: each run's first and last loss (or where it blew up) and where two runs cross."""
    runs = _labelled(result)
    lines = [f"Loss (log scale) against training step, {len(runs)} run{'s' if len(runs) != 1 else ''}."]
    for label, r in runs:
        losses = np.asarray(r.losses, dtype=float)
        bad = np.flatnonzero(diverged(losses))
        if len(bad):
            last = f"blew up (diverged) at step {bad[0]}"
            if bad[0] > 0:
                last += f", after {fmt(losses[bad[0] - 1])} at step {bad[0] - 1}"
        else:
            last = f"{fmt(losses[-1])} at step {len(losses) - 1}"
        lines.append(f"{label}: {fmt(losses[0])} at step 0, {last}.")
    for i in range(len(runs)):
        for j in range(i + 1, len(runs)):
            step = _first_crossing(runs[i][1].losses, runs[j][1].losses)
            if step is not None:
                lines.append(f"{runs[i][0]} and {runs[j][0]} cross at step {step}, "
                             f"loss {fmt(runs[i][1].losses[step])}.")
    return " ".join(lines)


def _first_crossing(a, b):
    """The first step after which one curve is below the other where before it was above (or None)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = min(len(a), len(b))
    sign = np.sign(a[:n] - b[:n])
    ok = ~(diverged(a[:n]) | diverged(b[:n]))
    previous = None
    for k in range(n):
        if not ok[k] or sign[k] == 0:
            continue
        if previous is not None and sign[k] != previous:
            return k
        previous = sign[k]
    return None


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
    return _described(ax, describe_sweep(sweep_result))


def describe_sweep(sweep_result):
    """The sweep in words: every point (learning rate, final loss), the best one and those that diverged."""
    lrs = np.asarray(sweep_result.learning_rates, dtype=float)
    final = np.asarray(sweep_result.final_losses, dtype=float)
    ok = ~diverged(final)
    points = [f"{lr:g}: {fmt(loss) if good else 'diverged'}" for lr, loss, good in zip(lrs, final, ok)]
    text = (f"Loss after {sweep_result.steps} steps against learning rate, both on log scales, for "
            f"{len(lrs)} learning rates from {lrs.min():g} to {lrs.max():g}. ")
    if ok.any():
        best = int(np.flatnonzero(ok)[np.argmin(final[ok])])
        text += f"Lowest loss {fmt(final[best])} at learning rate {lrs[best]:g}. "
    if (~ok).any():
        text += f"Diverged at {', '.join(f'{lr:g}' for lr in lrs[~ok])}. "
    return text + "Points (learning rate: loss): " + _listed(points) + "."


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
    steps = net.check_steps(steps)
    span = specs.number(span, "span")
    if span <= 0:
        raise SpecError(f"span: must be greater than 0, got {span}")
    a, b, loss, path = _landscape_grid(net, p1, p2, steps, lr, span, grid)
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
    return _described(ax, _landscape_words(net, p1, p2, lr, a, b, loss, path))


def _landscape_grid(net, p1, p2, steps, lr, span, grid):
    """The descent path and the loss on a grid of (p1, p2) around it: what landscape() draws."""
    path = descent_path(net, p1, p2, steps, lr)
    lo = np.minimum(path.min(axis=0), path[0] - span) - 0.1 * span
    hi = np.maximum(path.max(axis=0), path[0] + span) + 0.1 * span
    a = np.linspace(lo[0], hi[0], grid)
    b = np.linspace(lo[1], hi[1], grid)
    with np.errstate(over="ignore", invalid="ignore"):
        loss = np.array([[net.with_params(**{p1: x, p2: y}).loss() for x in a] for y in b])
    return a, b, loss, path


def describe_landscape(net, p1, p2, steps=50, lr=None, span=1.0, grid=41):
    """The loss landscape in words: the ranges shown, the lowest loss on the grid, and the descent path's
    start and end with their losses (the same arguments as landscape())."""
    lr = specs.learning_rate(net.learning_rate if lr is None else lr, "lr")
    return _landscape_words(net, p1, p2, lr, *_landscape_grid(net, p1, p2, net.check_steps(steps), lr,
                                                                 specs.number(span, "span"), grid))


def _landscape_words(net, p1, p2, lr, a, b, loss, path):
    finite = np.where(np.isfinite(loss), loss, np.inf)
    row, col = np.unravel_index(np.argmin(finite), loss.shape)
    start = net.with_params(**{p1: path[0][0], p2: path[0][1]}).loss()
    end = net.with_params(**{p1: path[-1][0], p2: path[-1][1]}).loss()
    return (f"Contours of the loss over {p1} (across, {fmt(a[0])} to {fmt(a[-1])}) and {p2} (up, {fmt(b[0])} to "
            f"{fmt(b[-1])}), the other parameters fixed; lighter (yellow) is lower, darker (purple) higher. Lowest loss on this grid "
            f"{fmt(loss[row, col])} at {p1} = {fmt(a[col])}, {p2} = {fmt(b[row])}. Gradient descent on {p1} and "
            f"{p2} alone, learning rate {lr:g}: starts at {p1} = {fmt(path[0][0])}, {p2} = {fmt(path[0][1])} "
            f"(loss {fmt(start)}) and after {len(path) - 1} steps is at {p1} = {fmt(path[-1][0])}, "
            f"{p2} = {fmt(path[-1][1])} (loss {fmt(end)}).")


# --- optimisers side by side ------------------------------------------------------------------

def arrivals(results, goal):
    """For each run of a {label: TrainResult} dict, the first step whose loss is at or below `goal` (None if never)."""
    found = {}
    for label, r in results.items():
        below = np.flatnonzero(np.asarray(r.losses, dtype=float) <= goal)
        found[label] = int(below[0]) if len(below) else None
    return found


def race(results, goal):
    """One loss curve per run, side by side on the same log scale, with the goal as a dashed line."""
    fig = DescribedFigure(figsize=(3 * len(results), 3), layout="constrained")
    axes = fig.subplots(1, len(results), sharey=True, squeeze=False)[0]
    reached = arrivals(results, goal)
    for ax, (label, r) in zip(axes, results.items()):
        losses = np.asarray(r.losses, dtype=float)
        ax.plot(np.arange(len(losses)), np.where(diverged(losses), np.nan, np.maximum(losses, 1e-300)), lw=1.6)
        ax.axhline(goal, ls="--", color="0.4", lw=1)
        if reached[label] is not None:
            ax.axvline(reached[label], ls=":", color="0.4", lw=1)
        ax.set_yscale("log")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3, which="both")
    axes[0].set_ylabel("loss")
    fig.description = describe_race(results, goal)
    return fig


def describe_race(results, goal):
    """The race in words: each run's first and last loss and the step at which it first reaches the goal."""
    reached = arrivals(results, goal)
    lines = [f"Loss (log scale) against step for {len(results)} optimisers side by side; dashed line: the goal "
             f"{fmt(goal)}."]
    for label, r in results.items():
        when = f"reaches the goal at step {reached[label]}" if reached[label] is not None else "never reaches the goal"
        lines.append(f"{label}: {fmt(r.losses[0])} at step 0, {fmt(r.losses[-1])} at step {len(r.losses) - 1}, "
                     f"{when}.")
    arrived = sorted((s, label) for label, s in reached.items() if s is not None)
    if arrived:
        lines.append(f"First to arrive: {arrived[0][1]}.")
    return " ".join(lines)
