"""The chain rule with SymPy: a network's symbols and equations, every path from a parameter to the loss, LaTeX.

Symbols follow the notes: inputs by their unit name (i1), parameters by theirs (w1, b1), net_h1 and
out_h1 for each unit, target_o1 and E_o1 for each output, and the loss E_total (SSR for the loss
"sse", MSE for "mse"). With several samples every symbol that changes from sample to sample gets the
sample's number: dosage_2, net_y1_2, out_y1_2, target_efficacy_2, E_efficacy_2.

A gradient is written as the notes write it: a sum over paths, each path a product of factors
ordered from the loss back to the parameter (dE_total/dout_o1, dout_o1/dnet_o1, dnet_o1/dout_h1,
dout_h1/dnet_h1, dnet_h1/dw1). Paths are not grouped: a shared parameter gives one path per use, per
route to an output and per sample, so every path is one plain product.
"""
import math
import re
from dataclasses import dataclass, field

from ..extras import require

require("symbolic", "sympy")
import sympy as sp  # noqa: E402

from ..core import maths, structure
from ..core.printing import number
from ..core.spec import SpecError


def _minus(a, b):
    """a - b, kept in that order when printed (SymPy would otherwise sort the terms)."""
    return sp.Add(a, sp.Mul(-1, b, evaluate=False), evaluate=False)


def error_term(loss, target, out, count):
    """One output's share of the loss (the notes' E_o1) for one sample; count = samples x outputs (for mse)."""
    return maths.loss(loss).sympy(sp, _minus(target, out), count)


def error_derivative(loss, target, out, count):
    """d loss / d out for one output, written as the notes do: -(target - out) for half_sse."""
    return maths.loss(loss).sympy_slope(sp, _minus(target, out), count)


def activate(act, net):
    """out as a SymPy expression of net."""
    return maths.activation(act).sympy(sp, net)


def _latex_name(name, sample=None):
    """w1 -> w_{1}, dosage -> \\mathrm{dosage}, i1 of sample 2 -> i_{1,2}."""
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", name)
    base, index = (match.group(1), match.group(2)) if match else (name, "")
    if len(base) > 1:
        base = r"\mathrm{" + base.replace("_", r"\_") + "}"
    sub = ",".join(x for x in (index, str(sample) if sample else "") if x)
    return f"{base}_{{{sub}}}" if sub else base


class Symbols:
    """Every symbol of one network, with its LaTeX name; keys are (unit, sample) with samples counted from 0."""

    def __init__(self, net):
        self.count = len(net.samples) * len(net.outputs)
        self.latex = {}
        self.loss = self._make(net.loss_record.symbol, net.loss_record.latex)
        self.params = {k: self._make(k, _latex_name(k)) for k in net.params}
        several = len(net.samples) > 1
        self.input, self.net, self.out, self.target, self.error = {}, {}, {}, {}, {}
        for s in range(len(net.samples)):
            tag, index = (f"_{s + 1}", s + 1) if several else ("", None)
            for unit in net.inputs:
                self.input[unit, s] = self.out[unit, s] = self._make(unit + tag, _latex_name(unit, index))
            sub = lambda unit: unit.replace("_", r"\_") + (f",{index}" if index else "")
            for unit, _, _ in net.units:
                self.net[unit, s] = self._make(f"net_{unit}{tag}", rf"\mathrm{{net}}_{{{sub(unit)}}}")
                self.out[unit, s] = self._make(f"out_{unit}{tag}", rf"\mathrm{{out}}_{{{sub(unit)}}}")
            for unit in net.outputs:
                self.target[unit, s] = self._make(f"target_{unit}{tag}", rf"\mathrm{{target}}_{{{sub(unit)}}}")
                self.error[unit, s] = self._make(f"E_{unit}{tag}", rf"E_{{{sub(unit)}}}")

    def _make(self, name, latex):
        symbol = sp.Symbol(name)
        if symbol in self.latex:
            raise SpecError(f"{name}: this name would stand for two different things in the equations; "
                            "rename a unit or a parameter")
        self.latex[symbol] = latex
        return symbol

    def tex(self, expr):
        """LaTeX of an expression in these symbols, terms in the order they were written."""
        return sp.latex(expr, order="none", symbol_names=self.latex)


def text(expr):
    """Plain text of an expression, terms in the order they were written."""
    return sp.sstr(expr, order="none")


