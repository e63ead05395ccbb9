"""The static site in a real browser with no network: site/ is served on loopback and every request to anywhere
else is aborted and recorded. Each page is opened once; the tests then check what it asked for and showed:
nothing fetched from elsewhere and nothing missing, equations set in MathJax's own TeX fonts, notebook 01's
sliders at their stored values, every link reaching a page and anchor of the site, and each solution hidden
until its summary is clicked.

Needs Debian's Chromium at /usr/bin/chromium and npm (the build runs `npm ci` in tools/html).
"""
import json
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from support.site import NOTEBOOKS, PAGES, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.npm, pytest.mark.handout]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SLIDERS = "input[type=range], [role=slider]"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

RECORD = """() => ({
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
    maths: document.querySelectorAll('.MathJax_CHTML').length,
    unset: document.querySelectorAll('.MathJax_Preview:not(:empty), .MJXc-processing').length,
    fonts: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')),
    sliders: [...document.querySelectorAll('%s')].map(e =>
        e.matches('input') ? e.valueAsNumber : Number(e.getAttribute('aria-valuetext') ?? e.getAttribute('aria-valuenow'))),
})""" % SLIDERS

MATHS_FONT_LOADED = """() => [...document.fonts].some(f =>
    f.family.replace(/"/g, '') === 'MJXc-TeX-main-Rw' && f.status === 'loaded')"""
WIDGET_OUTPUTS = "div.jupyter-widgets.jp-OutputArea-output"
WIDGETS_DRAWN = f"""() => [...document.querySelectorAll('{WIDGET_OUTPUTS}')]
    .every(d => d.querySelector('.widget-subarea > *'))"""


