"""What the browser tests and benchmarks share about pages: the numbers a page should show, computed here with a
plain loop and written as the readouts write them, and how a test drives JupyterLab (a notebook copied fresh, Run
All Cells, the news prompt answered)."""
import json
import math
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINUS = "\u2212"


def example_values(example="mazur", **changed):
    """Every unit's net and out of a built-in sigmoid example (mazur or lecture) for its first sample, by a plain
    loop over the example's JSON: {unit: (net, out)}."""
    spec = json.loads((ROOT / "backprop_lib" / "core" / "examples" / f"{example}.json").read_text())
    p = {**spec["params"], **changed}
    values, nets = dict(spec["data"][0]), {}
    for layer in spec["layers"]:
        for unit, body in layer["neurons"].items():
            nets[unit] = sum(p[w] * values[src] for src, w in body["weights"].items()) + p[body["bias"]]
            values[unit] = 1 / (1 + math.exp(-nets[unit]))
    return {u: (nets[u], values[u]) for u in nets}


def example_loss(example="mazur", **changed):
    """½ Σ (target − out)² of a built-in sigmoid example for its first sample."""
    spec = json.loads((ROOT / "backprop_lib" / "core" / "examples" / f"{example}.json").read_text())
    values = example_values(example, **changed)
    return sum(0.5 * (spec["data"][0][u] - values[u][1]) ** 2 for u in spec["layers"][-1]["neurons"])


def shown(x):
    """A number as the readouts print it: 9 decimal places, trailing zeros dropped, a typographic minus."""
    return f"{x:.9f}".rstrip("0").rstrip(".").replace("-", MINUS)


STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'  # JupyterLab 4 shows tracebacks so
ERRORS = f'{STDERR}, [data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-child.jp-mod-error'  # or so


def fresh_copy(source, work):
    """Copy a notebook into work with no outputs, counts or saved widget state, its solutions unfolded: all that
    shows afterwards comes from this run, and every code cell has a visible prompt. Returns (code cells, widget
    views the saved run displayed)."""
    nb = json.loads(source.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    views = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in code for o in c["outputs"])
    for cell in code:
        cell.update(outputs=[], execution_count=None)
        cell["metadata"].pop("jupyter", None)
    nb["metadata"].pop("widgets", None)
    (work / source.name).write_text(json.dumps(nb, indent=1))
    return len(code), views


def run_all_and_wait(page, code_cells, timeout=120):
    """Run All Cells from the Run menu; wait until the last code cell shows [code_cells]: and the notebook is idle,
    or until a traceback shows (Run All stops there, so the last prompt would never come)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    last = page.locator(".jp-Notebook .jp-CodeCell").last.locator(".jp-InputArea-prompt")
    idle = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    tracebacks = page.locator(STDERR).filter(has_text=re.compile("Traceback|Error"))
    deadline, done = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        if tracebacks.count():
            return
        shown_count = last.text_content() if last.count() else ""
        done = done + 1 if shown_count.strip() == f"[{code_cells}]:" and idle.count() else 0
        if done >= 2:
            return
        page.wait_for_timeout(250)
    raise TimeoutError(f"the last code cell shows {last.text_content()!r}, not [{code_cells}]:, after {timeout} s")


def dismiss_news(page):
    """JupyterLab may ask once whether to fetch news; answer no if it does."""
    button = page.locator(".jp-toast-button", has_text=re.compile(r"^No$"))
    if button.count():
        button.first.click()