# --- equations ---------------------------------------------------------------------------------
class View:
    """A network seen through its symbols: equations, values of every symbol, and the local chain-rule factors."""

    def __init__(self, net):
        self.network = net
        self.sym = Symbols(net)
        self.samples = range(len(net.samples))
        self.units = {unit: (act, body) for unit, act, body in net.units}
        self.consumers = {unit: [later for later, _ in after] for unit, after in structure.consumers(net).items()}
        self.values = self._values()

    def _values(self):
        """Every symbol's number: parameters, inputs and targets from the spec, net and out from the forward pass."""
        net, sym = self.network, self.sym
        values = {sym.params[k]: v for k, v in net.params.items()}
        for s, (sample, forward) in enumerate(zip(net.samples, net.forward())):
            values.update({sym.input[u, s]: sample[u] for u in net.inputs})
            values.update({sym.target[u, s]: sample[u] for u in net.outputs})
            for unit in self.units:
                values[sym.net[unit, s]] = forward[f"net_{unit}"]
                values[sym.out[unit, s]] = forward[f"out_{unit}"]
        return {k: sp.Float(v) for k, v in values.items()}

    def value(self, expr):
        return float(sp.sympify(expr).xreplace(self.values))

    def net_expression(self, unit, s):
        """net_h1 = w1*i1 + w2*i2 + b1, in the order of the spec."""
        terms = [self.sym.params[p] if src is None else sp.Mul(self.sym.params[p], self.sym.out[src, s], evaluate=False)
                 for p, src in structure.terms(self.units[unit][1])]
        return sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]

    def out_expression(self, unit, s):
        return activate(self.units[unit][0], self.sym.net[unit, s])

    def error_expression(self, unit, s):
        net, sym = self.network, self.sym
        record = net.loss_record
        if maths.coupled(record):
            outs, targets = self.sample_outputs(s)
            return record.sympy(sp, outs, targets, len(net.samples))[net.outputs.index(unit)]
        return error_term(net.loss_name, sym.target[unit, s], sym.out[unit, s], sym.count)

    def sample_outputs(self, s):
        """The out and target symbols of every output of sample s, in the spec's order."""
        return ([self.sym.out[u, s] for u in self.network.outputs],
                [self.sym.target[u, s] for u in self.network.outputs])

    def equations(self):
        """(symbol, expression) pairs in the order of a forward pass, then each output's error, then the loss."""
        sym, eqs = self.sym, []
        for s in self.samples:
            for unit in self.units:
                eqs += [(sym.net[unit, s], self.net_expression(unit, s)),
                        (sym.out[unit, s], self.out_expression(unit, s))]
        errors = [sym.error[u, s] for s in self.samples for u in self.network.outputs]
        eqs += [(sym.error[u, s], self.error_expression(u, s)) for s in self.samples for u in self.network.outputs]
        eqs.append((sym.loss, sp.Add(*errors, evaluate=False) if len(errors) > 1 else errors[0]))
        return eqs

    def expanded(self):
        """Every net and out symbol as an expression of the parameters and inputs alone."""
        whole = {}
        for s in self.samples:
            for unit in self.units:
                net = self.net_expression(unit, s).xreplace(whole)
                whole[self.sym.net[unit, s]] = net
                whole[self.sym.out[unit, s]] = activate(self.units[unit][0], net)
        return whole

    def forward_by_sympy(self, point):
        """Every symbol's value with net and out evaluated by SymPy from the equations (not by numeric)."""
        values = dict(point)
        for s in self.samples:
            for unit in self.units:
                values[self.sym.net[unit, s]] = self.net_expression(unit, s).xreplace(values)
                values[self.sym.out[unit, s]] = self.out_expression(unit, s).xreplace(values)
        return values

    def loss_expression(self):
        """The loss as one expression of the parameters, inputs and targets."""
        whole = self.expanded()
        return sp.Add(*[self.error_expression(u, s).xreplace(whole)
                        for s in self.samples for u in self.network.outputs])

    # --- local factors: each one link of a chain ------------------------------------------------
    def factor(self, top, bottom, expression):
        latex = rf"\frac{{\partial {self.sym.latex[top]}}}{{\partial {self.sym.latex[bottom]}}}"
        return Factor(f"∂{top}/∂{bottom}", latex, expression, self.value(expression), self.sym)

    def loss_factor(self, unit, s):
        """d loss / d out_o1: -(target_o1 - out_o1) for half_sse."""
        sym, net = self.sym, self.network
        if maths.coupled(net.loss_record):
            outs, targets = self.sample_outputs(s)
            slope = net.loss_record.sympy_slopes(sp, outs, targets, len(net.samples))[net.outputs.index(unit)]
            return self.factor(sym.loss, sym.out[unit, s], slope)
        return self.factor(sym.loss, sym.out[unit, s], error_derivative(
            net.loss_name, sym.target[unit, s], sym.out[unit, s], sym.count))

    def activation_factor(self, unit, s):
        """d out_h1 / d net_h1: out_h1*(1 - out_h1) for a sigmoid."""
        net, out = self.sym.net[unit, s], self.sym.out[unit, s]
        return self.factor(out, net, maths.activation(self.units[unit][0]).sympy_slope(sp, net, out))

    def weight_factor(self, unit, source, s):
        """d net_o1 / d out_h1: the weight on the edge h1 -> o1."""
        weight = next(p for p, src in structure.terms(self.units[unit][1]) if src == source)
        return self.factor(self.sym.net[unit, s], self.sym.out[source, s], self.sym.params[weight])

    def param_factor(self, unit, source, param, s):
        """d net_h1 / d w1 = i1 for a weight (the source's out), 1 for a bias (source None)."""
        expression = sp.Integer(1) if source is None else self.sym.out[source, s]
        return self.factor(self.sym.net[unit, s], self.sym.params[param], expression)

    def uses(self, param):
        """Where a parameter appears: (unit, source) for a weight, (unit, None) for a bias, in the spec's order."""
        return structure.places(self.network, param)

    def routes(self, unit):
        """Every sequence of units from `unit` forward to an output."""
        if unit in self.network.outputs:
            return [(unit,)]
        return [(unit, *rest) for after in self.consumers[unit] for rest in self.routes(after)]

    def path(self, route, source, param, s):
        """The factors along one route, from the loss back to the parameter."""
        factors = [self.loss_factor(route[-1], s)]
        for k in range(len(route) - 1, -1, -1):
            factors.append(self.activation_factor(route[k], s))
            if k > 0:
                factors.append(self.weight_factor(route[k], route[k - 1], s))
        factors.append(self.param_factor(route[0], source, param, s))
        return Path(factors, route, s)


