"""Draw labelled points in 2-D for a network to learn (draw.js and draw.css beside this file).

A brush adds a few points around the pointer, in the class chosen (1 to 4, told by marker shape too). With
one class the drawing is a regression: x is the input and y the target. The plane also works from the
keyboard (arrows move a cursor, Space adds points, Delete removes those near it, 1–4 choose the class), and
a text line gives the counts per class and the extents.

    d = Draw(classes=2)     # display it and draw
    d.data()                # a bp.data.Data: two inputs and one-hot targets, or (one class) x → y
"""
from pathlib import Path

from ..extras import require

require("draw", "anywidget")
import anywidget  # noqa: E402
import numpy as np
import traitlets as T

from .. import data as datasets
from ..core.spec import MAX_SAMPLES, SpecError

HERE = Path(__file__).parent


class Draw(anywidget.AnyWidget):
    """A plane of [−1, 1]² to draw points on; `points` holds [x, y, class index] for each."""
    _esm = HERE / "draw.js"
    _css = HERE / "draw.css"
    points = T.List().tag(sync=True)
    classes = T.Int(2).tag(sync=True)
    current = T.Int(0).tag(sync=True)  # the class the brush draws in (0-based)
    brush = T.Float(0.08).tag(sync=True)  # the brush's radius
    limit = T.Int(MAX_SAMPLES).tag(sync=True)
    markers = T.List(list(datasets.MARKERS)).tag(sync=True)

    def __repr__(self):
        return f"<Draw: {len(self.points)} points, {self.classes} classes>"

    def data(self):
        """The points as data: classes with one-hot targets, or (one class) y as the target of x."""
        if not 1 <= self.classes <= 4:
            raise SpecError(f"classes: expected 1 to 4, got {self.classes}")
        if len(self.points) < 2:
            raise SpecError(f"points: draw at least 2 points (there are {len(self.points)})")
        table = np.array(self.points, dtype=float)
        if self.classes == 1:
            return datasets.regression(table[:, 0], table[:, 1])
        labels = table[:, 2].astype(int)
        return datasets.classes(table[:, :2], labels, self.classes)

    def text(self):
        """What the drawing holds, in words (as the page's text line says it)."""
        if not self.points:
            return "no points yet"
        table = np.array(self.points, dtype=float)
        if self.classes == 1:
            return datasets.Data(table[:, :1], table[:, 1:2], ["x"], ["y"]).text()
        return datasets.classes(table[:, :2], table[:, 2].astype(int), self.classes).text()
