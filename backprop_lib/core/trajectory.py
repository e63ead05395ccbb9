"""Training as a film: the parameters and outputs at evenly spread steps of one run, and its loss curve (numbers only).

The run is net.train's compiled loop, cut into pieces that end at the chosen steps: each piece starts from
the parameters the last one ended with, so the operations are the same as one uninterrupted run and the
last frame equals net.train(steps, lr) exactly.
"""
from dataclasses import dataclass

import numpy as np

from . import compiled


@dataclass
class Trajectory:
    """Frame k shows step steps[k]: params[k] and outputs[k] (one dict per sample); losses has every step's loss."""
    steps: list
    params: list
    outputs: list
    losses: np.ndarray
    learning_rate: float
    frozen: tuple

    def curve(self, points=1000):
        """(steps, losses) of the loss curve at no more than points + 1 evenly spread steps, the last included."""
        total = len(self.losses) - 1
        at = np.unique(np.linspace(0, total, min(points, total) + 1).round().astype(int))
        return at.tolist(), self.losses[at].tolist()


def trajectory(net, steps, lr=None, freeze=None, frames=300):
    """One training run of `steps` steps (as net.train), recorded at about `frames` evenly spread steps."""
    lr, steps, frozen = net.choose_lr(lr), net.check_steps(steps), net.choose_frozen(freeze)
    if isinstance(frames, bool) or not isinstance(frames, (int, np.integer)) or frames < 1:
        raise ValueError(f"frames: expected a whole number 1 or more, got {frames!r}")
    marks = np.unique(np.linspace(0, steps, min(frames, steps) + 1).round().astype(int)).tolist()
    run = compiled.function(net, frozen, "float")
    losses = np.empty(steps + 1)
    values = tuple(net.params.values())
    params = [dict(net.params)]
    losses[0] = net.loss()
    with np.errstate(over="ignore", invalid="ignore"):
        for start, end in zip(marks, marks[1:]):
            piece = [0.0] * (end - start + 1)
            values = run(lr, end - start, values, piece)
            losses[start + 1:end + 1] = piece[1:]
            params.append(dict(zip(net.params, values)))
    return Trajectory(marks, params, [net.outputs_at(p) for p in params], losses, lr, frozen)
