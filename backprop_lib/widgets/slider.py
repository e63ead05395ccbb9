"""A slider with an accessible name and a spoken value rounded as it is shown (slider.js and slider.css beside this file).

ipywidgets' own sliders (8.1) give their handle no accessible name (the description label is not tied to it)
and speak the raw float (0.04999999999999982); this one is a native range input named by its label, so a
keyboard moves it with the arrow keys, Home and End, and a screen reader says "weight w5, 0.400".

    s = Slider("w5", "weight w5", value=0.4, low=-10, high=10)   # shows "w5", a screen reader says "weight w5"
    s = Slider("ε", "epsilon", 1e-4, 1e-12, 1, step=0.25, scale="log", style="exponent", digits=1)
    s.observe(fn, "value")                                       # fn runs when the slider is released
                                                                 # (or while dragged, with continuous=True)
"""
from pathlib import Path

from ..extras import require

require("slider", "anywidget")
import anywidget  # noqa: E402
import traitlets as T

HERE = Path(__file__).parent
STYLES = {"fixed": "f", "exponent": "e", "general": "g"}  # how the value is shown, as Python format types


class Slider(anywidget.AnyWidget):
    _esm = HERE / "slider.js"
    _css = HERE / "slider.css"
    value = T.Float(0.0).tag(sync=True)
    min = T.Float(-1.0).tag(sync=True)
    max = T.Float(1.0).tag(sync=True)
    step = T.Float(0.01).tag(sync=True)  # in the value, or with scale "log" in its power of ten
    scale = T.Enum(["linear", "log"], "linear").tag(sync=True)
    format = T.Enum(list(STYLES), "fixed").tag(sync=True)
    digits = T.Int(3).tag(sync=True)  # decimals (fixed, exponent) or significant figures (general)
    label = T.Unicode("").tag(sync=True)  # the short name shown beside it
    name = T.Unicode("").tag(sync=True)  # the accessible name a screen reader speaks
    continuous = T.Bool(False).tag(sync=True)  # send values while dragged, not only when released

    def __init__(self, label, name, value, low, high, step=0.01, scale="linear", style="fixed", digits=3,
                 continuous=False):
        super().__init__(label=label, name=name, min=low, max=high, step=step, scale=scale, format=style,
                         digits=digits, continuous=continuous, value=value)

    def __repr__(self):
        return f"<Slider {self.name} = {self.text()}>"

    def text(self):
        """The value as the slider shows and speaks it."""
        text = f"{self.value:.{self.digits}{STYLES[self.format]}}"
        return text if self.format != "general" else f"{float(text):g}"

    @T.validate("value")
    def _inside(self, proposal):
        return min(max(proposal["value"], self.min), self.max)
