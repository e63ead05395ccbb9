"""The computation graph drawing of notebook 06b: every value and every use drawn, its text saying the same."""
from backprop_lib.explain import value_graph


class Node:
    """The least a value needs to be drawn: what the notebook's Value has."""

    def __init__(self, data, inputs=(), op="", name="", grad=0.0):
        self.data, self.inputs, self.op, self.name, self.grad = data, inputs, op, name, grad


def small_graph():
    w = Node(0.4, name="w", grad=0.25)
    half = Node(0.5)
    product = Node(0.2, (w, half), "*", grad=0.5)
    return w, half, product, Node(0.55, (product,), "sigmoid", "E", grad=1.0)


def test_every_value_comes_after_its_inputs():
    w, half, product, E = small_graph()
    assert value_graph.nodes(E) == [w, half, product, E]


def test_a_constant_sits_just_left_of_its_user():
    w, half, product, E = small_graph()
    column = value_graph.columns(E)
    assert (column[id(w)], column[id(half)], column[id(product)], column[id(E)]) == (0, 0, 1, 2)


def test_the_svg_has_a_box_per_value_an_arrow_per_use_and_its_text_as_desc():
    drawing = value_graph.draw(small_graph()[-1])
    assert drawing.svg.count("<rect") == 4 and drawing.svg.count("<line") == 3
    assert f"<desc>{drawing.description}</desc>" in drawing.svg
    assert "#3 = * of #1, #2: data 0.2, grad 0.5" in drawing.description
    assert "#2 constant: data 0.5" in drawing.description and repr(drawing) == drawing.description


def test_the_drawing_displays_as_an_image_whose_alt_text_is_its_description():
    drawing = value_graph.draw(small_graph()[-1])
    bundle = drawing._repr_mimebundle_()
    assert f'alt="{drawing.description}"' in bundle["text/html"] and bundle["image/svg+xml"] == drawing.svg
