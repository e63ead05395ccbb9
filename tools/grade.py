"""Grade every learner's submission of one assignment on the course hub, without Docker, so that the hidden tests
are never where a submission's code runs.

Each submission (HOMES/<user>/*/assignments/student/ASSIGNMENT.ipynb) is copied into a fresh folder owned by an
unprivileged user (nobody) and executed there by nbclient, in a kernel that runs as that user (setpriv) from an
environment any user can run, inside a memory cgroup, each cell bounded in time and the whole submission too. After
each of the learner's cells, a cell added here writes as JSON the values the tests need: each named variable,
and for a function what it returns on the arguments the tests give it; so a cell that kills its kernel or never
ends costs only what it and the cells after it define. This process, which never runs a submission's code,
then runs each question's public and hidden tests (otter's exception-based test functions, read from the autograder) on those
values. A question whose values are missing scores 0; nothing else is affected.

usage: python tools/grade.py --homes HOMES --assignment NN-name [--out grades] [--python PYTHON] ..."""
import argparse
import csv
import inspect
import json
import os
import pwd
import secrets
import shutil
import signal
import stat
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import learners  # noqa: E402  (the course hub's memory groups: memory_root, limit_memory, end_group)

AUTOGRADER = ROOT / "assignments" / "autograder"
LEARNER_PYTHON = Path(os.environ.get("LEARNER_ENV", "/opt/backprop-course/env")) / "bin" / "python"
MEMORY = 1 << 30          # bytes a submission's kernel and its children may hold, swap included
CELL_SECONDS = 30         # a cell still running after this is interrupted, and the next cell runs
SUBMISSION_SECONDS = 300  # after this the submission's processes are killed and what was written is graded
MAX_VALUES = 10 << 20     # bytes of written values read back
FEEDBACK_CHARACTERS = 2000  # a question's feedback line is cut here (a backward pass wrong everywhere says a lot)
OTTER_CELL = ("# Initialize Otter", "import otter", "grader.check", "grader.export")


class Refused(Exception):
    """Bad input or a machine that cannot grade safely: one line for the teacher, exit status 2."""


class Recorder:
    """Stands in for a learner's function while the tests are run once to find the arguments they call it with."""

    def __init__(self, calls):
        self.calls = calls

    def __call__(self, *args):
        self.calls[call_key(args)] = [encode(a) for a in args]


class Replay:
    """Stands in for a learner's function when the tests run: what it returned in the submission's kernel."""

    def __init__(self, name, results):
        self.name, self.results = name, results

    def __call__(self, *args):
        result = self.results.get(call_key(args))
        if result is None:
            raise LookupError(f"{self.name} was not run on these arguments")
        if "error" in result:
            raise RuntimeError(f"{self.name} raised {result['error']}")
        return decode(result["value"])


def encode(arg):
    """A test's argument as JSON: a network as its example's name and parameters, containers item by item."""
    if hasattr(arg, "params") and hasattr(arg, "name") and hasattr(arg, "units"):
        return {"__network__": arg.name, "params": dict(arg.params)}
    if isinstance(arg, dict):
        return {str(k): encode(v) for k, v in arg.items()}
    if isinstance(arg, (list, tuple)):
        return [encode(v) for v in arg]
    return arg


def call_key(args):
    """The arguments of one call as a JSON string: how a recorded call is found again."""
    return json.dumps([encode(a) for a in args], sort_keys=True)


def decode(value):
    """A written value back in Python: `...` (an unanswered blank) comes back as Ellipsis."""
    if isinstance(value, dict) and value.keys() == {"__unanswered__"}:
        return ...
    return value


def load_questions(autograder, assignment):
    """{question: ExceptionTestFile} with every test, hidden ones too, from the autograder otter assign wrote."""
    from otter.test_files import ExceptionTestFile
    notebook = autograder / assignment / f"{assignment}.ipynb"
    if not notebook.exists():
        raise Refused(f"grade: no autograder for {assignment} at {notebook.parent}; run make assignments")
    tests = nbformat.read(notebook, as_version=4).metadata["otter"]["tests"]
    return {q: ExceptionTestFile.from_string(source, path=f"{q}.py") for q, source in sorted(tests.items())}


def parameters(case):
    """The names a test function takes: otter passes it the values of these names."""
    return list(inspect.signature(case.body.test_func).parameters)


def needed_names(questions):
    """Every name a test function takes: what the submission's kernel must write."""
    names = []
    for test_file in questions.values():
        for case in test_file.test_cases:
            names += [n for n in parameters(case) if n != "env" and n not in names]
    return names


