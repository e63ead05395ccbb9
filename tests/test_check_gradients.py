"""check_gradients(): a learner's whole backward pass is checked parameter by parameter, and each usual slip
of writing backpropagation is named. Right and slipped gradients are worked here in plain floats."""
import math

import pytest

import backprop_lib as bp
from backprop_lib.core.spec import SpecError

sig = lambda z: 1 / (1 + math.exp(-z))

# mazur, worked by hand: inputs, targets, parameters, learning rate.
I1, I2, T1, T2, LR = 0.05, 0.10, 0.01, 0.99, 0.5
W1, W2, W3, W4, W5, W6, W7, W8, B1, B2 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60
H1, H2 = sig(W1 * I1 + W2 * I2 + B1), sig(W3 * I1 + W4 * I2 + B1)
O1, O2 = sig(W5 * H1 + W6 * H2 + B2), sig(W7 * H1 + W8 * H2 + B2)
S_H1, S_H2, S_O1, S_O2 = H1 * (1 - H1), H2 * (1 - H2), O1 * (1 - O1), O2 * (1 - O2)
D_O1, D_O2 = (O1 - T1) * S_O1, (O2 - T2) * S_O2             # dE/dnet of each output


def by_hand(back_o1=(W5, W6), back_o2=(W7, W8), hidden_slope=True, output_slope=True):
    """The ten gradients of mazur; the arguments make the slips: weights used to pass the error back,
    and whether the hidden and the output activation slopes are kept."""
    d_o1 = (O1 - T1) * (S_O1 if output_slope else 1)
    d_o2 = (O2 - T2) * (S_O2 if output_slope else 1)
    d_h1 = (d_o1 * back_o1[0] + d_o2 * back_o2[0]) * (S_H1 if hidden_slope else 1)
    d_h2 = (d_o1 * back_o1[1] + d_o2 * back_o2[1]) * (S_H2 if hidden_slope else 1)
    return {"w1": d_h1 * I1, "w2": d_h1 * I2, "w3": d_h2 * I1, "w4": d_h2 * I2,
            "w5": d_o1 * H1, "w6": d_o1 * H2, "w7": d_o2 * H1, "w8": d_o2 * H2,
            "b1": d_h1 + d_h2, "b2": d_o1 + d_o2}


RIGHT = by_hand()


def verdicts(mine, net=None):
    report = bp.check_gradients(mine, net)
    return {r.param: r for r in report}, report


def test_hand_worked_gradients_are_all_right():
    byname, report = verdicts(RIGHT)
    assert report.all_right and len(report) == 10
    assert all(r.slip == "" and r.hint == "" for r in report)
    assert "10 of 10 gradients right" in repr(report)


def test_each_parameter_gets_one_line():
    lines = repr(bp.check_gradients(RIGHT)).splitlines()
    assert [line.split(" = ")[0] for line in lines[:10]] == [f"right: dE/d{p}" for p in bp.load("mazur").params]


def test_the_notes_printed_gradients_pass():
    byname, _ = verdicts({"w5": 0.082167041, "w1": 0.000438568, "w7": -0.022602540})
    assert byname["w5"].correct and byname["w1"].correct and byname["w7"].correct


def test_unfilled_blanks_say_not_filled_in_yet():
    byname, report = verdicts({**RIGHT, "w1": None, "b1": None})
    without_b2 = {k: v for k, v in RIGHT.items() if k != "b2"}
    assert repr(byname["w1"]) == "not filled in yet: dE/dw1" and not byname["w1"].correct
    assert "not filled in yet: dE/db2" in repr(bp.check_gradients(without_b2))
    assert not report.all_right and sum(r.correct for r in report) == 8


def test_shared_bias_overwritten_by_its_last_use_is_named():
    mine = {**RIGHT, "b1": by_hand()["w1"] / I1, "b2": D_O2}     # b1: only h1's delta; b2: only o2's
    byname, _ = verdicts(mine)
    for p in ("b1", "b2"):
        assert byname[p].slip == "overwritten" and "+=" in byname[p].hint
    assert byname["w1"].correct


