"""The notes' worked example for any network, as text: the forward pass, the loss, each unit's dE/dout from the
outputs back, every gradient as its chain of factors, one step of gradient descent and the loss after it. The
symbols and factors come from symbolic.View; the order of the backward pass from core.structure."""
import math

from ..core import structure
from ..core.printing import number
from .symbolic import View, paren, text

def _times(*numbers):
    return " × ".join(paren(number(x)) for x in numbers)


def _statement(name, *steps):
    """name = step 1 = step 2 ..., on one line if it is short, else each step on its own line under the first '='."""
    line = f"  {name} = " + " = ".join(steps)
    if len(line) <= 100:
        return [line]
    pad = " " * len(name)
    return [f"  {name} = {steps[0]}"] + [f"  {pad} = {step}" for step in steps[1:]]


def _forward_lines(view):
    net, sym = view.network, view.sym
    lines = ["Forward pass"]
    for s in view.samples:
        if len(view.samples) > 1:
            lines.append(f"  sample {s + 1}: " + ", ".join(f"{sym.input[u, s]} = {number(net.samples[s][u])}"
                                                          for u in net.inputs))
        for unit, (_, body) in view.units.items():
            products = [paren(number(net.params[p])) if src is None else _times(net.params[p], view.value(sym.out[src, s]))
                        for p, src in structure.terms(body)]
            lines.append(f"  {sym.net[unit, s]} = {text(view.net_expression(unit, s))} = {' + '.join(products)}"
                         f" = {number(view.value(sym.net[unit, s]))}")
            lines.append(f"  {sym.out[unit, s]} = {text(view.out_expression(unit, s))}"
                         f" = {number(view.value(sym.out[unit, s]))}")
    return lines


def _loss_lines(view):
    net, sym = view.network, view.sym
    pairs = [(u, s) for s in view.samples for u in net.outputs]
    values = [view.value(view.error_expression(u, s)) for u, s in pairs]
    lines = [f"Loss ({net.loss_name})"]
    lines += [f"  {sym.error[u, s]} = {text(view.error_expression(u, s))} = {number(v)}"
              for (u, s), v in zip(pairs, values)]
    lines.append(f"  {sym.loss} = {' + '.join(str(sym.error[u, s]) for u, s in pairs)} = "
                 f"{' + '.join(paren(number(v)) for v in values)} = {number(math.fsum(values))}")
    return lines


def _backward_lines(view, d_out):
    """dE/dout for every unit, outputs first, as the notes work it; fills d_out[(unit, sample)] on the way."""
    net, sym, loss = view.network, view.sym, view.sym.loss
    lines = [f"Backward pass: how {loss} changes with each unit's out, from the outputs back"]
    for s in view.samples:
        for unit, _, into, _ in structure.backward_pass(net):
            name = f"∂{loss}/∂{sym.out[unit, s]}"
            if into is None:
                factor = view.loss_factor(unit, s)
                d_out[unit, s] = factor.value
                lines += _statement(name, factor.expression_text, number(factor.value))
            else:
                terms = [(c, view.activation_factor(c, s), view.weight_factor(c, unit, s)) for c, _ in into]
                d_out[unit, s] = math.fsum(d_out[c, s] * a.value * w.value for c, a, w in terms)
                lines += _statement(name, " + ".join(f"∂{loss}/∂{sym.out[c, s]} × {a.name} × {w.name}"
                                                     for c, a, w in terms),
                                    " + ".join(_times(d_out[c, s], a.value, w.value) for c, a, w in terms),
                                    number(d_out[unit, s])) if terms else _statement(name, "0 (no later unit uses it)")
            factor = view.activation_factor(unit, s)
            lines += _statement(factor.name, factor.expression_text, number(factor.value))
    return lines


def _gradient_lines(view, d_out, gradients):
    """Each gradient as dE/dout x dout/dnet x dnet/dparam over every use; fills gradients[param]."""
    loss = view.sym.loss
    lines = [f"Gradients: ∂{loss}/∂out × ∂out/∂net × ∂net/∂parameter, summed over every use of a parameter"]
    for param in view.network.params:
        terms = [(view.sym.out[unit, s], d_out[unit, s], view.activation_factor(unit, s),
                  view.param_factor(unit, source, param, s)) for unit, source in view.uses(param) for s in view.samples]
        gradients[param] = math.fsum(d * a.value * p.value for _, d, a, p in terms)
        lines += _statement(f"∂{loss}/∂{param}",
                            " + ".join(f"∂{loss}/∂{out} × {a.name} × {p.name}" for out, _, a, p in terms),
                            " + ".join(f"∂{loss}/∂{out} × {a.expression_text} × {p.expression_text}"
                                       for out, _, a, p in terms),
                            " + ".join(_times(d, a.value, p.value) for _, d, a, p in terms),
                            number(gradients[param]))
    return lines


def walkthrough(net, lr=None, freeze=None):
    """The notes' worked example for any network: forward pass, loss, each unit's dE/dout, every gradient, one step.

    The step keeps the spec's fixed parameters when `freeze` is None; freeze=() updates every one."""
    lr, frozen = net.choose_lr(lr), net.choose_frozen(freeze)
    view, d_out, gradients = View(net), {}, {}
    lines = [f"{net.name}: one step of backpropagation (numbers rounded to 9 decimal places, as in the notes)", ""]
    lines += _forward_lines(view) + [""] + _loss_lines(view) + [""] + _backward_lines(view, d_out) + [""]
    lines += _gradient_lines(view, d_out, gradients) + [""]

    kept = f"; kept fixed: {', '.join(frozen)}" if frozen else ""
    lines.append(f"One step of gradient descent, learning rate {number(lr)}: "
                 f"new = old - {number(lr)} × gradient{kept}")
    new = dict(net.params)
    for param, gradient in gradients.items():
        if param not in frozen:
            new[param] = net.params[param] - lr * gradient
            lines.append(f"  {param}+ = {number(net.params[param])} - {_times(lr, gradient)} = {number(new[param])}")

    after = type(net)(net.spec, new)
    lines += ["", "Loss after one step"]
    lines += [f"  {view.sym.error[u, s]} = {number(row[u])}"
              for s, row in enumerate(after.loss_terms()) for u in net.outputs]
    lines.append(f"  {view.sym.loss} = {number(after.loss())} (before: {number(net.loss())})")
    return "\n".join(lines)
