"""The network's structure as every picture draws it, built from the spec: nodes and their places, edges with their
parameter, bias nodes, how many edges each parameter sits on, the paths from a parameter to the loss, and each
edge's share of its parameter's gradient. NumPy only: the matplotlib figures and the browser's SVG diagram both
read it.
"""

COLUMN = 2.6  # distance between the diagram's layers; units in a layer are 1.5 apart


def layout(net):
    """Where each node goes: {node: (x, y)}, one column per layer, a bias node '1' under a layer's
    sources when that layer has biases, and the loss node 'E' on the right."""
    columns = [list(net.inputs)] + [list(layer["neurons"]) for layer in net.spec["layers"]]
    pos = {}
    for k, column in enumerate(columns):
        biased = k < len(net.spec["layers"]) and any(
            b["bias"] is not None for b in net.spec["layers"][k]["neurons"].values())
        nodes = column + ([f"1:{k + 1}"] if biased else [])
        for j, node in enumerate(nodes):
            pos[node] = (COLUMN * k, 1.5 * ((len(nodes) - 1) / 2 - j))
    pos["E"] = (COLUMN * len(columns), 0.0)
    return pos


def edges(net):
    """Every edge of the diagram as (source node, target node, parameter or None)."""
    out = []
    for k, layer in enumerate(net.spec["layers"]):
        for unit, body in layer["neurons"].items():
            out += [(src, unit, w) for src, w in body["weights"].items()]
            if body["bias"] is not None:
                out.append((f"1:{k + 1}", unit, body["bias"]))
    out += [(u, "E", None) for u in net.outputs]
    return out


def terms(body):
    """What a unit adds up into its net, in the spec's order: (weight, source) for each edge into it, then
    (bias, None) when it has a bias."""
    found = [(weight, source) for source, weight in body["weights"].items()]
    return found + ([(body["bias"], None)] if body["bias"] is not None else [])


def unit_edges(net):
    """Every edge into a unit as (source, unit, parameter), the units in the spec's order and each unit's edges as
    terms gives them: a bias edge has source None (bias_nodes names its node in the diagram)."""
    return [(source, unit, param) for unit, _, body in net.units for param, source in terms(body)]


def chain_path(net, param):
    """The nodes and edges on every path from a parameter's uses to the loss node 'E'."""
    net.check_param(param)
    all_edges = edges(net)
    uses = [e for e in all_edges if e[2] == param]
    reach_loss = {"E"}
    for src, dst, _ in reversed(all_edges):  # edges are in layer order, so one backward pass suffices
        if dst in reach_loss:
            reach_loss.add(src)
    downstream = {dst for _, dst, _ in uses}
    for src, dst, _ in all_edges:
        if src in downstream:
            downstream.add(dst)
    nodes = downstream & reach_loss
    path_edges = [e for e in uses if e[1] in nodes] + \
        [e for e in all_edges if e[0] in nodes and e[1] in nodes]
    return nodes | {e[0] for e in path_edges}, path_edges


def backward_pass(net):
    """The backward pass, stated once, in the order backpropagation takes it: the layers from the last back to the
    first, each layer's units in the spec's order. For each unit, (unit, activation, into, terms):
    - ∂E/∂out: for an output (into is None) from the loss; for any other unit the sum, in this order, over the
      edges that pass the error back into it, into = [(later unit, weight)], of that unit's ∂E/∂net × weight;
    - ∂E/∂net = ∂E/∂out × ∂out/∂net; for an output of a loss that states ∂E/∂net itself (maths.CoupledLoss:
      softmax or sigmoid with cross-entropy), ∂E/∂net comes from the loss;
    - terms = [(param, source)]: each edge into the unit adds ∂E/∂net × the source's out to ∂E/∂param, a bias
      (source None) ∂E/∂net × 1. A parameter used on several edges gathers one term from each.
    Evaluation (numeric), the compiled step, the backward steps, the walkthrough and the exercises' slips read it."""
    into = {unit: [] for unit, _, _ in net.units}
    order = []
    for layer in reversed(net.spec["layers"]):
        for unit, body in layer["neurons"].items():
            order.append((unit, layer["activation"], None if unit in net.outputs else into[unit], terms(body)))
            for weight, source in terms(body):
                if source in into:
                    into[source].append((unit, weight))
    return order


def consumers(net):
    """For each unit, the later units that take its out and the weight on each such edge: {unit: [(later unit,
    weight)]}, in the spec's order. An error passes back along these edges."""
    found = {unit: [] for unit, _, _ in net.units}
    for unit, _, body in net.units:
        for source, weight in body["weights"].items():
            if source in found:
                found[source].append((unit, weight))
    return found


def places(net, param):
    """Where a parameter appears: (unit, source) for a weight, (unit, None) for a bias, in the spec's order."""
    found = []
    for unit, _, body in net.units:
        found += [(unit, source) for source, w in body["weights"].items() if w == param]
        found += [(unit, None)] if body["bias"] == param else []
    return found


def bias_nodes(net):
    """The bias node ('1:k' in layout) each unit's bias edge comes from."""
    return {unit: f"1:{k + 1}" for k, layer in enumerate(net.spec["layers"]) for unit in layer["neurons"]}


def edge_gradients(net):
    """Each edge's share of its parameter's gradient, {(source node, target node): share}: the whole gradient
    for a parameter used once; for a shared one (a bias on several units) its uses add up to the gradient."""
    bias = bias_nodes(net)
    return {(bias[unit] if src is None else src, unit): share for _, src, unit, share in net.use_gradients()}


def uses(net):
    """How many edges each parameter sits on."""
    counts = {}
    for _, _, param in edges(net):
        if param is not None:
            counts[param] = counts.get(param, 0) + 1
    return counts