def recorded_calls(questions, names):
    """{name: [arguments, ...]} for each name the tests call, found by running the tests on recorders."""
    calls = {name: {} for name in names}
    env = {name: Recorder(calls[name]) for name in names}
    for test_file in questions.values():
        for case in test_file.test_cases:
            try:
                case.body.call_func(env)
            except Exception:
                pass
    return {name: list(found.values()) for name, found in calls.items() if found}


def run_tests(questions, values):
    """{question: (points, possible, [failure messages])}: the tests, run here on the written values."""
    env = {name: Replay(name, found["calls"]) if "calls" in found else decode(found["value"])
           for name, found in values.items()}
    marks = {}
    for q, test_file in questions.items():
        points, possible, messages = 0.0, 0.0, []
        missing = [n for c in test_file.test_cases for n in parameters(c) if n != "env" and n not in env]
        for case in test_file.test_cases:
            possible += case.points
            if missing:
                continue
            try:
                case.body.call_func(env)
                points += case.points
            except Exception as error:
                messages.append(str(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {error}")
        if missing:
            messages = [f"no value for {', '.join(dict.fromkeys(missing))}: its cell raised an error, ran out of "
                        "time or was stopped, or was not run"]
        marks[q] = (points, possible, messages)
    return marks


DUMP = '''
def _write_values(names, calls, path, seconds, written={}):  # written: kept from call to call, on purpose
    """Append each named value, and each function's results on the tests' arguments (for a function not yet
    written), as one JSON line: the last line of a name is its value."""
    import json, numbers, signal

    def plain(v, depth=0):
        if v is ...:
            return {"__unanswered__": True}
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, numbers.Real):
            return float(v)
        if depth < 6 and isinstance(v, dict):
            return {str(k): plain(x, depth + 1) for k, x in v.items()}
        if depth < 6 and isinstance(v, (list, tuple)):
            return [plain(x, depth + 1) for x in v]
        if depth < 6 and isinstance(v, (set, frozenset)):
            return sorted((plain(x, depth + 1) for x in v), key=repr)
        if hasattr(v, "tolist"):
            return plain(v.tolist(), depth + 1)
        return repr(v)[:200]

    def decode(a):
        if isinstance(a, dict) and "__network__" in a:
            import backprop_lib
            return backprop_lib.load(a["__network__"]).with_params(**a["params"])
        if isinstance(a, dict):
            return {k: decode(x) for k, x in a.items()}
        if isinstance(a, list):
            return [decode(x) for x in a]
        return a

    def too_long(*_):
        raise TimeoutError(f"ran longer than {seconds} s")

    signal.signal(signal.SIGALRM, too_long)
    found = globals()
    with open(path, "a") as out:
        for name in names:
            if name not in found or (callable(found[name]) and written.get(name) is found[name]):
                continue
            value = written[name] = found[name]
            if callable(value) and name in calls:
                results = {}
                for args in calls[name]:
                    key = json.dumps(args, sort_keys=True)
                    signal.setitimer(signal.ITIMER_REAL, seconds, 1)
                    try:
                        results[key] = {"value": plain(value(*[decode(a) for a in args]))}
                    except BaseException as error:
                        results[key] = {"error": f"{type(error).__name__}: {error}"[:300]}
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                record = {"name": name, "calls": results}
            else:
                record = {"name": name, "value": plain(value)}
            out.write(json.dumps(record) + "\\n")
            out.flush()
'''


def with_dumps(cells, names, calls, path, seconds):
    """The learner's cells, each followed by one that writes the values the tests need (see DUMP): a cell that
    kills its kernel or never ends then costs only what it and the cells after it define."""
    call = nbformat.v4.new_code_cell(f"_write_values({names!r}, {calls!r}, {path!r}, {seconds!r})\n")
    return [nbformat.v4.new_code_cell(DUMP), *(c for cell in cells for c in (cell, call))]


def submission_cells(nb):
    """The learner's cells, without otter's own (its import and checks run the public tests: not needed here)."""
    return [c for c in nb.cells if c.cell_type == "code" and not c.source.lstrip().startswith(OTTER_CELL)]


def find_submissions(homes, assignment):
    """{learner: (home, notebook)} for each home under homes with a pulled copy holding the assignment (the
    newest, if several); a copy reached through a symbolic link is not the learner's own, and is left out."""
    found = {}
    for home in sorted(p for p in homes.iterdir() if p.is_dir() and not p.is_symlink()):
        candidates = [p for p in home.glob(f"*/assignments/student/{assignment}.ipynb") if not linked(home, p)]
        if candidates:
            found[home.name] = (home, max(candidates, key=lambda p: p.lstat().st_mtime))
    return found


def linked(home, path):
    """True when some part of path below home is a symbolic link."""
    parts = path.relative_to(home).parts
    return any(home.joinpath(*parts[:k + 1]).is_symlink() for k in range(len(parts)))


def read_inside(home, path):
    """The text of the learner's notebook, opened folder by folder from their home without following a symbolic
    link, and only if the home's owner owns it: a learner cannot hand in another's file, or one of root's."""
    owner = home.stat().st_uid
    fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in path.relative_to(home).parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        inner = os.open(path.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)
    with os.fdopen(inner, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != owner:
            raise PermissionError(f"{path} is not a file of the home's owner")
        return handle.read(MAX_VALUES).decode("utf-8")


def kernel_manager(specs, folder, user, group, python):
    """A kernel manager whose kernel runs as user, in the memory group, from python, in folder."""
    spec = specs / "grade"
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, str(Path(__file__).resolve().parent / "grade_kernel.py"), str(user.pw_uid), str(user.pw_gid),
            str(group / "cgroup.procs"), str(folder), str(python), "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "grading", "language": "python",
                                                  "interrupt_mode": "signal"}))
    return AsyncKernelManager(kernel_name="grade", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]),
                              connection_file=str(folder / "connection.json"))


