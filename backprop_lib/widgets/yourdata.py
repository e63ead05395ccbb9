"""Your own data: draw points or choose a built-in set, build a network around them, train it and watch every unit
learn (the playground's "your data" section and notebook 16's place to play).

    view = your_data("spiral")   # controls, the drawing plane, the learning view, the backward stepper
    view.train()                 # what the train button does; view.text() gives losses and accuracies
"""
from ..extras import require

require("yourdata", "ipywidgets", "anywidget")
import ipywidgets as W  # noqa: E402

from .. import data as datasets
from ..core.maths import ACTIVATIONS, LOSSES
from ..core.spec import SpecError
from ..explain.network import load
from .draw import Draw
from .learn import Learner
from .slider import Slider
from .stepper import backward_stepper
from .view import View, escape

DRAW = "draw your own"
CSV = "a CSV file"
LABEL = {"style": {"description_width": "initial"}}


class YourData(View):
    """The section's view: `net` is the network last built around the data (None before the first training)."""

    def __repr__(self):
        return f"<your_data on {self.net.name if self.net else 'nothing yet'}>"


def hidden_sizes(text):
    """'8, 8' → (8, 8): the hidden layers' sizes as a learner types them."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise SpecError(f"hidden: expected whole numbers separated by commas, like 8, 8 (got '{text}')")
    return tuple(int(p) for p in parts)


def column_names(text):
    """'x1, x2' → ['x1', 'x2']: column names as a learner types them."""
    return [name.strip() for name in str(text).split(",") if name.strip()]


def uploaded(upload, inputs, targets, label=""):
    """The data of the CSV file chosen in a FileUpload, its columns named as typed: the targets, or a label column
    whose cells name each sample's class (then the targets are not read)."""
    if not upload.value:
        raise SpecError("CSV file: choose a file first (a header row, then one sample per line)")
    chosen = upload.value[0]
    try:
        text = bytes(chosen["content"]).decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(f"{chosen['name']}: not text (expected a CSV file in UTF-8)") from None
    if str(label).strip():
        return datasets.parse_csv(text, column_names(inputs), where=chosen["name"], label=str(label).strip())
    return datasets.parse_csv(text, column_names(inputs), column_names(targets), where=chosen["name"])


def one_sample(net, k):
    """The network, with its parameters as they are, and sample k alone as its data: its backward pass is that
    sample's."""
    if not 0 <= k < len(net.samples):
        raise SpecError(f"sample: expected 1 to {len(net.samples)}, got {k + 1}")
    return load({**net.spec, "params": dict(net.params), "data": [net.samples[k]]})


def _controls(source):
    return {
        "source": W.Dropdown(options=[DRAW, CSV, *datasets.SETS], value=source, description="data", **LABEL),
        "csv": W.FileUpload(accept=".csv", multiple=False, description="CSV file"),
        "columns_in": W.Text(value="x1, x2", description="input columns", **LABEL),
        "columns_out": W.Text(value="y", description="target columns", **LABEL),
        "column_label": W.Text(value="", placeholder="or a column naming classes", description="class column",
                               **LABEL),
        "n": Slider("samples", "samples", 120, 20, 240, step=10, digits=0),
        "noise": Slider("noise", "noise", 0.1, 0.0, 0.5, step=0.05, digits=2),
        "test": Slider("test share", "test share", 0.25, 0.1, 0.5, step=0.05, digits=2),
        "seed": W.BoundedIntText(value=0, min=0, max=9999, description="seed", **LABEL),
        "hidden": W.Text(value="8, 8", description="hidden units per layer", **LABEL),
        "activation": W.Dropdown(options=list(ACTIVATIONS), value="tanh", description="activation", **LABEL),
        "loss": W.Dropdown(options=list(LOSSES), value="half_sse", description="loss", **LABEL),
        "lr": Slider("learning rate", "learning rate", 0.1, 1e-3, 1.0, step=0.1, scale="log", style="general",
                     digits=3),
        "steps": Slider("steps", "training steps", 300, 10, 2000, step=10, digits=0),
        "sample": W.BoundedIntText(value=1, min=1, max=256, description="sample for the backward pass", **LABEL),
    }


def _row(controls, names):
    return W.HBox([controls[k] for k in names], layout=W.Layout(flex_flow="row wrap"))


def your_data(source="spiral", classes=2):
    """Choose or draw data, then train: the learning view plays the run; a backward stepper follows one sample."""
    controls = _controls(source)
    drawing = Draw(classes=classes)
    view = YourData("your_data", None)
    view.controls, view.drawing = controls, drawing
    view.learner = None
    train_button = W.Button(description="train and play", tooltip="Build the network around the data and train it")
    step_button = W.Button(description="step through this sample's backward pass")
    readout, stage, stepper_box = W.HTML(), W.VBox(), W.VBox()

    def data():
        if controls["source"].value == DRAW:
            return drawing.data()
        if controls["source"].value == CSV:
            return uploaded(controls["csv"], controls["columns_in"].value, controls["columns_out"].value,
                            controls["column_label"].value)
        return datasets.make(controls["source"].value, n=int(controls["n"].value), noise=controls["noise"].value,
                             seed=controls["seed"].value)

    def train(play=True):
        train_set, test_set = datasets.split(data(), test=controls["test"].value, seed=controls["seed"].value)
        spec = datasets.network(train_set, hidden=hidden_sizes(controls["hidden"].value),
                                activation=controls["activation"].value, loss=controls["loss"].value,
                                seed=controls["seed"].value, learning_rate=controls["lr"].value)
        view.net = load(spec)
        view.learner = Learner(view.net, train_set, test_set).train(int(controls["steps"].value), play=play)
        view.numbers = {"data": train_set.text(), "training": view.learner.film["frames"][-1]["text"]}
        stage.children = [view.learner]
        controls["sample"].max = len(view.net.samples)
        last = view.learner.film["frames"][-1]
        advice = " The loss blew up: the steps overshoot. Try a smaller learning rate." if last["train"] is None else ""
        readout.value = f"<p>After training: {escape(last['text'])}.{advice}</p>"
        stepper_box.children = []

    def guarded(fn):
        def run(*_):
            try:
                fn()
            except (SpecError, ValueError) as err:
                readout.value = f"<p role='alert'>{'<br>'.join(map(escape, str(err).splitlines()))}</p>"
        return run

    def step():
        shown = view.net.with_params(**view.learner.run.params[view.learner.frame])  # the step the film stands at
        stepper_box.children = [backward_stepper(one_sample(shown, controls["sample"].value - 1))]

    def source_changed(change):
        drawing.layout.display = "" if change["new"] == DRAW else "none"
        csv_row.layout.display = "" if change["new"] == CSV else "none"

    csv_row = _row(controls, ["csv", "columns_in", "columns_out", "column_label"])
    train_button.on_click(guarded(train))
    step_button.on_click(guarded(step))
    controls["source"].observe(source_changed, "value")
    source_changed({"new": controls["source"].value})
    view.children = [_row(controls, ["source", "n", "noise", "test", "seed"]), csv_row, drawing,
                     _row(controls, ["hidden", "activation", "loss", "lr", "steps"]), train_button, readout, stage,
                     W.HBox([controls["sample"], step_button], layout=W.Layout(flex_flow="row wrap")), stepper_box]
    view.train, view.step = guarded(lambda: train(play=True)), guarded(step)
    view.train_now = train
    view.readout = readout
    if source in datasets.SETS:
        train(play=False)
    return view
