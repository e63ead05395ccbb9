"""ipywidgets to play with a network: move a weight and watch the numbers, the chain rule and training follow.

Each function takes a Network and returns a View: a VBox with `controls` (name -> control widget),
`numbers` (the key numbers it shows, kept up to date) and `text()` (those numbers, one per line, as
a notebook prints them). The network diagram is drawn in the browser (diagram.Diagram): a change sends
numbers, not a picture. Other figures are drawn with matplotlib into an Image widget (one PNG per redraw).
"""
import io
import json

from ..extras import require

require("widgets", "ipywidgets", "anywidget", "matplotlib", "PIL")
import ipywidgets as W  # noqa: E402
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import plots
from ..core import spec as specs
from .diagram import Diagram
from ..explain.exercises import check, quantities
from ..explain.network import Network, load
from .player import Player
from .picture import Picture
from .slider import Slider
from ..core.trajectory import trajectory
from ..core.spec import SpecError
from .view import MINUS, View, escape, fmt, shown  # noqa: F401 (MINUS and fmt: bp.widgets.MINUS, bp.widgets.fmt)

EPSILONS = np.logspace(-12, 0, 49)  # the range of the wiggle plot: round-off on the left, truncation on the right


def _lines(pairs):
    """Readout HTML: one 'name = value' line per pair, in a monospace block."""
    rows = "".join(f"<div>{escape(k)} = {escape(shown(k, v))}</div>" for k, v in pairs)
    return f"<div style='font-family: monospace; line-height: 1.5'>{rows}</div>"


def _spaced(*widgets):
    """The widgets side by side with some room between them."""
    for w in widgets[:-1]:
        w.layout.margin = "0 30px 0 0"
    return W.HBox(list(widgets))


def _wrapping(*widgets):
    """The widgets side by side while they fit, one under the other when the page is narrow."""
    return W.HBox(list(widgets), layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))


def _message(text, ok=False):
    colour = "#1e8449" if ok else "#b03a2e"
    return f"<div style='color: {colour}'>{escape(text)}</div>" if text else ""


class Canvas:
    """A matplotlib Figure shown as a PNG in an Image widget. `draw(fn)` redraws it all with fn(ax);
    `overlay(artists)` redraws only some animated artists over the last full drawing, which is
    much faster when just a marker moves."""

    def __init__(self, size, dpi=72):
        self.figure = Figure(figsize=size, dpi=dpi)
        self.agg = FigureCanvasAgg(self.figure)
        self.background = None
        width = f"{round(size[0] * dpi)}px"  # its own size: never stretched to the page, only shrunk to fit
        self.image = Picture(layout=W.Layout(width=width, max_width="100%", height="auto",
                                                           min_width="240px", flex="0 1 auto"))

    def draw(self, fn, top=0.9, margins=True):
        self.figure.clear()
        ax = self.figure.add_subplot()
        if margins:
            self.figure.subplots_adjust(left=0.12, right=0.97, bottom=0.14, top=top)
        else:
            self.figure.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=top)
        fn(ax)
        self.agg.draw()
        self.background = self.agg.copy_from_bbox(self.figure.bbox)
        self._send()
        return ax

    def overlay(self, artists):
        self.agg.restore_region(self.background)
        for artist in artists:
            artist.axes.draw_artist(artist)
        self._send()

    def _send(self):
        width, height = self.agg.get_width_height(physical=True)
        buffer = io.BytesIO()
        PIL.Image.frombuffer("RGBA", (width, height), self.agg.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buffer, format="png", compress_level=1)  # fast over small
        self.image.value = buffer.getvalue()
        self.image.alt = getattr(self.figure, "description", "")  # the picture's text alternative


def _guarded(readout, fn):
    """Run fn; a bad value becomes a message in the readout instead of a traceback in the kernel log."""
    def run(*_):
        try:
            fn()
        except (SpecError, ValueError, ArithmeticError) as err:
            readout.value = _message(str(err))
    return run