def execute(nb, folder, user, python, limits):
    """Run the notebook in folder as user, bounded in memory and time; whatever happens, end its processes."""
    group = learners.memory_root() / f"grade-{secrets.token_hex(6)}"
    learners.limit_memory(group, limits["memory"])
    specs = Path(tempfile.mkdtemp(prefix="grade-kernel-"))
    stop = threading.Timer(limits["submission"], kill_all, [group])
    client = NotebookClient(nb, km=kernel_manager(specs, folder, user, group, python), timeout=limits["cell"],
                            startup_timeout=60, allow_errors=True, interrupt_on_timeout=True,
                            error_on_timeout={"ename": "TimeoutError", "evalue": f"cell ran longer than "
                                              f"{limits['cell']} s", "traceback": []},
                            resources={"metadata": {"path": str(folder)}})
    stop.start()
    try:
        client.execute()
    except Exception:  # a dead kernel, a cell that never answered, time up: grade what was written
        pass
    finally:
        stop.cancel()
        learners.end_group(group)
        shutil.rmtree(specs, ignore_errors=True)


def kill_all(group):
    """The submission's time is up: kill every process in its memory group (its kernel and any children)."""
    procs = group / "cgroup.procs"
    for pid in procs.read_text().split() if procs.exists() else []:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except ProcessLookupError:
            pass


