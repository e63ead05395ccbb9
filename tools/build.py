"""Regenerate what is derived from the notebook sources: `notebooks` turns each changed notebooks/NN-name.md
(MyST markdown) into its .ipynb and executes it on a fresh kernel, outputs stored; `html` exports them into site/."""
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs
from nbclient import NotebookClient

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SITE = ROOT / "site"


def notebook_paths(names=(), suffix=".ipynb"):
    paths = sorted(NOTEBOOKS.glob(f"[0-9][0-9]-*{suffix}"))
    return [p for p in paths if not names or any(n in p.name for n in names)]


def cell_key(cell):
    """What the source decides about a cell: its type, its text and its tags and collapsed state."""
    meta = cell.get("metadata", {})
    return (cell.cell_type, cell.source.strip(), tuple(meta.get("tags", [])), meta.get("jupyter", {}))


def from_source(md):
    """The notebook a .md source describes, carrying over the ids (and outputs) of the stored .ipynb where
    its cells match, so that a rebuild changes only what the source changed. New cells get ids derived
    from their position and text, so two builds of the same source are identical."""
    nb = jupytext.read(md)
    stored = md.with_suffix(".ipynb")
    if stored.exists():
        nb = combine_inputs_with_outputs(nb, nbformat.read(stored, as_version=4), fmt="md:myst")
    nb.nbformat, nb.nbformat_minor = 4, 5
    taken = set()
    for k, cell in enumerate(nb.cells):
        if not cell.get("id") or cell.id in taken:
            cell.id = hashlib.sha1(f"{k}:{cell.source}".encode()).hexdigest()[:8]
        taken.add(cell.id)
        if cell.cell_type == "markdown":
            cell.pop("outputs", None), cell.pop("execution_count", None)
    return nb


def changed(md):
    """True when the .ipynb is missing or differs from its .md source in any cell's type, text or tags."""
    stored = md.with_suffix(".ipynb")
    if not stored.exists():
        return True
    source, built = jupytext.read(md), nbformat.read(stored, as_version=4)
    return [cell_key(c) for c in source.cells] != [cell_key(c) for c in built.cells]


def execute(nb, path):
    """Run a notebook on a fresh python3 kernel with the notebooks folder as working directory; store it at path."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            # JupyterLab marks a cell whose output is hidden as collapsed, and names the kernel as below:
            # stored that way, a notebook opened in JupyterLab is not marked modified before it is touched.
            if cell.metadata.get("jupyter", {}).get("outputs_hidden"):
                cell.metadata["collapsed"] = True
    nb.metadata["kernelspec"] = KERNELSPEC
    client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _joined_streams(cell.outputs)
    if not _has_widgets(nb):
        nb.metadata.pop("widgets", None)
    path.write_text(_stable_widget_ids(nbformat.writes(nb), path.name) + "\n", encoding="utf-8")


def _joined_streams(outputs):
    """Consecutive printed text on the same stream as one output: a busy kernel may send one print in two
    messages, and the stored notebook should not depend on that (a lone newline is an output nobody sees)."""
    joined = []
    for output in outputs:
        last = joined[-1] if joined else None
        if output.output_type == "stream" and last and last.output_type == "stream" and last.name == output.name:
            last.text += output.text
        else:
            joined.append(output)
    return joined


def _stable_widget_ids(text, name):
    """Widget model ids are random uuids; rename them to ids derived from the notebook's name and the order
    in which the outputs reach them, so that rebuilding an unchanged notebook gives the same file."""
    nb = json.loads(text)
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order = []

    def visit(model):
        if model in state and model not in order:
            order.append(model)
            walk(state[model]["state"])

    def walk(value):
        if isinstance(value, str) and value.startswith("IPY_MODEL_"):
            visit(value[len("IPY_MODEL_"):])
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key in sorted(value):
                walk(value[key])

    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                visit(view["model_id"])
    rest = sorted((m for m in state if m not in order), key=lambda m: re.sub("[0-9a-f]{32}", "", json.dumps(state[m], sort_keys=True)))
    for k, old in enumerate(order + rest):
        text = text.replace(old, hashlib.sha1(f"{name}:{k}".encode()).hexdigest()[:32])
    return nbformat.writes(nbformat.reads(text, as_version=4))  # sorted again by the new ids


def _has_widgets(nb):
    return bool(nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state"))


def build_notebooks(names):
    """Every .md source whose .ipynb is missing or out of step (or each one named) becomes its .ipynb,
    executed top to bottom on a fresh kernel."""
    for md in notebook_paths(names, ".md"):
        if not names and not changed(md):
            print(f"{md.with_suffix('.ipynb').name}: up to date")
            continue
        start = time.perf_counter()
        execute(from_source(md), md.with_suffix(".ipynb"))
        print(f"{md.with_suffix('.ipynb').name}: built from {md.name} and executed in {time.perf_counter() - start:.1f} s")


def build_html(names=(), site=SITE):
    """The static site; tools/build_site.py builds it (every notebook, whatever the names)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import build_site
    return build_site.build(site)


def main(argv):
    if not argv or argv[0] not in ("notebooks", "html"):
        print("usage: python tools/build.py notebooks|html [NAME-FRAGMENT ...]", file=sys.stderr)
        return 2
    # A throwaway home so that executing notebooks writes nothing into the user's own.
    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home
        os.environ["PYTHONHASHSEED"] = "0"
        {"notebooks": build_notebooks, "html": build_html}[argv[0]](argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
