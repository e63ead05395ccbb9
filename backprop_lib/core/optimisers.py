"""The optimisers, one record each: how a parameter moves once its gradient is known, stated once for every reader.

A rule is a list of assignments (name, expression) in the expressions compiled.py prints (a name or a number is
a str, an operation a tuple). Its names: w the parameter, g its gradient ∂E/∂w, lr the learning rate, t the
step's number counted from 1, the rule's state (v; or m and v), its settings (mu; beta1, beta2, eps) and, for
Adam, the bias corrections c1 and c2, worked out once a step. The plain training loop evaluates the rule on
NumPy arrays (evaluate), the compiled step prints it as code, the film and the notebook read its terms. The
updates follow torch.optim: SGD with momentum (no dampening) and Adam (with bias correction).

Minibatches are stated here too (batches): each epoch a seeded shuffle of the samples, cut into batches.
"""
from dataclasses import dataclass

import numpy as np

from .spec import SpecError, number


@dataclass(frozen=True)
class Optimiser:
    """One update rule: its state (zero at the start), its settings, the assignments made once a step (per_step)
    and those made for every trainable parameter (rule), and the rule as the notes write it."""
    name: str
    state: tuple
    settings: tuple
    per_step: list
    rule: list
    notes: list

    @property
    def terms(self):
        """Every name the rule assigns for a parameter, in order: the state, the corrections, the new w."""
        return [name for name, _ in self.rule]


STEP = ("w", ("-", "w", ("*", "lr", "g")))
OPTIMISERS = {
    "gd": Optimiser("gd", (), (), [], [STEP], ["w⁺ = w − η ∂E/∂w"]),
    "sgd": Optimiser("sgd", (), (), [], [STEP], ["w⁺ = w − η ∂E_batch/∂w"]),
    "momentum": Optimiser(
        "momentum", ("v",), ("mu",), [],
        [("v", ("+", ("*", "mu", "v"), "g")), ("w", ("-", "w", ("*", "lr", "v")))],
        ["v⁺ = μ v + ∂E/∂w", "w⁺ = w − η v⁺"]),
    "adam": Optimiser(
        "adam", ("m", "v"), ("beta1", "beta2", "eps"),
        [("c1", ("-", "1.0", ("**", "beta1", "t"))), ("c2", ("-", "1.0", ("**", "beta2", "t")))],
        [("m", ("+", ("*", "beta1", "m"), ("*", ("-", "1.0", "beta1"), "g"))),
         ("v", ("+", ("*", "beta2", "v"), ("*", ("-", "1.0", "beta2"), ("*", "g", "g")))),
         ("m_hat", ("/", "m", "c1")),
         ("v_hat", ("/", "v", "c2")),
         ("w", ("-", "w", ("/", ("*", "lr", "m_hat"), ("+", ("sqrt", "v_hat"), "eps"))))],
        ["m⁺ = β₁ m + (1 − β₁) ∂E/∂w", "v⁺ = β₂ v + (1 − β₂) (∂E/∂w)²",
         "m̂ = m⁺ / (1 − β₁ᵗ)", "v̂ = v⁺ / (1 − β₂ᵗ)", "w⁺ = w − η m̂ / (√v̂ + ε)"]),
}
NAMES = ("w", "g", "lr", "t", "c1", "c2", "v", "m", "m_hat", "v_hat", "mu", "beta1", "beta2", "eps")


def optimiser(name):
    if name not in OPTIMISERS:
        raise SpecError(f"optimizer: unknown optimizer {name!r} (choose one of {', '.join(OPTIMISERS)})")
    return OPTIMISERS[name]


def settings(name, momentum=0.9, betas=(0.9, 0.999), eps=1e-8):
    """The record and its settings by name, checked: momentum μ in [0, 1); betas in [0, 1); eps above 0.

    Adam's defaults are torch.optim.Adam's; momentum's μ = 0.9 is the usual choice (torch's SGD has 0, no momentum)."""
    record = optimiser(name)
    mu = _fraction(momentum, "momentum")
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise SpecError(f"betas: expected two numbers (beta1, beta2), got {betas!r}")
    beta1, beta2 = (_fraction(b, f"betas[{k}]") for k, b in enumerate(betas))
    eps = number(eps, "eps")
    if eps <= 0:
        raise SpecError(f"eps: must be greater than 0, got {eps!r}")
    chosen = {"mu": mu, "beta1": beta1, "beta2": beta2, "eps": eps}
    return record, {k: chosen[k] for k in record.settings}


def _fraction(value, field):
    x = number(value, field)
    if not 0 <= x < 1:
        raise SpecError(f"{field}: expected a number from 0 up to (not including) 1, got {value!r}")
    return x


def batch_size(name, size, count):
    """The batch size a run uses: every sample unless told (sgd: one sample), at most `count`."""
    if size is None:
        return 1 if name == "sgd" else count
    if name == "gd":
        raise SpecError("batch_size: gd uses every sample at each step; choose optimizer 'sgd' for minibatches")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= count:
        raise SpecError(f"batch_size: expected a whole number from 1 to {count} (the samples), got {size!r}")
    return int(size)


def seed(value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise SpecError(f"seed: expected a whole number 0 or more, got {value!r}")
    return int(value)


def batches(count, size, seed):
    """Minibatches without end: each epoch a new shuffle of the sample numbers from one seeded generator, cut in
    order into batches of `size` (the last may be smaller); each batch lists its samples in the data's order, so
    one batch of every sample is the full batch, added up in the same order."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(count)
        for k in range(0, count, size):
            yield tuple(sorted(order[k:k + size].tolist()))


# --- the rule on numbers -------------------------------------------------------------------------
OPERATIONS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power, "sqrt": np.sqrt}


def evaluate(expression, values):
    """An expression's value, with names looked up in `values` (floats or arrays)."""
    if isinstance(expression, str):
        return values[expression] if expression in values else float(expression)
    op, *args = expression
    return OPERATIONS[op](*(evaluate(a, values) for a in args))


def step_values(record, t, chosen):
    """The names the rule uses once a step (Adam's c1 and c2) at step t."""
    values = {"t": t, **chosen}
    for name, expression in record.per_step:
        values[name] = evaluate(expression, values)
    return values


def update(record, w, g, state, lr, common):
    """One parameter's step: every term the rule assigns ({name: value}, the new w among them), from its value w,
    gradient g and state {name: value}; `common` is step_values' result."""
    values = {**common, **state, "w": w, "g": g, "lr": lr}
    terms = {}
    for name, expression in record.rule:
        values[name] = terms[name] = evaluate(expression, values)
    return terms


@dataclass(frozen=True)
class Plan:
    """How a run learns: the optimiser and its settings, the batch size and the shuffle's seed."""
    record: Optimiser
    settings: dict
    batch_size: int
    seed: int
    samples: int

    @property
    def full(self):
        """Every step sees every sample (full-batch): the compiled step can run it."""
        return self.batch_size == self.samples

    def batches(self):
        return batches(self.samples, self.batch_size, self.seed)


def plan(name, size, seed_value, samples, momentum=0.9, betas=(0.9, 0.999), eps=1e-8):
    """A checked Plan from train()'s arguments; a bad one raises SpecError (a ValueError) naming it."""
    record, chosen = settings(name, momentum, betas, eps)
    return Plan(record, chosen, batch_size(name, size, samples), seed(seed_value), samples)