# --- the chain of one parameter ------------------------------------------------------------------
@dataclass
class Factor:
    """One link of a chain: d top / d bottom, its expression in the network's symbols and its value now."""
    name: str
    latex: str
    expression: sp.Expr
    value: float
    symbols: Symbols = field(repr=False)

    @property
    def expression_latex(self):
        return self.symbols.tex(self.expression)

    @property
    def expression_text(self):
        return text(self.expression)


@dataclass
class Path:
    """One path from the loss back to the parameter: a product of factors. via: its units, forward; sample from 0."""
    factors: list
    via: tuple
    sample: int

    @property
    def value(self):
        return math.prod(f.value for f in self.factors)

    @property
    def expression(self):
        return sp.Mul(*[f.expression for f in self.factors], evaluate=False)


@dataclass
class Chain:
    """d loss / d param as the sum of its paths; renders as LaTeX in a notebook and as text in a terminal."""
    param: str
    loss: str
    paths: list
    view: View = field(repr=False)

    @property
    def value(self):
        return math.fsum(p.value for p in self.paths)

    @property
    def name(self):
        return f"∂{self.loss}/∂{self.param}"

    @property
    def expression(self):
        """The gradient as one expression in the network's symbols (a sum of products)."""
        return sp.Add(*[p.expression for p in self.paths], evaluate=False) if self.paths else sp.Integer(0)

    def to_json(self):
        return {"param": self.param,
                "paths": [{"factors": [{"name": f.name, "expression": f.expression_text, "value": f.value}
                                       for f in p.factors], "value": p.value} for p in self.paths],
                "value": self.value}

    def text(self):
        """Plain text for a terminal: each path's factors with expression and value, then the sum."""
        lines = [f"{self.name} = sum of {len(self.paths)} path(s), each a product of factors "
                 f"from the loss back to {self.param}"]
        for k, path in enumerate(self.paths, 1):
            sample = f", sample {path.sample + 1}" if len(self.view.samples) > 1 else ""
            lines.append(f"path {k} via {' -> '.join(path.via)}{sample}:")
            rows = [(f.name, f.expression_text, number(f.value)) for f in path.factors]
            w1, w2 = (max(len(r[i]) for r in rows) for i in (0, 1))
            lines += [f"  {a.ljust(w1)} = {b.ljust(w2)} = {c}" for a, b, c in rows]
            lines.append(f"  {'product'.ljust(w1)}   {''.ljust(w2)} = {number(path.value)}")
        terms = " + ".join(paren(number(p.value)) for p in self.paths) + " = " if len(self.paths) > 1 else ""
        lines.append(f"{self.name} = {terms}{number(self.value)}")
        return "\n".join(lines)

    __str__ = __repr__ = text

    def latex(self):
        """The chain as LaTeX: the factors' names, their expressions, their values, then the sum."""
        sym = self.view.sym
        tex = sym.tex
        head = rf"\frac{{\partial {sym.latex[sym.loss]}}}{{\partial {tex(sym.params[self.param])}}}"
        if not self.paths:
            return f"$${head} = 0$$"
        def rows(cell):
            return [("&= " if k == 0 else r"&\quad + ") + r" \times ".join(cell(f) for f in p.factors)
                    for k, p in enumerate(self.paths)]
        lines = rows(lambda f: f.latex) + rows(lambda f: _tex_paren(f.expression, f.expression_latex)) + \
            rows(lambda f: paren(number(f.value)))
        lines.append(f"&= {number(self.value)}")
        return r"$$\begin{aligned}" + head + " " + r" \\ ".join(lines) + r"\end{aligned}$$"

    _repr_latex_ = latex

    def verify(self, tolerance=1e-12):
        """Check the sum of paths against SymPy's diff of the whole loss and against the numeric gradient.

        Returns the three numbers; raises AssertionError naming the one that disagrees.
        """
        view = self.view
        param = view.sym.params[self.param]
        point = {k: v for k, v in view.values.items() if k in view.sym.params.values()
                 or k in view.sym.input.values() or k in view.sym.target.values()}
        by_diff = float(sp.diff(view.loss_expression(), param).xreplace(point))
        by_paths = float(self.expression.xreplace(view.forward_by_sympy(point)))
        numeric = view.network.gradients()[self.param]
        close = lambda a, b: abs(a - b) <= tolerance * max(1.0, abs(b))
        for what, x in (("the product of the paths' expressions", by_paths), ("the paths' values", self.value),
                        ("the numeric gradient", numeric)):
            if not close(x, by_diff):
                raise AssertionError(f"{self.name}: {what} is {x!r}, SymPy's diff of the loss gives {by_diff!r}")
        return {"paths": self.value, "sympy_diff": by_diff, "numeric": numeric}


