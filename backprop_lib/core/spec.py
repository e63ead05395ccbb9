"""Load and validate network specs (JSON), including the built-in examples beside this module."""
import json
import math
import numbers
from pathlib import Path

from .maths import ACTIVATIONS, LOSSES, coupled

EXAMPLES_DIR = Path(__file__).parent / "examples"
# Limits on one spec, so that a pasted spec is refused at once instead of stalling the kernel that serves a
# learner. The built-in examples use a small part of each (at most 7 units, 10 parameters, 3 samples).
MAX_CHARS = 20_000  # characters of JSON text
MAX_DEPTH = 10  # brackets inside brackets; a spec needs 6
MAX_UNITS = 64  # inputs and neurons together
MAX_PARAMS = 1_000
MAX_SAMPLES = 256
MAX_WORK = 1_024  # weights and biases of every unit, times samples: one training step does this many products
# MAX_CHARS, MAX_DEPTH and MAX_WORK hold for a spec given as JSON text (pasted, or a file); the others for every spec.
TOP_LEVEL = ("name", "description", "inputs", "layers", "params", "loss", "data", "learning_rate", "fixed")


class SpecError(ValueError):
    """A spec, argument or answer a learner gave is not usable; the message says which field and why."""


def examples():
    """Names of the built-in example networks."""
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))


