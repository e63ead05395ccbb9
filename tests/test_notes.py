"""The notes' procedures: the mixed step against the slides' printed figures and a plain loop, step_values
against the notes' figures and the chain rule written out."""
import math

import pytest

import backprop_lib as bp
from backprop_lib import notes


def mixed_by_hand(steps, lr=0.5):
    """The slides' procedure on plain floats: w5..w8 updated first, then the hidden errors passed back
    through the updated w5..w8; the biases never change."""
    w1, w2, w3, w4, w5, w6, w7, w8, b1, b2 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60
    s = lambda x: 1 / (1 + math.exp(-x))
    for _ in range(steps):
        h1, h2 = s(w1 * 0.05 + w2 * 0.10 + b1), s(w3 * 0.05 + w4 * 0.10 + b1)
        o1, o2 = s(w5 * h1 + w6 * h2 + b2), s(w7 * h1 + w8 * h2 + b2)
        d1, d2 = (o1 - 0.01) * o1 * (1 - o1), (o2 - 0.99) * o2 * (1 - o2)
        w5, w6, w7, w8 = w5 - lr * d1 * h1, w6 - lr * d1 * h2, w7 - lr * d2 * h1, w8 - lr * d2 * h2
        e1, e2 = (d1 * w5 + d2 * w7) * h1 * (1 - h1), (d1 * w6 + d2 * w8) * h2 * (1 - h2)
        w1, w2, w3, w4 = w1 - lr * e1 * 0.05, w2 - lr * e1 * 0.10, w3 - lr * e2 * 0.05, w4 - lr * e2 * 0.10
    return dict(w1=w1, w2=w2, w3=w3, w4=w4, w5=w5, w6=w6, w7=w7, w8=w8, b1=b1, b2=b2)


def test_mixed_steps_match_a_plain_loop_of_the_slides_procedure():
    assert notes.mixed_train(bp.load("mazur"), 200).params == pytest.approx(mixed_by_hand(200), rel=1e-12)


def test_one_mixed_step_gives_the_slides_printed_error_and_the_true_step_does_not():
    net = bp.load("mazur")
    assert bp.number(notes.mixed_step(net).loss()) == "0.291027924"  # printed in note 004
    assert bp.number(net.train(1).losses[1]) == "0.291027774"


@pytest.mark.slow
def test_ten_thousand_mixed_steps_give_the_slides_printed_outputs():
    out = notes.mixed_train(bp.load("mazur"), 10_000).predictions()[0]
    assert (bp.number(out["o1"]), bp.number(out["o2"])) == ("0.015912196", "0.984065734")  # note 004


def test_mixed_gradients_differ_from_the_true_ones_only_behind_the_output_layer():
    net = bp.load("mazur")
    mixed, true = notes.mixed_gradients(net), net.gradients()
    assert all(mixed[w] == true[w] for w in ("w5", "w6", "w7", "w8", "b2"))
    assert all(abs(mixed[w] - true[w]) > 1e-7 for w in ("w1", "w2", "w3", "w4"))


def test_step_values_hold_the_notes_figures_and_each_slope():
    v = notes.step_values(bp.load("mazur"))
    printed = {"net_h1": "0.3775", "out_o1": "0.75136507", "E_total": "0.298371109", "dE/dw5": "0.082167041",
               "dE/dout_h1": "0.036350306", "w5+": "0.35891648", "E_total after one step": "0.291027774"}
    assert {k: bp.number(v[k]) for k in printed} == printed
    assert v["dout_h1/dnet_h1"] == pytest.approx(v["out_h1"] * (1 - v["out_h1"]), rel=1e-12)
    assert v["b1+"] == 0.35 and v["b2+"] == 0.6  # the spec keeps them fixed, as the notes do


def test_step_values_follow_the_learning_rate_given():
    net = bp.load("lecture")
    v = notes.step_values(net, lr=1.0, freeze=())
    assert v["b1+"] == pytest.approx(0.35 - net.gradients()["b1"], rel=1e-15)
