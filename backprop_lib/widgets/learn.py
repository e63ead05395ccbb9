"""Watch a network learn data: every unit's output over the input plane as a small heatmap beside its node, the
decision boundary (or, for a number to fit, its curve or surface) with the samples, and the train and test loss curves, played in the page.

The kernel trains once (trajectory.trajectory) and computes, with NumPy, every unit's output at every cell of
a grid for every frame in one pass; it sends them as one block of bytes (one intensity 0..255 per unit, cell
and frame) beside a small JSON film of losses and accuracies. learn.js draws them (learn.css beside it), so no
frame waits for the kernel.

    w = Learner(net, train, test)     # net = bp.load(bp.data.network(train, ...)); test may be None
    w.train(steps=300, lr=0.1)        # a new film, shown at its last frame; w.text() says what it shows
"""
from pathlib import Path

from ..extras import require

require("learn", "anywidget")
import anywidget  # noqa: E402
import numpy as np
import traitlets as T

from ..core import structure
from ..core.numeric import Network
from ..core.spec import SpecError
from ..core.trajectory import trajectory
from .. import data as datasets
from ..data import MARKERS
from ..explain.network import load as load_net
from .view import fmt

HERE = Path(__file__).parent
CELLS = 30  # grid cells along each input axis
FRAMES = 100  # frames of a film
RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}  # other activations: the range their outputs reach


def plane(data, cells=CELLS):
    """The region drawn (the data's extents and a tenth more on each side) and its grid of cell centres,
    row by row from the top: (extents [(lo, hi) per input], points (cells^inputs × inputs))."""
    extents = []
    for column in data.x.T:
        lo, hi = float(column.min()), float(column.max())
        pad = 0.1 * (hi - lo) or 0.5
        extents.append((lo - pad, hi + pad))
    along = [lo + (hi - lo) * (np.arange(cells) + 0.5) / cells for lo, hi in extents]
    if len(along) == 1:
        return extents, along[0][:, None]
    xs, ys = np.meshgrid(along[0], along[1][::-1])
    return extents, np.column_stack([xs.ravel(), ys.ravel()])


def unit_outputs(net, params, points):
    """Every unit's out at every point, for every parameter set: {unit: array (sets × points)}. The network is
    evaluated once on all points and all sets together (rows are sets, columns points), by its own forward
    pass; the points are only evaluated, never trained on, so the spec's sample limit does not apply."""
    samples = [dict(zip(net.inputs, map(float, p)), **{u: 0.0 for u in net.outputs}) for p in points]
    on_grid = Network({**net.spec, "data": samples})
    columns = {k: np.array([[p[k]] for p in params]) for k in net.params}
    with np.errstate(all="ignore"):
        _, out = on_grid.forward_columns(columns)
    return {unit: out[unit] for unit, _, _ in net.units}


def intensities(values, activation):
    """Outputs as bytes 0..255 over the activation's range (tanh −1..1, sigmoid 0..1; others, the range
    reached), and that range."""
    lo, hi = RANGES.get(activation, (np.nanmin(values), np.nanmax(values)))
    if not np.isfinite(lo) or not np.isfinite(hi) or hi - lo < 1e-12:
        lo, hi = (0.0, 1.0) if not np.isfinite(lo) else (lo - 0.5, lo + 0.5)
    scaled = np.nan_to_num((values - lo) / (hi - lo), nan=0.5, posinf=1.0, neginf=0.0)
    return (255 * np.clip(scaled, 0, 1)).round().astype(np.uint8), (float(lo), float(hi))


def scores(net, data, params):
    """Loss and (for classes) accuracy of each parameter set on data: (losses, correct counts or None)."""
    spec = {**net.spec, "data": data.samples()}
    losses, correct = [], []
    with np.errstate(all="ignore"):
        for p in params:
            now = Network(spec, p)
            losses.append(now.loss())
            if data.labels is not None:
                guess = [max(net.outputs, key=row.get) for row in now.predictions()]
                correct.append(sum(g == data.outputs[k] for g, k in zip(guess, data.labels)))
    return losses, (correct if data.labels is not None else None)


def _finite(x):
    return float(x) if np.isfinite(x) else None


def check_fewest_units(data, answer, steps=2000, lr=0.05, seed=0):
    """Is `answer` the fewest tanh units, in one hidden layer, with which `steps` steps of training classify every
    sample of `data`? Trains with answer and with answer − 1 units (seeded) and says what each reached."""
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)) or answer < 1:
        return f"Give a whole number of hidden units, 1 or more (got {answer!r})."
    found = {}
    for units in (answer - 1, answer):
        if units >= 1:
            net = load_net(datasets.network(data, hidden=(units,), activation="tanh", seed=seed))
            params = net.train(steps, lr=lr, freeze=()).params
            found[units] = scores(net, data, [params])[1][0]
    lines = [f"{units} hidden unit{'s' * (units != 1)}: {_percent(right, len(data))} after {steps} steps"
             for units, right in found.items()]
    every = {units: right == len(data) for units, right in found.items()}
    if every[answer] and not every.get(answer - 1, False):
        verdict = f"Right: {answer} is the fewest."
    elif every[answer]:
        verdict = f"Not the fewest: {answer - 1} units classify every sample too. Try fewer."
    else:
        verdict = f"Not enough: {answer} unit{'s' * (answer != 1)} leave samples on the wrong side. Try more."
    return "\n".join(lines + [verdict])


