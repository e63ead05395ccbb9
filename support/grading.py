"""A class handing in the graded assignments, for the grading tests and benchmark: a folder with the
autograders and the learners' homes, each learner a throwaway system user (prefix PREFIX) whose home of mode
0700 holds the assignment as pulled and answered, and tools/grade.py run over them.

Needs root (system users, setpriv, cgroups) and the learners' environment that make test builds."""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import assignments  # noqa: E402

PREFIX = "bpgradetest-"  # apart from a real class's users (jupyter-...)
LEARNER_PYTHON = Path(os.environ.get("LEARNER_ENV", "/opt/backprop-course/env")) / "bin" / "python"


def grading_missing():
    """Why grading cannot run here, or None."""
    if os.geteuid() != 0:
        return "grading runs each submission as another user: it needs root"
    if not os.access(LEARNER_PYTHON, os.X_OK):
        return f"no learners' environment at {LEARNER_PYTHON.parent.parent} (make test builds it)"
    return None


@contextmanager
def class_folder():
    """An open folder holding the autograders (mode 0700 inside it) and the learners' homes; removed after,
    with every PREFIX user."""
    folder = Path(tempfile.mkdtemp(prefix="backprop-grading-"))
    folder.chmod(0o755)
    for master in assignments.masters():
        assignments.build(master, folder / "student", folder / "autograder", run_tests=False)
    (folder / "homes").mkdir()
    (folder / "homes").chmod(0o755)
    try:
        yield folder
    finally:
        for entry in pwd.getpwall():
            if entry.pw_name.startswith(PREFIX):
                subprocess.run(["userdel", entry.pw_name], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def learner(course, name, assignment, answers):
    """A learner's home (their own system user, mode 0700) with the assignment pulled and answered: answers
    replace the answer cells in order (None leaves a cell as handed out)."""
    user = PREFIX + name
    home = course / "homes" / user
    if not home.exists():
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", str(home), "--shell",
                        "/usr/sbin/nologin", "--user-group", user], check=True, capture_output=True)
        home.mkdir()
    entry = pwd.getpwnam(user)
    nb = nbformat.read(assignments.STUDENT / f"{assignment}.ipynb", as_version=4)
    cells = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
    for cell, answer in zip(cells, answers):
        cell.source = cell.source if answer is None else answer
    target = home / "course" / "assignments" / "student" / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    for path in [home, *home.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    return home


def solution_cells(course, assignment):
    """The master's answers, one per answer cell: the autograder notebook keeps them, tagged by otter."""
    nb = nbformat.read(course / "autograder" / assignment / f"{assignment}.ipynb", as_version=4)
    return [c.source for c in nb.cells if "otter_assign_solution_cell" in c.metadata.get("tags", [])]


def count_tests(course, assignment):
    """{question: number of test cases}, counted in the autograder's test sources (each is worth 1 point)."""
    nb = nbformat.read(course / "autograder" / assignment / f"{assignment}.ipynb", as_version=4)
    return {q: source.count("@test_case(points=1,") for q, source in sorted(nb.metadata["otter"]["tests"].items())}


def grade(course, assignment, out, *extra, cell_seconds=5):
    """tools/grade.py over the class's homes, as make grade runs it; what it printed (it fails on a refusal)."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "grade.py"), "--homes", str(course / "homes"),
                           "--assignment", assignment, "--out", str(out), "--autograder", str(course / "autograder"),
                           "--python", str(LEARNER_PYTHON), "--cell-seconds", str(cell_seconds), *extra],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"grade.py exited with {done.returncode}: {done.stdout}{done.stderr}")
    return done.stdout
