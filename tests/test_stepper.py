"""The backward stepper widget, headless: Back / Next walk the steps, the last one shows every gradient the
library gives, the diagram lights what each step involves, and every control has a name."""
import pytest
from hypothesis import given, settings

import backprop_lib as bp
from backprop_lib.widgets.stepper import backward_stepper
from backprop_lib.explain.backward import backward_steps
from backprop_lib.core.numeric import Network

from support.networks import specs
from support.plain import plain_gradients

EXAMPLES = ["mazur", "lecture", "statquest"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_next_reaches_the_last_step_showing_every_gradient(name):
    net = bp.load(name)
    view = backward_stepper(net)
    for _ in range(len(view.steps) - 1):
        view.controls["next"].click()
    loss = {"half_sse": "E_total", "sse": "SSR"}[net.loss_name]
    shown = {k.split("/∂")[1]: v for k, v in view.numbers.items() if k.startswith(f"∂{loss}/∂")}
    assert shown == pytest.approx(plain_gradients(net.spec, net.params), rel=1e-10)
    assert view.controls["next"].disabled and not view.controls["back"].disabled


def test_mazur_first_steps_show_the_notes_figures():
    view = backward_stepper(bp.load("mazur"))
    assert round(view.numbers["∂E_total/∂out_o1"], 8) == 0.74136507
    view.controls["next"].click()
    assert round(view.numbers["∂E_total/∂net_o1"], 9) == 0.138498562
    assert "0.74136507 × 0.186815602" in view.readout.value
    view.controls["back"].click()
    assert view.numbers["step"] == "1 of 21" and view.controls["back"].disabled


def test_each_step_lights_its_units_and_edges_on_the_diagram():
    view = backward_stepper(bp.load("mazur"))
    view.controls["step"].value = 3  # dE_total/dw5 = delta_o1 x out_h1, on the edge h1 -> o1
    assert view.step.param == "w5"
    assert set(view.diagram.highlight) == {"o1", "h1", "h1->o1"}
    view.controls["step"].value = 11  # dE_total/dout_h1: the two edges leaving h1
    assert {"h1->o1", "h1->o2"} <= set(view.diagram.highlight)


def test_diagram_shows_only_the_gradients_found_so_far():
    view = backward_stepper(bp.load("mazur"))
    view.controls["step"].value = 5  # the first of b2's two terms
    labels = view.diagram.values["labels"]
    assert labels["h1->o1"][-1] == "∂E_total/∂w5 = 0.082167041"
    assert labels["i1->h1"] == ["w1 = 0.15"]
    assert labels["1:2->o1"][-1] == "share of ∂E_total/∂b2: +0.138498562"
    assert set(view.diagram.values["gradients"]) == {"w5", "w6", "b2"}


def test_shared_bias_total_is_written_once_as_its_shares_added():
    view = backward_stepper(bp.load("mazur"))
    view.controls["step"].value = len(view.steps)
    assert "∂E_total/∂b2 so far = 0.138498562 − 0.038098237 = 0.100400325 (b2 is used on 2 edges)" in \
        view.diagram.values["totals"]


def test_controls_have_accessible_names_and_steps_are_announced():
    view = backward_stepper(bp.load("lecture"))
    assert (view.controls["back"].description, view.controls["back"].tooltip) == ("Back", "Previous step")
    assert (view.controls["next"].description, view.controls["next"].tooltip) == ("Next", "Next step")
    assert view.controls["step"].name == "step of the backward pass"
    view.controls["next"].click()
    assert view.diagram.announcement == f"Step 2 of {len(view.steps)}: {view.steps[1].text()}"


def test_stepper_text_prints_the_step_shown():
    net = bp.load("lecture")
    view = backward_stepper(net)
    assert view.text() == "step = 1 of 16\n∂E_total/∂out_o1 = 0.74136507"
    assert len(backward_steps(net)) == 16


def test_playground_stepper_section_follows_the_chosen_network():
    from backprop_lib.widgets.playground import playground
    app = playground("mazur")
    section = app.sections.show("Step through the backward pass")
    app.picker.examples.value = "statquest"
    view = section.view
    view.go(len(view.steps))
    net = bp.load("statquest")
    shown = {k.split("/∂")[1]: v for k, v in view.numbers.items() if k.startswith("∂SSR/∂")}
    assert view.net.name == "statquest"
    assert shown == pytest.approx(plain_gradients(net.spec, net.params), rel=1e-10)


@settings(max_examples=15, deadline=None)
@given(specs())
def test_last_step_shows_every_gradient_for_random_specs(spec):
    net = Network(spec)
    view = backward_stepper(net)
    view.go(len(view.steps))
    loss = net.loss_record.symbol
    shown = {k.split("/∂", 1)[1]: v for k, v in view.numbers.items() if k.startswith(f"∂{loss}/∂")}
    assert shown == pytest.approx(plain_gradients(spec, spec["params"]), rel=1e-10, abs=1e-12)
