"""The backward stepper: Back / Next and a step slider walk through backward_steps(net) on the live diagram.

Each step lights the units and edges it involves, writes the gradients found so far on the diagram's
edges (a shared parameter's edges each with its own share, its total once below), and shows the step's
formula with its numbers. The steps themselves come from backward.backward_steps (numbers only).
"""
from ..extras import require

require("stepper", "ipywidgets", "anywidget")
import ipywidgets as W  # noqa: E402

from ..explain.backward import backward_steps
from ..core.structure import bias_nodes, unit_edges
from .diagram import Diagram, diagram_values, edge_id, fmt, signed
from ..core.printing import MINUS
from .slider import Slider
from .view import View, escape


def _added(parts):
    """a + b − c, each sign written once."""
    return " ".join([fmt(parts[0])] + [f"{'+' if x >= 0 else MINUS} {fmt(abs(x))}" for x in parts[1:]])


def found_values(net, steps, k, base):
    """The diagram's values after step k: parameters as they are, gradients only where found so far."""
    loss = net.loss_record.symbol
    values = diagram_values(net, dict(base, gradients={}, shares={}))
    bias_node = bias_nodes(net)
    param_of = {(src, u): p for src, u, p in unit_edges(net)}
    edges_of = {}
    for edge, p in param_of.items():
        edges_of.setdefault(p, []).append(edge)
    shares = {}
    for step in steps[:k + 1]:
        for edge, term in step.edge_terms.items():
            shares[edge] = shares.get(edge, 0.0) + term
    found = steps[k].gradients
    for (src, unit), share in shares.items():
        p = param_of[src, unit]
        line = (f"∂{loss}/∂{p} = {fmt(found[p])}" if len(edges_of[p]) == 1
                else f"share of ∂{loss}/∂{p}: {signed(share)}")
        values["labels"][edge_id(bias_node[unit] if src is None else src, unit)].append(line)
    values["gradients"] = {p: v for p, v in found.items()}
    values["totals"] = [f"∂{loss}/∂{p} so far = {_added([shares[e] for e in edges if e in shares])} = "
                        f"{fmt(found[p])} ({p} is used on {len(edges)} edges)"
                        for p, edges in edges_of.items() if len(edges) > 1 and p in found]
    return values


def _readout(step, k, count):
    lines = [f"<div><b>Step {k + 1} of {count}</b></div>"]
    if step.kind == "every gradient":
        lines += [f"<div>{escape(part)}</div>" for part in step.formula.split(", ")]
    else:
        sign = "+=" if step.use and step.use[1] > 1 else "="
        lines.append(f"<div>{escape(step.name)} {sign} {escape(step.formula)}</div>")
        pad = "&nbsp;" * (len(step.name) + 1)
        lines.append(f"<div>{pad}= {escape(step.numbers)}</div>")
        lines.append(f"<div>{pad}= {escape(fmt(step.value))}</div>")
        if step.note:
            lines.append(f"<div style='color: #5d6d7e'>{escape(step.note)}</div>")
    return f"<div style='font-family: monospace; line-height: 1.5'>{''.join(lines)}</div>"


def backward_stepper(net):
    """Back / Next and a step slider through the backward pass of `net`; `view.steps` holds every step."""
    steps = backward_steps(net)
    view = View("backward_stepper", net)
    view.steps = steps
    diagram = Diagram(net)
    base = diagram.numbers
    count = len(steps)
    view.controls["back"] = W.Button(description="Back", tooltip="Previous step")
    view.controls["next"] = W.Button(description="Next", tooltip="Next step")
    view.controls["step"] = Slider("step", "step of the backward pass", 1, 1, count, step=1, digits=0)
    readout = W.HTML()

    def show(*_):
        k = int(round(view.controls["step"].value)) - 1
        step = steps[k]
        view.step = step
        view.numbers = {"step": f"{k + 1} of {count}"}
        loss = net.loss_record.symbol
        view.numbers.update({f"∂{loss}/∂{p}": v for p, v in step.gradients.items()} if step.kind == "every gradient"
                            else {step.name: step.value})
        readout.value = _readout(step, k, count)
        view.controls["back"].disabled = k == 0
        view.controls["next"].disabled = k == count - 1
        with diagram.hold_sync():
            diagram.values = found_values(net, steps, k, base)
            if step.kind == "every gradient":
                diagram.light()  # every edge would be lit: light none, the labels say it all
            else:
                diagram.light(units=step.units, edges=step.edges)
            diagram.description = f"{diagram.text()} Step {k + 1} of {count}: {step.text()}"
            diagram.announcement = f"Step {k + 1} of {count}: {step.text()}"

    def go(delta):
        slider = view.controls["step"]
        slider.value = min(max(slider.value + delta, 1), count)

    view.controls["step"].observe(show, "value")
    view.controls["back"].on_click(lambda _: go(-1))
    view.controls["next"].on_click(lambda _: go(+1))
    buttons = W.HBox([view.controls["back"], view.controls["next"], view.controls["step"]],
                     layout=W.Layout(align_items="center", flex_flow="row wrap"))
    view.children = [buttons, readout, diagram]
    view.diagram, view.readout, view.go = diagram, readout, go
    show()
    return view
