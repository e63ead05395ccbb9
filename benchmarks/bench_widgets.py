"""How long a slider change takes to reach the picture: set a control, recompute, redraw the PNG.

Goal: 100 ms median. `main()` prints the medians (benchmarks/run.py calls it) and returns them in seconds."""
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import backprop_lib as bp  # noqa: E402
from backprop_lib import widgets  # noqa: E402

GOAL = 0.100  # seconds, median


def median_change_time(control, values):
    """Median seconds for control.value = v (its observers recompute and redraw before this returns)."""
    times = []
    for v in values:
        start = time.perf_counter()
        control.value = v
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(repeats=30):
    net = bp.load("mazur")
    forward = widgets.forward_explorer(net)
    wiggle = widgets.wiggle(net, "w5")
    results = {
        "forward_explorer: weight slider": median_change_time(
            forward.controls["w5"], [0.4 + 0.01 * (k + 1) for k in range(repeats)]),
        "wiggle: epsilon slider": median_change_time(
            wiggle.controls["epsilon"], [10.0 ** (-2 - 0.25 * k) for k in range(repeats)]),
        "wiggle: parameter choice": median_change_time(
            wiggle.controls["param"], [p for _ in range(repeats // 10 or 1) for p in net.params]),
    }
    print(f"widget latency on mazur, median of {repeats} changes (goal {GOAL * 1000:.0f} ms):")
    for what, seconds in results.items():
        verdict = "ok" if seconds <= GOAL else "SLOW"
        print(f"  {what:34s} {seconds * 1000:7.1f} ms  {verdict}")
    return results


if __name__ == "__main__":
    main()