def read_values(path):
    """{name: record} from the JSON lines the last cell wrote; a line cut short or malformed is skipped."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return {}
    with os.fdopen(fd, "rb") as handle:
        lines = handle.read(MAX_VALUES).decode("utf-8", "replace").splitlines()
    values = {}
    for line in lines:
        try:
            record = json.loads(line)
            values[str(record["name"])] = record
        except (ValueError, KeyError, TypeError):
            continue
    return values


def grade_one(home, notebook, plan, user, python, limits):
    """The written values of one submission, run in a fresh folder of the grading user's, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="grade-", dir=limits["work"]))
    try:
        os.chown(folder, user.pw_uid, user.pw_gid)
        folder.chmod(0o700)
        try:
            nb = nbformat.reads(read_inside(home, notebook), as_version=4)
        except Exception:  # not a notebook of theirs, or not a notebook at all: nothing to grade
            return {}
        path = f"values-{secrets.token_hex(8)}.jsonl"
        # a learner's function gets a third of a cell's time for each call, so a call that never ends is cut short
        nb.cells = with_dumps(submission_cells(nb), plan["names"], plan["calls"], path, max(1, limits["cell"] // 3))
        for cell in nb.cells:
            cell.outputs, cell.execution_count = [], None
        execute(nb, folder, user, python, limits)
        return read_values(folder / path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def feedback_lines(marks):
    """One line per question: its points and, for a test failed, the message that names the slip."""
    lines = []
    for q, (points, possible, messages) in marks.items():
        said = " ".join(dict.fromkeys(" ".join(m.split()) for m in messages)) or "all tests passed"
        lines.append(f"{q}: {points:g} / {possible:g}: {said[:FEEDBACK_CHARACTERS]}")
    return lines


def write_results(out, questions, graded):
    """grades.csv (learner, points per question, total) and feedback/<learner>.txt."""
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        table = csv.writer(handle)
        table.writerow(["learner", *questions, "total"])
        for learner, marks in graded.items():
            table.writerow([learner, *(f"{marks[q][0]:g}" for q in questions),
                            f"{sum(m[0] for m in marks.values()):g}"])
            (out / "feedback" / f"{learner}.txt").write_text("\n".join(feedback_lines(marks)) + "\n", encoding="utf-8")


def check_setting(args):
    """Refuse, in one line, what cannot be graded safely or at all."""
    if not args.assignment:
        raise Refused("grade: say which assignment: ASSIGNMENT=NN-name (one of assignments/student/*.ipynb)")
    if not args.homes or not Path(args.homes).is_dir():
        raise Refused(f"grade: no homes folder {args.homes!r}: HOMES=... is the folder of the learners' homes")
    if os.geteuid() != 0:
        raise Refused("grade: run it as root: each submission runs as an unprivileged user of its own")
    if not os.access(args.python, os.X_OK):
        raise Refused(f"grade: no Python at {args.python} that the grading user can run (make hub builds it)")
    if Path(args.autograder).exists() and Path(args.autograder).stat().st_mode & 0o077:
        raise Refused(f"grade: {args.autograder} is readable by others; chmod 700 it (it holds the hidden tests)")
    try:
        return pwd.getpwnam(args.user)
    except KeyError:
        raise Refused(f"grade: no user {args.user!r} to run submissions as") from None


def readable_by_others(path):
    """True when any user can read path: every folder above it lets others through and the file lets them read."""
    path = path.resolve()
    passable = all(folder.stat().st_mode & stat.S_IXOTH for folder in path.parents)
    return passable and bool(path.stat().st_mode & stat.S_IROTH)


def grade(args):
    """Grade every submission found; return the seconds each took."""
    user = check_setting(args)
    master = ROOT / "assignments" / f"{args.assignment}.md"
    if master.exists() and readable_by_others(master):
        print(f"grade: warning: {master} holds the hidden tests and any user can read it, the grading user too; "
              f"close the clone's folder (chmod o-rx)", file=sys.stderr)
    questions = load_questions(Path(args.autograder), args.assignment)
    names = needed_names(questions)
    plan = {"names": names, "calls": recorded_calls(questions, names)}
    submissions = find_submissions(Path(args.homes), args.assignment)
    limits = {"memory": args.memory, "cell": args.cell_seconds, "submission": args.submission_seconds,
              "work": tempfile.mkdtemp(prefix="grading-")}
    Path(limits["work"]).chmod(0o711)
    graded, seconds = {}, []
    try:
        for learner, (home, notebook) in submissions.items():
            start = time.perf_counter()
            graded[learner] = run_tests(questions, grade_one(home, notebook, plan, user, args.python, limits))
            seconds.append(time.perf_counter() - start)
            print(f"{learner}: {sum(m[0] for m in graded[learner].values()):g} / "
                  f"{sum(m[1] for m in graded[learner].values()):g} ({seconds[-1]:.1f} s)")
    finally:
        shutil.rmtree(limits["work"], ignore_errors=True)
    write_results(Path(args.out), list(questions), graded)
    if seconds:
        print(f"{len(seconds)} submissions graded, median {statistics.median(seconds):.1f} s each; "
              f"{Path(args.out) / 'grades.csv'} and {Path(args.out) / 'feedback'}/")
    else:
        print(f"no submission of {args.assignment} under {args.homes}")
    return seconds


class Parser(argparse.ArgumentParser):
    """The command line, whose mistakes are one line and exit status 2, like every other refusal."""

    def error(self, message):
        raise Refused(f"grade: {message}")


def parse(argv):
    """The command line's settings, with the defaults make grade relies on."""
    parser = Parser(description="Grade every learner's submission of one assignment.")
    parser.add_argument("--homes", default="")
    parser.add_argument("--assignment", default="")
    parser.add_argument("--out", default=str(ROOT / "grades"))
    parser.add_argument("--autograder", default=str(AUTOGRADER))
    parser.add_argument("--python", default=str(LEARNER_PYTHON))
    parser.add_argument("--user", default="nobody")
    parser.add_argument("--memory", type=int, default=MEMORY)
    parser.add_argument("--cell-seconds", type=int, default=CELL_SECONDS)
    parser.add_argument("--submission-seconds", type=int, default=SUBMISSION_SECONDS)
    return parser.parse_args(argv)


def main(argv):
    """Grade, or say in one line why not (exit status 2)."""
    try:
        grade(parse(argv))
    except Refused as refusal:
        print(refusal, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
