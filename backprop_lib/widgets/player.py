"""Training played like a film in the browser (player.js and player.css beside this file).

The kernel trains once (trajectory.trajectory, the compiled loop) and sends every frame as numbers: the
diagram's values at about 300 evenly spread steps, the outputs against their targets and the loss curve.
The page plays them with requestAnimationFrame, setting the live diagram's values itself, so no frame
waits for the kernel. When play stops the page reports the frame it stopped at, and the kernel brings
the diagram's text alternative up to date.

    p = Player(diagram)                 # a Diagram to drive
    p.load(net, trajectory, play=True)  # new film; play=True starts it from the first frame
    p.load(net, trajectory, watch="w5") # each frame also says in words the next step of w5 (its update terms)
    p.frame, p.playing                  # where it stands (as the page last reported)
"""
from pathlib import Path

from ..extras import require

require("player", "anywidget")
import anywidget  # noqa: E402
import numpy as np
import traitlets as T

from .diagram import diagram_numbers, diagram_values, fmt
from ..core.numeric import Network
from ..core.trajectory import update_terms

HERE = Path(__file__).parent


def _finite(x):
    return float(x) if np.isfinite(x) else None  # JSON has no inf or nan


TERMS = {"g": "∂E/∂{p}", "v": "v", "m": "m", "m_hat": "m̂", "v_hat": "v̂", "w": "{p}⁺"}


def watched(net, run, k, param):
    """The step after frame k for one parameter in words: its gradient, the optimiser's terms, its new value."""
    terms = update_terms(net, run, k).get(param)
    if terms is None:
        return f"{param} is kept fixed" if param in run.frozen else "the run ends here"
    shown = ", ".join(f"{TERMS[name].format(p=param)} = {fmt(value)}" for name, value in terms.items())
    return f"next {run.plan.record.name} step of {param}: {shown}"


def film(net, run, watch=None):
    """Everything the page needs to play a Trajectory `run` of `net`: one dict per frame, plus the curve. With
    `watch` (a parameter), each frame's text also gives that parameter's next update term by term."""
    loss = net.loss_record.symbol
    total = run.steps[-1]
    pairs = [(s, u) for s in range(len(net.samples)) for u in net.outputs]
    several = len(net.samples) > 1
    frames = []
    with np.errstate(all="ignore"):
        for k, (step, params, outputs) in enumerate(zip(run.steps, run.params, run.outputs)):
            now = Network(net.spec, params)
            values = diagram_values(now, diagram_numbers(now))
            value = run.losses[step]  # the training loop's own loss, as net.train reports it
            values["E_total"] = _finite(value)
            values["labels"]["E"] = [loss, fmt(value)]
            frames.append({
                "step": step, "loss": _finite(value), "values": values,
                "text": f"step {step} of {total}: {loss} = {fmt(value)}" + (
                    f"; {watched(net, run, k, watch)}" if watch else ""),
                "outputs": [_finite(outputs[s][u]) for s, u in pairs],
                "output_text": [f"out {fmt(outputs[s][u])}" for s, u in pairs]})
    names = [f"{u} (sample {s + 1})" if several else u for s, u in pairs]
    targets = [float(net.samples[s][u]) for s, u in pairs]
    seen = [x for f in frames for x in f["outputs"] if x is not None] + targets + [0.0, 1.0]
    steps, losses = run.curve()
    shown = [x for x in losses if np.isfinite(x) and x > 0] or [1.0]  # what the log-scale axis spans
    return {"loss_name": loss, "total": total, "frames": frames,
            "curve": {"steps": steps, "losses": [_finite(x) for x in losses],
                      "high_text": fmt(max(shown)), "low_text": fmt(min(shown))},
            "outputs": {"names": names, "targets": targets, "target_text": [f"target {fmt(t)}" for t in targets],
                        "low": min(seen), "high": max(seen)}}


class Player(anywidget.AnyWidget):
    """Play / pause / reset for a training film; the frames are played in the page, driving `diagram`."""
    _esm = HERE / "player.js"
    _css = HERE / "player.css"
    diagram = anywidget.WidgetTrait().tag(sync=True)
    film = T.Dict().tag(sync=True)
    frame = T.Int(0).tag(sync=True)  # the frame shown; the page sets it when play stops
    playing = T.Bool(False).tag(sync=True)

    def __init__(self, diagram, **kwargs):
        super().__init__(diagram=diagram, **kwargs)
        self.net = self.run = None
        self.observe(self._stopped_at, "frame")

    def __repr__(self):
        return f"<Player of {self.net.name if self.net else 'nothing yet'}>"

    def load(self, net, run, play=False, watch=None):
        """Show a new run: from its first frame, playing, or (play=False) at its last frame; `watch` names a
        parameter whose update terms each frame gives in words."""
        self.net, self.run = net, run
        data = film(net, run, watch)
        with self.hold_sync():
            self.film = data
            self.playing = play
            self.frame = 0 if play else len(run.steps) - 1
        self._show(self.frame)

    def _stopped_at(self, change):
        self._show(change["new"])

    def _show(self, k):
        """The page stopped at frame k: the diagram's numbers and text alternative follow in the kernel too."""
        if self.run is None or not 0 <= k < len(self.run.steps):
            return
        frame = self.film["frames"][k]
        with np.errstate(all="ignore"), self.diagram.hold_sync():
            self.diagram.show(Network(self.net.spec, self.run.params[k]))
            self.diagram.values = frame["values"]
            self.diagram.announcement = frame["text"]

    def text(self):
        """Where the film stands, as the readout shows it."""
        return self.film["frames"][self.frame]["text"] if self.film else ""
