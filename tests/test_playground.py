"""The playground's first screen is light and right; every other section is built only when first opened, and
then follows the network the picker holds."""
import json
import re
import subprocess
import sys
from urllib.parse import unquote

import ipywidgets as W
import pytest

import backprop_lib as bp
from backprop_lib.widgets.playground import SECTIONS, playground
from backprop_lib.widgets.takeaway import Downloads
from support.pages import example_loss


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def test_sections_start_closed_and_unbuilt():
    app = playground("mazur")
    assert app.sections.selected_index is None and app.sections.built == {}
    assert all(box.children == () for box in app.sections.children)
    assert list(app.sections.titles) == [title for title, _ in SECTIONS]


def test_the_first_screen_holds_no_picture_and_no_section():
    app = playground("mazur")
    kinds = {type(w).__name__ for w in descendants(app)}
    assert "Image" not in kinds  # matplotlib's PNGs come only with the sections that draw them
    assert not any(isinstance(w, bp.widgets.View) and w.kind != "forward_explorer" for w in descendants(app))


def test_the_first_screen_shows_the_loss_of_a_plain_loop():
    app = playground("mazur")
    shown = app.text().splitlines()[1]
    assert shown.startswith("E_total = ")
    assert float(shown.split(" = ")[1].replace(bp.widgets.MINUS, "-")) == pytest.approx(example_loss(), abs=5e-10)


def test_opening_a_section_builds_it_once_and_opens_it():
    app = playground("mazur")
    first = app.sections.show("The chain rule")
    assert app.sections.selected_index == [t for t, _ in SECTIONS].index("The chain rule")
    assert app.sections.show("The chain rule") is first
    assert list(app.sections.built) == ["The chain rule"]


def test_a_click_on_a_title_builds_the_section():
    app = playground("mazur")
    app.sections.selected_index = [t for t, _ in SECTIONS].index("Wiggle a weight")  # what the page sends
    assert list(app.sections.built) == ["Wiggle a weight"]
    box = app.sections.children[app.sections.selected_index]
    assert box.children == (app.sections.built["Wiggle a weight"],)


def test_a_section_opened_after_a_new_choice_shows_the_new_network():
    app = playground("mazur")
    app.picker.examples.value = "lecture"
    wiggle = app.sections.show("Wiggle a weight")
    assert wiggle.view.net.name == "lecture"
    p, eps = "w5", 1e-6
    net = bp.load("lecture")
    quotient = (net.with_params(w5=net.params[p] + eps).loss() - net.with_params(w5=net.params[p] - eps).loss()) / (2 * eps)
    assert wiggle.numbers["gradient"] == pytest.approx(quotient, rel=1e-6)


@pytest.mark.slow
def test_a_built_section_follows_a_later_choice():
    app = playground("mazur")
    training = app.sections.show("Training")
    app.picker.examples.value = "lecture"
    assert training.view.net.name == "lecture"
    assert training.numbers["E_total before"] == pytest.approx(bp.load("lecture").loss())


def test_the_spec_section_refuses_an_oversized_spec_in_one_line():
    app = playground("mazur")
    app.sections.show("Edit or paste a spec (JSON)")
    app.picker.json.value = "[" * 20 + "]" * 20
    app.picker.use.click()
    assert "pasted spec: nested too deeply" in app.picker.status.value
    assert app.picker.network.name == "mazur"  # the old network stays


def test_an_unknown_section_is_refused():
    with pytest.raises(bp.SpecError, match="^section: no section 'Landscape'"):
        playground("mazur").sections.show("Landscape")


def test_sections_can_be_chosen():
    app = playground("mazur", sections=[("Only this", lambda picker: W.HTML(picker.network.name))])
    assert app.sections.show("Only this").value == "mazur"


@pytest.mark.slow
def test_the_your_data_section_is_built_only_when_opened_and_then_shows_a_trained_network():
    app = playground("mazur")
    assert not any(type(w).__name__ in ("Learner", "Draw") for w in descendants(app))
    view = app.sections.show("Your data")
    assert [len(layer["neurons"]) for layer in view.net.spec["layers"]] == [8, 8, 2]
    assert view.numbers["training"].startswith("step 300 of 300, train E_total = ")


def saved(downloads_html):
    """What each download link of the section saves: {file name: text}, read back from the links' data: addresses."""
    found = re.findall(r'<a download="([^"]+)" href="data:[^;]+;charset=utf-8,([^"]*)">', downloads_html)
    return {name: unquote(text) for name, text in found}


def test_the_take_away_section_is_built_only_when_opened():
    app = playground("mazur")
    assert "Take it away" not in app.sections.built
    assert not any(isinstance(w, Downloads) for w in descendants(app))


def test_the_downloaded_spec_loads_back_as_the_pickers_network():
    app = playground("mazur")
    app.picker.examples.value = "statquest"
    files = saved(app.sections.show("Take it away").view.value)
    again = bp.load(json.loads(files["statquest.json"]))
    assert again.params == app.picker.network.params and again.gradients() == app.picker.network.gradients()


def test_the_downloaded_script_prints_the_networks_gradients_without_the_library(tmp_path):
    app = playground("mazur")
    files = saved(app.sections.show("Take it away").view.value)
    (tmp_path / "mazur.py").write_text(files["mazur.py"], encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "-S", "mazur.py"], capture_output=True, text=True, check=True,
                          cwd=tmp_path)
    printed = dict(line.split(" = ") for line in done.stdout.splitlines())
    net = bp.load("mazur")
    assert {k: float(v) for k, v in printed.items() if k.startswith("dE/d")} == pytest.approx(
        {f"dE/d{k}": g for k, g in net.gradients().items()}, rel=1e-12)