def paren(s):
    return f"({s})" if s.startswith("-") else s


def _tex_paren(expr, tex):
    return tex if expr.is_Atom or isinstance(expr, sp.Pow) and expr.base.is_Atom else rf"\left({tex}\right)"


MAX_PATHS = 1_000  # one chain with more paths than this takes long to build and cannot be read


def path_count(view, param):
    """How many paths chain() would build for param: its routes to an output, times the samples, counted
    without listing them (a route count is the sum of the counts of the units a unit feeds)."""
    routes = {}
    for unit in reversed(list(view.units)):  # later units first: a unit feeds only units after it
        routes[unit] = 1 if unit in view.network.outputs else sum(routes[after] for after in view.consumers[unit])
    return sum(routes[unit] for unit, _ in view.uses(param)) * len(view.samples)


def chain(net, param):
    """Every path from `param` to the loss of `net`, each a product of factors; see Chain. A network with more
    than MAX_PATHS paths for param is refused with a SpecError before any is built."""
    net.check_param(param)
    view = View(net)
    count = path_count(view, param)
    if count > MAX_PATHS:
        raise SpecError(f"{param}: its chain rule has {count:,} paths (routes to an output times samples); "
                        f"at most {MAX_PATHS:,} are shown")
    paths = [view.path(route, source, param, s) for unit, source in view.uses(param)
             for route in view.routes(unit) for s in view.samples]
    return Chain(param, str(view.sym.loss), paths, view)


# --- the network's equations -------------------------------------------------------------------
@dataclass
class Equations:
    """The forward pass and the loss as (symbol, expression) pairs; LaTeX in a notebook, text in a terminal."""
    equations: list
    symbols: Symbols = field(repr=False)

    def __iter__(self):
        return iter(self.equations)

    def __len__(self):
        return len(self.equations)

    def __getitem__(self, name):
        """The right-hand side for a symbol's name, e.g. eqs["net_h1"]."""
        for symbol, expression in self.equations:
            if symbol.name == name:
                return expression
        raise KeyError(name)

    def text(self):
        width = max(len(s.name) for s, _ in self.equations)
        return "\n".join(f"{s.name.ljust(width)} = {text(e)}" for s, e in self.equations)

    __str__ = __repr__ = text

    def _repr_latex_(self):
        tex = self.symbols.tex
        return r"$$\begin{aligned}" + r" \\ ".join(f"{tex(s)} &= {tex(e)}" for s, e in self.equations) + \
            r"\end{aligned}$$"


def expressions(net):
    """Every net and out of the forward pass, each output's error and the loss, in the network's symbols."""
    view = View(net)
    return Equations(view.equations(), view.sym)


def loss_expression(net):
    """The loss as one SymPy expression of the parameters, inputs and targets (every unit substituted in)."""
    return View(net).loss_expression()


def symbols(net):
    """The network's symbols: .params, .loss, and .input / .net / .out / .target / .error keyed by (unit, sample)."""
    return Symbols(net)