def _slider(name, value, reach, kind):
    """A slider around a parameter's or input's value: at least -reach..reach, and twice the value.

    It reports while dragged. The kernel cannot fall behind: while one change is on its way, the page
    keeps only the newest value and sends it when the kernel is idle again (@jupyter-widgets/base,
    packages/base/src/widget.ts, WidgetModel.sync: "if (this._pending_msgs >= 1)" buffers the state
    in _msg_buffer, and _handle_status sends that buffer on the kernel's "idle"), so stale values are
    dropped and the last one always arrives. Handlers of these sliders must stay cheap: no matplotlib."""
    bound = max(reach, 2 * abs(value))
    return Slider(name, f"{kind} {name}", value, -bound, bound, step=0.01, digits=3, continuous=True)


def biases(net):
    """Names of the parameters used as biases."""
    return [p for p in net.params
            if any(body["bias"] == p for layer in net.spec["layers"] for body in layer["neurons"].values())]


def with_inputs(net, values):
    """A copy of the network whose first sample has these input values (other samples unchanged)."""
    spec = dict(net.spec)
    spec["data"] = [dict(s) for s in net.spec["data"]]
    spec["data"][0].update({k: specs.number(v, k) for k, v in values.items()})
    return Network(spec, net.params)


# --- 1. forward pass ---------------------------------------------------------------------------

def forward_explorer(net):
    """Sliders for sample 0's inputs, the weights and the biases; the diagram, every net and out,
    and the loss follow."""
    diagram = Diagram(net)
    table, loss = W.HTML(), W.HTML()
    view = View("forward_explorer", net)
    bias_names = biases(net)
    for name in net.inputs:
        view.controls[name] = _slider(name, net.samples[0][name], 2.0, "input")
    for name in net.params:
        view.controls[name] = _slider(name, net.params[name], 10.0, "bias" if name in bias_names else "weight")

    def current():
        params = {p: view.controls[p].value for p in net.params}
        return with_inputs(Network(net.spec, params), {i: view.controls[i].value for i in net.inputs})

    def update():
        now = current()
        values = now.forward()[0]
        view.numbers = {**values, "E_total": now.loss()}
        rows = "".join(f"<tr><td>{u}</td><td>{fmt(values['net_' + u])}</td><td>{fmt(values['out_' + u])}</td>"
                       f"<td>{fmt(now.samples[0][u]) if u in now.outputs else ''}</td></tr>"
                       for u, _, _ in now.units)
        table.value = ("<table style='font-family: monospace'><tr><th>unit</th><th>net</th><th>out</th>"
                       f"<th>target</th></tr>{rows}</table>")
        loss.value = _lines([("E_total", view.numbers["E_total"])])
        diagram.show(now)
        view.current = now

    update = _guarded(loss, update)
    for control in view.controls.values():
        control.observe(update, "value")

    def group(title, names):
        return [W.HTML(f"<b>{title}</b>")] + [view.controls[n] for n in names] if names else []
    weights = [p for p in net.params if p not in bias_names]
    sliders = W.VBox(group("inputs (sample 0)", net.inputs) + group("weights", weights) +
                     group("biases", bias_names), layout=W.Layout(min_width="320px"))
    view.children = [W.HBox([sliders, diagram]), _spaced(table, loss)]
    view.diagram, view.readout, view.table, view.update = diagram, loss, table, update
    update()
    return view


# --- 2. wiggle a weight ------------------------------------------------------------------------

def wiggle_numbers(net, param, eps, gradient=None):
    """E(p+ε), E(p−ε), the centred difference quotient, the backprop gradient and their relative error."""
    p = net.params[param]
    plus, minus = net.with_params(**{param: p + eps}).loss(), net.with_params(**{param: p - eps}).loss()
    quotient = (plus - minus) / (2 * eps)
    gradient = net.gradients()[param] if gradient is None else gradient
    scale = max(abs(quotient), abs(gradient))
    error = abs(quotient - gradient) / scale if scale > 0 else 0.0
    return {"epsilon": eps, "E_plus": plus, "E_minus": minus, "difference_quotient": quotient,
            "gradient": gradient, "relative_error": error}


