"""The playground on one page: the first screen (an example picker, the forward pass with its diagram, sliders
and E_total) is built at once; every other section is built the first time a learner opens it, so the page
a browser first draws stays light.

    app = playground("mazur")     # display it; app.text() is what the first screen shows
    app.sections.show("Training") # what a learner's click does: build the section (once) and open it
"""
from ..extras import require

require("playground", "ipywidgets", "anywidget", "matplotlib", "PIL")
import ipywidgets as W  # noqa: E402

from . import explorers as widgets
from .stepper import backward_stepper
from .yourdata import your_data
from .takeaway import downloads


def spec_editor(picker):
    """The picker's JSON box and its button; the message about the spec shows at the top of the page."""
    return W.VBox([W.HTML("Edit the example's JSON or paste your own spec, then press <b>use this spec</b>."),
                   picker.json, picker.use])


# The sections below the first screen, in order: (title, make(picker) -> widget). A widget made here follows
# the picker's network (widgets.follow), or reads picker.network itself.
SECTIONS = [
    ("Edit or paste a spec (JSON)", spec_editor),
    ("Wiggle a weight", lambda picker: widgets.follow(picker, widgets.wiggle, param="w5")),
    ("The chain rule", lambda picker: widgets.follow(picker, widgets.chain_explorer, param="w1")),
    ("Step through the backward pass", lambda picker: widgets.follow(picker, backward_stepper)),
    ("Training", lambda picker: widgets.follow(picker, widgets.training_explorer)),
    ("Check yourself", lambda picker: widgets.follow(picker, widgets.exercise)),
    ("Your data", lambda picker: your_data("spiral")),  # its own network, built around the data chosen there
    ("Take it away", lambda picker: widgets.follow(picker, downloads)),
]


class Sections(W.Tab):
    """One tab per (title, make); a section's widget is made when it is first opened, then kept (`built`, by
    title). All start closed, and one is open at a time. Tabs, not an Accordion: ipywidgets' Accordion headers
    (8.1) take no keyboard focus, while a tab is reached with Tab, and the arrows and Enter choose one."""

    def __init__(self, picker, sections=SECTIONS):
        self.picker, self.makers, self.built = picker, dict(sections), {}
        super().__init__([W.VBox() for _ in sections], titles=[title for title, _ in sections])
        self.selected_index = None
        self.observe(self._opened, "selected_index")

    def _opened(self, change):
        if change["new"] is not None:
            self.build(self.titles[change["new"]])

    def build(self, title):
        """The section's widget, made now if it is not yet."""
        if title not in self.built:
            index = list(self.makers).index(title)
            self.built[title] = self.makers[title](self.picker)
            self.children[index].children = [self.built[title]]
        return self.built[title]

    def show(self, title):
        """Open a section, as a click on its title does; returns its widget."""
        if title not in self.makers:
            raise widgets.SpecError(f"section: no section '{title}' (choose one of {', '.join(self.makers)})")
        self.selected_index = list(self.makers).index(title)
        return self.built[title]


class Playground(W.VBox):
    """The picker, the forward pass for its network, and the other sections, collapsed until opened."""

    def __init__(self, source="mazur", sections=SECTIONS):
        self.picker = widgets.Picker(source)
        self.forward = widgets.follow(self.picker, widgets.forward_explorer)
        self.sections = Sections(self.picker, sections)
        more = W.HTML("<b>More:</b> open a section to build it; each follows the network chosen above.")
        super().__init__([W.HBox([self.picker.examples, self.picker.status]), self.forward, more, self.sections])

    def __repr__(self):
        return f"<Playground: {self.picker.network.name}>"

    def text(self):
        """The network's name and the loss the first screen shows (every other number is in the forward pass's
        table, or in `forward.text()`)."""
        return f"network: {self.picker.network.name}\nE_total = {widgets.fmt(self.forward.numbers['E_total'])}"


def playground(source="mazur", sections=SECTIONS):
    """The playground for a built-in example; see Playground."""
    return Playground(source, sections)
