"""What every widget view is built from: a VBox that keeps the numbers it shows, and how a readout prints them."""
import html

from ..extras import require

require("widgets", "ipywidgets")
import ipywidgets as W  # noqa: E402

from ..core.printing import MINUS, typeset as fmt  # noqa: F401 (MINUS: bp.widgets.MINUS)


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