def describe_wiggle(param, errors, numbers):
    """The wiggle plot in words: relative error against ε on log scales, how it falls and rises, and this ε's point.
    Where round-off decides the error (small ε, and the lowest point) only its power of ten is said: the digits
    there differ from one processor to the next."""
    return (f"Relative error between the difference quotient and backprop's dE/d{param} against \u03b5, both on "
            f"log scales, for \u03b5 from {EPSILONS[0]:.0e} to {EPSILONS[-1]:.0e}. From \u03b5 = {EPSILONS[-1]:.0e}, "
            f"where it is {fmt(errors[-1], 2)} (truncation), it falls as \u03b5 shrinks to about "
            f"{magnitude(min(errors))}, then rises again to about {magnitude(errors[0])} at \u03b5 = "
            f"{EPSILONS[0]:.0e} (round-off). The marker: \u03b5 = {numbers['epsilon']:.1e}, relative error "
            f"{fmt(numbers['relative_error'], 2)}.")


def magnitude(x):
    """x as its nearest power of ten, e.g. 1e-11, for a number whose digits are round-off."""
    return f"1e{round(np.log10(x)):+03d}" if x > 0 else "0"


def wiggle(net, param=None):
    """Pick a parameter and ε: compare the centred difference quotient with the backprop gradient,
    and see on a log-log plot where truncation error gives way to round-off as ε shrinks. The diagram
    shows every gradient, with the chosen parameter's edges highlighted."""
    param = param or next(iter(net.params))
    net.check_param(param)
    view = View("wiggle", net)
    view.controls["param"] = W.Dropdown(options=list(net.params), value=param, description="parameter")
    view.controls["epsilon"] = Slider("\u03b5", "epsilon \u03b5", 1e-4, 1e-12, 1.0, step=0.25, scale="log",
                                      style="exponent", digits=1)
    readout, note = W.HTML(), W.HTML()
    canvas = Canvas((5.5, 3.4))
    diagram = Diagram(net, gradients=True, highlight=[param])
    drawn = {}  # the parameter whose error curve is drawn, and the marker that moves along it

    def draw_curve(ax, name):
        gradient = net.gradients()[name]
        errors = np.array([wiggle_numbers(net, name, e, gradient)["relative_error"] for e in EPSILONS])
        ax.loglog(EPSILONS, np.maximum(errors, 1e-17), ".-", color=plots.NEGATIVE, lw=1.2,  # 0 cannot be shown
                  label="relative error")
        marker, = ax.loglog([], [], "o", color=plots.HIGHLIGHT, mec="black", ms=9, label="this \u03b5",
                            animated=True)  # drawn by overlay(), over the rest
        ax.set_xlabel("\u03b5")
        ax.set_ylabel("relative error")
        ax.set_title(f"difference quotient vs backprop for {name}", fontsize=10)
        ax.text(0.98, 0.04, "truncation \u221d \u03b5\u00b2 \u2192", transform=ax.transAxes, ha="right", fontsize=8)
        ax.text(0.02, 0.04, "\u2190 round-off \u221d 1/\u03b5", transform=ax.transAxes, ha="left", fontsize=8)
        ax.grid(alpha=0.3)  # major lines only: minor ones on two log axes are slow to draw
        ax.legend(fontsize=8, loc="upper center")
        drawn.update(name=name, marker=marker, errors=errors)

    def update():
        name, eps = view.controls["param"].value, view.controls["epsilon"].value
        numbers = wiggle_numbers(net, name, eps)
        view.numbers = numbers
        readout.value = _lines([
            ("\u03b5", eps), (f"E({name} + \u03b5)", numbers["E_plus"]),
            (f"E({name} \u2212 \u03b5)", numbers["E_minus"]),
            ("difference quotient", numbers["difference_quotient"]), (f"backprop dE/d{name}", numbers["gradient"]),
            ("relative error", numbers["relative_error"])])
        flat = abs(numbers["gradient"]) < 1e-12
        note.value = _message(f"dE/d{name} is almost 0 here (a saturated or switched-off unit?): the relative "
                              "error only measures round-off." if flat else "")
        if drawn.get("name") != name:
            diagram.highlight = [name]
            canvas.draw(lambda ax: draw_curve(ax, name))
        drawn["marker"].set_data([eps], [max(numbers["relative_error"], 1e-17)])
        canvas.figure.description = describe_wiggle(name, drawn["errors"], numbers)
        canvas.overlay([drawn["marker"]])

    update = _guarded(readout, update)
    for control in view.controls.values():
        control.observe(update, "value")
    view.children = [W.HBox([view.controls["param"], view.controls["epsilon"]]),
                     W.HBox([W.VBox([readout, note], layout=W.Layout(min_width="380px")), canvas.image]),
                     diagram]
    view.canvas, view.diagram, view.readout, view.update = canvas, diagram, readout, update
    update()
    return view


