"""The computation graph of an autograd value drawn as SVG, with the text that says the same, and no Graphviz.

Works on any object with `data`, `grad`, `inputs` (the values it was made from), `op` and `name`: the
`Value` a learner builds in notebook 06b."""
import base64
import html

from ..core.printing import MINUS


def _shown(x):
    return f"{x:.4g}".replace("-", MINUS)


def nodes(root):
    """Every value root was made from, and root, each after all of its inputs (a topological order)."""
    order, seen = [], set()

    def visit(v):
        if id(v) not in seen:
            seen.add(id(v))
            for u in v.inputs:
                visit(u)
            order.append(v)
    visit(root)
    return order


def label(v):
    """A value's name, or the operation that made it, or 'constant'."""
    return v.name or v.op or "constant"


def columns(root):
    """{id(value): column}: named inputs in column 0, every other value one column right of its furthest
    input, and a constant just left of the first value that uses it."""
    order, column = nodes(root), {}
    for v in order:
        column[id(v)] = 1 + max((column[id(u)] for u in v.inputs), default=-1)
    first_use = {}
    for v in order:
        for u in v.inputs:
            first_use.setdefault(id(u), column[id(v)] - 1)
    for v in order:
        if not v.inputs and not v.name:
            column[id(v)] = first_use.get(id(v), 0)
    return column


def describe(root):
    """The drawing's text alternative: every value, what it was made from, its data and its grad."""
    order = nodes(root)
    index = {id(v): k + 1 for k, v in enumerate(order)}
    parts = []
    for v in order:
        if v.inputs:
            what = f"{' ' + v.name if v.name else ''} = {v.op} of {', '.join(f'#{index[id(u)]}' for u in v.inputs)}"
        else:
            what = f" {v.name or 'constant'}"
        parts.append(f"#{index[id(v)]}{what}: data {_shown(v.data)}, grad {_shown(v.grad)}")
    return (f"Computation graph of {len(order)} values, inputs on the left and the result on the right; "
            + "; ".join(parts) + ".")


class Drawing:
    """An SVG picture that a notebook shows as the picture, and as its description where no picture shows."""

    def __init__(self, svg, description):
        self.svg, self.description = svg, description

    def _repr_mimebundle_(self, include=None, exclude=None):
        # As an <img> with its alt text first (what HTML exports and screen readers use), the SVG itself second.
        data = base64.b64encode(self.svg.encode()).decode()
        alt = html.escape(self.description)
        return {"text/html": f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" style="max-width: 100%">',
                "image/svg+xml": self.svg, "text/plain": self.description}

    def __repr__(self):
        return self.description


def draw(root, width=150, height=54, gap=40):
    """The graph of root as SVG: a box per value (its label, data and grad), an arrow per use."""
    order, column = nodes(root), columns(root)
    rows, place = {}, {}
    for v in order:
        c = column[id(v)]
        place[id(v)] = (c, rows.get(c, 0))
        rows[c] = rows.get(c, 0) + 1
    x = lambda c: 10 + c * (width + gap)
    y = lambda r: 10 + r * (height + 16)
    size = (x(max(rows) + 1) - gap + 10, y(max(rows.values())) + 10)
    description = describe(root)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size[0]}" height="{size[1]}" role="img" '
             f'class="bp-value-graph" font-family="sans-serif" font-size="11">',
             f"<title>computation graph of {html.escape(label(root))}</title>",
             f"<desc>{html.escape(description)}</desc>",
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    for v in order:
        c, r = place[id(v)]
        for u in v.inputs:
            cu, ru = place[id(u)]
            parts.append(f'<line x1="{x(cu) + width}" y1="{y(ru) + height / 2}" x2="{x(c)}" y2="{y(r) + height / 2}" '
                         'stroke="#555" marker-end="url(#arrow)"/>')
    for v in order:
        c, r = place[id(v)]
        parts.append(f'<rect x="{x(c)}" y="{y(r)}" width="{width}" height="{height}" rx="6" fill="white" '
                     'stroke="black"/>')
        lines = (label(v), f"data {_shown(v.data)}", f"grad {_shown(v.grad)}")
        for k, text in enumerate(lines):
            weight = ' font-weight="bold"' if k == 0 else ""
            parts.append(f'<text x="{x(c) + 8}" y="{y(r) + 15 + 15 * k}"{weight}>{html.escape(text)}</text>')
    parts.append("</svg>")
    return Drawing("\n".join(parts), description)
