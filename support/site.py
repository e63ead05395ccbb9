"""The static site (`make html`) as the tests see it: the notebooks it is made from, the page each one gives, and
its builder (tools/build_site.py)."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
PAGES = [name.replace(".ipynb", ".html") for name in NOTEBOOKS]


def load_builder():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
