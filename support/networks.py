"""Random small network specs for property tests (shared by several test files)."""
from hypothesis import strategies as st

from backprop_lib.core.maths import ACTIVATIONS, LOSSES, coupled

SQUARED = tuple(name for name, record in LOSSES.items() if not coupled(record))  # any outputs, any targets

value = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def specs(draw, activations=tuple(ACTIVATIONS), max_hidden=3):
    """A valid spec: 1-3 inputs, 1-max_hidden hidden layers of 1-3 units, 1-2 outputs, 1-3 samples."""
    inputs = [f"i{k + 1}" for k in range(draw(st.integers(1, 3)))]
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=max_hidden)) + [draw(st.integers(1, 2))]
    shared_bias = draw(st.booleans())
    layers, params, previous = [], {}, inputs
    for depth, size in enumerate(sizes):
        names = [f"o{k + 1}" for k in range(size)] if depth == len(sizes) - 1 else \
            [f"h{depth + 1}{k + 1}" for k in range(size)]
        neurons = {}
        for unit in names:
            weights = {src: f"w_{src}_{unit}" for src in previous}
            params.update({p: draw(value) for p in weights.values()})
            bias = f"b{depth + 1}" if shared_bias else f"b_{unit}"
            params.setdefault(bias, draw(value))
            neurons[unit] = {"weights": weights, "bias": bias}
        layers.append({"activation": draw(st.sampled_from(activations)), "neurons": neurons})
        previous = names
    data = [{u: draw(value) for u in inputs + previous} for _ in range(draw(st.integers(1, 3)))]
    return {"name": "random", "inputs": inputs, "layers": layers, "params": params,
            "loss": draw(st.sampled_from(SQUARED)), "data": data, "learning_rate": 0.1}
