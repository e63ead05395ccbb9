"""A pasted spec that is too big or nested too deeply is refused with one clear line, before any work is done;
a spec at each limit is still accepted."""
import json
import subprocess
import sys

import pytest

import backprop_lib as bp
from backprop_lib.core import spec

MAZUR_TEXT = json.dumps(bp.load("mazur").spec)


def one_layer(inputs, outputs, samples=1):
    """A spec with `inputs` input units wired to `outputs` identity units, no biases, and `samples` samples."""
    names_in = [f"i{k}" for k in range(inputs)]
    names_out = [f"o{k}" for k in range(outputs)]
    neurons = {o: {"weights": {i: f"w_{i}_{o}" for i in names_in}} for o in names_out}
    params = {f"w_{i}_{o}": 0.1 for i in names_in for o in names_out}
    data = [{u: 0.5 for u in names_in + names_out} for _ in range(samples)]
    return {"inputs": names_in, "layers": [{"activation": "identity", "neurons": neurons}], "params": params,
            "loss": "half_sse", "data": data}


def refusal(source):
    """The message of the one SpecError that reading source raises."""
    with pytest.raises(bp.SpecError) as err:
        spec.parse(source) if isinstance(source, str) else bp.load(source)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_text_longer_than_the_limit_is_refused_though_valid_json():
    text = MAZUR_TEXT + " " * (spec.MAX_CHARS - len(MAZUR_TEXT) + 1)
    json.loads(text)  # valid JSON: only its length is wrong
    assert refusal(text) == f"spec: too long ({len(text):,} characters; a spec may have at most 20,000)"


def test_text_at_the_length_limit_is_accepted():
    text = MAZUR_TEXT + " " * (spec.MAX_CHARS - len(MAZUR_TEXT))
    assert len(text) == spec.MAX_CHARS
    assert spec.parse(text)["params"]["w5"] == 0.40


def test_deep_nesting_is_refused_before_json_parses_it():
    text = "[" * 5000 + "]" * 5000  # deep enough to exhaust json.loads' recursion, short enough to pass the length
    assert len(text) <= spec.MAX_CHARS
    assert refusal(text).startswith("spec: nested too deeply (more than 10 levels")


def test_nesting_one_past_the_limit_is_refused_and_at_the_limit_is_only_a_wrong_spec():
    assert "nested too deeply" in refusal("[" * 11 + "]" * 11)
    assert refusal("[" * 10 + "]" * 10) == "spec: expected a JSON object with inputs, layers, params, loss and data"


def test_brackets_inside_strings_do_not_count_as_nesting():
    data = dict(json.loads(MAZUR_TEXT), description='[[[[[[[[[[[[{{{{{{{{{{{{ and a quote \\" [[[[[[')
    assert spec.parse(json.dumps(data))["description"].startswith("[[[[")


def test_more_units_than_the_limit_are_refused_naming_the_layer():
    assert refusal(one_layer(60, 5)) == \
        "layers[0].neurons: too many units (inputs and neurons together): 65 (a spec may have at most 64)"


def test_more_inputs_than_the_unit_limit_are_refused():
    assert refusal(one_layer(65, 1)).startswith("inputs: too many units: 65")


def test_units_at_the_limit_are_accepted():
    net = bp.load(one_layer(60, 4))
    assert len(net.inputs) + len(net.outputs) == spec.MAX_UNITS


def test_more_parameters_than_the_limit_are_refused():
    assert refusal(one_layer(32, 32)) == "params: too many parameters: 1,024 (a spec may have at most 1,000)"


def test_parameters_under_the_limit_are_accepted():
    assert len(bp.load(one_layer(31, 32)).params) == 31 * 32


def test_more_samples_than_the_limit_are_refused():
    assert refusal(one_layer(2, 1, samples=257)) == "data: too many samples: 257 (a spec may have at most 256)"


def test_samples_at_the_limit_are_accepted():
    net = bp.load(one_layer(2, 1, samples=256))
    assert len(net.samples) == 256


def test_text_that_is_not_a_string_is_refused():
    with pytest.raises(bp.SpecError, match="^spec: expected JSON text, got bytes$"):
        spec.parse(b"{}")


