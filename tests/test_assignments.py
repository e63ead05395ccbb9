"""The graded assignments: each committed student notebook is what `make assignments` makes from its master, the
same master always gives the same bytes, the student notebook holds no solution and no hidden test, and
`grader.check` in the learner's notebook names the slip as bp.check does."""
import json
import re
import shutil
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import assignments  # noqa: E402

pytestmark = [pytest.mark.handout]

MASTERS = assignments.masters()


def cell_view(nb):
    """What the master decides about the student notebook: each cell's type, text and tags."""
    return [(c.cell_type, c.source.strip(), c.get("metadata", {}).get("tags", [])) for c in nb.cells]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every master built afresh, as make assignments builds it, into a folder of the test's own."""
    out = tmp_path_factory.mktemp("assignments")
    paths = {}
    for master in MASTERS:
        paths[master.stem] = assignments.build(master, out / "student", out / "autograder", run_tests=False)
    return out


def test_there_are_three_assignments_each_with_its_student_notebook():
    assert [m.stem for m in MASTERS] == ["01-forward-and-loss", "02-gradients-by-hand", "03-write-backprop"]
    assert sorted(p.stem for p in assignments.STUDENT.glob("*.ipynb")) == [m.stem for m in MASTERS]


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_committed_student_notebook_is_what_its_master_makes(built, master):
    committed = nbformat.read(assignments.STUDENT / f"{master.stem}.ipynb", as_version=4)
    fresh = nbformat.read(built / "student" / f"{master.stem}.ipynb", as_version=4)
    assert cell_view(committed) == cell_view(fresh), f"run make assignments ONLY={master.stem[:2]}"
    assert committed.metadata["otter"]["tests"] == fresh.metadata["otter"]["tests"]


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_same_master_gives_the_same_student_notebook_bytes(built, master):
    """The committed notebook was built at another time, in another folder: the bytes still agree."""
    committed = assignments.STUDENT / f"{master.stem}.ipynb"
    assert (built / "student" / committed.name).read_bytes() == committed.read_bytes()


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_master_is_written_as_jupytext_writes_it(master):
    assert jupytext.writes(jupytext.read(master), fmt="md:myst") == master.read_text(encoding="utf-8")


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_student_notebook_holds_no_solution_and_only_public_tests(built, master):
    student = nbformat.read(assignments.STUDENT / f"{master.stem}.ipynb", as_version=4)
    text = "\n".join(c.source for c in student.cells)
    assert "SOLUTION" not in text and not re.search(r"(grads|dE_dout)\[.*\] *\+=", text)
    tests = student.metadata["otter"]["tests"]
    assert tests and all("hidden=True" not in source for source in tests.values())
    assert "jupytext" not in student.metadata, "a learner's save would write a .md beside the notebook"
    full = nbformat.read(built / "autograder" / master.stem / f"{master.stem}.ipynb", as_version=4)
    hidden = [q for q, source in full.metadata["otter"]["tests"].items() if "hidden=True" in source]
    assert hidden, f"{master.name} has no hidden test"


def test_autograder_folder_is_readable_by_its_owner_only(built):
    assert (built / "autograder").stat().st_mode & 0o077 == 0


def run_student_notebook(name, answers, folder):
    """Execute a copy of a student notebook with answer cells replaced ({cell index: source}); return its cells."""
    nb = nbformat.read(assignments.STUDENT / f"{name}.ipynb", as_version=4)
    for index, source in answers.items():
        nb.cells[index].source = source
    shutil.copy(assignments.STUDENT / f"{name}.ipynb", folder / f"{name}.ipynb")
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb.cells


def answer_cells(name):
    """Indexes of the cells a learner answers in (otter tags them)."""
    nb = nbformat.read(assignments.STUDENT / f"{name}.ipynb", as_version=4)
    return [k for k, c in enumerate(nb.cells) if "otter_answer_cell" in c.metadata.get("tags", [])]


def test_grader_check_in_the_notebook_names_the_missing_slope(tmp_path):
    """dE/dw5 without σ′(net_o1): the learner's grader.check("q1") says the slope is missing."""
    q1 = answer_cells("02-gradients-by-hand")[0]
    slip = ("delta_o1 = -(target_o1 - out_o1)\ndelta_o2 = -(target_o2 - out_o2)\n"
            "dE_dw5 = delta_o1 * out_h1\ndE_dw8 = 0.0\ndE_db2 = 0.0\n")
    cells = run_student_notebook("02-gradients-by-hand", {q1: slip}, tmp_path)
    shown = json.dumps(cells[q1 + 1].outputs)
    assert "derivative" in shown and "missing" in shown and "q1" in shown, shown[:2000]
