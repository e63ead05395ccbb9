"""Regenerate what is derived from the notebooks: `notebooks` re-executes every notebook in place on a
fresh kernel (outputs stored, run top to bottom); `html` exports them into site/ with an index page."""
import html
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SITE = ROOT / "site"


def notebook_paths(names=()):
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    return [p for p in paths if not names or any(n in p.name for n in names)]


def execute(path):
    """Run one notebook on a fresh python3 kernel with the notebooks folder as working directory."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    if not _has_widgets(nb):
        nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def _has_widgets(nb):
    return bool(nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state"))


def build_notebooks(names):
    for path in notebook_paths(names):
        start = time.perf_counter()
        execute(path)
        print(f"{path.name}: executed in {time.perf_counter() - start:.1f} s")


def build_html(names, site=SITE):
    import jupyter_server_mathjax
    from nbconvert import HTMLExporter
    site.mkdir(parents=True, exist_ok=True)
    # MathJax is copied beside the pages, so equations render with no network.
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", site / "mathjax", dirs_exist_ok=True)
    exporter = HTMLExporter(template_name="lab", mathjax_url="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe")
    links = []
    for path in notebook_paths(names):
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        target = site / path.with_suffix(".html").name
        target.write_text(body, encoding="utf-8")
        title = next((c.source.splitlines()[0].lstrip("# ") for c in nb.cells if c.cell_type == "markdown"), path.stem)
        links.append(f'<li><a href="{target.name}">{html.escape(title)}</a></li>')
        print(target.name)
    index = ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Backpropagation, step by step</title></head>\n"
             "<body><h1>Backpropagation, step by step</h1>\n<p>Read the notebooks in order.</p>\n<ol>\n"
             + "\n".join(links) + "\n</ol></body></html>\n")
    (site / "index.html").write_text(index, encoding="utf-8")
    print(f"index.html: {len(links)} notebooks, in {site}")


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