def test_command_line_refuses_an_oversized_spec_file_in_one_line(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(MAZUR_TEXT + " " * spec.MAX_CHARS)
    done = subprocess.run([sys.executable, "-m", "backprop_lib", "gradients", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [f"error: {path}: too long ({len(MAZUR_TEXT) + spec.MAX_CHARS:,} characters; "
                                        "a spec may have at most 20,000)"]


def layered(widths, inputs=2, samples=1):
    """A sigmoid network with `inputs` inputs and fully connected layers of these widths, no biases."""
    previous = [f"i{k}" for k in range(inputs)]
    names_in, layers, params = list(previous), [], {}
    for depth, width in enumerate(widths):
        names = [f"o{k}" if depth == len(widths) - 1 else f"h{depth}_{k}" for k in range(width)]
        neurons = {n: {"weights": {p: f"w_{p}_{n}" for p in previous}} for n in names}
        params.update({f"w_{p}_{n}": 0.1 for p in previous for n in names})
        layers.append({"activation": "sigmoid", "neurons": neurons})
        previous = names
    data = [{u: 0.5 for u in names_in + previous} for _ in range(samples)]
    return {"inputs": names_in, "layers": layers, "params": params, "loss": "half_sse", "data": data}


@pytest.mark.parametrize("spec_", ["mazur", "lecture", "statquest", layered([3, 2, 2], samples=3)],
                         ids=["mazur", "lecture", "statquest", "3-2-2, 3 samples"])
def test_path_count_is_the_number_of_paths_chain_lists(spec_):
    from backprop_lib import symbolic

    net = bp.load(spec_)
    view = symbolic.View(net)
    for param in net.params:
        assert symbolic.path_count(view, param) == len(net.chain(param).paths)


def test_a_chain_with_more_paths_than_the_limit_is_refused_before_it_is_built():
    net = bp.load(layered([8, 8, 8, 8, 8, 1]))  # 8^4 = 4,096 routes from a first-layer weight, within every spec limit
    first = next(iter(net.params))
    with pytest.raises(bp.SpecError) as err:
        net.chain(first)
    assert str(err.value) == (f"{first}: its chain rule has 4,096 paths (routes to an output times samples); "
                              "at most 1,000 are shown")
    assert len(net.chain(next(p for p in net.params if p.endswith("_o0"))).paths) == 1  # a last-layer weight: one


def test_the_playground_chain_section_says_why_it_cannot_show_a_network_with_too_many_paths():
    from backprop_lib.widgets.playground import playground

    app = playground("mazur")
    chain = app.sections.show("The chain rule")
    app.picker.json.value = json.dumps(layered([8, 8, 8, 8, 8, 1]))
    app.picker.use.click()
    assert app.picker.network.name == "network"
    assert "its chain rule has 4,096 paths" in chain.view.readout.value  # a message, not a stalled kernel


def test_command_line_refuses_a_chain_with_too_many_paths_in_one_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(layered([8, 8, 8, 8, 8, 1])))
    done = subprocess.run([sys.executable, "-m", "backprop_lib", "chain", str(path), "w_i0_h0_0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "its chain rule has 4,096 paths" in done.stderr


def test_a_pasted_network_too_big_to_train_is_refused_naming_uses_times_samples():
    text = json.dumps(one_layer(8, 1, samples=150))
    assert len(text) <= spec.MAX_CHARS
    assert refusal(text) == ("data: too much to train here: 8 weights and biases in use times 150 samples is 1,200 "
                             "(a spec may have at most 1,024)")


def test_a_network_built_in_code_may_be_bigger_to_train():
    assert len(bp.load(one_layer(8, 1, samples=150)).samples) == 150  # a notebook's own choice, not a pasted spec


def test_training_on_the_most_samples_agrees_with_a_plain_loop():
    """256 samples: every gradient is a sum of 256 terms (once more than Python's 200 nested parentheses)."""
    spec_ = one_layer(2, 1, samples=spec.MAX_SAMPLES)
    for s, sample in enumerate(spec_["data"]):
        sample.update(i0=s / 256, i1=1 - s / 512, o0=(s % 7) / 7)
    net = bp.load(spec_)
    w = dict(net.params)
    grads = {k: 0.0 for k in w}
    for sample in spec_["data"]:
        out = w["w_i0_o0"] * sample["i0"] + w["w_i1_o0"] * sample["i1"]
        grads["w_i0_o0"] += (out - sample["o0"]) * sample["i0"]
        grads["w_i1_o0"] += (out - sample["o0"]) * sample["i1"]
    trained = net.train(steps=1, lr=0.01, freeze=()).params
    swept = net.sweep([0.01, 0.02], steps=1, freeze=()).params
    for k in w:
        assert trained[k] == pytest.approx(w[k] - 0.01 * grads[k], rel=1e-12)
        assert swept[k][1] == pytest.approx(w[k] - 0.02 * grads[k], rel=1e-12)