def visit(browser, url, name, sliders):
    """Open one page with only the site reachable; what it requested and showed (once its widgets, the
    `sliders` its notebook stored among them, and its equations are drawn), then each solution's visibility
    before and after its summary is clicked."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = {"elsewhere": [], "failed": [], "responses": []}

    def only_the_site(route):
        if route.request.url.startswith(url):
            route.continue_()
        else:
            seen["elsewhere"].append(route.request.url)
            route.abort()

    page.route("**/*", only_the_site)
    page.on("requestfailed", lambda request: seen["failed"].append(request.url))
    page.on("response", lambda response: seen["responses"].append((response.url, response.status,
                                                                     response.request.resource_type)))
    try:
        page.goto(url + name, wait_until="load", timeout=60_000)
        try:
            page.wait_for_function(WIDGETS_DRAWN, timeout=30_000)
        except PlaywrightTimeout:
            pass  # recorded below: the widget outputs left empty
        try:  # a widget's own front end (anywidget) draws after its output area is filled
            page.wait_for_function(f"() => document.querySelectorAll('{SLIDERS}').length >= {sliders}", timeout=30_000)
        except PlaywrightTimeout:
            pass  # recorded below: fewer sliders than stored
        page.evaluate("() => new Promise(done => window.MathJax ? MathJax.Hub.Queue(done) : done())")
        if page.locator(".MathJax_CHTML").count():
            try:  # the browser fetches a web font once text set in it is laid out, after typesetting
                page.wait_for_function(MATHS_FONT_LOADED, timeout=30_000)
            except PlaywrightTimeout:
                pass  # recorded below: no MathJax font loaded
        page.wait_for_load_state("networkidle")
        seen.update(page.evaluate(RECORD))
        seen["widget outputs"] = page.locator(WIDGET_OUTPUTS).count()
        seen["widgets drawn"] = page.locator(f"{WIDGET_OUTPUTS} .widget-subarea > *").count()
        seen["widget errors"] = page.locator(".jupyter-widgets-error-widget").count()
        outputs = page.locator("details.solution .jp-OutputArea-output")
        seen["solutions"] = page.locator("details.solution").count()
        seen["before"] = [outputs.nth(k).is_visible() for k in range(outputs.count())]
        for summary in page.locator("details.solution > summary").all():
            summary.click()
        seen["after"] = [outputs.nth(k).is_visible() for k in range(outputs.count())]
        return seen
    finally:
        page.close()


@pytest.fixture(scope="module")
def visits(browser, served_site):
    url, _ = served_site
    sliders = {page: len(stored_slider_values(notebook)) for notebook, page in zip(NOTEBOOKS, PAGES)}
    return {name: visit(browser, url, name, sliders.get(name, 0)) for name in ["index.html"] + PAGES}


def test_no_page_requests_anything_but_the_site(visits):
    assert {name: seen["elsewhere"] for name, seen in visits.items() if seen["elsewhere"]} == {}


def test_every_request_a_page_makes_succeeds(visits):
    failed = {name: seen["failed"] + [r for r in seen["responses"] if r[1] >= 400] for name, seen in visits.items()}
    assert {name: f for name, f in failed.items() if f} == {}


def test_equations_are_set_in_mathjax_tex_fonts_served_by_the_site(visits, served_site):
    url, _ = served_site
    with_maths = {name: seen for name, seen in visits.items() if seen["maths"]}
    assert len(with_maths) >= len(PAGES) // 2
    for name, seen in with_maths.items():
        fonts = [(u, status) for u, status, kind in seen["responses"] if kind == "font" and "MathJax_" in u]
        assert fonts and all(u.startswith(url + "mathjax/fonts/HTML-CSS/TeX/woff/") and status == 200
                             for u, status in fonts), (name, fonts)
        assert "MJXc-TeX-main-Rw" in seen["fonts"], (name, seen["fonts"])  # the web font, not a fallback
        assert seen["unset"] == 0, name


def stored_slider_values(notebook):
    """The values of the sliders a notebook's stored widget state holds: ipywidgets' sliders and any widget
    with a numeric value between a min and a max."""
    widgets = json.loads((ROOT / "notebooks" / notebook).read_text())["metadata"].get("widgets", {})
    state = widgets.get(WIDGET_STATE, {}).get("state", {})
    values = []
    for model in state.values():
        fields = model["state"]
        numeric = isinstance(fields.get("value"), (int, float)) and not isinstance(fields.get("value"), bool)
        if numeric and (model["model_name"].endswith("SliderModel") or {"min", "max"} <= fields.keys()):
            values.append(float(fields["value"]))
    return values


def test_notebook_01_sliders_appear_with_their_stored_values(visits):
    notebook = next(n for n in NOTEBOOKS if n.startswith("01-"))
    expected = sorted(stored_slider_values(notebook))
    shown = sorted(visits[notebook.replace(".ipynb", ".html")]["sliders"])
    assert len(expected) >= 10
    assert shown == pytest.approx(expected, abs=1e-9)


def test_every_link_on_every_page_reaches_a_page_and_anchor_of_the_site(visits, served_site):
    url, folder = served_site
    for name, seen in visits.items():
        for link in seen["links"]:
            target, anchor = urldefrag(link)
            if not target.startswith(url):
                assert urlsplit(target).scheme in ("http", "https", "mailto"), (name, link)
                continue
            path = target[len(url):] or "index.html"
            assert (folder / path).is_file(), (name, link)
            if anchor:
                assert anchor in visits[path]["ids"], (name, link)


def test_no_solution_output_shows_before_its_click_and_each_shows_after(visits):
    solutions = {name: seen for name, seen in visits.items() if seen["solutions"]}
    assert solutions, "no page has a solution"
    for name, seen in solutions.items():
        assert not any(seen["before"]), name
        assert seen["after"] and all(seen["after"]), name


def test_every_widget_output_of_every_notebook_is_drawn(visits):
    for notebook in NOTEBOOKS:
        nb = json.loads((ROOT / "notebooks" / notebook).read_text())
        views = [o for c in nb["cells"] for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
        seen = visits[notebook.replace(".ipynb", ".html")]
        assert seen["widget outputs"] == len(views), notebook
        assert seen["widgets drawn"] == len(views), notebook
        assert seen["widget errors"] == 0, notebook  # the manager's stand-in for a view it could not make
