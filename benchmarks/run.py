"""make bench: training (gradient descent, softmax cross-entropy, Adam) against a loop written by hand, the
sweep against separate runs, the cost of the import.

Each comparison runs its contenders in turn, repeatedly, and reports the ratio of their medians, so a
busy machine slows both alike. Afterwards every other benchmarks/bench_*.py that defines main() runs.
"""
import importlib.util
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import backprop_lib as bp

HERE = Path(__file__).parent
GOALS = {"train": 1.5, "adam": 1.5, "sweep": 0.15}  # at most this many times the time of the other contender


def mazur_by_hand(steps, lr):
    """The 2-2-2 network trained with b1 and b2 fixed, written out on plain floats as one would by hand."""
    w1, w2, w3, w4, w5, w6, w7, w8, b1, b2 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60
    i1, i2, t1, t2 = 0.05, 0.10, 0.01, 0.99
    exp = math.exp
    losses = []
    for step in range(steps + 1):
        out_h1 = 1 / (1 + exp(-(w1 * i1 + w2 * i2 + b1)))
        out_h2 = 1 / (1 + exp(-(w3 * i1 + w4 * i2 + b1)))
        out_o1 = 1 / (1 + exp(-(w5 * out_h1 + w6 * out_h2 + b2)))
        out_o2 = 1 / (1 + exp(-(w7 * out_h1 + w8 * out_h2 + b2)))
        losses.append(0.5 * (t1 - out_o1) ** 2 + 0.5 * (t2 - out_o2) ** 2)
        if step == steps:
            return losses
        d_o1 = (out_o1 - t1) * out_o1 * (1 - out_o1)
        d_o2 = (out_o2 - t2) * out_o2 * (1 - out_o2)
        d_h1 = (d_o1 * w5 + d_o2 * w7) * out_h1 * (1 - out_h1)
        d_h2 = (d_o1 * w6 + d_o2 * w8) * out_h2 * (1 - out_h2)
        w1, w2, w3, w4 = w1 - lr * d_h1 * i1, w2 - lr * d_h1 * i2, w3 - lr * d_h2 * i1, w4 - lr * d_h2 * i2
        w5, w6 = w5 - lr * d_o1 * out_h1, w6 - lr * d_o1 * out_h2
        w7, w8 = w7 - lr * d_o2 * out_h1, w8 - lr * d_o2 * out_h2


SOFTMAX = {"name": "mazur_softmax", "inputs": ["i1", "i2"], "layers": [
    {"activation": "sigmoid", "neurons": {"h1": {"weights": {"i1": "w1", "i2": "w2"}, "bias": "b1"},
                                          "h2": {"weights": {"i1": "w3", "i2": "w4"}, "bias": "b1"}}},
    {"activation": "identity", "neurons": {"o1": {"weights": {"h1": "w5", "h2": "w6"}, "bias": "b2"},
                                           "o2": {"weights": {"h1": "w7", "h2": "w8"}, "bias": "b2"}}}],
    "params": {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55,
               "b1": 0.35, "b2": 0.60},
    "loss": "softmax_cross_entropy", "data": [{"i1": 0.05, "i2": 0.10, "o1": 0.0, "o2": 1.0}]}


def softmax_by_hand(steps, lr):
    """The 2-2-2 network with logits out and softmax cross-entropy (target o2), b1 and b2 fixed, by hand."""
    w1, w2, w3, w4, w5, w6, w7, w8, b1, b2 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60
    i1, i2, t1, t2 = 0.05, 0.10, 0.0, 1.0
    exp, log = math.exp, math.log
    losses = []
    for step in range(steps + 1):
        out_h1 = 1 / (1 + exp(-(w1 * i1 + w2 * i2 + b1)))
        out_h2 = 1 / (1 + exp(-(w3 * i1 + w4 * i2 + b1)))
        z1 = w5 * out_h1 + w6 * out_h2 + b2
        z2 = w7 * out_h1 + w8 * out_h2 + b2
        top = max(z1, z2)
        e1, e2 = exp(z1 - top), exp(z2 - top)
        total = e1 + e2
        losses.append(top + log(total) - z2)
        if step == steps:
            return losses
        d_o1, d_o2 = e1 / total - t1, e2 / total - t2
        d_h1 = (d_o1 * w5 + d_o2 * w7) * out_h1 * (1 - out_h1)
        d_h2 = (d_o1 * w6 + d_o2 * w8) * out_h2 * (1 - out_h2)
        w1, w2, w3, w4 = w1 - lr * d_h1 * i1, w2 - lr * d_h1 * i2, w3 - lr * d_h2 * i1, w4 - lr * d_h2 * i2
        w5, w6 = w5 - lr * d_o1 * out_h1, w6 - lr * d_o1 * out_h2
        w7, w8 = w7 - lr * d_o2 * out_h1, w8 - lr * d_o2 * out_h2


