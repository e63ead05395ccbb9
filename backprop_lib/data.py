"""Datasets for a network to learn: the built-in 2-D sets, CSV files, a seeded split, and a spec built around them.

    d = make("spiral", n=120, noise=0.1, seed=1)     # a Data: x (n × 2), labels 0..k-1, one-hot targets
    d = read_csv("my.csv", inputs=["a", "b"], targets=["c"])          # a number to fit
    d = read_csv("my.csv", inputs=["a", "b"], label="kind")           # classes, from a column of names
    train, test = split(d, test=0.25, seed=0)
    spec = network(train, hidden=(8, 8), activation="tanh", loss="half_sse", seed=0)   # then bp.load(spec)

NumPy only. Classes are learnt with one output per class and one-hot targets; one class (or a CSV target)
is regression. The spec limits of core/spec.py hold for every spec built here.
"""
import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .core import spec as specs
from .core.maths import ACTIVATIONS, LOSSES, MINUS

SETS = ("circle", "xor", "spiral", "gaussians")
MARKERS = ("circle", "square", "triangle", "diamond")  # class k is drawn with MARKERS[k], so colour is not alone


@dataclass
class Data:
    """Samples: x (n × inputs) and targets (n × outputs), with their names; labels (0..k-1) when they are classes."""
    x: np.ndarray
    targets: np.ndarray
    inputs: list
    outputs: list
    labels: np.ndarray = None
    names: list = None  # each class's name, when a CSV's label column gave them

    def __len__(self):
        return len(self.x)

    @property
    def classes(self):
        """How many classes (0 for regression)."""
        return 0 if self.labels is None else len(self.outputs)

    def take(self, rows):
        """The samples at these rows, as a new Data."""
        rows = np.asarray(rows, dtype=int)
        labels = None if self.labels is None else self.labels[rows]
        return Data(self.x[rows], self.targets[rows], list(self.inputs), list(self.outputs), labels, self.names)

    def samples(self):
        """The samples as a spec's data: one dict per sample, inputs and targets by name."""
        names = self.inputs + self.outputs
        return [dict(zip(names, map(float, row))) for row in np.hstack([self.x, self.targets])]

    def text(self):
        """What the data holds, in words: counts per class (or the target's range) and the inputs' extents."""
        parts = [f"{len(self)} samples"]
        if self.labels is not None:
            named = [f" {name!r}" for name in self.names] if self.names else [""] * self.classes
            parts += [f"class {k + 1}{named[k]} ({MARKERS[k % len(MARKERS)]}s): {int((self.labels == k).sum())}"
                      for k in range(self.classes)]
        else:
            parts += [f"{name} from {_g(self.targets[:, j].min())} to {_g(self.targets[:, j].max())}"
                      for j, name in enumerate(self.outputs)]
        parts += [f"{name} from {_g(self.x[:, j].min())} to {_g(self.x[:, j].max())}"
                  for j, name in enumerate(self.inputs)]
        return "; ".join(parts)


def _g(x):
    return f"{x:.2f}".replace("-", MINUS)


def classes(x, labels, count=None):
    """A Data of 2-D points with class labels 0..count-1: one output per class (c1, c2, ...), one-hot targets."""
    labels = np.asarray(labels, dtype=int)
    count = int(labels.max()) + 1 if count is None else count
    return Data(np.asarray(x, dtype=float).reshape(len(labels), -1), np.eye(count)[labels],
                ["x1", "x2"], [f"c{k + 1}" for k in range(count)], labels)


def regression(x, y):
    """A Data with one input x and one target y (one class drawn: its height is what is learnt)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return Data(x.reshape(-1, 1), y.reshape(-1, 1), ["x"], ["y"])


def make(name, n=100, noise=0.1, seed=0):
    """A built-in 2-D set of n points in about [−1, 1]²: circle (a disc inside a ring), xor (four quadrants),
    spiral (two arms), gaussians (two blobs). noise is the spread added to each point; same seed, same set."""
    if name not in SETS:
        raise specs.SpecError(f"name: no data set '{name}' (choose one of {', '.join(SETS)})")
    n = _count(n)
    noise = specs.number(noise, "noise")
    if noise < 0:
        raise specs.SpecError(f"noise: must be 0 or more, got {noise}")
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    x = globals()[f"_{name}"](rng, labels)
    return classes(x + noise * rng.standard_normal(x.shape), labels, 2)


def _count(n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise specs.SpecError(f"n: expected a whole number 2 or more, got {n!r}")
    if n > specs.MAX_SAMPLES:
        raise specs.SpecError(f"n: too many samples: {n:,} (a spec may have at most {specs.MAX_SAMPLES:,})")
    return int(n)


def _circle(rng, labels):
    radius = np.where(labels == 0, rng.uniform(0, 0.45, len(labels)), rng.uniform(0.65, 0.95, len(labels)))
    angle = rng.uniform(0, 2 * np.pi, len(labels))
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _xor(rng, labels):
    x = rng.uniform(0.1, 0.95, (len(labels), 2)) * rng.choice([-1, 1], (len(labels), 1))
    flip = np.where(labels == 0, 1, -1)  # class 0 where x1 and x2 share a sign, class 1 where they differ
    return np.column_stack([x[:, 0], flip * x[:, 1]])


def _spiral(rng, labels):
    t = rng.uniform(0.05, 1.0, len(labels))
    angle = 3 * np.pi * t + np.pi * labels
    return 0.9 * np.column_stack([t * np.cos(angle), t * np.sin(angle)])


def _gaussians(rng, labels):
    centre = np.where(labels[:, None] == 0, [-0.5, -0.5], [0.5, 0.5])
    return centre + 0.2 * rng.standard_normal((len(labels), 2))


def read_csv(path, inputs, targets=(), label=None):
    """A Data from a CSV file with a header row: the named columns as inputs (numbers), and either targets
    (numbers to fit) or label, one column whose cells name each sample's class (any text; the classes are taken in
    sorted order, class 1 first, each one output with one-hot targets). A column of whole numbers named in
    `targets` is a number to fit, not a class. Every problem found is one line naming the line and the column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ValueError(f"{path}: cannot read: {err.strerror}") from None
    return parse_csv(text, inputs, targets, where=str(path), label=label)


