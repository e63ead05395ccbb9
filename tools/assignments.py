"""Build the graded assignments: each master assignments/NN-name.md (MyST, Otter Assign format) goes through
`otter assign`, giving the student notebook (solutions stripped, public tests only) at
assignments/student/NN-name.ipynb and the autograder (hidden tests too) in assignments/autograder/NN-name/.

The student notebook is committed, so it is written the same way every time: cell ids from position and text,
no outputs, no jupytext pairing (a learner's save must not make a .md beside it). The autograder holds the hidden
tests, so its folder is readable by its owner only."""
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "assignments"
STUDENT = ASSIGNMENTS / "student"
AUTOGRADER = ASSIGNMENTS / "autograder"
REQUIREMENTS = ASSIGNMENTS / "requirements.txt"


def masters(names=()):
    """The master sources, NN-name.md, or those whose name contains one of names."""
    paths = sorted(ASSIGNMENTS.glob("[0-9][0-9]-*.md"))
    return [p for p in paths if not names or any(n in p.name for n in names)]


def student_view(nb):
    """The student notebook as it is committed: stable ids, no outputs, no pairing with a .md file."""
    nb.metadata.pop("jupytext", None)
    for k, cell in enumerate(nb.cells):
        cell.id = hashlib.sha1(f"{k}:{cell.source}".encode()).hexdigest()[:8]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nbformat.writes(nb) + "\n"


def assign(master, work, run_tests=True):
    """Run otter assign on one master in the folder work; return the folder otter wrote (student/, autograder/)."""
    notebook = work / f"{master.stem}.ipynb"
    nbformat.write(jupytext.read(master), notebook)
    shutil.copy(REQUIREMENTS, work / REQUIREMENTS.name)
    result = work / "dist"
    command = [sys.executable, "-m", "otter", "assign", *([] if run_tests else ["--no-run-tests"]),
               notebook.name, result.name]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True)
    if done.returncode != 0 or not (result / "student" / notebook.name).exists():
        raise RuntimeError(f"otter assign failed on {master.name}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return result


def build(master, student_dir=STUDENT, autograder_dir=AUTOGRADER, run_tests=True):
    """The student notebook and the autograder of one master, written where given; returns the student path."""
    with tempfile.TemporaryDirectory(prefix="assign-") as work:
        result = assign(master, Path(work), run_tests)
        student = student_dir / f"{master.stem}.ipynb"
        student_dir.mkdir(parents=True, exist_ok=True)
        built = nbformat.read(result / "student" / student.name, as_version=4)
        student.write_text(student_view(built), encoding="utf-8")
        autograder_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        autograder_dir.chmod(0o700)
        target = autograder_dir / master.stem
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(result / "autograder", target)
    return student


def main(argv):
    found = masters(argv)
    if not found:
        print(f"assignments: no master assignments/NN-name.md matches {' '.join(argv) or 'anything'}", file=sys.stderr)
        return 2
    for master in found:
        try:
            student = build(master)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"{student.relative_to(ROOT)} and assignments/autograder/{master.stem}/: built from {master.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
