"""The network taken away from the playground: its spec (net.to_json) and its script (net.code) as two download
links, made only when the section that holds them is first opened."""
import html
import json
import re
from urllib.parse import quote

import ipywidgets as W


def file_name(net, suffix):
    """A file name from the network's name: letters, digits, - and _ kept, anything else as _."""
    return (re.sub(r"[^A-Za-z0-9_-]+", "_", net.name).strip("_") or "network") + suffix


def link(text, name, mime, label):
    """A link that saves `text` as the file `name`: the text travels inside the link (a data: address)."""
    return (f'<a download="{html.escape(name)}" href="data:{mime};charset=utf-8,{quote(text)}">'
            f"{html.escape(label)}</a>")


class Downloads(W.HTML):
    """Two links, the spec as JSON and the script as Python, with what each holds in words."""

    def __init__(self, net):
        self.net, self.spec_text, self.script = net, json.dumps(net.to_json(), indent=2) + "\n", net.code()
        self.names = file_name(net, ".json"), file_name(net, ".py")
        self.numbers = {}
        super().__init__(
            "<p>Take your network away:</p><ul>"
            f"<li>{link(self.spec_text, self.names[0], 'application/json', f'Download the spec ({self.names[0]})')}: "
            f"the JSON spec with its {len(net.params)} parameters; load it again with bp.load.</li>"
            f"<li>{link(self.script, self.names[1], 'text/x-python', f'Download the script ({self.names[1]})')}: "
            f"its forward and backward pass, one quantity a line ({len(self.script.splitlines())} lines); "
            f"python {self.names[1]} prints {net.loss_record.symbol} and the {len(net.params)} gradients, "
            "and needs nothing but Python.</li></ul>")

    def __repr__(self):
        return f"<downloads of {self.net.name}>"

    def text(self):
        return f"spec: {self.names[0]}; script: {self.names[1]}"


def downloads(net):
    return Downloads(net)
