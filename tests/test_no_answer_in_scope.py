"""No exercise's answer is already in scope: for every exercise of every notebook (a `bp.check` or
`bp.widgets.exercise` on a named quantity, outside a solution cell), every number defined when the learner
reaches it is run through that exercise's check, and none may be accepted.

"Every number" is every int or float, and every element of a NumPy array, held by a variable of the
notebook, looked for inside dicts, lists, tuples and sets, the fields of dataclasses (a training result's
losses), a network's `params` and a widget's `numbers`. The notebook runs top to bottom in this process,
solution cells included, as it does when it is built."""
import ast
import dataclasses
import math
import os
import re
from pathlib import Path

import jupytext
import matplotlib
import numpy as np
import pytest
from IPython.display import display

matplotlib.use("Agg")

import backprop_lib as bp  # noqa: E402
from backprop_lib.explain.exercises import ABSOLUTE, RELATIVE, CheckResult, GradientResult  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.md"))


def exercise_calls(source):
    """(quantity, the source of its net= argument or None) for each check of a named quantity in the cell."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("check", "exercise") and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            net = next((ast.unparse(k.value) for k in node.keywords if k.arg == "net"), None)
            if net is None and len(node.args) > 2:
                net = ast.unparse(node.args[2])
            found.append((node.args[0].value, net))
    return found


def numbers_in(value, path, depth=0):
    """Yield (where, number or array of numbers) for every number reachable from value."""
    if depth > 5 or isinstance(value, (bool, str, bytes, CheckResult, GradientResult)):
        return
    if isinstance(value, (int, float, np.integer, np.floating)):
        if math.isfinite(float(value)):
            yield path, float(value)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "iuf" and value.size:
            yield path, value.astype(float).ravel()
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from numbers_in(v, f"{path}[{k!r}]", depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for k, v in enumerate(value):
            yield from numbers_in(v, f"{path}[{k}]", depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from numbers_in(getattr(value, field.name), f"{path}.{field.name}", depth + 1)
    elif isinstance(value, bp.Network):
        yield from numbers_in(value.params, f"{path}.params", depth + 1)
    elif isinstance(getattr(value, "numbers", None), dict):
        yield from numbers_in(value.numbers, f"{path}.numbers", depth + 1)


def accepted(quantity, net, candidates):
    """Where each candidate would pass the check of `quantity` (the same test bp.check applies)."""
    expected = bp.check(quantity, 0.0, net=net).expected
    start = net.params[quantity[:-1]] if quantity.endswith("+") else 0.0
    return np.abs(candidates - expected) <= max(RELATIVE * abs(expected - start), ABSOLUTE)


def answers_in_scope(md):
    """Every (cell, quantity, variable) where a number in scope passes the exercise's check."""
    found, namespace, here = [], {"display": display}, os.getcwd()
    os.chdir(md.parent)  # notebooks run in their own folder, as the build runs them
    try:
        for k, cell in enumerate(jupytext.read(md).cells):
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            exec(compile(source, f"{md.name}, cell {k}", "exec"), namespace)
            if "solution" in cell.metadata.get("tags", []):
                continue
            for quantity, net_source in exercise_calls(source):
                net = eval(net_source, namespace) if net_source else bp.load("mazur")
                for name, value in list(namespace.items()):
                    if name in ("answer", "display") or name.startswith("__"):  # the exercise's own placeholder 0.0
                        continue
                    for where, numbers in numbers_in(value, name):
                        if np.any(accepted(quantity, net, np.atleast_1d(numbers))):
                            found.append(f"cell {k}: {quantity} is already in {where}")
    finally:
        os.chdir(here)
    return found


@pytest.mark.notebooks
@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.stem)
def test_no_exercise_answer_is_already_in_scope(md):
    found = answers_in_scope(md)
    assert found == [], f"{md.name}: " + "; ".join(found)


def test_the_scan_finds_an_answer_held_in_a_dict():
    net = bp.load("mazur")
    grads = net.gradients()
    hits = [where for where, numbers in numbers_in({"grads": grads}, "scope")
            if np.any(accepted("dE/dw6", net, np.atleast_1d(numbers)))]
    assert hits == ["scope['grads']['w6']"]


def test_exercise_calls_read_the_quantity_and_the_network():
    assert exercise_calls('bp.check("dE/dw6", answer, net=changed)') == [("dE/dw6", "changed")]
    assert exercise_calls('bp.widgets.exercise("out_h1")') == [("out_h1", None)]
    assert re.match(r"^$", "") and exercise_calls("x = 1") == []