def test_shared_bias_in_the_lecture_network_overwritten_is_named():
    lecture = bp.load("lecture")                 # 2-2-1: b1 in h1 and h2, one output
    out = sig(W5 * H1 + W6 * H2 + B2)
    d_out = (out - 0.01) * out * (1 - out)
    d_h2 = d_out * W6 * S_H2
    result = bp.check_gradients({"b1": d_h2}, lecture)
    assert [r.slip for r in result if r.param == "b1"] == ["overwritten"]


def test_hidden_activation_slope_left_out_is_named():
    slipped = by_hand(hidden_slope=False)
    byname, _ = verdicts({**RIGHT, **{p: slipped[p] for p in ("w1", "w2", "w3", "w4", "b1")}})
    for p in ("w1", "w2", "w3", "w4", "b1"):
        assert byname[p].slip == "slope" and "activation derivative" in byname[p].hint
    assert byname["w5"].correct


def test_output_activation_slope_left_out_is_named():
    slipped = by_hand(output_slope=False)
    byname, _ = verdicts({**RIGHT, "w5": slipped["w5"], "w8": slipped["w8"]})
    assert byname["w5"].slip == byname["w8"].slip == "slope"


def test_hidden_gradients_with_already_updated_output_weights_are_named():
    new = {p: w - LR * RIGHT[p] for p, w in (("w5", W5), ("w6", W6), ("w7", W7), ("w8", W8))}
    slipped = by_hand(back_o1=(new["w5"], new["w6"]), back_o2=(new["w7"], new["w8"]))
    byname, _ = verdicts({**RIGHT, **{p: slipped[p] for p in ("w1", "w2", "w3", "w4", "b1")}})
    for p in ("w1", "w2", "w3", "w4", "b1"):
        assert byname[p].slip == "updated" and "original weights" in byname[p].hint


def test_wrong_sign_is_named_for_every_parameter():
    byname, _ = verdicts({p: -g for p, g in RIGHT.items()})
    assert {r.slip for r in byname.values()} == {"sign"}


def test_factor_two_from_the_half_is_named():
    byname, _ = verdicts({p: 2 * g for p, g in RIGHT.items()})
    assert {r.slip for r in byname.values()} == {"factor 2"}
    assert "\u00bd" in byname["w5"].hint


def test_only_one_path_through_a_hidden_unit_is_named():
    via_o1 = D_O1 * W5 * S_H1 * I1                      # w1 reaches E_total through o1 and o2
    via_o2_b1 = D_O2 * W7 * S_H1 + D_O2 * W8 * S_H2
    byname, _ = verdicts({**RIGHT, "w1": via_o1, "b1": via_o2_b1})
    assert byname["w1"].slip == byname["b1"].slip == "one path"
    assert "only the path through o1" in byname["w1"].hint and "through o2" in byname["b1"].hint


def test_one_sample_of_three_is_named_on_the_softplus_network():
    net = bp.load("statquest")
    p = net.params
    dosage, observed = 1.0, 0.0                         # the third sample only
    y1 = math.log1p(math.exp(p["w1"] * dosage + p["b1"]))
    y2 = math.log1p(math.exp(p["w2"] * dosage + p["b2"]))
    predicted = p["w3"] * y1 + p["w4"] * y2 + p["b3"]
    result = {r.param: r for r in bp.check_gradients({"w3": -2 * (observed - predicted) * y1}, net)}
    assert result["w3"].slip == "one sample" and "sample 3" in result["w3"].hint


def test_an_unrecognised_wrong_value_gets_the_general_hint():
    byname, _ = verdicts({**RIGHT, "w6": 0.5})
    assert not byname["w6"].correct and byname["w6"].slip == "" and "chain" in byname["w6"].hint


def test_keys_may_be_written_as_derivatives_and_values_as_number_strings():
    byname, _ = verdicts({"dE/dw5": str(RIGHT["w5"]), "dE_total/dw7": f"\u2212{-RIGHT['w7']}"})
    assert byname["w5"].correct and byname["w7"].correct


@pytest.mark.parametrize("mine, words", [
    ([0.1, 0.2], "expected a dict"),
    ("w5=0.08", "expected a dict"),
    ({"w9": 0.1}, "'w9' is not a parameter of mazur"),
    ({"w5": 0.1, "dE/dw5": 0.1}, "w5 is given twice"),
    ({"w5": "__import__('os').getcwd()"}, "w5: "),
    ({"w5": "1+1"}, "not a number"),
    ({"w5": True}, "expected a number"),
    ({"w5": [0.08]}, "expected a number"),
    ({"w5": float("nan")}, "finite"),
])
def test_bad_input_is_refused_with_one_value_error(mine, words):
    with pytest.raises(ValueError, match="gradients") as caught:
        bp.check_gradients(mine)
    assert words in str(caught.value) and isinstance(caught.value, SpecError)