def read(source):
    """Return a validated spec dict from an example name, a JSON file path or a dict."""
    if isinstance(source, dict):
        return validate(source)
    if not isinstance(source, (str, Path)):
        raise SpecError(f"spec: expected an example name, a file path or a dict, got {type(source).__name__}")
    path = Path(source)
    if str(source) in examples():
        path = EXAMPLES_DIR / f"{source}.json"
    elif not path.is_file():
        raise SpecError(f"spec: '{source}' is neither a built-in example ({', '.join(examples())}) nor a file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SpecError(f"spec: cannot read '{source}': {err.strerror}") from None
    return parse(text, where=str(source))


def parse(text, where="spec"):
    """Validate a spec given as JSON text (at most MAX_CHARS characters, nested at most MAX_DEPTH deep, at most
    MAX_WORK to train)."""
    if not isinstance(text, str):
        raise SpecError(f"{where}: expected JSON text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise SpecError(f"{where}: too long ({len(text):,} characters; a spec may have at most {MAX_CHARS:,})")
    if _depth(text) > MAX_DEPTH:
        raise SpecError(f"{where}: nested too deeply (more than {MAX_DEPTH} levels of brackets; a spec needs 6)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SpecError(f"{where}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None
    return _trainable(validate(data))


def _trainable(spec):
    """The spec, if one training step on it does at most MAX_WORK products (its weights and biases in use times
    its samples), so training it in a shared kernel takes seconds, not minutes."""
    uses = sum(len(body["weights"]) + (body["bias"] is not None)
               for layer in spec["layers"] for body in layer["neurons"].values())
    work = uses * len(spec["data"])
    if work > MAX_WORK:
        raise SpecError(f"data: too much to train here: {uses:,} weights and biases in use times {len(spec['data']):,} "
                        f"samples is {work:,} (a spec may have at most {MAX_WORK:,})")
    return spec


def _depth(text):
    """The deepest nesting of [ and { in JSON text, brackets inside strings not counted. Checked before
    json.loads, whose recursion a deeply nested text would exhaust."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _at_most(count, limit, field, what):
    if count > limit:
        raise SpecError(f"{field}: too many {what}: {count:,} (a spec may have at most {limit:,})")


def number(value, field):
    """Return value as a float, or raise SpecError if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpecError(f"{field}: expected a number, got {_shown(value)}")
    if not math.isfinite(value):
        raise SpecError(f"{field}: must be a finite number, got {value}")
    return float(value)


def _shown(value):
    """A value as the learner wrote it, for an error message."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def validate(spec):
    """Check every field of a spec and return a normalised copy (floats, defaults filled in)."""
    if not isinstance(spec, dict):
        raise SpecError("spec: expected a JSON object with inputs, layers, params, loss and data")
    unknown = [k for k in spec if k not in TOP_LEVEL]
    if unknown:
        raise SpecError(f"{unknown[0]}: unknown field (allowed: {', '.join(TOP_LEVEL)})")
    for field in ("inputs", "layers", "params", "loss", "data"):
        if field not in spec:
            raise SpecError(f"{field}: missing")
    inputs = _inputs(spec["inputs"])
    layers, used = _layers(spec["layers"], inputs)
    params = _params(spec["params"], used)
    loss = spec["loss"]
    if loss not in LOSSES:
        raise SpecError(f"loss: unknown loss {_shown(loss)} (choose one of {', '.join(LOSSES)})")
    outputs = list(layers[-1]["neurons"])
    data = _data(spec["data"], inputs, outputs)
    if coupled(LOSSES[loss]):
        _fits_loss(LOSSES[loss], layers[-1]["activation"], outputs, data)
    out = {"name": str(spec.get("name", "network")), "inputs": inputs, "layers": layers,
           "params": params, "loss": loss, "data": data}
    if "description" in spec:
        out["description"] = str(spec["description"])
    if "learning_rate" in spec:
        out["learning_rate"] = learning_rate(spec["learning_rate"], "learning_rate")
    if "fixed" in spec:
        out["fixed"] = _fixed(spec["fixed"], params)
    return out


def _fits_loss(record, activation, outputs, data):
    """A loss over all the outputs (cross-entropy) asks for its output activation, a number of outputs and
    targets it can read as probabilities."""
    fewest, most = record.outputs
    if len(outputs) < fewest or (most is not None and len(outputs) > most):
        wanted = f"exactly {fewest}" if fewest == most else f"at least {fewest}"
        raise SpecError(f"loss: {record.name} needs {wanted} output unit{'s' if fewest > 1 else ''}, "
                        f"this spec has {len(outputs)} ({', '.join(outputs)})")
    if activation != record.activation:
        what = "logits: the loss applies the softmax itself" if record.activation == "identity" else \
            f"a {record.activation}"
        raise SpecError(f"layers[-1].activation: {record.name} needs the output layer's activation to be "
                        f"\"{record.activation}\" ({what}), not \"{activation}\"")
    for k, sample in enumerate(data):
        targets = [sample[u] for u in outputs]
        if record.one_hot and (sorted(targets) != [0.0] * (len(targets) - 1) + [1.0]):
            raise SpecError(f"data[{k}]: {record.name} needs one-hot targets (one output 1, the others 0), "
                            f"got {', '.join(f'{u} = {t:g}' for u, t in zip(outputs, targets))}")
        if not record.one_hot and any(t < 0.0 or t > 1.0 for t in targets):
            raise SpecError(f"data[{k}]: {record.name} needs targets from 0 to 1, "
                            f"got {', '.join(f'{u} = {t:g}' for u, t in zip(outputs, targets))}")


def learning_rate(value, field="lr"):
    """A learning rate must be a finite number above zero."""
    lr = number(value, field)
    if lr <= 0:
        raise SpecError(f"{field}: must be greater than 0, got {value}")
    return lr


def _inputs(inputs):
    if not isinstance(inputs, list) or not inputs:
        raise SpecError("inputs: expected a non-empty list of input unit names")
    _at_most(len(inputs), MAX_UNITS, "inputs", "units")
    for k, name in enumerate(inputs):
        if not isinstance(name, str) or not name:
            raise SpecError(f"inputs[{k}]: expected a unit name, got {_shown(name)}")
    if len(set(inputs)) != len(inputs):
        raise SpecError("inputs: a unit name appears twice")
    return list(inputs)


def _layers(layers, inputs):
    """Validate the layers; return them normalised and the parameter names in order of first use."""
    if not isinstance(layers, list) or not layers:
        raise SpecError("layers: expected a non-empty list of layers")
    known, used, out = list(inputs), [], []
    for k, layer in enumerate(layers):
        where = f"layers[{k}]"
        if not isinstance(layer, dict):
            raise SpecError(f"{where}: expected an object with activation and neurons")
        act = layer.get("activation")
        if act not in ACTIVATIONS:
            raise SpecError(f"{where}.activation: unknown activation {_shown(act)} "
                            f"(choose one of {', '.join(ACTIVATIONS)})")
        neurons = layer.get("neurons")
        if not isinstance(neurons, dict) or not neurons:
            raise SpecError(f"{where}.neurons: expected a non-empty object of units")
        _at_most(len(known) + len(neurons), MAX_UNITS, f"{where}.neurons", "units (inputs and neurons together)")
        norm = {}
        for unit, body in neurons.items():
            norm[unit] = _neuron(body, f"{where}.neurons.{unit}", known, used)
        for unit in neurons:
            if unit in known:
                raise SpecError(f"{where}.neurons.{unit}: unit name already used")
        known.extend(neurons)
        out.append({"activation": act, "neurons": norm})
    return out, used


def _neuron(body, where, known, used):
    if not isinstance(body, dict) or not isinstance(body.get("weights"), dict) or not body["weights"]:
        raise SpecError(f"{where}: expected {{\"weights\": {{SOURCE_UNIT: PARAM}}, \"bias\": PARAM}}")
    extra = [k for k in body if k not in ("weights", "bias")]
    if extra:
        raise SpecError(f"{where}.{extra[0]}: unknown field (allowed: weights, bias)")
    for source, param in body["weights"].items():
        if source not in known:
            raise SpecError(f"{where}.weights.{source}: no unit '{source}' before this layer "
                            f"(known: {', '.join(known)})")
        _param_name(param, f"{where}.weights.{source}", used)
    bias = body.get("bias")
    if bias is not None:
        _param_name(bias, f"{where}.bias", used)
    return {"weights": dict(body["weights"]), "bias": bias}


def _param_name(param, where, used):
    if not isinstance(param, str) or not param:
        raise SpecError(f"{where}: expected a parameter name, got {_shown(param)}")
    if param not in used:
        used.append(param)


def _params(params, used):
    if not isinstance(params, dict):
        raise SpecError("params: expected an object {PARAM: number}")
    _at_most(max(len(params), len(used)), MAX_PARAMS, "params", "parameters")
    for name in used:
        if name not in params:
            raise SpecError(f"params.{name}: no value given")
    for name in params:
        if name not in used:
            raise SpecError(f"params.{name}: not used by any neuron")
    return {name: number(params[name], f"params.{name}") for name in params}


def _fixed(fixed, params):
    """Parameters that training keeps fixed unless told otherwise (the notes never update b1 and b2)."""
    if not isinstance(fixed, list):
        raise SpecError(f"fixed: expected a list of parameter names, got {_shown(fixed)}")
    for k, name in enumerate(fixed):
        if not isinstance(name, str) or name not in params:
            raise SpecError(f"fixed[{k}]: no parameter {_shown(name)} (parameters: {', '.join(params)})")
    if len(set(fixed)) != len(fixed):
        raise SpecError("fixed: a parameter name appears twice")
    return list(fixed)


def _data(data, inputs, outputs):
    if not isinstance(data, list) or not data:
        raise SpecError("data: expected a non-empty list of samples")
    _at_most(len(data), MAX_SAMPLES, "data", "samples")
    out = []
    for k, sample in enumerate(data):
        where = f"data[{k}]"
        if not isinstance(sample, dict):
            raise SpecError(f"{where}: expected an object {{INPUT: value, ..., OUTPUT: target, ...}}")
        for unit in inputs + outputs:
            if unit not in sample:
                kind = "input" if unit in inputs else "target for output"
                raise SpecError(f"{where}.{unit}: missing {kind} '{unit}'")
        for unit in sample:
            if unit not in inputs and unit not in outputs:
                raise SpecError(f"{where}.{unit}: not an input or output unit")
        out.append({unit: number(sample[unit], f"{where}.{unit}") for unit in inputs + outputs})
    return out
