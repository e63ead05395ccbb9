"""backprop_lib: the numbers, the chain rule and the pictures of backpropagation on small networks."""
import importlib

from .backward import backward_steps
from .numeric import Network, SweepResult, TrainResult, load, number
from .spec import SpecError, examples

# What `from backprop_lib import *` gives: NumPy alone runs all of it. bp.symbolic, bp.plots and bp.widgets need
# the notebooks extra, so they are reached by name only.
__all__ = ["Network", "SpecError", "SweepResult", "TrainResult", "backward_steps", "check", "check_gradients", "cost",
           "examples", "load", "notes", "number"]

_LAZY = ("symbolic", "plots", "widgets", "cost", "notes")  # SymPy, matplotlib and ipywidgets load only when first used


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in ("check", "check_gradients"):
        return getattr(importlib.import_module(".exercises", __name__), name)
    raise AttributeError(f"module 'backprop_lib' has no attribute '{name}'")
