"""A PNG picture widget with alt text (picture.js beside this file): the figure and its description travel together.

    p = Picture(layout=...)
    p.value, p.alt = png_bytes, "Loss against training step: ..."
"""
from pathlib import Path

from ..extras import require

require("picture", "anywidget")
import anywidget  # noqa: E402
import traitlets as T

HERE = Path(__file__).parent


class Picture(anywidget.AnyWidget):
    _esm = HERE / "picture.js"
    _css = ".bp-picture { width: 100%; height: auto; display: block; }"
    value = T.Bytes(b"").tag(sync=True)  # PNG
    alt = T.Unicode("").tag(sync=True)  # what the picture shows, in words
