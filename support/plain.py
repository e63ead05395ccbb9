"""Independent numbers for the tests and benchmarks: a network's forward pass, loss and backward pass on plain floats,
a loop straight over the spec (never the library), and gradients by central differences."""
import math

ACT = {"sigmoid": (lambda z: 1 / (1 + math.exp(-z)), lambda z, a: a * (1 - a)),
       "tanh": (math.tanh, lambda z, a: 1 - a * a),
       "relu": (lambda z: max(z, 0.0), lambda z, a: 1.0 if z > 0 else 0.0),
       "softplus": (lambda z: math.log1p(math.exp(z)), lambda z, a: 1 / (1 + math.exp(-z))),
       "identity": (lambda z: z, lambda z, a: 1.0),
       "leaky_relu": (lambda z: z if z > 0 else 0.01 * z, lambda z, a: 1.0 if z > 0 else 0.01),
       "elu": (lambda z: z if z > 0 else math.exp(z) - 1.0, lambda z, a: 1.0 if z > 0 else math.exp(z)),
       "silu": (lambda z: z / (1 + math.exp(-z)),
                lambda z, a: 1 / (1 + math.exp(-z)) + z * math.exp(-z) / (1 + math.exp(-z)) ** 2)}
LOSS_SLOPE = {"half_sse": lambda n: 1.0, "sse": lambda n: 2.0, "mse": lambda n: 2.0 / n}


def plain_backward(spec, params):
    """Every quantity of the backward pass with plain floats, one sample at a time, straight from the spec:
    {(kind, unit, sample): value} for kinds d_out and d_net, and {(param, source, unit, sample): term}."""
    outputs = list(spec["layers"][-1]["neurons"])
    scale = LOSS_SLOPE[spec["loss"]](len(spec["data"]) * len(outputs))
    values, terms = {}, {}
    for s, sample in enumerate(spec["data"]):
        out, nets = dict(sample), {}
        for layer in spec["layers"]:
            for unit, body in layer["neurons"].items():
                z = sum(params[w] * out[src] for src, w in body["weights"].items())
                nets[unit] = z + (params[body["bias"]] if body["bias"] else 0.0)
                out[unit] = ACT[layer["activation"]][0](nets[unit])
        d_out = {u: -scale * (sample[u] - out[u]) for u in outputs}
        for layer in reversed(spec["layers"]):
            for unit, body in layer["neurons"].items():
                d_net = d_out.get(unit, 0.0) * ACT[layer["activation"]][1](nets[unit], out[unit])
                values["d_out", unit, s], values["d_net", unit, s] = d_out.get(unit, 0.0), d_net
                for src, w in body["weights"].items():
                    terms[w, src, unit, s] = d_net * out[src]
                    d_out[src] = d_out.get(src, 0.0) + d_net * params[w]
                if body["bias"]:
                    terms[body["bias"], None, unit, s] = d_net
    return values, terms


def plain_gradients(spec, params):
    grads = {p: 0.0 for p in params}
    for (param, _, _, _), term in plain_backward(spec, params)[1].items():
        grads[param] += term
    return grads


# --- an independent forward pass and loss: plain floats, a loop over the spec --------------------

def forward(spec, params, sample):
    values = dict(sample)
    nets = {}
    for layer in spec["layers"]:
        for unit, body in layer["neurons"].items():
            z = sum(params[w] * values[src] for src, w in body["weights"].items())
            z += params[body["bias"]] if body["bias"] else 0.0
            nets[unit], values[unit] = z, ACT[layer["activation"]][0](z)
    return nets, values


def loss(spec, params, data=None):
    data = spec["data"] if data is None else data
    outputs = list(spec["layers"][-1]["neurons"])
    total = 0.0
    for sample in data:
        _, values = forward(spec, params, sample)
        for u in outputs:
            r = sample[u] - values[u]
            total += {"half_sse": 0.5 * r * r, "sse": r * r, "mse": r * r / (len(data) * len(outputs))}[spec["loss"]]
    return total


def fd_gradient(spec, params, name, h=1e-6):
    up, down = dict(params), dict(params)
    up[name] += h
    down[name] -= h
    return (loss(spec, up) - loss(spec, down)) / (2 * h)
