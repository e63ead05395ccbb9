"""Every kind of bad input: one ValueError from the API, one line and exit status 2 from the command line."""
import copy
import json
import subprocess
import sys

import numpy as np
import pytest

import backprop_lib as bp

MAZUR = bp.load("mazur").spec


def changed(edit):
    spec = copy.deepcopy(MAZUR)
    edit(spec)
    return spec


BAD_SPECS = {
    "missing value": (changed(lambda s: s["params"].pop("w3")), "params.w3"),
    "non-number value": (changed(lambda s: s["params"].update(w3="0.25")), "params.w3"),
    "non-finite value": (changed(lambda s: s["params"].update(w3=float("inf"))), "params.w3"),
    "boolean value": (changed(lambda s: s["params"].update(w3=True)), "params.w3"),
    "unknown activation": (changed(lambda s: s["layers"][0].update(activation="sigmoidal")), "layers[0].activation"),
    "unknown loss": (changed(lambda s: s.update(loss="cross_entropy")), "loss"),
    "weight from nowhere": (changed(lambda s: s["layers"][1]["neurons"]["o1"]["weights"].update(h9="w5")),
                            "layers[1].neurons.o1.weights.h9"),
    "sample without an input": (changed(lambda s: s["data"][0].pop("i2")), "data[0].i2"),
    "sample without a target": (changed(lambda s: s["data"][0].pop("o1")), "data[0].o1"),
    "no layers": (changed(lambda s: s.update(layers=[])), "layers"),
    "no data": (changed(lambda s: s.update(data=[])), "data"),
    "missing field": (changed(lambda s: s.pop("loss")), "loss"),
    "unused parameter": (changed(lambda s: s["params"].update(w9=1.0)), "params.w9"),
    "negative learning rate in spec": (changed(lambda s: s.update(learning_rate=-0.5)), "learning_rate"),
    "fixed names an unknown parameter": (changed(lambda s: s.update(fixed=["b1", "b3"])), "fixed[1]"),
    "fixed is not a list": (changed(lambda s: s.update(fixed="b1,b2")), "fixed"),
    "fixed names a parameter twice": (changed(lambda s: s.update(fixed=["b1", "b1"])), "fixed"),
    "not an object": ([1, 2, 3], "spec"),
}


@pytest.mark.parametrize("case", BAD_SPECS)
def test_bad_spec_raises_one_value_error_naming_the_field(case):
    spec, field = BAD_SPECS[case]
    with pytest.raises(ValueError) as err:
        bp.load(spec)
    assert isinstance(err.value, bp.SpecError)
    assert str(err.value).startswith(field + ":") and "\n" not in str(err.value)


@pytest.mark.parametrize("call, field", [
    (lambda n: n.train(steps=-1), "steps"),
    (lambda n: n.train(steps=2.5), "steps"),
    (lambda n: n.train(steps=3, lr=0), "lr"),
    (lambda n: n.train(steps=3, lr=float("nan")), "lr"),
    (lambda n: n.train(steps=3, freeze=("b3",)), "freeze"),
    (lambda n: n.sweep(lrs=[0.1, -1], steps=3), "lrs"),
    (lambda n: n.with_params(w9=1.0), "w9"),
    (lambda n: n.with_params(w1=float("inf")), "w1"),
])
def test_bad_arguments_raise_one_value_error(call, field):
    with pytest.raises(bp.SpecError) as err:
        call(bp.load("mazur"))
    assert str(err.value).startswith(field + ":")


def test_unknown_example_and_missing_file():
    with pytest.raises(bp.SpecError, match="neither a built-in example"):
        bp.load("mazurr")
    with pytest.raises(bp.SpecError, match="neither a built-in example"):
        bp.load("no/such/file.json")


def cli(*args):
    return subprocess.run([sys.executable, "-m", "backprop_lib", *args], capture_output=True, text=True, timeout=60)


def write(tmp_path, text):
    path = tmp_path / "spec.json"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("case", ["not json", "missing file", "unknown example", *BAD_SPECS])
def test_cli_bad_spec_prints_one_line_and_exits_2(tmp_path, case):
    spec = {"not json": lambda: write(tmp_path, "{\"inputs\": ["),
            "missing file": lambda: str(tmp_path / "absent.json"),
            "unknown example": lambda: "mazurr"}.get(case, lambda: write(tmp_path, json.dumps(BAD_SPECS[case][0])))()
    run = cli("gradients", spec)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: ")
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("args", [
    ["train", "mazur", "--steps", "-3"], ["train", "mazur", "--steps", "ten"], ["train", "mazur"],
    ["train", "mazur", "--steps", "3", "--lr", "0"], ["train", "mazur", "--steps", "3", "--lr", "inf"],
    ["train", "mazur", "--steps", "3", "--lr", "fast"], ["train", "mazur", "--steps", "3", "--freeze", "b1,b7"],
    ["gradients"], ["differentiate", "mazur"], [],
])
def test_cli_bad_arguments_print_one_line_and_exit_2(args):
    run = cli(*args)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_numpy_numbers_are_accepted_as_numbers():
    net = bp.load("mazur")
    sweep = net.sweep(lrs=np.array([1, 2]), steps=2)
    assert list(sweep.learning_rates) == [1.0, 2.0]
    assert net.with_params(w5=np.float32(0.5)).params["w5"] == 0.5


def test_a_non_number_of_an_unusual_type_is_named_in_the_message():
    with pytest.raises(bp.SpecError, match=r"^w5: expected a number, got \{1, 2\}$"):
        bp.load("mazur").with_params(w5={1, 2})
