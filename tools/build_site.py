"""Export the executed notebooks into a static site (`make html`, into site/): one page per notebook with
previous / next / contents links, an index, and everything the pages load copied beside them (require.js,
the widget manager, anywidget, MathJax and its fonts from the npm packages pinned in tools/html/; JupyterLab's
stylesheets from nbconvert), so the site works with no network and the same notebooks give the same files."""
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from jupyter_core.paths import jupyter_path
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SITE = ROOT / "site"
TOOLS = ROOT / "tools" / "html"
PACKAGES = TOOLS / "node_modules"
TITLE = "Backpropagation, step by step"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# What the pages load, as (package folder, files or folders inside it, where it goes in the site).
# MathJax renders with its CommonHTML output, whose only fonts are the TeX web fonts.
ASSETS = [
    ("requirejs", ["require.js"], "lib"),
    ("@jupyter-widgets/html-manager/dist", ["embed-amd.js", "embed.js.LICENSE.txt", "*.woff2", "*.woff", "*.ttf",
                                            "*.eot", "*.svg"], "lib/html-manager"),
    ("anywidget", ["dist/index.js", "LICENSE"], "lib/anywidget"),
    ("mathjax", ["MathJax.js", "LICENSE", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions",
                 "jax/input", "jax/element", "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff"], "mathjax"),
]
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


def notebook_paths():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def install_packages():
    """`npm ci` from the lock file, unless node_modules already matches it."""
    installed = PACKAGES / ".package-lock.json"
    lock = TOOLS / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    if not shutil.which("npm"):
        sys.exit("make html needs npm (Node.js) to install the JavaScript in tools/html/package-lock.json")
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=TOOLS, check=True)


def lab_styles():
    """The folder of the stylesheets nbconvert's lab template uses (JupyterLab's, and its light theme)."""
    return next(Path(p) for p in jupyter_path("nbconvert", "templates", "lab", "static") if Path(p).is_dir())


def copy_assets(site):
    """Copy ASSETS and JupyterLab's stylesheets into the site, replacing what an earlier build left there."""
    for target in sorted({target.split("/")[0] for _, _, target in ASSETS}):
        shutil.rmtree(site / target, ignore_errors=True)
    (site / "lib" / "jupyterlab").mkdir(parents=True)
    for name in ("index.css", "theme-light.css"):
        shutil.copyfile(lab_styles() / name, site / "lib" / "jupyterlab" / name)
    for package, patterns, target in ASSETS:
        source = PACKAGES / package
        for pattern in patterns:
            for path in sorted(source.glob(pattern)):
                destination = site / target / path.relative_to(source)
                if path.is_dir():
                    shutil.copytree(path, destination, dirs_exist_ok=True)
                else:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, destination)


def title_of(nb, path):
    """The notebook's first heading, without its #s."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return path.stem


def exporter():
    return HTMLExporter(template_name="page", extra_template_basedirs=[str(TOOLS)], mathjax_url=MATHJAX_URL,
                        require_js_url="lib/require.js", widget_renderer_url="lib/html-manager/embed-amd.js")


def stable_ids(page):
    """The exporter gives each widget and script output a random uuid4 id; number them in page order instead."""
    ids = dict.fromkeys(re.findall(r'id="([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"', page))
    for k, old in enumerate(ids, 1):
        page = page.replace(old, f"output-{k}")
    return page


def html_links(page, pages):
    """Links to another notebook (`NN-name.ipynb`, perhaps with an anchor) open its page on the site."""
    def rewrite(match):
        name = match.group(2) + ".html"
        return match.group(1) + name + (match.group(3) or "") + '"' if name in pages else match.group(0)
    return re.sub(r'(href=")([0-9][0-9]-[^"/#:]+)\.ipynb(#[^"]*)?"', rewrite, page)


def index_page(entries):
    items = "\n".join(f'<li><a href="{href}">{html.escape(title)}</a></li>' for href, title in entries)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f'<title>{TITLE}</title>\n<link rel="icon" href="data:,">\n'
            "<style>body { font-family: system-ui, sans-serif; max-width: 40em; margin: 2em auto; "
            "padding: 0 1em; line-height: 1.5; color: #1a1a1a; }</style>\n</head>\n"
            f"<body>\n<main>\n<h1>{TITLE}</h1>\n<p>Read the notebooks in order.</p>\n<ol>\n{items}\n</ol>\n"
            "</main>\n</body>\n</html>\n")


def drawable(nb):
    """ipywidgets' front end (base 6) reads a widget's description whenever it has a tooltip, so a model with a
    tooltip and no description (an Image) fails to draw at all; give such models an empty description."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model in state.values():
        if model["state"].get("tooltip") and "description" not in model["state"]:
            model["state"]["description"] = ""


def page(nb, title, nav, pages, export=None):
    """One notebook's page: `nav` holds the previous and next (href, title) or None; `pages` the site's pages."""
    nb = nbformat.from_dict(nb)
    nb.metadata["title"] = f"{title} · {TITLE}"
    drawable(nb)
    nav = {key: value and {"href": value[0], "title": value[1]} for key, value in nav.items()}
    body, _ = (export or exporter()).from_notebook_node(nb, resources={"site_nav": nav})
    return html_links(stable_ids(body), pages)


def build(site=SITE):
    """Write the site into `site`: a page per notebook, the index and the assets."""
    install_packages()
    site.mkdir(parents=True, exist_ok=True)
    for old in site.glob("[0-9][0-9]-*.html"):  # pages of notebooks since renamed or removed
        old.unlink()
    copy_assets(site)
    paths = notebook_paths()
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    entries = [(path.with_suffix(".html").name, title_of(nb, path)) for path, nb in zip(paths, notebooks)]
    pages = {href for href, _ in entries}
    export = exporter()
    for k, nb in enumerate(notebooks):
        nav = {"previous": entries[k - 1] if k > 0 else None, "next": entries[k + 1] if k + 1 < len(entries) else None}
        (site / entries[k][0]).write_text(page(nb, entries[k][1], nav, pages, export), encoding="utf-8")
        print(entries[k][0])
    (site / "index.html").write_text(index_page(entries), encoding="utf-8")
    print(f"index.html: {len(entries)} notebooks, in {site}")
    return site


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SITE)
