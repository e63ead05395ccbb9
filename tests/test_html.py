"""The static site (`make html`) read as files: an index and a page per notebook in order, navigation between
them, everything loaded from the site itself, figures' descriptions as alt text, solutions behind a click,
and the same notebooks always giving the same bytes."""
import base64
import filecmp
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from support.site import NOTEBOOKS, PAGES, ROOT, load_builder

pytestmark = [pytest.mark.handout, pytest.mark.npm]
PLACEHOLDER = "No description has been provided for this image"
# A 1x1 PNG, for notebooks made up in a test.
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


@pytest.fixture(scope="module")
def builder():
    return load_builder()


def read(site, name):
    return (site / name).read_text(encoding="utf-8")


class Outline(HTMLParser):
    """What a page is made of: its lang, title, heading levels, links, element ids and scripts' sources."""

    def __init__(self, text):
        super().__init__()
        self.lang, self.title, self.headings, self.links, self.ids, self.sources, self.navs = None, "", [], [], set(), [], []
        self.nav, self.in_title = None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        self.in_title = tag == "title"
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
            if self.nav is not None:
                self.nav.append((attrs.get("rel"), attrs["href"]))
        if tag in ("script", "img", "link") and (attrs.get("src") or attrs.get("href")):
            self.sources.append(attrs.get("src") or attrs.get("href"))
        if tag == "nav":
            self.nav = []

    def handle_endtag(self, tag):
        if tag == "nav":
            self.navs.append(self.nav)
            self.nav = None
        self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def test_notebooks_are_numbered_from_00_without_gaps():
    """Numbers run 00, 01, ... with none left out; the parts of a notebook split in two (06a, 06b) share one."""
    numbers = [int(name[:2]) for name in NOTEBOOKS]
    assert numbers == sorted(numbers) and sorted(set(numbers)) == list(range(len(set(numbers)))), NOTEBOOKS
    assert all(numbers.count(n) <= 2 for n in numbers), NOTEBOOKS


def test_index_links_every_notebook_in_order(site):
    assert Outline(read(site, "index.html")).links == PAGES


def test_every_page_has_lang_a_title_and_headings_that_skip_no_level(site):
    for name in ["index.html"] + PAGES:
        page = Outline(read(site, name))
        assert page.lang == "en", name
        assert page.title.strip(), name
        levels = page.headings
        assert levels and levels[0] == 1, (name, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, levels)


def test_every_page_links_the_previous_and_next_notebook_and_the_contents_at_top_and_bottom(site):
    for k, name in enumerate(PAGES):
        expected = ([("prev", PAGES[k - 1])] if k > 0 else []) + [(None, "index.html")] + \
                   ([("next", PAGES[k + 1])] if k + 1 < len(PAGES) else [])
        assert Outline(read(site, name)).navs == [expected, expected], name


def test_links_between_notebooks_open_their_pages(site):
    for name in PAGES:
        links = Outline(read(site, name)).links
        assert not [href for href in links if ".ipynb" in href], name
    assert "02-loss.html" in Outline(read(site, PAGES[1])).links


def test_every_relative_link_reaches_a_file_and_anchor_of_the_site(site):
    outlines = {name: Outline(read(site, name)) for name in ["index.html"] + PAGES}
    for name, page in outlines.items():
        for href in page.links:
            if re.match(r"[a-z]+:", href):
                continue
            target, _, anchor = href.partition("#")
            target = target or name
            assert (site / target).is_file(), (name, href)
            if anchor:
                assert anchor in outlines[target].ids, (name, href)


def test_pages_load_every_script_style_and_image_from_the_site_itself(site):
    for name in ["index.html"] + PAGES:
        for source in Outline(read(site, name)).sources:
            if source.startswith("data:"):
                continue
            assert not re.match(r"[a-z]+:|//", source), (name, source)
            assert (site / source.split("?")[0]).is_file(), (name, source)


def test_mathjax_comes_with_the_tex_fonts_its_output_uses(site):
    fonts = site / "mathjax" / "fonts" / "HTML-CSS" / "TeX" / "woff"
    assert (fonts / "MathJax_Main-Regular.woff").is_file()
    assert (site / "mathjax" / "jax" / "output" / "CommonHTML" / "fonts" / "TeX" / "fontdata.js").is_file()


def test_a_figures_description_becomes_its_alt_text(builder):
    output = new_output("display_data", {"image/png": PIXEL, "text/plain": "<Figure>"},
                        metadata={"image/png": {"alt": "Loss falls from 0.298 to 3.5e-05"}})
    page = builder.page(new_notebook(cells=[new_code_cell("plot()", outputs=[output])]), "T", {}, set())
    assert 'alt="Loss falls from 0.298 to 3.5e-05"' in page
    assert PLACEHOLDER not in page


def test_no_figure_with_a_description_shows_the_placeholder(site):
    for notebook, name in zip(NOTEBOOKS, PAGES):
        nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
        outputs = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        described = [o for o in outputs if o.get("metadata", {}).get("image/png", {}).get("alt")]
        page = read(site, name)
        assert page.count(PLACEHOLDER) == len(outputs) - len(described), name


def test_a_solution_cell_sits_inside_a_closed_details_element(builder):
    cell = new_code_cell("print('the answer: 42')", outputs=[new_output("stream", name="stdout", text="the answer: 42\n")],
                         metadata={"tags": ["solution"], "jupyter": {"source_hidden": True, "outputs_hidden": True}})
    page = builder.page(new_notebook(cells=[new_code_cell("x = 1"), cell]), "T", {}, set())
    details = re.search(r"<details class=\"solution\">(.*?)</details>", page, re.DOTALL)
    assert details and "the answer: 42" in details.group(1) and "<summary>" in details.group(1)
    assert page.count("the answer: 42") == details.group(1).count("the answer: 42")


def test_two_builds_of_the_same_notebooks_are_byte_identical(builder, site, tmp_path):
    again = builder.build(tmp_path / "site")
    comparison = filecmp.dircmp(site, again)

    def differences(cmp):
        found = cmp.left_only + cmp.right_only + cmp.funny_files
        found += [f for f in cmp.common_files if not filecmp.cmp(Path(cmp.left) / f, Path(cmp.right) / f, shallow=False)]
        return found + [d for sub in cmp.subdirs.values() for d in differences(sub)]

    assert PAGES[0] in comparison.common_files
    assert differences(comparison) == []


def test_a_widget_with_a_tooltip_and_no_description_gets_an_empty_one_for_its_view(builder):
    state = {"m1": {"model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                    "model_name": "ImageModel", "state": {"format": "png", "tooltip": "Loss against step"}}}
    nb = new_notebook(cells=[new_code_cell("image")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json":
                              {"version_major": 2, "version_minor": 0, "state": state}}
    page = builder.page(nb, "T", {}, set())
    stored = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', page, re.DOTALL)
    assert json.loads(stored.group(1))["state"]["m1"]["state"] == {"format": "png", "tooltip": "Loss against step",
                                                                   "description": ""}
