"""The figures the notes print, checked against the library to the digits the notes give."""
import pytest

import backprop_lib as bp


def as_printed(x, printed):
    """x rounded to as many decimals as the notes print."""
    return round(x, len(repr(printed).split(".")[1]))


@pytest.fixture
def mazur():
    return bp.load("mazur")


@pytest.mark.parametrize("name, printed", [
    ("out_h1", 0.593269992), ("out_h2", 0.596884378), ("out_o1", 0.75136507), ("out_o2", 0.772928465),
    ("net_h1", 0.3775), ("net_o1", 1.105905967),
])
def test_mazur_forward_pass_matches_the_notes(mazur, name, printed):
    assert as_printed(mazur.forward()[0][name], printed) == printed


def test_mazur_error_terms_and_total_match_the_notes(mazur):
    terms = mazur.loss_terms()[0]
    assert as_printed(terms["o1"], 0.274811083) == 0.274811083
    assert as_printed(terms["o2"], 0.023560026) == 0.023560026
    assert as_printed(mazur.loss(), 0.298371109) == 0.298371109


def test_mazur_output_weight_gradient_matches_the_notes(mazur):
    assert as_printed(mazur.gradients()["w5"], 0.082167041) == 0.082167041


@pytest.mark.parametrize("param, printed", [
    ("w5", 0.35891648), ("w6", 0.408666186), ("w7", 0.511301270), ("w8", 0.561370121),
    ("w1", 0.149780716), ("w2", 0.19956143), ("w4", 0.29950229),
])
def test_mazur_updated_weights_match_the_notes(mazur, param, printed):
    new = mazur.params[param] - 0.5 * mazur.gradients()[param]
    assert as_printed(new, printed) == printed


def test_mazur_one_step_of_train_gives_the_same_updated_weights(mazur):
    grads = mazur.gradients()
    result = mazur.train(steps=1, lr=0.5, freeze=())
    assert result.params == pytest.approx({k: mazur.params[k] - 0.5 * g for k, g in grads.items()}, abs=1e-15)


@pytest.mark.parametrize("param, printed", [("w5", 0.0822), ("b2", 0.1385), ("b1", 0.0284)])
def test_lecture_gradients_match_the_notes(param, printed):
    assert round(bp.load("lecture").gradients()[param], 4) == printed


def test_lecture_b1_is_the_sum_of_its_two_uses():
    net = bp.load("lecture")
    d = net.deltas()[0]
    assert net.gradients()["b1"] == pytest.approx(d["dE/dnet_h1"] + d["dE/dnet_h2"], rel=1e-14)
    assert round(d["dE/dnet_h1"], 4) == 0.0134 and round(d["dE/dnet_h2"], 4) == 0.0150


def test_statquest_ssr_and_b3_gradient_at_the_notes_values():
    net = bp.load("statquest").with_params(w3=-1.22, w4=-2.30, b3=0)
    assert round(net.loss(), 1) == 20.4
    assert round(net.gradients()["b3"], 1) == -15.7
