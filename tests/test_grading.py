"""make grade on a course hub's homes: fake learners (throwaway system users, homes of mode 0700) hand in the
assignments, and tools/grade.py grades them as nobody, in a memory group, each cell bounded in time.

The expected marks are worked out here from what each learner wrote and how many tests each question has; the
tests count them from the masters. Needs root (system users, setpriv, cgroups) and the learners' environment
(make test builds it); skips without them unless CI=true."""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from support.grading import (PREFIX, class_folder, count_tests, grade, grading_missing, learner,
                             solution_cells)

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.server]


@pytest.fixture(scope="module", autouse=True)
def needs_root():
    problem = grading_missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture(scope="module")
def course():
    """An open folder holding the autograders (mode 0700 inside it) and the learners' homes; removed after."""
    with class_folder() as folder:
        yield folder


def read_grades(out):
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        return {row["learner"]: row for row in csv.DictReader(handle)}


def feedback(out, name):
    lines = (out / "feedback" / f"{PREFIX}{name}.txt").read_text(encoding="utf-8").splitlines()
    return {line.split(":", 1)[0]: line for line in lines}


SLIPS = {  # assignment 2, each question with one classic slip and its other values right
    "q1": ("delta_o1 = -(target_o1 - out_o1) * out_o1 * (1 - out_o1)\n"
           "delta_o2 = -(target_o2 - out_o2) * out_o2 * (1 - out_o2)\n"
           "dE_dw5 = -(target_o1 - out_o1) * out_h1\n"             # the slope of o1 left out
           "dE_dw8 = delta_o2 * out_h2\n"
           "dE_db2 = delta_o1 + delta_o2\n"),
    "q2": ("w5_after = w5 - lr * delta_o1 * out_h1\nw7_after = w7 - lr * delta_o2 * out_h1\n"
           "dE_dout_h1 = delta_o1 * w5_after + delta_o2 * w7_after\n"  # the updated w5 and w7 passed back
           "dE_dout_h2 = delta_o1 * w6 + delta_o2 * w8\n"
           "delta_h1 = dE_dout_h1 * out_h1 * (1 - out_h1)\ndelta_h2 = dE_dout_h2 * out_h2 * (1 - out_h2)\n"
           "dE_dw1 = delta_h1 * i1\ndE_dw4 = delta_h2 * i2\n"
           "dE_db1 = delta_h2\n"),                                   # = for +=: h1's use of b1 overwritten
    "q3": "w5_new = w5 - lr * delta_o1 * out_h1\nw1_new = w1 - lr * dE_dw1\n",
}
# What questions 2 and 3 use of question 1, again, for a learner whose question 1 cell is stopped before it
# defines it: their answers to 2 and 3 then stand on their own.
DELTAS = ("delta_o1 = -(target_o1 - out_o1) * out_o1 * (1 - out_o1)\n"
          "delta_o2 = -(target_o2 - out_o2) * out_o2 * (1 - out_o2)\n")
UPDATE_W5 = "dE_dw5 = delta_o1 * out_h1\n"


@pytest.fixture(scope="module")
def class_of_two(course, tmp_path_factory):
    """Assignment 2 handed in by seven learners; graded once. Returns (out folder, grade.py's output, counts)."""
    name = "02-gradients-by-hand"
    right = solution_cells(course, name)
    hidden_tests = course / "autograder" / name / f"{name}.ipynb"
    learner(course, "right", name, right)
    learner(course, "slips", name, [SLIPS["q1"], SLIPS["q2"], SLIPS["q3"]])
    learner(course, "empty", name, [None, None, None])
    learner(course, "reader", name, [f"print(open({str(hidden_tests)!r}).read())\n" + right[0],
                                     DELTAS + right[1], UPDATE_W5 + right[2]])
    other = course / "homes" / f"{PREFIX}right" / "course" / "taken.txt"
    learner(course, "writer", name, [f"open({str(other)!r}, 'w').write('written by another')\n" + right[0],
                                     DELTAS + right[1], UPDATE_W5 + right[2]])
    learner(course, "looper", name, [right[0], right[1], "while True:\n    pass\n" + right[2]])
    learner(course, "hog", name, [right[0], "hog = bytearray(3 << 30)\n" + right[1], right[2]])
    copier = learner(course, "copier", name, [None, None, None])
    shutil.rmtree(copier / "course")
    (copier / "course").symlink_to(course / "homes" / f"{PREFIX}right" / "course")
    out = tmp_path_factory.mktemp("grades")
    return out, grade(course, name, out), count_tests(course, name)