def film(net, train, test, run, cells=CELLS):
    """Everything the page plays: (the JSON film, the bytes of every unit's heatmap at every frame)."""
    extents, points = plane(train, cells)
    outs = unit_outputs(net, run.params, points)
    blocks, units = [], []
    for unit, activation, _ in net.units:
        block, (lo, hi) = intensities(outs[unit], activation)
        blocks.append(block)
        units.append({"name": unit, "lo": fmt(lo, 3), "hi": fmt(hi, 3)})
    grids = np.stack(blocks, axis=1)  # frames × units × cells
    layers = [list(layer["neurons"]) for layer in net.spec["layers"]]
    train_losses, train_correct = scores(net, train, run.params)
    test_losses, test_correct = scores(net, test, run.params) if test is not None else (None, None)
    frames = []
    for k, step in enumerate(run.steps):
        frame = {"step": step, "train": _finite(train_losses[k]),
                 "test": None if test is None else _finite(test_losses[k]),
                 "weights": [_finite(run.params[k][w]) for _, _, w in _edges(net)]}
        frame["text"] = describe(net, run.steps[-1], frame, train, test,
                                 train_correct and train_correct[k], test_correct and test_correct[k])
        frames.append(frame)
    guesses = None
    if train.labels is not None:
        output = np.stack([outs[u] for u in net.outputs], axis=-1)  # frames × cells × classes
        best = output.argmax(axis=-1)
        margin = np.clip(output.max(axis=-1), 0, 1)
        guesses = (best * 64 + np.round(63 * margin)).astype(np.uint8)
    data = {"cells": cells, "dims": len(net.inputs), "extents": extents, "layers": layers, "units": units,
            "inputs": list(net.inputs), "edges": [[s, t] for s, t, _ in _edges(net)],
            "classes": train.classes, "loss_name": net.loss_record.symbol, "frames": frames,
            "points": _points(train, False) + (_points(test, True) if test is not None else []),
            "markers": list(MARKERS)}
    if train.labels is None and len(net.inputs) == 1:
        data["curve"] = [[_finite(v) for v in row] for row in outs[net.outputs[0]]]
        data["target_range"] = [float(train.targets.min()), float(train.targets.max())]
    elif train.labels is None:
        data["surface"] = len(net.units) - len(net.outputs)  # the first output's heatmap, drawn large
    body = grids.tobytes() + (guesses.tobytes() if guesses is not None else b"")
    return data, body


def _edges(net):
    return [edge for edge in structure.unit_edges(net) if edge[0] is not None]


def _points(data, held_out):
    target = data.labels if data.labels is not None else data.targets[:, 0]
    return [[float(a) for a in x] + [float(t), held_out] for x, t in zip(data.x, target)]


def describe(net, total, frame, train, test, train_correct, test_correct):
    """One frame in words: the step, the train and test losses and, for classes, the accuracies."""
    name = net.loss_record.symbol
    parts = [f"step {frame['step']} of {total}", f"train {name} = {_shown(frame['train'])}"]
    if test is not None:
        parts.append(f"test {name} = {_shown(frame['test'])}")
    if train_correct is not None:
        parts.append(f"train accuracy {_percent(train_correct, len(train))}")
    if test_correct is not None:
        parts.append(f"test accuracy {_percent(test_correct, len(test))}")
    return ", ".join(parts)


def _shown(x):
    return "overflow (not finite)" if x is None else fmt(x, 4)


def _percent(correct, count):
    return f"{round(100 * correct / count)}% ({correct} of {count})"


class Learner(anywidget.AnyWidget):
    """Play / pause / reset and a step slider for a training film of a network on data, drawn in the page."""
    _esm = HERE / "learn.js"
    _css = HERE / "learn.css"
    film = T.Dict().tag(sync=True)
    grids = T.Bytes(b"").tag(sync=True)
    frame = T.Int(0).tag(sync=True)  # the frame shown; the page sets it when play stops
    playing = T.Bool(False).tag(sync=True)

    def __init__(self, net, train, test=None, **kwargs):
        if len(net.inputs) not in (1, 2):
            raise SpecError(f"inputs: the learning view draws a plane of one or two inputs; {net.name} has "
                            f"{len(net.inputs)}")
        super().__init__(**kwargs)
        self.net, self.train_data, self.test_data, self.run = net, train, test, None

    def __repr__(self):
        return f"<Learner of {self.net.name}>"

    def train(self, steps=300, lr=None, frames=FRAMES, play=False, cells=CELLS):
        """Train `steps` steps (as net.train) and show the run: from its first frame playing, or at its end."""
        self.run = trajectory(self.net, steps, lr=lr, freeze=(), frames=frames)
        data, body = film(self.net, self.train_data, self.test_data, self.run, cells)
        with self.hold_sync():
            self.film, self.grids = data, body
            self.playing = play
            self.frame = 0 if play else len(self.run.steps) - 1
        return self

    def text(self):
        """What the figure shows at the frame it stands at, in words with its numbers."""
        if not self.film:
            return "not trained yet"
        return self.film["frames"][self.frame]["text"]
