"""The command line's JSON and table output, checked against the API and the notes."""
import json
import subprocess
import sys

import pytest

import backprop_lib as bp


def cli(*args):
    run = subprocess.run([sys.executable, "-m", "backprop_lib", *args], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_gradients_json_has_the_loss_and_every_gradient():
    out = json.loads(cli("gradients", "mazur", "--json"))
    assert round(out["loss"], 9) == 0.298371109
    assert round(out["gradients"]["w5"], 9) == 0.082167041
    assert out["gradients"] == pytest.approx(bp.load("mazur").gradients(), rel=1e-15)


def test_gradients_table_lists_every_parameter():
    lines = cli("gradients", "lecture").splitlines()
    assert {line.split()[0] for line in lines[4:]} == set(bp.load("lecture").params)


def test_train_json_follows_the_contract():
    out = json.loads(cli("train", "mazur", "--steps", "10000", "--freeze", "b1,b2", "--json"))
    assert set(out) == {"steps", "learning_rate", "optimizer", "batch_size", "seed", "losses", "params", "outputs"}
    assert out["steps"] == 10000 and out["learning_rate"] == 0.5 and len(out["losses"]) == 10001
    assert (out["optimizer"], out["batch_size"], out["seed"]) == ("gd", 1, 0)
    assert round(out["losses"][1], 9) == 0.291027774
    assert out["params"]["b1"] == 0.35 and out["params"]["b2"] == 0.6
    assert round(out["outputs"][0]["o1"], 9) == 0.01591362 and round(out["outputs"][0]["o2"], 9) == 0.984064274


def test_train_reads_a_spec_file_and_takes_lr(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(bp.load("statquest").spec))
    out = json.loads(cli("train", str(path), "--steps", "3", "--lr", "0.01", "--json"))
    expected = bp.load("statquest").train(steps=3, lr=0.01)
    assert out["losses"] == pytest.approx(list(expected.losses), rel=1e-15)
    assert len(out["outputs"]) == 3


def test_train_table_shows_before_and_after():
    text = cli("train", "mazur", "--steps", "1")
    losses = bp.load("mazur").train(steps=1).losses
    assert f"loss {losses[0]:.9g} -> {losses[1]:.9g}" in text


def test_a_reader_that_stops_early_gets_no_traceback():
    """`backprop gradients mazur | head -1`: the command ends quietly when the pipe closes."""
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, "-m", "backprop_lib", "train", "mazur", "--steps", "10000", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away before the command has written everything
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
