"""What every widget view is built from: a VBox that keeps the numbers it shows, and how a readout prints them."""
import html
import math

from ..extras import require

require("widgets", "ipywidgets")
import ipywidgets as W  # noqa: E402
import numpy as np

from ..core.maths import MINUS
from ..core.numeric import number


def fmt(x, digits=None):
    """A number as the readouts show it: as the notes print it (bp.number) or to `digits` significant
    figures, with a typographic minus, and words for overflow."""
    if isinstance(x, (int, float, np.floating)) and not math.isfinite(x):
        return "overflow (not finite)"
    return (number(x) if digits is None else f"{x:.{digits}g}").replace("-", MINUS)


def shown(name, value):
    """A readout value: strings as they are; a relative error (mostly round-off) to 2 figures; else as the notes."""
    if isinstance(value, str):
        return value
    return fmt(value, 2 if "relative error" in name.replace("_", " ") else None)


def escape(text):
    return html.escape(str(text), quote=False)


class View(W.VBox):
    """A widget that shows numbers about one network; `numbers` holds what it currently shows."""

    def __init__(self, kind, net, children=(), **kwargs):
        super().__init__(children, **kwargs)
        self.kind = kind
        self.net = net
        self.controls = {}
        self.numbers = {}

    def __repr__(self):
        return f"<{self.kind} on {self.net.name}>"

    def text(self):
        """The key numbers shown, one 'name = value' per line."""
        return "\n".join(f"{k} = {shown(k, v)}" for k, v in self.numbers.items())
