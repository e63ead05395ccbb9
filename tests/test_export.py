"""The network taken away: its JSON spec loads back to the same network, and its script, run by an interpreter that
has no backprop_lib (nor anything beyond Python's standard library), prints the library's loss and gradients."""
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings

import backprop_lib as bp
from support.networks import specs

EXAMPLES = ["mazur", "lecture", "statquest"]


def run_alone(script, folder):
    """Run a script with -I -S (no site-packages, no environment) from an empty folder: {label: value} printed."""
    path = folder / "network.py"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "-S", str(path)], capture_output=True, text=True, check=True,
                          cwd=folder)
    return {line.split(" = ")[0]: float(line.split(" = ")[1]) for line in done.stdout.splitlines()}


def agrees_with_library(net, printed):
    assert printed.pop(net.loss_record.symbol) == pytest.approx(net.loss(), rel=1e-12, abs=1e-15)
    assert printed == pytest.approx({f"dE/d{k}": g for k, g in net.gradients().items()}, rel=1e-12, abs=1e-15)


def test_the_interpreter_used_cannot_import_backprop_lib(tmp_path):
    done = subprocess.run([sys.executable, "-I", "-S", "-c", "import backprop_lib"], capture_output=True, cwd=tmp_path)
    assert done.returncode == 1 and b"ModuleNotFoundError" in done.stderr


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_script_alone_prints_the_librarys_gradients(name, tmp_path):
    net = bp.load(name)
    agrees_with_library(net, run_alone(net.code(), tmp_path))


@settings(max_examples=30, deadline=None)
@given(specs())
def test_the_script_of_a_random_network_prints_its_gradients(tmp_path_factory, spec):
    net = bp.load(spec)
    agrees_with_library(net, run_alone(net.code(), tmp_path_factory.mktemp("script")))


def test_the_script_names_each_quantity_as_the_notes_do():
    lines = bp.load("mazur").code().splitlines()
    for start in ["net_h1 = ", "out_h1 = ", "E_total = ", "dE_dout_o1 = ", "dE_dnet_h1 = ", "dE_dw5 = ", "i1 = 0.05",
                  "target_o2 = 0.99", "w5 = 0.4"]:
        assert sum(line.startswith(start) for line in lines) == 1, start


def test_the_script_of_trained_parameters_uses_them(tmp_path):
    net = bp.load("mazur")
    trained = net.with_params(**net.train(50).params)
    agrees_with_library(trained, run_alone(trained.code(), tmp_path))


@pytest.mark.parametrize("name", EXAMPLES)
def test_to_json_loads_back_as_the_same_network(name):
    net = bp.load(name)
    net = net.with_params(**net.train(20, lr=0.05, optimizer="adam").params)
    again = bp.load(json.loads(json.dumps(net.to_json())))
    assert again.params == net.params and again.spec == net.to_json()
    assert again.forward() == net.forward() and again.gradients() == net.gradients()


def test_the_command_line_prints_the_script(tmp_path):
    done = subprocess.run([sys.executable, "-m", "backprop_lib", "code", "statquest"], capture_output=True, text=True,
                          check=True)
    agrees_with_library(bp.load("statquest"), run_alone(done.stdout, tmp_path))
