"""make bench, grading: seconds per submission when make grade grades a class's assignment 2 (each submission as
an unprivileged user, in its own memory group, each cell bounded in time), and the once-per-run cost of loading
otter and the tests. Half the class hands in the master's answers, half the classic slips."""
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the support package the tests share
from support.grading import PREFIX, class_folder, grade, grading_missing, learner, solution_cells  # noqa: E402

ASSIGNMENT = "02-gradients-by-hand"
LEARNERS = 10


def slipped(right):
    """The right answers with two classic slips: o1's slope left out, and b1's use by h1 overwritten."""
    return [cell.replace(" * out_o1 * (1 - out_o1)", "").replace("delta_h1 + delta_h2", "delta_h2") for cell in right]


def main():
    problem = grading_missing()
    if problem:
        print(f"grading: not measured: {problem}")
        return
    with class_folder() as course:
        right = solution_cells(course, ASSIGNMENT)
        for n in range(LEARNERS):
            learner(course, f"bench{n}", ASSIGNMENT, right if n % 2 == 0 else slipped(right))
        with tempfile.TemporaryDirectory(prefix="backprop-bench-grades-") as out:
            start = time.perf_counter()
            said = grade(course, ASSIGNMENT, Path(out))
            total = time.perf_counter() - start
    seconds = [float(line.rsplit("(", 1)[1].split(" s)")[0]) for line in said.splitlines() if line.startswith(PREFIX)]
    print(f"grading {ASSIGNMENT}, {len(seconds)} submissions: median {statistics.median(seconds):.1f} s each "
          f"({min(seconds):.1f}-{max(seconds):.1f} s); the run {total:.1f} s, of which "
          f"{total - sum(seconds):.1f} s once to load otter and the tests")


if __name__ == "__main__":
    main()
