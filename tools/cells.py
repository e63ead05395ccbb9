"""Cell helpers shared by the scripts that write notebook sources (outputs come from tools/build.py)."""
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat import v4

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def md(text):
    return v4.new_markdown_cell(dedent(text).strip("\n").strip())


def code(text, hidden=False):
    """A code cell; a hidden one (a solution) starts collapsed, one click away from the question."""
    cell = v4.new_code_cell(dedent(text).strip())
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        cell.metadata["tags"] = ["solution"]
    return cell


def notebook(cells):
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write(builders, names):
    """Write each notebook {filename: function returning cells} whose name contains one of `names`
    (all when none are given); a notebook whose cells are unchanged keeps its stored outputs."""
    for filename, cells in builders.items():
        if names and not any(n in filename for n in names):
            continue
        path, new = NOTEBOOKS / filename, notebook(cells())
        if path.exists() and _sources(nbformat.read(path, as_version=4)) == _sources(new):
            print(f"{filename}: unchanged")
            continue
        nbformat.write(new, path)
        print(f"{filename}: written (run tools/build.py notebooks to store outputs)")


def _sources(nb):
    return [(c.cell_type, c.source, c.metadata) for c in nb.cells]
