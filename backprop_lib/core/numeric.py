"""Numbers for a network spec: forward pass, loss, gradients by backpropagation, training and sweeps."""
from dataclasses import dataclass

import numpy as np

from . import compiled, export
from . import maths, optimisers, structure
from . import spec as specs
from .spec import SpecError


@dataclass
class TrainResult:
    """A training run: N+1 losses (before the first step, then after each), final parameters and outputs."""
    steps: int
    learning_rate: float
    frozen: tuple
    losses: np.ndarray
    params: dict
    outputs: list
    optimizer: str = "gd"
    batch_size: int = None
    seed: int = 0

    def to_json(self):
        return {"steps": self.steps, "learning_rate": self.learning_rate, "optimizer": self.optimizer,
                "batch_size": self.batch_size, "seed": self.seed,
                "losses": [float(x) for x in self.losses], "params": self.params,
                "outputs": self.outputs}


@dataclass
class SweepResult:
    """Many copies trained at once: row k of losses and entry k of each parameter belong to learning_rates[k]."""
    learning_rates: np.ndarray
    steps: int
    frozen: tuple
    losses: np.ndarray
    params: dict

    @property
    def final_losses(self):
        return self.losses[:, -1]


class Network:
    """A network spec with its parameter values; every number is computed from the spec on demand.

    The chain rule, the equations and the backward steps are views of the layers above: the Network that
    load() in backprop_lib gives adds them (backprop_lib.network)."""

    def __init__(self, spec, params=None):
        self.spec = spec
        self.name = spec["name"]
        self.inputs = spec["inputs"]
        self.outputs = list(spec["layers"][-1]["neurons"])
        self.units = [(unit, layer["activation"], body)
                      for layer in spec["layers"] for unit, body in layer["neurons"].items()]
        self.params = dict(spec["params"] if params is None else params)
        self.learning_rate = spec.get("learning_rate")
        self.fixed = tuple(spec.get("fixed", ()))  # what train() keeps fixed when not told otherwise
        self.loss_name = spec["loss"]
        self.loss_record = maths.loss(self.loss_name)
        self.samples = spec["data"]
        self._x = {u: np.array([s[u] for s in self.samples]) for u in self.inputs}
        self._t = {u: np.array([s[u] for s in self.samples]) for u in self.outputs}

    def __repr__(self):
        return f"<Network {self.name}: {len(self.inputs)} inputs, {len(self.units)} units, {len(self.params)} params>"

    # --- building variants -------------------------------------------------------------
    def with_params(self, **values):
        """A copy of this network with some parameters changed (the original is untouched)."""
        params = dict(self.params)
        for name, value in values.items():
            self.check_param(name)
            params[name] = specs.number(value, name)
        return type(self)(self.spec, params)

    def check_param(self, name):
        if name not in self.params:
            raise SpecError(f"{name}: no such parameter (parameters: {', '.join(self.params)})")

    # --- taken away -----------------------------------------------------------------------
    def to_json(self):
        """The spec with the present parameter values, for json.dump: bp.load(net.to_json()) is this network."""
        return export.to_json(self)

    def code(self):
        """This network's forward and backward pass as a standalone Python script (export.code)."""
        return export.code(self)

    # --- one evaluation ----------------------------------------------------------------
    def forward(self):
        """For each sample, a dict of every unit's net_<unit> and out_<unit>."""
        net, out = self.forward_columns(self.columns())
        return [{**{f"net_{u}": float(net[u][0, s]) for u, _, _ in self.units},
                 **{f"out_{u}": float(out[u][0, s]) for u, _, _ in self.units}}
                for s in range(len(self.samples))]

    def predictions(self):
        """For each sample, a dict of each output unit's value."""
        _, out = self.forward_columns(self.columns())
        return [{u: float(out[u][0, s]) for u in self.outputs} for s in range(len(self.samples))]

    def loss_terms(self):
        """For each sample, each output's share of the loss (the notes' E_o1, E_o2); they add up to the loss."""
        net, out = self.forward_columns(self.columns())
        terms = {u: share[0] for u, share in self.loss_shares(net, out).items()}
        return [{u: float(terms[u][s]) for u in self.outputs} for s in range(len(self.samples))]

    def loss(self):
        """The loss of the spec (squared error or cross-entropy) over all samples and outputs."""
        return float(self._loss(*self.forward_columns(self.columns()))[0])

    def gradients(self):
        """d loss / d parameter for every parameter; a shared parameter sums all its uses."""
        p = self.columns()
        net, out = self.forward_columns(p)
        return {k: float(v[0]) for k, v in self.backward_columns(p, net, out).items()}

    def deltas(self):
        """For each sample, d loss / d net_<unit> and d loss / d out_<unit> for every unit (backprop's messages)."""
        p = self.columns()
        net, out = self.forward_columns(p)
        d_out, d_net = {}, {}
        self.backward_columns(p, net, out, d_out, d_net)
        return [{**{f"dE/dout_{u}": float(d_out[u][0, s]) for u, _, _ in self.units},
                 **{f"dE/dnet_{u}": float(d_net[u][0, s]) for u, _, _ in self.units}}
                for s in range(len(self.samples))]

    def use_gradients(self):
        """Each use of a parameter (a weight or bias on one edge) with its share of d loss / d param,
        summed over samples: [(param, source or None for a bias, unit, share)]. A shared parameter's
        shares add up to its gradient."""
        p = self.columns()
        net, out = self.forward_columns(p)
        d_out, d_net = {}, {}
        self.backward_columns(p, net, out, d_out, d_net)
        uses = []
        for unit, _, body in self.units:
            uses += [(w, src, unit, float((d_net[unit] * out[src]).sum())) for src, w in body["weights"].items()]
            if body["bias"] is not None:
                uses.append((body["bias"], None, unit, float(d_net[unit].sum())))
        return uses

    # --- training ----------------------------------------------------------------------
    def train(self, steps, lr=None, freeze=None, optimizer="gd", batch_size=None, seed=0, momentum=0.9,
              betas=(0.9, 0.999), eps=1e-8):
        """`steps` steps of the optimiser ("gd", "sgd", "momentum" or "adam", as optimisers.py states them).

        gd and every full-batch run take their gradients over all samples at the same old parameters (the
        compiled step); minibatches (sgd's default is one sample) follow a seeded shuffle each epoch, so the
        same seed repeats a run exactly. `freeze` names the parameters kept fixed: None keeps the spec's
        `fixed` ones, () trains them all. The losses are over all samples, before the first step and after each."""
        lr, steps, frozen = self.choose_lr(lr), self.check_steps(steps), self.choose_frozen(freeze)
        plan = self.plan(optimizer, batch_size, seed, momentum, betas, eps)
        if plan.full:
            losses, params = compiled.train(self, lr, steps, frozen, plan.record, plan.settings)
        else:
            rows, p, _ = self.run_interpreted(self.columns(), np.array([[lr]]), steps, frozen, plan, plan.batches())
            losses, params = rows[0], {k: float(v[0, 0]) for k, v in p.items()}
        # math.exp and np.exp may differ in the last bit; the starting loss is reported exactly as loss() gives it
        losses[0] = self.loss()
        return TrainResult(steps, lr, frozen, losses, params, self.outputs_at(params), plan.record.name,
                           plan.batch_size, plan.seed)

    def plan(self, optimizer="gd", batch_size=None, seed=0, momentum=0.9, betas=(0.9, 0.999), eps=1e-8):
        """The checked optimiser, settings and minibatches of a run (optimisers.Plan)."""
        return optimisers.plan(optimizer, batch_size, seed, len(self.samples), momentum, betas, eps)

    def sweep(self, lrs, steps, freeze=None, optimizer="gd", batch_size=None, seed=0, momentum=0.9,
              betas=(0.9, 0.999), eps=1e-8):
        """Train one copy per learning rate, all at once (arrays across copies); every copy sees the same batches."""
        lrs, steps, frozen = self._sweep_args(lrs, steps, freeze)
        plan = self.plan(optimizer, batch_size, seed, momentum, betas, eps)
        if plan.full:
            losses, params = compiled.sweep(self, lrs, steps, frozen, plan.record, plan.settings)
            return SweepResult(lrs, steps, frozen, losses, params)
        return self._sweep_interpreted(lrs, steps, frozen, plan)

    def sweep_interpreted(self, lrs, steps, freeze=None, optimizer="gd", batch_size=None, seed=0, momentum=0.9,
                          betas=(0.9, 0.999), eps=1e-8):
        """The same training interpreted from the spec through dicts at every step: the reference for the compiled path."""
        lrs, steps, frozen = self._sweep_args(lrs, steps, freeze)
        return self._sweep_interpreted(lrs, steps, frozen, self.plan(optimizer, batch_size, seed, momentum, betas, eps))

    def _sweep_interpreted(self, lrs, steps, frozen, plan):
        with np.errstate(over="ignore", invalid="ignore"):
            losses, p, _ = self.run_interpreted(self.columns(len(lrs)), lrs[:, None], steps, frozen, plan,
                                                plan.batches())
        return SweepResult(lrs, steps, frozen, losses, {k: v[:, 0].copy() for k, v in p.items()})

    def run_interpreted(self, p, rate, steps, frozen, plan, batches, state=None, done=0):
        """`steps` steps after `done` earlier ones from parameter columns p (one row per copy, rate beside them),
        each on the next batch, the update evaluated from the optimiser's rule: (losses over all samples, one
        row per copy, steps + 1 columns; the parameters; the optimiser's state {name: {param: column}})."""
        record, trainable = plan.record, [k for k in self.params if k not in frozen]
        state = state or {name: {k: np.zeros_like(rate) for k in trainable} for name in record.state}
        p, parts = dict(p), {}
        losses = np.empty((len(rate), steps + 1))
        losses[:, 0] = self._loss(*self.forward_columns(p))
        for t in range(done + 1, done + steps + 1):
            batch = next(batches)
            if batch not in parts:
                parts[batch] = self.part(batch)
            grads = parts[batch].backward_columns(p, *parts[batch].forward_columns(p))
            common = optimisers.step_values(record, t, plan.settings)
            for k in trainable:
                terms = optimisers.update(record, p[k], grads[k][:, None], {s: state[s][k] for s in record.state},
                                          rate, common)
                p[k] = terms["w"]
                for s in record.state:
                    state[s][k] = terms[s]
            losses[:, t - done] = self._loss(*self.forward_columns(p))
        return losses, p, state

    def part(self, samples):
        """The same network over some of its samples (a minibatch), by their numbers."""
        return Network({**self.spec, "data": [self.samples[s] for s in samples]}, self.params)

    # --- arguments ---------------------------------------------------------------------
    def _sweep_args(self, lrs, steps, freeze):
        lrs = np.array([specs.learning_rate(x, "lrs") for x in np.atleast_1d(lrs)])
        return lrs, self.check_steps(steps), self.choose_frozen(freeze)

    def choose_lr(self, lr):
        if lr is None:
            if self.learning_rate is None:
                raise SpecError("lr: not given and the spec has no learning_rate")
            return self.learning_rate
        return specs.learning_rate(lr, "lr")

    @staticmethod
    def check_steps(steps):
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
            raise SpecError(f"steps: expected a whole number 0 or more, got {steps!r}")
        return int(steps)

    def choose_frozen(self, freeze):
        """The parameters to keep fixed: the spec's when freeze is None, else the names given."""
        if freeze is None:
            return self.fixed
        if isinstance(freeze, str):
            freeze = [f for f in freeze.split(",") if f]
        for name in freeze:
            if name not in self.params:
                raise SpecError(f"freeze: no parameter '{name}' (parameters: {', '.join(self.params)})")
        return tuple(freeze)

    def outputs_at(self, params):
        """Outputs for parameters that may be non-finite after a diverging run (no validation)."""
        net = Network(self.spec, params)
        with np.errstate(over="ignore", invalid="ignore"):
            _, out = net.forward_columns(net.columns())
        return [{u: float(out[u][0, s]) for u in self.outputs} for s in range(len(self.samples))]

    # --- the maths, vectorised: rows are copies of the network, columns are samples -------
    def columns(self, copies=1):
        return {k: np.full((copies, 1), v) for k, v in self.params.items()}

    def forward_columns(self, p):
        net, out = {}, dict(self._x)
        for unit, act, body in self.units:
            z = sum(p[w] * out[src] for src, w in body["weights"].items())
            if body["bias"] is not None:
                z = z + p[body["bias"]]
            net[unit] = z
            out[unit] = maths.activation(act).numpy(z)
        return net, out

    def loss_shares(self, net, out):
        """Each output's share of the loss, {output: array with one entry per sample}."""
        record, targets = self.loss_record, [self._t[u] for u in self.outputs]
        if maths.coupled(record):
            shares = record.terms([net[u] for u in self.outputs], targets, len(self.samples))
        else:
            count = len(self.samples) * len(self.outputs)
            shares = [record.term(t - out[u], count) for u, t in zip(self.outputs, targets)]
        return dict(zip(self.outputs, shares))

    def _loss(self, net, out):
        return sum(share.sum(axis=-1) for share in self.loss_shares(net, out).values())

    def output_errors(self, net, out):
        """∂E/∂out of each output, and ∂E/∂net of each where the loss states it itself (a coupled loss), else
        None."""
        record, targets = self.loss_record, [self._t[u] for u in self.outputs]
        if not maths.coupled(record):
            count = len(self.samples) * len(self.outputs)
            return {u: record.slope(t - out[u], count) for u, t in zip(self.outputs, targets)}, None
        nets, outs = [net[u] for u in self.outputs], [out[u] for u in self.outputs]
        with np.errstate(divide="ignore", invalid="ignore"):  # ∂E/∂out may be infinite where p is 0 or 1
            slopes = record.slopes(nets, outs, targets, len(self.samples))
        deltas = record.deltas(nets, targets, len(self.samples))
        return dict(zip(self.outputs, slopes)), dict(zip(self.outputs, deltas))

    def backward_columns(self, p, net, out, d_out=None, d_net=None):
        """d loss / d param at parameters p, by the backward pass as structure.backward_pass states it; fills d_out
        and d_net with every unit's ∂E/∂out and ∂E/∂net."""
        d_out = {} if d_out is None else d_out
        d_net = {} if d_net is None else d_net
        grads = {k: np.zeros(len(next(iter(p.values())))) for k in self.params}
        from_loss, given = self.output_errors(net, out)
        for unit, act, into, terms in structure.backward_pass(self):
            if into is None:
                d_out[unit] = from_loss[unit]
            else:
                total = 0.0
                for later, w in into:
                    total = total + d_net[later] * p[w]
                d_out[unit] = total if into else np.zeros_like(net[unit])
            if into is None and given is not None:
                d_net[unit] = given[unit] + np.zeros_like(net[unit])
            else:
                d_net[unit] = d_out[unit] * maths.activation(act).slope(net[unit], out[unit]) + np.zeros_like(net[unit])
            for param, source in terms:
                share = d_net[unit] if source is None else d_net[unit] * out[source]
                grads[param] = grads[param] + share.sum(axis=-1)
        return grads