def marks(row, questions):
    return {q: float(row[q]) for q in questions}


def test_correct_submission_gets_full_marks(class_of_two):
    out, _, counts = class_of_two
    row = read_grades(out)[f"{PREFIX}right"]
    assert marks(row, counts) == {q: float(n) for q, n in counts.items()}
    assert float(row["total"]) == sum(counts.values()) == 8


def test_classic_slips_get_partial_marks_and_each_slip_is_named(class_of_two):
    out, _, counts = class_of_two
    # q1: dE/dw5 wrong (slope), dE/dw8 and dE/db2 right; q2: dE/dw1 wrong (updated weights), dE/dw4 right,
    # dE/db1 wrong (overwritten); q3: w5+ right, w1+ wrong (from the wrong dE/dw1)
    assert marks(read_grades(out)[f"{PREFIX}slips"], counts) == {"q1": 2.0, "q2": 1.0, "q3": 1.0}
    said = feedback(out, "slips")
    assert "derivative" in said["q1"] and "of o1 is missing" in said["q1"]
    assert "updated weights" in said["q2"]
    assert "do not overwrite it (=)" in said["q2"]
    assert said["q1"].startswith("q1: 2 / 3:")


def test_empty_submission_gets_nothing(class_of_two):
    out, _, counts = class_of_two
    row = read_grades(out)[f"{PREFIX}empty"]
    assert marks(row, counts) == dict.fromkeys(counts, 0.0) and float(row["total"]) == 0
    assert "not a number yet" in feedback(out, "empty")["q1"]


def test_reading_the_hidden_tests_scores_nothing_for_that_question_only(class_of_two):
    out, _, counts = class_of_two
    assert marks(read_grades(out)[f"{PREFIX}reader"], counts) == {"q1": 0.0, "q2": 3.0, "q3": 2.0}
    assert "no value for" in feedback(out, "reader")["q1"]


def test_writing_into_another_learners_home_scores_nothing_for_that_question_only(class_of_two, course):
    out, _, counts = class_of_two
    assert marks(read_grades(out)[f"{PREFIX}writer"], counts) == {"q1": 0.0, "q2": 3.0, "q3": 2.0}
    assert "no value for" in feedback(out, "writer")["q1"]
    assert not (course / "homes" / f"{PREFIX}right" / "course" / "taken.txt").exists()
    assert float(read_grades(out)[f"{PREFIX}right"]["total"]) == 8


def test_a_cell_that_loops_forever_scores_nothing_for_that_question_only(class_of_two):
    out, _, counts = class_of_two
    assert marks(read_grades(out)[f"{PREFIX}looper"], counts) == {"q1": 3.0, "q2": 3.0, "q3": 0.0}


def test_a_cell_past_the_memory_limit_scores_nothing_for_that_question_only(class_of_two):
    """3 GiB asked for against the 1 GiB limit: the allocation fails (or the kernel is stopped) in that cell."""
    out, _, counts = class_of_two
    row = marks(read_grades(out)[f"{PREFIX}hog"], counts)
    assert row["q1"] == 3.0 and row["q2"] == 0.0


def test_grades_csv_reads_back_with_one_row_per_learner(class_of_two):
    out, _, counts = class_of_two
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["learner", *counts, "total"]
    assert sorted(r[0] for r in rows[1:]) == sorted(PREFIX + n for n in
                                                    ("right", "slips", "empty", "reader", "writer", "looper", "hog"))
    for row in rows[1:]:
        assert float(row[-1]) == sum(float(x) for x in row[1:-1])


