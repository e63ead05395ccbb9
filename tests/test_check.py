"""check(): the notes' numbers pass, each usual slip is recognised with its hint, and only numbers are accepted.

Slipped answers are worked here by hand from the notes' printed figures for the 2-2-2 'mazur' network."""
import pytest

import backprop_lib as bp
from backprop_lib.explain.exercises import check
from backprop_lib.core.spec import SpecError

# The notes' figures (mazur, sample 0).
OUT_H1, OUT_H2 = 0.593269992, 0.596884378
OUT_O1, OUT_O2 = 0.75136507, 0.772928465
W5, W6, W7, W8 = 0.40, 0.45, 0.50, 0.55
W5_NEW, W7_NEW = 0.35891648, 0.511301270
I1 = 0.05
D_OUT_O1, D_OUT_O2 = OUT_O1 - 0.01, OUT_O2 - 0.99           # dE/dout = -(target - out)
SIG_O1, SIG_O2, SIG_H1 = OUT_O1 * (1 - OUT_O1), OUT_O2 * (1 - OUT_O2), OUT_H1 * (1 - OUT_H1)
DW1_VIA_O1 = D_OUT_O1 * SIG_O1 * W5 * SIG_H1 * I1
DW1_VIA_O2 = D_OUT_O2 * SIG_O2 * W7 * SIG_H1 * I1


@pytest.mark.parametrize("quantity, printed", [
    ("net_h1", 0.3775), ("out_h1", 0.593269992), ("out_o1", 0.75136507), ("net_o1", 1.105905967),
    ("E_o1", 0.274811083), ("E_o2", 0.023560026), ("E_total", 0.298371109),
    ("dE/dw5", 0.082167041), ("dE/dw1", 0.000438568), ("w5+", 0.35891648), ("w1+", 0.149780716),
])
def test_the_notes_figures_are_right(quantity, printed):
    result = check(quantity, printed)
    assert result.correct is True and result.hint == ""


def test_five_significant_figures_are_enough():
    assert check("E_total", "0.29837").correct
    assert check("dE/dw1", 0.00043857).correct


def test_three_significant_figures_are_not():
    assert not check("E_total", 0.298).correct


def test_package_level_check_works_after_repeated_lookups():
    assert bp.check("dE/dw5", 0.082167041).correct
    assert bp.check("dE/dw5", 0.082167041).correct


def test_a_string_answer_with_spaces_or_a_typographic_minus_is_read():
    assert check("dE/dw7", " \u22120.022602540 ").correct


@pytest.mark.parametrize("quantity, wrong, words", [
    ("dE/dw5", -0.082167041, "wrong sign"),
    ("dE/dw5", D_OUT_O1 * OUT_H1, "activation derivative"),
    ("dE/dw5", 2 * 0.082167041, "factor 2"),
    ("dE/dw5", 0.082167041 / 2, "factor 2"),
    ("dE/dw1", DW1_VIA_O1, "only the path through o1"),
    ("dE/dw1", DW1_VIA_O2, "only the path through o2"),
    ("dE/dw1", (D_OUT_O1 * SIG_O1 * W5_NEW + D_OUT_O2 * SIG_O2 * W7_NEW) * SIG_H1 * I1, "updated weights"),
    ("dE/dw1", (D_OUT_O1 * SIG_O1 * W5 + D_OUT_O2 * SIG_O2 * W7) * I1, "activation derivative"),
    ("E_o1", (0.01 - OUT_O1) ** 2, "factor 2"),
    ("E_total", 0.274811083, "only E_o1"),
    ("w5+", W5 + 0.5 * 0.082167041, "against the gradient"),
    ("w5+", W5 - 0.082167041, "learning rate"),
    ("out_h1", 0.3775, "net_h1"),
    ("net_h1", 0.3775 - 0.35, "bias"),
])
def test_usual_slips_are_recognised(quantity, wrong, words):
    result = check(quantity, wrong)
    assert result.correct is False
    assert words in result.hint
    assert words in repr(result) and "not right" in result._repr_html_()


def test_an_unrecognised_wrong_answer_still_gets_a_general_hint():
    result = check("dE/dw1", 0.123)
    assert not result.correct and "chain" in result.hint


@pytest.mark.parametrize("answer", ["abc", "", "  ", "1+1", "__import__('os').getcwd()", "0,5", "nan", "inf",
                                    None, [0.1], {"x": 1}, True, float("nan")])
def test_anything_but_a_number_is_refused_with_one_error(answer):
    with pytest.raises(SpecError, match="answer"):
        check("E_total", answer)


def test_an_unknown_quantity_is_refused():
    with pytest.raises(SpecError, match="unknown quantity 'dE/dw9'"):
        check("dE/dw9", 0.1)


def test_other_networks_are_checked_against_finite_differences():
    net = bp.load("statquest")
    h = 1e-6
    fd = (net.with_params(b3=h).loss() - net.with_params(b3=-h).loss()) / (2 * h)
    assert check("dE/db3", fd, net).correct
    assert "wrong sign" in check("dE/db3", -fd, net).hint


def test_an_update_needs_the_spec_to_give_a_learning_rate():
    spec = dict(bp.load("lecture").spec)
    del spec["learning_rate"]
    with pytest.raises(SpecError, match="learning rate"):
        check("w5+", 0.4, bp.Network(spec))


def test_the_lectures_four_figure_gradient_is_close_and_asks_for_more_digits():
    result = check("dE/dw5", 0.0822)  # the lecture's printed value; the true one is 0.082167041
    assert not result.correct and result.near
    assert "more significant digits" in result.hint and "chain" not in result.hint
    assert "close" in repr(result)


def test_an_answer_off_by_more_than_a_thousandth_gets_the_chain_hint_not_more_digits():
    result = check("dE/dw5", 0.0823)  # 0.16 % off: a wrong number, not a rounded right one
    assert not result.near and "chain" in result.hint


def test_an_update_is_judged_on_its_step_so_a_tiny_step_cannot_be_skipped():
    slow = bp.Network({**bp.load("mazur").spec, "learning_rate": 1e-4})
    step = 1e-4 * 0.082167041  # w5+ = 0.4 - 0.0001 × 0.082167041 = 0.3999917833
    assert check("w5+", 0.4 - step, slow).correct
    assert not check("w5+", 0.4, slow).correct  # no step taken: 2e-5 relative to w5, but the whole step is missing
    assert check("w5+", 0.39999178, slow).near  # the step to 3 figures only


def test_an_update_of_a_parameter_the_spec_keeps_fixed_is_still_its_gradient_step():
    net = bp.load("mazur")  # keeps b1, b2 fixed in training
    assert check("b1+", 0.35 - 0.5 * 0.018725609).correct  # dE/db1 = 0.018725609, the sum of its two uses
    assert not check("b1+", 0.35).correct and net.fixed == ("b1", "b2")