# --- 3. the chain rule -------------------------------------------------------------------------

def chain_explorer(net, param=None):
    """Pick a parameter: its chain-rule factors, symbolic and in numbers, with its paths lit in the diagram.
    The current Chain (with its plain-text form, `chain.text()`) is in `view.chain`."""
    from ..explain import symbolic  # SymPy loads when the chain rule is first shown
    param = param or next(iter(net.params))
    net.check_param(param)
    view = View("chain_explorer", net)
    view.controls["param"] = W.Dropdown(options=list(net.params), value=param, description="parameter")
    maths, readout = W.HTMLMath(), W.HTML()
    canvas = Canvas(plots.network_size(net), dpi=90)

    def update():
        name = view.controls["param"].value
        chain = symbolic.chain(net, name)
        view.chain = chain
        view.numbers = {"param": name, "paths": len(chain.paths), f"dE/d{name}": float(chain.value)}
        maths.value = chain.latex()
        readout.value = _lines([("paths", str(len(chain.paths))), (f"dE/d{name}", float(chain.value))])
        canvas.draw(lambda ax: plots.network(net, gradients=True, highlight=name, ax=ax), top=0.93, margins=False)

    update = _guarded(readout, update)
    view.controls["param"].observe(update, "value")
    view.children = [_spaced(view.controls["param"], readout), maths, canvas.image]
    view.canvas, view.readout, view.update = canvas, readout, update
    update()
    return view


# --- 4. training -------------------------------------------------------------------------------

SWEEP_RATES = np.logspace(-3, 2, 11)
OPTIMISERS = [("gradient descent", "gd"), ("momentum (μ = 0.9)", "momentum"), ("Adam", "adam"),
              ("one sample a step (SGD)", "sgd")]