def parse_csv(text, inputs, targets=(), where="CSV", label=None):
    """read_csv for CSV text already in hand (a file uploaded in the browser); `where` names it in messages."""
    path = where
    if label is not None and list(targets):
        raise ValueError(f"{path}: name targets (numbers to fit) or label (a column of class names), not both")
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise ValueError(f"{path}: line 1: empty file (expected a header row naming the columns)")
    header = [h.strip() for h in rows[0]]
    wanted = list(inputs) + list(targets)
    problems = [f"{path}: line 1, column '{name}': no such column (columns: {', '.join(header)})"
                for name in wanted + ([label] if label is not None else []) if name not in header]
    if not inputs or (not list(targets) and label is None) or problems:
        raise ValueError("\n".join(problems) or f"{path}: name the inputs, and the targets or a label column")
    where = [header.index(name) for name in wanted]
    values, names = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        found = [_cell(row, k, f"{path}: line {line}, column '{header[k]}'", problems) for k in where]
        values.append(found)
        if label is not None:
            k = header.index(label)
            names.append(row[k].strip() if k < len(row) else "")
            if not names[-1]:
                problems.append(f"{path}: line {line}, column '{label}': missing value")
    kinds = sorted(set(names) - {""})
    if label is not None and values and len(kinds) == 1 and not problems:
        problems.append(f"{path}: column '{label}': one class only ({kinds[0]!r}); classes need two or more "
                        "(for a number to fit, name the column in targets)")
    if not values and not problems:
        problems.append(f"{path}: line 2: no samples after the header")
    if len(values) > specs.MAX_SAMPLES:
        problems.append(f"{path}: line {specs.MAX_SAMPLES + 2}: too many samples: {len(values):,} "
                        f"(a spec may have at most {specs.MAX_SAMPLES:,})")
    if problems:
        raise ValueError("\n".join(problems))
    table = np.array(values, dtype=float)
    if label is None:
        return Data(table[:, :len(inputs)], table[:, len(inputs):], list(inputs), list(targets))
    labels = np.array([kinds.index(name) for name in names])
    return Data(table, np.eye(len(kinds))[labels], list(inputs), [f"c{k + 1}" for k in range(len(kinds))], labels,
                kinds)


def _cell(row, k, where, problems):
    if k >= len(row) or not row[k].strip():
        problems.append(f"{where}: missing value")
        return np.nan
    try:
        value = float(row[k])
    except ValueError:
        problems.append(f"{where}: not a number: {row[k].strip()!r}")
        return np.nan
    if not np.isfinite(value):
        problems.append(f"{where}: not a finite number: {row[k].strip()!r}")
    return value


def split(data, test=0.25, seed=0):
    """(train, test): a seeded shuffle, then the last `test` share of it held out (at least one of each)."""
    share = specs.number(test, "test")
    if not 0 < share < 1:
        raise specs.SpecError(f"test: must be between 0 and 1, got {test}")
    if len(data) < 2:
        raise specs.SpecError("data: a split needs 2 samples or more")
    order = np.random.default_rng(seed).permutation(len(data))
    held = min(len(data) - 1, max(1, round(share * len(data))))
    return data.take(np.sort(order[:-held])), data.take(np.sort(order[-held:]))


def network(data, hidden=(8,), activation="tanh", loss="half_sse", output=None, seed=0, learning_rate=0.1,
            name="your data"):
    """A spec around the data: its inputs, `hidden` layers of tanh (or another) units, one output per target,
    weights drawn from a seeded normal of spread 1/√(units in), biases 0. The output activation is sigmoid for
    classes and identity for a number, unless `output` names one."""
    for field, value, table in (("activation", activation, ACTIVATIONS), ("loss", loss, LOSSES),
                                ("output", output, ACTIVATIONS)):
        if value is not None and value not in table:
            raise specs.SpecError(f"{field}: unknown {field} '{value}' (choose one of {', '.join(table)})")
    sizes = [_size(h, k) for k, h in enumerate(hidden)]
    output = output or ("sigmoid" if data.labels is not None else "identity")
    rng = np.random.default_rng(seed)
    sources, layers, params = list(data.inputs), [], {}
    for k, size in enumerate(sizes + [len(data.outputs)]):
        last = k == len(sizes)
        names = list(data.outputs) if last else [f"h{k + 1}_{j + 1}" for j in range(size)]
        neurons = {}
        for unit in names:
            weights = {}
            for source in sources:
                weights[source] = f"w{len(params) + 1}"
                params[weights[source]] = float(rng.standard_normal() / np.sqrt(len(sources)))
            neurons[unit] = {"weights": weights, "bias": f"b_{unit}"}
            params[f"b_{unit}"] = 0.0
        layers.append({"activation": output if last else activation, "neurons": neurons})
        sources = names
    spec = {"name": name, "inputs": list(data.inputs), "layers": layers, "params": params, "loss": loss,
            "data": data.samples(), "learning_rate": learning_rate}
    return specs.validate(spec)


def _size(h, k):
    if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or h < 1:
        raise specs.SpecError(f"hidden[{k}]: expected a whole number of units 1 or more, got {h!r}")
    return int(h)
