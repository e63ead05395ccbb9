"""The chain and walkthrough commands: the notes' figures in the right lines, bad input in one line."""
import json
import math
import subprocess
import sys

import pytest

from backprop_lib.__main__ import main


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def block(lines, head):
    """The lines of one multi-line statement: the line starting with head and its '= ...' continuations."""
    start = next(k for k, line in enumerate(lines) if line.strip().startswith(head))
    rest = lines[start + 1:]
    stop = next((k for k, line in enumerate(rest) if not line.strip().startswith("= ")), len(rest))
    return [lines[start]] + rest[:stop]


def mazur_lines(capsys):
    return run(capsys, "walkthrough", "mazur").splitlines()


def test_walkthrough_forward_pass_and_loss_match_the_notes(capsys):
    lines = mazur_lines(capsys)
    assert block(lines, "net_h1 =")[0].endswith("= 0.3775")
    assert block(lines, "out_h1 =")[0].endswith("= 0.593269992")
    assert block(lines, "out_o1 =")[0].endswith("= 0.75136507")
    assert block(lines, "E_o1 =")[0].endswith("= 0.274811083")
    assert block(lines, "E_total = E_o1 + E_o2")[0].endswith("= 0.298371109")


def test_walkthrough_prints_the_w5_gradient_and_new_w5(capsys):
    lines = mazur_lines(capsys)
    w5 = block(lines, "∂E_total/∂w5 =")
    assert "0.74136507 × 0.186815602 × 0.593269992" in w5[-2] and w5[-1].strip() == "= 0.082167041"
    assert block(lines, "w5+ =")[0].strip() == "w5+ = 0.4 - 0.5 × 0.082167041 = 0.35891648"


def test_walkthrough_prints_dE_dout_h1_and_the_w1_gradient(capsys):
    lines = mazur_lines(capsys)
    d_out_h1 = block(lines, "∂E_total/∂out_h1 =")
    assert "∂net_o1/∂out_h1" in d_out_h1[0] and "∂net_o2/∂out_h1" in d_out_h1[0]
    assert d_out_h1[-1].strip() == "= 0.036350306"
    w1 = block(lines, "∂E_total/∂w1 =")
    assert w1[-2].strip() == "= 0.036350306 × 0.241300709 × 0.05" and w1[-1].strip() == "= 0.000438568"


def one_step_by_hand(train_biases):
    """One gradient step on the 2-2-2 network, written out on plain floats; returns the new loss."""
    s = lambda x: 1 / (1 + math.exp(-x))
    w1, w2, w3, w4, w5, w6, w7, w8, b1, b2 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60
    h1, h2 = s(0.05 * w1 + 0.1 * w2 + b1), s(0.05 * w3 + 0.1 * w4 + b1)
    o1, o2 = s(h1 * w5 + h2 * w6 + b2), s(h1 * w7 + h2 * w8 + b2)
    d1, d2 = (o1 - 0.01) * o1 * (1 - o1), (o2 - 0.99) * o2 * (1 - o2)
    e1, e2 = (d1 * w5 + d2 * w7) * h1 * (1 - h1), (d1 * w6 + d2 * w8) * h2 * (1 - h2)
    w1, w2, w3, w4 = w1 - 0.5 * e1 * 0.05, w2 - 0.5 * e1 * 0.1, w3 - 0.5 * e2 * 0.05, w4 - 0.5 * e2 * 0.1
    w5, w6, w7, w8 = w5 - 0.5 * d1 * h1, w6 - 0.5 * d1 * h2, w7 - 0.5 * d2 * h1, w8 - 0.5 * d2 * h2
    if train_biases:
        b1, b2 = b1 - 0.5 * (e1 + e2), b2 - 0.5 * (d1 + d2)
    h1, h2 = s(0.05 * w1 + 0.1 * w2 + b1), s(0.05 * w3 + 0.1 * w4 + b1)
    o1, o2 = s(h1 * w5 + h2 * w6 + b2), s(h1 * w7 + h2 * w8 + b2)
    return 0.5 * (0.01 - o1) ** 2 + 0.5 * (0.99 - o2) ** 2


@pytest.mark.parametrize("freeze, train_biases", [(["--freeze="], True), (["--freeze", "b1,b2"], False), ([], False)],
                         ids=["all trained", "b1,b2 given", "the spec's default"])
def test_walkthrough_ends_with_the_loss_after_one_step(capsys, freeze, train_biases):
    last = run(capsys, "walkthrough", "mazur", *freeze).splitlines()[-1].strip()
    assert last == f"E_total = {round(one_step_by_hand(train_biases), 9):.9f}".rstrip("0") + " (before: 0.298371109)"


def test_walkthrough_of_mazur_keeps_b1_b2_as_the_notes_and_ends_with_their_error(capsys):
    lines = run(capsys, "walkthrough", "mazur").splitlines()
    assert lines[-1].strip() == "E_total = 0.291027774 (before: 0.298371109)"
    assert round(one_step_by_hand(train_biases=False), 9) == 0.291027774
    assert any(line.endswith("kept fixed: b1, b2") for line in lines)
    assert not any(line.strip().startswith(("b1+", "b2+")) for line in lines)


def test_walkthrough_of_several_samples_names_them(capsys):
    text = run(capsys, "walkthrough", "statquest")
    assert "sample 3: dosage_3 = 1" in text and "∂SSR/∂out_y1_2 =" in text and "SSR = E_efficacy_1 + " in text


def test_chain_text_lists_both_paths_of_w1(capsys):
    text = run(capsys, "chain", "mazur", "w1")
    assert "path 1 via h1 -> o1:" in text and "path 2 via h1 -> o2:" in text
    assert text.rstrip().endswith("= 0.000438568")


def test_chain_json_follows_the_contract(capsys):
    out = json.loads(run(capsys, "chain", "mazur", "b2", "--json"))
    assert set(out) == {"param", "paths", "value"} and len(out["paths"]) == 2
    names = ["∂E_total/∂out_o1", "∂out_o1/∂net_o1", "∂net_o1/∂b2"]
    assert [f["name"] for f in out["paths"][0]["factors"]] == names
    assert round(out["paths"][0]["value"], 9) == 0.138498562 and round(out["value"], 9) == 0.100400325


def test_unknown_parameter_exits_2_with_one_line():
    done = subprocess.run([sys.executable, "-m", "backprop_lib", "chain", "mazur", "w9"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: w9: no such parameter")


@pytest.mark.parametrize("args", [["walkthrough", "mazur", "--json"], ["walkthrough", "mazur", "--freeze", "b9"],
                                  ["chain", "mazur"], ["walkthrough", "nosuch"]])
def test_bad_arguments_exit_2_with_one_line(capsys, args):
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("error: ")