def mazur_adam_by_hand(steps, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """The same network trained by Adam (torch.optim's rule, with bias correction) on plain floats, by hand."""
    w = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
    b1, b2, i1, i2, t1, t2 = 0.35, 0.60, 0.05, 0.10, 0.01, 0.99
    m, v = [0.0] * 8, [0.0] * 8
    exp, sqrt = math.exp, math.sqrt
    losses = []
    for t in range(1, steps + 2):
        out_h1 = 1 / (1 + exp(-(w[0] * i1 + w[1] * i2 + b1)))
        out_h2 = 1 / (1 + exp(-(w[2] * i1 + w[3] * i2 + b1)))
        out_o1 = 1 / (1 + exp(-(w[4] * out_h1 + w[5] * out_h2 + b2)))
        out_o2 = 1 / (1 + exp(-(w[6] * out_h1 + w[7] * out_h2 + b2)))
        losses.append(0.5 * (t1 - out_o1) ** 2 + 0.5 * (t2 - out_o2) ** 2)
        if t == steps + 1:
            return losses
        d_o1 = (out_o1 - t1) * out_o1 * (1 - out_o1)
        d_o2 = (out_o2 - t2) * out_o2 * (1 - out_o2)
        d_h1 = (d_o1 * w[4] + d_o2 * w[6]) * out_h1 * (1 - out_h1)
        d_h2 = (d_o1 * w[5] + d_o2 * w[7]) * out_h2 * (1 - out_h2)
        grads = (d_h1 * i1, d_h1 * i2, d_h2 * i1, d_h2 * i2, d_o1 * out_h1, d_o1 * out_h2, d_o2 * out_h1, d_o2 * out_h2)
        c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
        for k, g in enumerate(grads):
            m[k] = beta1 * m[k] + (1 - beta1) * g
            v[k] = beta2 * v[k] + (1 - beta2) * g * g
            w[k] -= lr * (m[k] / c1) / (sqrt(v[k] / c2) + eps)


def medians(contenders, repeats):
    """Median seconds of each contender; in every round each runs once, in turn."""
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def verdict(ratio, goal):
    return f"goal <= {goal}: {'ok' if ratio <= goal else 'MISSED'}"


def bench_train(repeats=15):
    net = bp.load("mazur")
    run = lambda: net.train(steps=10_000, lr=0.5, freeze=("b1", "b2"))
    gap = np.max(np.abs(run().losses - mazur_by_hand(10_000, 0.5)))
    t = medians({"train": run, "by hand": lambda: mazur_by_hand(10_000, 0.5)}, repeats)
    ratio = t["train"] / t["by hand"]
    print(f"train mazur, 10,000 steps, b1 and b2 fixed: {t['train'] * 1e3:.1f} ms; loop by hand "
          f"{t['by hand'] * 1e3:.1f} ms; ratio {ratio:.2f} ({verdict(ratio, GOALS['train'])}); "
          f"losses agree to {gap:.1e}")
    return ratio


def bench_train_softmax(repeats=15):
    net = bp.load(SOFTMAX)
    run = lambda: net.train(steps=10_000, lr=0.5, freeze=("b1", "b2"))
    gap = np.max(np.abs(run().losses - softmax_by_hand(10_000, 0.5)))
    t = medians({"train": run, "by hand": lambda: softmax_by_hand(10_000, 0.5)}, repeats)
    ratio = t["train"] / t["by hand"]
    print(f"train mazur with softmax cross-entropy, 10,000 steps, b1 and b2 fixed: {t['train'] * 1e3:.1f} ms; "
          f"loop by hand {t['by hand'] * 1e3:.1f} ms; ratio {ratio:.2f} ({verdict(ratio, GOALS['train'])}); "
          f"losses agree to {gap:.1e}")
    return ratio


def bench_adam(repeats=15):
    net = bp.load("mazur")
    run = lambda: net.train(steps=10_000, lr=0.01, freeze=("b1", "b2"), optimizer="adam")
    gap = np.max(np.abs(run().losses - mazur_adam_by_hand(10_000, 0.01)))
    t = medians({"train": run, "by hand": lambda: mazur_adam_by_hand(10_000, 0.01)}, repeats)
    ratio = t["train"] / t["by hand"]
    print(f"train mazur with adam, 10,000 steps, b1 and b2 fixed: {t['train'] * 1e3:.1f} ms; loop by hand "
          f"{t['by hand'] * 1e3:.1f} ms; ratio {ratio:.2f} ({verdict(ratio, GOALS['adam'])}); "
          f"losses agree to {gap:.1e}")
    return ratio


def bench_sweep(repeats=3):
    net = bp.load("mazur")
    lrs = 0.01 * np.arange(1, 257)
    t = medians({"sweep": lambda: net.sweep(lrs, 10_000),
                 "separate": lambda: [net.train(steps=10_000, lr=lr) for lr in lrs]}, repeats)
    ratio = t["sweep"] / t["separate"]
    print(f"sweep mazur, 256 learning rates x 10,000 steps: {t['sweep']:.2f} s; 256 separate train runs "
          f"{t['separate']:.2f} s; ratio {ratio:.3f} ({verdict(ratio, GOALS['sweep'])})")
    return ratio


IMPORT = "import sys, time; t = time.perf_counter(); import backprop_lib; " \
         "print(time.perf_counter() - t, 'sympy' in sys.modules)"


def bench_import(repeats=5):
    runs = [subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True, check=True,
                           cwd=HERE.parent).stdout.split() for _ in range(repeats)]
    seconds = statistics.median(float(r[0]) for r in runs)
    sympy = any(r[1] == "True" for r in runs)
    print(f"import backprop_lib in a fresh interpreter: {seconds * 1e3:.0f} ms (median of {repeats}); "
          f"sympy loaded: {'yes (it should not be)' if sympy else 'no'}")
    return seconds


def other_benchmarks():
    """Run benchmarks/bench_*.py files that define main(); return how many failed."""
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            if hasattr(module, "main"):
                print(f"\n{path.name}")
                module.main()
        except Exception as err:  # one broken benchmark should not hide the others
            failed += 1
            print(f"{path.name} failed: {type(err).__name__}: {err}")
    return failed


def main():
    bench_train()
    bench_train_softmax()
    bench_adam()
    bench_sweep()
    bench_import()
    return 1 if other_benchmarks() else 0


if __name__ == "__main__":
    sys.exit(main())