def training_explorer(net):
    """Learning rate, steps, the optimiser (gradient descent at first; momentum, Adam, or one sample a step, as
    core/optimisers.py states them) and a switch that keeps the spec's fixed parameters fixed (on at first, as
    the notes train) or, for a spec that fixes none, the biases (off at first). Each change trains again
    and plays the run like a film (play / pause / reset): the diagram, the outputs against their targets
    and the loss curve move on in the browser; below, the whole run's loss curve and the final loss for a
    sweep of learning rates."""
    view = View("training_explorer", net)
    lr = net.learning_rate or 0.5
    loss_name = net.loss_record.symbol  # E_total, or SSR for a sum of squared residuals
    kept = list(net.fixed) or biases(net)
    view.controls["lr"] = Slider("learning rate", "learning rate", lr, min(1e-3, lr), 100.0, step=0.1, scale="log",
                                 style="general", digits=3)
    view.controls["steps"] = Slider("steps", "training steps", 1000, 0, 20000, step=100, digits=0)
    view.controls["optimizer"] = W.Dropdown(options=OPTIMISERS, value="gd", description="optimiser")
    view.controls["freeze_biases"] = W.Checkbox(value=bool(net.fixed), indent=False,
                                                description=f"keep {', '.join(kept)} fixed" if net.fixed
                                                else "freeze biases")
    readout, outputs = W.HTML(), W.HTML()
    diagram = Diagram(net)
    player = Player(diagram)
    curve, swept = Canvas((5.5, 3.4)), Canvas((5.5, 3.4))

    def train(play=True):
        rate, steps = view.controls["lr"].value, int(view.controls["steps"].value)
        freeze = kept if view.controls["freeze_biases"].value else ()
        optimizer = view.controls["optimizer"].value
        result = net.train(steps, lr=rate, freeze=freeze, optimizer=optimizer)
        player.load(net, trajectory(net, steps, lr=rate, freeze=freeze, optimizer=optimizer), play=play)
        sweep = net.sweep(SWEEP_RATES, steps, freeze=freeze, optimizer=optimizer)
        view.result, view.sweep_result = result, sweep
        blown = np.flatnonzero(plots.diverged(result.losses))
        view.numbers = {"learning_rate": rate, "steps": steps, f"{loss_name} before": float(result.losses[0]),
                        f"{loss_name} after": float(result.losses[-1])}
        for s, row in enumerate(result.outputs):
            for u, value in row.items():
                view.numbers[f"out_{u}" if len(result.outputs) == 1 else f"out_{u}[{s}]"] = value
        message = (f"The loss blew up at step {blown[0]}: the steps overshoot. Try a smaller learning rate."
                   if len(blown) else "")
        readout.value = _lines([(f"{loss_name} before", result.losses[0]),
                                (f"{loss_name} after", result.losses[-1])]) + _message(message)
        rows = "".join(f"<tr><td>{s}</td><td>{u}</td><td>{fmt(net.samples[s][u])}</td><td>{fmt(v)}</td></tr>"
                       for s, row in enumerate(result.outputs) for u, v in row.items())
        outputs.value = ("<table style='font-family: monospace'><tr><th>sample</th><th>output</th>"
                         f"<th>target</th><th>out after training</th></tr>{rows}</table>")
        curve.draw(lambda ax: plots.loss_curve(result, ax=ax))
        swept.draw(lambda ax: plots.sweep(sweep, ax=ax))

    first, again = _guarded(readout, lambda: train(play=False)), _guarded(readout, train)
    for control in view.controls.values():
        control.observe(again, "value")  # a new learning rate, number of steps or switch: train and play again
    controls = [view.controls[k] for k in ("lr", "steps", "optimizer", "freeze_biases")]
    view.children = [W.HBox(controls, layout=W.Layout(flex_flow="row wrap", align_items="center")),
                     player, diagram, _spaced(readout, outputs),
                     _wrapping(curve.image, swept.image)]
    view.canvas, view.sweep_canvas, view.readout, view.train = curve, swept, readout, again
    view.diagram, view.player = diagram, player
    first()  # built showing the run's end, not playing
    return view


# --- 5. exercises ------------------------------------------------------------------------------

def exercise(quantity=None, net=None):
    """A number box and a 'check' button for one quantity (or, without one, a list of every quantity)."""
    net = load("mazur") if net is None else net
    view = View("exercise", net)
    choices = quantities(net)
    quantity = quantity or choices[0]
    if quantity not in choices:
        check(quantity, 0.0, net)  # raises the SpecError that names the unknown quantity
    view.controls["quantity"] = W.Dropdown(options=choices, value=quantity, description="quantity")
    view.controls["answer"] = W.Text(placeholder="your number, e.g. 0.0821", description="answer",
                                     continuous_update=False)  # Enter (or leaving the box) checks too
    view.controls["check"] = W.Button(description="check", icon="check")
    readout = W.HTML()

    def run(*_):
        view.result = None
        try:
            view.result = check(view.controls["quantity"].value, view.controls["answer"].value, net)
        except SpecError as err:
            readout.value = _message(str(err))
            view.numbers = {"message": str(err)}
            return
        readout.value = view.result.as_html()
        view.numbers = {"quantity": view.result.quantity, "correct": str(view.result.correct)}

    view.controls["check"].on_click(run)
    view.controls["answer"].observe(run, "value")
    view.controls["quantity"].observe(lambda _: setattr(readout, "value", ""), "value")
    view.numbers = {"quantity": quantity}
    view.children = [W.HBox([view.controls["quantity"], view.controls["answer"], view.controls["check"]]), readout]
    view.readout, view.check = readout, run
    return view


