"""Note 000 numbers the weights by the unit they leave; its forward page, note 004 and the spec by the unit
they enter. Both numberings, checked against the lines 000 writes and a plain computation."""
import math

import pytest

import backprop_lib as bp
from backprop_lib import numberings


def test_leaving_numbering_is_the_one_000s_derivation_pages_use():
    # net_o1 = w5 out_h1 + w7 out_h2 + b2; dE/dw2 through h2 with i1; dE/dw3 through h1; dnet_o2/dout_h1 = w6
    leaves = numberings.by_source(bp.load("mazur"))
    assert leaves["w7"] == ("h2", "o1") and leaves["w2"] == ("i1", "h2")
    assert leaves["w3"][1] == "h1" and leaves["w6"] == ("h1", "o2")


def test_entering_numbering_is_the_forward_pages_one():
    # net_h1 = w1 i1 + w2 i2 + b1; net_o1 = w5 out_h1 + w6 out_h2 + b2 (000's forward page, note 004)
    enters = numberings.by_target(bp.load("mazur"))
    assert enters["w2"] == ("i2", "h1") and enters["w6"] == ("h2", "o1") and enters["w7"] == ("h1", "o2")


def test_000s_w2_line_is_the_specs_w3_gradient_computed_by_hand():
    s = lambda x: 1 / (1 + math.exp(-x))
    h1, h2 = s(0.15 * 0.05 + 0.2 * 0.1 + 0.35), s(0.25 * 0.05 + 0.3 * 0.1 + 0.35)
    o1, o2 = s(0.4 * h1 + 0.45 * h2 + 0.6), s(0.5 * h1 + 0.55 * h2 + 0.6)
    dE_dout_h2 = (o1 - 0.01) * o1 * (1 - o1) * 0.45 + (o2 - 0.99) * o2 * (1 - o2) * 0.55
    line = 0.05 * h2 * (1 - h2) * dE_dout_h2  # 000: i1 x out_h2 (1 - out_h2) x dE/dout_h2
    net = bp.load("mazur")
    assert numberings.renaming(net)["w2"] == "w3"
    assert net.gradients()["w3"] == pytest.approx(line, rel=1e-12)


def test_the_figure_says_every_edge_of_both_numberings():
    fig = numberings.figure(bp.load("mazur"))
    assert "w2 i2\u2192h1" in fig.description and "w2 i1\u2192h2" in fig.description
    assert fig.description.count("\u2192") == 16
