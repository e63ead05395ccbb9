"""The learner's network taken away: its spec as JSON, and its forward and backward pass as a script to read and run.

The script is the compiled step (compiled.Step: the activations' and losses' records, the backward pass as
structure.backward_pass states it) printed once more, with the notes' names and the data as named numbers:
one line per quantity, as Mazur's step-by-step script writes them. It needs Python alone, and prints the
loss and every parameter's gradient.
"""
from . import compiled

LABELS = {"d_out": "dE_dout_", "d_net": "dE_dnet_", "slope": "dout_dnet_", "grad": "dE_d"}


def to_json(net):
    """The spec with the network's present parameter values: bp.load gives the same network back."""
    return {**net.spec, "params": dict(net.params)}


def code(net):
    """A standalone Python script: the network's forward and backward pass one quantity a line; run, it prints
    the loss and every parameter's gradient."""
    step = compiled.Step(net, (), {**LABELS, "loss": net.loss_record.symbol}, named_data=True)
    render = lambda lines: [text for name, e in lines for text in compiled.float_lines(name, e)]
    split = 2 * len(net.units) * len(net.samples)  # the forward lines (a net and an out per unit and sample)
    samples = "one sample" if len(net.samples) == 1 else f"{len(net.samples)} samples, numbered _1, _2, ..."
    body = [
        "# parameters",
        *[f"{name} = {net.params[k]!r}" for k, name in step.params.items()],
        "",
        "# data: inputs and targets",
        *[f"{name} = {value}" for name, value in step.data],
        "",
        "# forward pass",
        *render(step.forward[:split]),
        "",
        "# loss",
        *render(step.forward[split:]),
        "",
        "# backward pass",
        *render(step.backward),
        "",
        "# gradients: each parameter's terms, one from every edge it sits on and every sample",
        *[f"{g} = {compiled.float_expr(e)}" for g, _, e in step.gradients],
        "",
        f"print({step.loss + ' =' !r}, {step.loss})",
        *[f"print({'dE/d' + k + ' =' !r}, {g})" for (g, _, _), k in zip(step.gradients, step.trainable)],
        "",
    ]
    text = "\n".join(body)
    used = [f for f in MATH if f"{f}(" in text or (f == "exp" and "sigmoid(" in text)]
    return "\n".join([
        f'"""Backpropagation for the network {net.name!r}, one quantity a line ({samples}).',
        "",
        "Names as in the notes: net_h1 is a unit's net input and out_h1 its output; r_o1 = target_o1 - out_o1;",
        f"{step.loss} is the loss ({net.loss_name}); dE_dout_h1, dE_dnet_h1 and dE_dw5 are the partial derivatives",
        "of the loss with respect to out_h1, net_h1 and w5 (backpropagation's messages and the gradients).",
        "A sigmoid is worked out through _e = exp(-abs(net)), so that no exp overflows.",
        "Written by backprop_lib's net.code(); it needs Python alone. Run it: python this_file.py",
        '"""',
        *([f"from math import {', '.join(used)}"] if used else []),
        *(SIGMOID if "sigmoid(" in text else []),
        "",
        text,
    ])


MATH = ["exp", "expm1", "log", "log1p", "sqrt", "tanh"]  # what the compiled step's expressions call from math
SIGMOID = ["", "",
           "def sigmoid(z):",
           '    """The logistic function, with no overflow (inside a longer expression, as in SiLU)."""',
           "    e = exp(-abs(z))",
           "    return (1.0 if z >= 0.0 else e) / (1.0 + e)",
           ""]
