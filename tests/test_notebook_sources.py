"""Each notebook's source is notebooks/NN-name.md (MyST, paired by jupytext); its .ipynb must say the same."""
import json
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.md"))


def cell_view(cell):
    meta = cell.get("metadata", {})
    return {"type": cell.cell_type, "source": cell.source.strip(), "tags": meta.get("tags", []),
            "collapsed": meta.get("jupyter", {})}


def first_difference(source, built):
    """A sentence naming the first cell in which the two notebooks differ, or None."""
    a, b = [cell_view(c) for c in source.cells], [cell_view(c) for c in built.cells]
    for k, (x, y) in enumerate(zip(a, b)):
        for field in x:
            if x[field] != y[field]:
                return f"cell {k} differs in its {field}: {json.dumps(x[field])[:120]} vs {json.dumps(y[field])[:120]}"
    if len(a) != len(b):
        return f"the .md has {len(a)} cells, the .ipynb {len(b)}"
    return None


def test_every_ipynb_has_its_md_source():
    built = {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")}
    assert built == {p.stem for p in SOURCES}


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.stem)
def test_ipynb_agrees_with_its_source_in_every_cell(md):
    difference = first_difference(jupytext.read(md), nbformat.read(md.with_suffix(".ipynb"), as_version=4))
    assert difference is None, f"{md.name} and its .ipynb disagree ({difference}); run make notebooks ONLY={md.name[:2]}"


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.stem)
def test_source_is_paired_and_written_as_jupytext_writes_it(md):
    """Saving in JupyterLab rewrites the .md through jupytext: a source already in that form is not reformatted."""
    nb = jupytext.read(md)
    assert nb.metadata["jupytext"]["formats"] == "ipynb,md:myst"
    assert jupytext.writes(nb, fmt="md:myst") == md.read_text(encoding="utf-8")


def test_the_drift_check_names_the_first_differing_cell():
    source = jupytext.reads("# Title\n\n```{code-cell} ipython3\nx = 1\n```\n", fmt="md:myst")
    built = jupytext.reads("# Title\n\n```{code-cell} ipython3\nx = 2\n```\n", fmt="md:myst")
    assert first_difference(source, built).startswith("cell 1 differs in its source")
    assert first_difference(source, source) is None
