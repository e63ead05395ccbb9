"""backprop_lib: the numbers, the chain rule and the pictures of backpropagation on small networks."""
import importlib

from .explain.backward import backward_steps
from .explain.network import Network, load
from .core.numeric import SweepResult, TrainResult
from .core.printing import number
from .core.spec import SpecError, examples

# What `from backprop_lib import *` gives: NumPy alone runs all of it. bp.symbolic, bp.plots and bp.widgets need
# the notebooks extra, so they are reached by name only.
__all__ = ["Network", "SpecError", "SweepResult", "TrainResult", "backward_steps", "check", "check_gradients", "check_step", "cost",
           "examples", "load", "notes", "number"]

# SymPy, matplotlib and ipywidgets load only when first used: each part is imported when first named.
_PARTS = {"data": ".data", "symbolic": ".explain.symbolic", "cost": ".explain.cost", "notes": ".explain.notes",
          "plots": ".plots", "widgets": ".widgets"}


def __getattr__(name):
    if name in _PARTS:
        return importlib.import_module(_PARTS[name], __name__)
    if name in ("check", "check_gradients", "check_step"):
        return getattr(importlib.import_module(".explain.exercises", __name__), name)
    raise AttributeError(f"module 'backprop_lib' has no attribute '{name}'")