def test_a_network_argument_that_is_not_a_network_is_refused():
    with pytest.raises(ValueError, match="net: expected a network"):
        bp.check_gradients(RIGHT, "mazur")


def loop_backward(net, overwrite):
    """A plain backward loop over the spec's units in reverse, with `=` instead of `+=` at one place:
    'weight' (a weight's gradient), 'edge' (a hidden unit's dE/dout) or 'bias' (a bias's gradient)."""
    act = {"sigmoid": (sig, lambda z, a: a * (1 - a)), "identity": (lambda z: z, lambda z, a: 1.0),
           "softplus": (lambda z: math.log1p(math.exp(z)), lambda z, a: sig(z))}
    scale = {"half_sse": 1.0, "sse": 2.0}[net.loss_name]
    keep = lambda place, old: 0.0 if overwrite == place else old
    grads = dict.fromkeys(net.params, 0.0)
    for sample in net.samples:
        z, out = {}, {i: sample[i] for i in net.inputs}
        for unit, a, body in net.units:
            z[unit] = sum(net.params[w] * out[s] for s, w in body["weights"].items()) + net.params[body["bias"]]
            out[unit] = act[a][0](z[unit])
        d_out = {u: 0.0 for u, _, _ in net.units}
        d_out.update({o: -scale * (sample[o] - out[o]) for o in net.outputs})
        for unit, a, body in reversed(net.units):
            delta = d_out[unit] * act[a][1](z[unit], out[unit])
            for src, w in body["weights"].items():
                grads[w] = keep("weight", grads[w]) + delta * out[src]
                if src not in net.inputs:
                    d_out[src] = keep("edge", d_out[src]) + delta * net.params[w]
            grads[body["bias"]] = keep("bias", grads[body["bias"]]) + delta
    return grads


@pytest.mark.parametrize("name, overwrite, expected", [
    ("mazur", None, {}),
    ("mazur", "weight", {}),                                  # one sample, no shared weight: = does no harm
    ("mazur", "edge", {p: "one path" for p in ("w1", "w2", "w3", "w4", "b1")}),
    ("mazur", "bias", {"b1": "overwritten", "b2": "overwritten"}),
    ("statquest", "weight", {p: "one sample" for p in ("w1", "w2", "w3", "w4")}),
    ("statquest", "edge", {}),                                # one output: each hidden unit has one edge out
    ("statquest", "bias", {p: "one sample" for p in ("b1", "b2", "b3")}),
])
def test_a_backward_loop_overwriting_at_one_place_gets_that_slip_named(name, overwrite, expected):
    net = bp.load(name)
    report = bp.check_gradients(loop_backward(net, overwrite), net)
    assert {r.param: r.slip for r in report if not r.correct} == expected


RELU = {"inputs": ["x"], "loss": "half_sse", "data": [{"x": 1.0, "y": 0.2}],
        "layers": [{"activation": "relu", "neurons": {"h": {"weights": {"x": "w1"}, "bias": "b1"}}},
                   {"activation": "identity", "neurons": {"y": {"weights": {"h": "w2"}, "bias": "b2"}}}],
        "params": {"w1": 0.5, "b1": 0.1, "w2": 0.8, "b2": 0.3}}


def test_a_relu_networks_slips_are_named_too():
    """The slips are worked on plain floats; a ReLU's slope there must not need a NumPy array."""
    h = max(0.5 * 1.0 + 0.1, 0.0)
    d_y = (0.8 * h + 0.3) - 0.2  # dE/dnet_y for the identity output
    d_h = d_y * 0.8 * 1.0  # h > 0: the ReLU passes it on
    truth = {"w1": d_h * 1.0, "b1": d_h, "w2": d_y * h, "b2": d_y}
    report = bp.check_gradients({p: -g for p, g in truth.items()}, bp.load(RELU))
    assert [r.slip for r in report] == ["sign"] * 4
