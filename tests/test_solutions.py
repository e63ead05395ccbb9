"""Every solution cell of every notebook, in its .md source and its executed .ipynb, is tagged `solution` and
opens collapsed with its source and its output hidden, so no answer shows before the learner asks for it."""
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.md")) + sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def read(path):
    return jupytext.read(path) if path.suffix == ".md" else nbformat.read(path, as_version=4)


def solutions(nb):
    return [(k, cell) for k, cell in enumerate(nb.cells) if "solution" in cell.get("metadata", {}).get("tags", [])]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_solution_cell_hides_its_source_and_its_output(path):
    shown = [k for k, cell in solutions(read(path))
             if cell.cell_type != "code" or cell.metadata.get("jupyter", {}) != {"outputs_hidden": True,
                                                                              "source_hidden": True}]
    assert shown == [], f"{path.name}: solution cells {shown} do not hide both source and output"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_cell_that_checks_an_answer_with_the_answer_typed_in_is_a_hidden_solution(path):
    """A code cell that computes `answer = <expression>` and checks it is a solution; exercise cells start
    from `answer = 0.0` (or a widget box) and must not carry the answer in view."""
    leaks = [k for k, cell in enumerate(read(path).cells)
             if cell.cell_type == "code" and "bp.check(" in cell.source
             and any(line.startswith("answer = ") and line.split("#")[0].strip() not in ("answer = 0.0", "answer = None")
                     for line in cell.source.splitlines())
             and "solution" not in cell.metadata.get("tags", [])]
    assert leaks == [], f"{path.name}: cells {leaks} check a computed answer in view"


def test_every_notebook_with_exercises_has_solutions():
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.md")):
        nb = read(path)
        asks = any("bp.check(" in c.source or "exercise(" in c.source for c in nb.cells if c.cell_type == "code")
        assert not asks or solutions(nb), f"{path.name} asks exercises but has no solution cell"