def test_a_submission_reached_through_a_symbolic_link_is_not_graded(class_of_two):
    """A learner whose copy links to another's home hands in nothing: the other's work is not theirs."""
    out, _, _ = class_of_two
    assert f"{PREFIX}copier" not in read_grades(out)


def test_grade_says_each_submissions_time_and_their_median(class_of_two):
    """One line per learner graded, each with the seconds it took, then their median (make bench reports it)."""
    _, said, _ = class_of_two
    lines = said.splitlines()
    graded = [line for line in lines if line.startswith(PREFIX)]
    assert len(graded) == 7 and all(re.search(r" / \d+ \([0-9.]+ s\)$", line) for line in graded), said
    assert lines[-1].startswith("7 submissions graded, median ")


def test_backward_with_overwrite_and_a_step_that_never_ends(course, tmp_path):
    """Assignment 3: the right backward pass gets full marks; `=` for `+=` is named; a step function that loops
    forever when called scores 0 for its question while the backward pass keeps its marks."""
    name = "03-write-backprop"
    right = solution_cells(course, name)
    learner(course, "right3", name, right)
    learner(course, "overwrite3", name, [right[0].replace('grads[body["bias"]] += delta', 'grads[body["bias"]] = delta'),
                                         right[1]])
    learner(course, "looper3", name, [right[0], "def step(net):\n    while True:\n        pass\n"])
    out = tmp_path / "grades"
    grade(course, name, out)
    counts, grades = count_tests(course, name), read_grades(out)
    assert marks(grades[f"{PREFIX}right3"], counts) == {q: float(n) for q, n in counts.items()} == {"q1": 4.0, "q2": 2.0}
    assert marks(grades[f"{PREFIX}overwrite3"], counts) == {"q1": 0.0, "q2": 0.0}
    assert "do not overwrite it (=)" in feedback(out, "overwrite3")["q1"]
    assert marks(grades[f"{PREFIX}looper3"], counts) == {"q1": 4.0, "q2": 0.0}
    assert "TimeoutError" in feedback(out, "looper3")["q2"]


def test_forward_and_loss_right_and_empty(course, tmp_path):
    name = "01-forward-and-loss"
    learner(course, "right1", name, solution_cells(course, name))
    learner(course, "empty1", name, [None, None])
    out = tmp_path / "grades"
    grade(course, name, out)
    counts, grades = count_tests(course, name), read_grades(out)
    assert marks(grades[f"{PREFIX}right1"], counts) == {"q1": 3.0, "q2": 2.0}
    assert marks(grades[f"{PREFIX}empty1"], counts) == {"q1": 0.0, "q2": 0.0}


def test_a_master_any_user_can_read_is_told_apart_from_a_closed_one(tmp_path):
    """The warning's test: a file in an open folder is readable by others; behind a folder of mode 0700 it is not."""
    sys.path.insert(0, str(ROOT / "tools"))
    import grade as grading
    folder = Path(tempfile.mkdtemp(prefix="backprop-master-"))
    try:
        folder.chmod(0o755)
        master = folder / "inner" / "02-gradients-by-hand.md"
        master.parent.mkdir()
        master.write_text("hidden tests\n")
        master.chmod(0o644)
        master.parent.chmod(0o755)
        assert grading.readable_by_others(master)
        master.parent.chmod(0o700)
        assert not grading.readable_by_others(master)
        master.parent.chmod(0o755)
        master.chmod(0o600)
        assert not grading.readable_by_others(master)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("args, said", [
    (["--homes", "/tmp"], "ASSIGNMENT"),
    (["--assignment", "02-gradients-by-hand", "--homes", "/no/such/homes"], "no homes folder"),
    (["--assignment", "99-none", "--homes", "/tmp"], "no autograder for 99-none"),
])
def test_bad_input_gets_one_line_and_status_2(args, said):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "grade.py"), *args], capture_output=True, text=True)
    assert done.returncode == 2 and said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
