"""Two ways to number the same weights: by the unit a weight enters (the specs' way) or by the unit it leaves
(note 000's derivation pages), each drawn on the network with the text that says the same."""
from .extras import require

require("numberings", "matplotlib")
from matplotlib.patches import Circle  # noqa: E402

from . import plots  # noqa: E402


def by_target(net):
    """{weight: (source, target)} as the spec names them; in `mazur` the weights into h1 come first."""
    return {w: (src, dst) for src, dst, w in plots.edges(net) if w is not None and not src.startswith("1:")}


def by_source(net):
    """The same edges renamed in the order of the unit each leaves (then the unit it enters), reusing the
    spec's weight names in their order: in `mazur`, w1 = i1->h1, w2 = i1->h2, w3 = i2->h1, ..."""
    spec_order = list(by_target(net))
    columns = [list(net.inputs)] + [list(layer["neurons"]) for layer in net.spec["layers"]]
    place = {node: (k, j) for k, column in enumerate(columns) for j, node in enumerate(column)}
    ordered = sorted(by_target(net).values(), key=lambda e: (place[e[0]], place[e[1]]))
    return dict(zip(spec_order, ordered))


def renaming(net):
    """{name in the leaving-unit numbering: the spec's name for the same edge}."""
    spec_name = {edge: w for w, edge in by_target(net).items()}
    return {w: spec_name[edge] for w, edge in by_source(net).items()}


def _arrow(a, b):
    return f"{a}\u2192{b}"


def describe(net):
    """The figure's text alternative, from the same two tables it draws."""
    target, source = by_target(net), by_source(net)
    left = ", ".join(f"{w} {_arrow(*e)}" for w, e in target.items())
    right = ", ".join(f"{w} {_arrow(*e)}" for w, e in source.items())
    return (f"The same network drawn twice with its weights labelled two ways. Left, numbered by the unit each "
            f"weight enters (the spec and note 004): {left}. Right, numbered by the unit each weight leaves "
            f"(note 000's derivation pages): {right}.")


def figure(net):
    """Two diagrams of the network side by side: the spec's numbering and the leaving-unit numbering."""
    fig = plots.DescribedFigure(figsize=(9, 3.6), layout="constrained")
    pos = plots.layout(net)
    titles = ("numbered by the unit a weight enters\n(spec, note 004, 000's forward page)",
              "numbered by the unit a weight leaves\n(000's derivation pages)")
    for ax, names, title in zip(fig.subplots(1, 2), (by_target(net), by_source(net)), titles):
        for w, (src, dst) in names.items():
            (x0, y0), (x1, y1) = pos[src], pos[dst]
            ax.plot([x0, x1], [y0, y1], color=plots.NEUTRAL, lw=1, zorder=1)
            # the label sits near the edge's start, where no two edges of one source cross
            ax.text(x0 + 0.3 * (x1 - x0), y0 + 0.3 * (y1 - y0), w, ha="center", va="center", fontsize=9,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}, zorder=3)
        for node in {n for e in names.values() for n in e}:
            x, y = pos[node]
            ax.add_patch(Circle((x, y), 0.32, fc="white", ec="black", zorder=2))
            ax.text(x, y, node, ha="center", va="center", fontsize=10, zorder=4)
        ax.set_title(title, fontsize=9)
        ax.set_aspect("equal")
        ax.axis("off")
        drawn = [pos[n] for e in names.values() for n in e]
        ax.set_xlim(min(x for x, _ in drawn) - 0.5, max(x for x, _ in drawn) + 0.5)
        ax.set_ylim(min(y for _, y in drawn) - 0.5, max(y for _, y in drawn) + 0.5)
    fig.description = describe(net)
    return fig
