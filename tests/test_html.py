"""The static site (`make html`): an index that links every notebook in order, and pages whose equations MathJax renders."""
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def load_build():
    spec = importlib.util.spec_from_file_location("build", ROOT / "tools" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site exported into a temporary folder."""
    site = tmp_path_factory.mktemp("export") / "site"
    load_build().build_html([], site=site)
    return site


def links(index_html):
    return re.findall(r'<a href="([^"]+)"', index_html)


def test_notebooks_are_numbered_from_00_without_gaps():
    numbers = [int(name[:2]) for name in NOTEBOOKS]
    assert numbers == list(range(len(numbers))), NOTEBOOKS


def test_index_links_every_notebook_in_order(site):
    expected = [name.replace(".ipynb", ".html") for name in NOTEBOOKS]
    assert links((site / "index.html").read_text(encoding="utf-8")) == expected


def test_every_linked_page_exists_and_is_not_empty(site):
    for target in links((site / "index.html").read_text(encoding="utf-8")):
        assert (site / target).stat().st_size > 1000, target


def test_pages_with_equations_load_mathjax_and_keep_the_latex(site):
    with_maths = 0
    for page in site.glob("[0-9][0-9]-*.html"):
        text = page.read_text(encoding="utf-8")
        if "\\frac" in text or "\\partial" in text:
            with_maths += 1
            assert re.search(r"<script[^>]+mathjax", text, re.IGNORECASE), f"{page.name}: no MathJax script"
    assert with_maths > 0


def test_mathjax_is_served_from_the_site_itself(site):
    """Equations render without a network: every page loads the MathJax copied beside it."""
    assert (site / "mathjax" / "MathJax.js").is_file()
    for page in site.glob("[0-9][0-9]-*.html"):
        sources = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', page.read_text(encoding="utf-8"), re.IGNORECASE)
        assert sources and all(src.startswith("mathjax/MathJax.js") for src in sources), page.name
