"""hub_course.py (and through it benchmarks/bench_hub.py), which are being changed elsewhere, still import this
module by name; the helpers they take live in support/pages.py, where the other tests and benchmarks find them."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the support package, also outside pytest
from support.pages import CHROMIUM, free_port  # noqa: E402,F401
