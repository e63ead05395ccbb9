"""Training as a film: the parameters and outputs at evenly spread steps of one run, and its loss curve (numbers only).

The run is net.train's loop (compiled for a full batch, interpreted for minibatches), cut into pieces that end
at the chosen steps: each piece starts from the parameters, the optimiser's state and the batches the last one
ended with, so the operations are the same as one uninterrupted run and the last frame equals net.train exactly.
Each frame keeps the optimiser's state, and update_terms works out the next step's terms (gradient, velocity,
moments and their corrections) from it by the optimiser's rule.
"""
from dataclasses import dataclass

import numpy as np

from . import compiled, optimisers


@dataclass
class Trajectory:
    """Frame k shows step steps[k]: params[k], outputs[k] (one dict per sample) and the optimiser's states[k]
    ({name: {param: value}}); losses has every step's loss; batches[n] lists the samples of step n + 1."""
    steps: list
    params: list
    outputs: list
    losses: np.ndarray
    learning_rate: float
    frozen: tuple
    plan: optimisers.Plan = None
    states: list = None
    batches: list = None

    def curve(self, points=1000):
        """(steps, losses) of the loss curve at no more than points + 1 evenly spread steps, the last included."""
        total = len(self.losses) - 1
        at = np.unique(np.linspace(0, total, min(points, total) + 1).round().astype(int))
        return at.tolist(), self.losses[at].tolist()


def trajectory(net, steps, lr=None, freeze=None, frames=300, **learning):
    """One training run of `steps` steps (as net.train, with its optimizer, batch_size, seed, momentum, betas and
    eps), recorded at about `frames` evenly spread steps."""
    lr, steps, frozen = net.choose_lr(lr), net.check_steps(steps), net.choose_frozen(freeze)
    plan = net.plan(**learning)
    if isinstance(frames, bool) or not isinstance(frames, (int, np.integer)) or frames < 1:
        raise ValueError(f"frames: expected a whole number 1 or more, got {frames!r}")
    marks = np.unique(np.linspace(0, steps, min(frames, steps) + 1).round().astype(int)).tolist()
    pieces = _compiled_pieces if plan.full else _interpreted_pieces
    losses, params, states, batches = pieces(net, lr, marks, frozen, plan)
    losses[0] = net.loss()
    return Trajectory(marks, params, [net.outputs_at(p) for p in params], losses, lr, frozen, plan, states, batches)


def _compiled_pieces(net, lr, marks, frozen, plan):
    record, trainable = plan.record, [k for k in net.params if k not in frozen]
    run = compiled.function(net, frozen, "float", record)
    losses = np.empty(marks[-1] + 1)
    values, state = tuple(net.params.values()), (0.0,) * (len(record.state) * len(trainable))
    params, states = [dict(net.params)], [_named(record, trainable, state)]
    with np.errstate(over="ignore", invalid="ignore"):
        for start, end in zip(marks, marks[1:]):
            piece = [0.0] * (end - start + 1)
            values, state = run(lr, end - start, values, piece, state, start, tuple(plan.settings.values()))
            losses[start + 1:end + 1] = piece[1:]
            params.append(dict(zip(net.params, values)))
            states.append(_named(record, trainable, state))
    return losses, params, states, [tuple(range(len(net.samples)))] * marks[-1]


def _named(record, trainable, state):
    """The compiled run's flat state (each name's values in parameter order) as {name: {param: value}}."""
    return {name: dict(zip(trainable, state[k * len(trainable):(k + 1) * len(trainable)]))
            for k, name in enumerate(record.state)}


def _interpreted_pieces(net, lr, marks, frozen, plan):
    trainable = [k for k in net.params if k not in frozen]
    p, state, losses, seen = net.columns(), None, np.empty(marks[-1] + 1), []
    batches = _recorded(plan.batches(), seen)
    params = [dict(net.params)]
    states = [{name: {k: 0.0 for k in trainable} for name in plan.record.state}]
    with np.errstate(over="ignore", invalid="ignore"):
        for start, end in zip(marks, marks[1:]):
            rows, p, state = net.run_interpreted(p, np.array([[lr]]), end - start, frozen, plan, batches, state, start)
            losses[start + 1:end + 1] = rows[0, 1:]
            params.append({k: float(v[0, 0]) for k, v in p.items()})
            states.append({name: {k: float(v[0, 0]) for k, v in values.items()} for name, values in state.items()})
    return losses, params, states, seen


def _recorded(order, seen):
    """The batches of `order`, each also kept in `seen`."""
    for batch in order:
        seen.append(batch)
        yield batch


def update_terms(net, run, k):
    """The step after frame k as the optimiser takes it, for every trainable parameter: {param: {"g": ∂E/∂w over
    the step's batch, then each term the rule assigns (v; m, v, m_hat, v_hat) and "w", the new value}}; {} after
    the last step."""
    step = run.steps[k]
    if step >= len(run.batches):
        return {}
    part = net.part(run.batches[step])
    p = {name: np.full((1, 1), value) for name, value in run.params[k].items()}
    grads = part.backward_columns(p, *part.forward_columns(p))
    common = optimisers.step_values(run.plan.record, step + 1, run.plan.settings)
    terms = {}
    for param in net.params:
        if param not in run.frozen:
            g = float(grads[param][0])
            state = {name: run.states[k][name][param] for name in run.plan.record.state}
            found = optimisers.update(run.plan.record, run.params[k][param], g, state, run.learning_rate, common)
            terms[param] = {"g": g, **{n: float(v) for n, v in found.items()}}
    return terms