# --- the playground: any network, every widget -------------------------------------------------

class Picker(W.VBox):
    """Choose a built-in example or paste a spec as JSON; `network` holds the chosen Network."""

    def __init__(self, source="mazur"):
        if source not in specs.examples():
            raise SpecError(f"source: '{source}' is not a built-in example ({', '.join(specs.examples())})")
        self.examples = W.Dropdown(options=specs.examples(), description="example")
        self.json = W.Textarea(rows=12, description="spec (JSON)", style={"description_width": "initial"},
                               layout=W.Layout(width="100%"))  # the description names the box for a screen reader
        self.use = W.Button(description="use this spec", icon="upload")
        self.status = W.HTML()
        super().__init__([self.examples, W.HTML("<b>or edit / paste a spec as JSON:</b>"), self.json,
                          self.use, self.status])
        self._listeners = []
        self.network = None
        self.examples.observe(lambda change: self.choose(change["new"]), "value")
        self.use.on_click(lambda _: self.paste(self.json.value))
        self.choose(source)

    def __repr__(self):
        return f"<Picker: {self.network.name}>"

    def on_change(self, fn):
        """Call fn(network) whenever a new network is chosen."""
        self._listeners.append(fn)

    def choose(self, name):
        """Use a built-in example (and show its JSON for editing)."""
        if self.examples.value != name:
            self.examples.value = name  # the observer calls choose again
            return
        self.json.value = json.dumps(specs.read(name), indent=2)
        self._set(load(name), f"Using the built-in example '{name}'.")

    def paste(self, text):
        """Use a spec given as JSON text; a bad spec leaves the current network and says what is wrong."""
        try:
            net = Network(specs.parse(text, where="pasted spec"))
        except SpecError as err:
            message = str(err)
            self.status.value = _message(message if message.startswith("pasted spec") else f"pasted spec: {message}")
            return False
        self._set(net, f"Using the pasted spec '{net.name}'.")
        return True

    def _set(self, net, message):
        self.network = net
        self.status.value = _message(message, ok=True)
        for fn in self._listeners:
            fn(net)


class Follow(W.VBox):
    """A view that is rebuilt for each network the picker chooses; `view` is the current one."""

    def __init__(self, picker, make, **kwargs):
        super().__init__()
        self.make, self.kwargs, self.view = make, kwargs, None
        picker.on_change(self.rebuild)
        self.rebuild(picker.network)

    def __repr__(self):
        return f"<{self.make.__name__} following a picker>"

    def rebuild(self, net):
        kwargs = {k: v for k, v in self.kwargs.items() if k != "param" or v in net.params}
        for child in self.children:
            _close(child)  # free the old view's widgets in the kernel and the page
        try:
            self.view = self.make(net=net, **kwargs)
            self.children = [self.view]
        except SpecError as err:
            self.view = None
            self.children = [W.HTML(_message(f"This network cannot be shown here: {err}"))]

    def text(self):
        return self.view.text() if self.view is not None else ""

    @property
    def numbers(self):
        return self.view.numbers if self.view is not None else {}


def _close(widget):
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


def follow(picker, make, **kwargs):
    """make(net=..., **kwargs) for the picker's network, made again whenever the picker changes."""
    return Follow(picker, make, **kwargs)
