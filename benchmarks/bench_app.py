"""`make app` as learners feel it: seconds from opening the address to working widgets (the E_total readout shown,
in Debian's Chromium) for one learner alone and for 8 opening at the same moment, what the first screen weighs
(bytes a browser receives), and the memory each kernel holds.

Goals: 3 s for one learner, 10 s for each of 8. The browsers run on this machine too, so 8 learners here share its
cores with 8 browsers, which a real room does not. `main()` prints the figures and returns them."""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the support package the tests share
from support import voila_app  # noqa: E402
from support.chromium import CHROMIUM  # noqa: E402

GOALS = {1: 3.0, 8: 10.0}  # seconds to working widgets, for the slowest learner of the group
SINGLES = 3  # one learner at a time, this many times (the median is reported)
MiB = 2 ** 20


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print(f"skipped: no browser at {CHROMIUM}")
        return {}
    pool = SINGLES + max(GOALS)
    started = time.monotonic()
    # No refills during the run: every learner takes a kernel that waited in the pool, as in a prepared room.
    with voila_app.running_app(pool, extra=["--VoilaKernelManager.fill_delay=3600"]) as app:
        ready = time.monotonic() - started
        memory = voila_app.kernel_memory(app.proc)
        weight = voila_app.first_screen_weight(app.url)
        single = statistics.median(voila_app.room(app.url, 1)[0][0] for _ in range(SINGLES))
        with voila_app.CpuSeconds(app) as cpu:
            group = [seconds for seconds, _ in voila_app.room(app.url, max(GOALS))]
    rss = statistics.median(r for r, _ in memory) / MiB
    uss = statistics.median(u for _, u in memory) / MiB
    total = voila_app.total_memory() / MiB
    kernels = int((total - 2048) // uss)  # 2 GiB kept for the server and the system
    verdict = lambda seconds, goal: "ok" if seconds <= goal else "MISSED"
    print(f"app: a pool of {pool} kernels ready {ready:.0f} s after start")
    print(f"  first screen: {weight[0] / 1000:.0f} kB over HTTP in {weight[1]} requests, then {weight[2] / 1000:.0f} kB "
          f"of the kernel's messages")
    print(f"  1 learner, time to working widgets: {single:.1f} s (median of {SINGLES}; goal <= {GOALS[1]:.0f} s: "
          f"{verdict(single, GOALS[1])})")
    print(f"  8 learners at once: slowest {max(group):.1f} s, median {statistics.median(group):.1f} s "
          f"(goal <= {GOALS[8]:.0f} s each: {verdict(max(group), GOALS[8])})")
    per = {what: seconds / max(GOALS) for what, seconds in
           (("browser", cpu.browser), ("server", cpu.server_cpu), ("kernel", cpu.kernel_cpu))}
    print(f"  CPU-seconds per learner of the 8: {per['browser']:.2f} in the browser, {per['server']:.2f} in the server, "
          f"{per['kernel']:.2f} in their kernel")
    print(f"  memory per kernel: {uss:.0f} MiB of its own (USS), {rss:.0f} MiB resident with shared libraries (RSS)")
    print(f"  this machine ({total / 1024:.0f} GiB) holds about {kernels} kernels: make app LEARNERS={kernels // 2} "
          f"at most, as each learner's kernel is replaced by a new one in the pool")
    return {"ready": ready, "weight": weight, "single": single, "group": group, "cpu_per_learner": per, "uss_mib": uss, "rss_mib": rss,
            "kernels": kernels}


if __name__ == "__main__":
    main()
