"""backprop_lib: the numbers, the chain rule and the pictures of backpropagation on small networks."""
import importlib

from .numeric import Network, SweepResult, TrainResult, load, number
from .spec import SpecError, examples

__all__ = ["Network", "SpecError", "SweepResult", "TrainResult", "check", "examples", "load", "number",
           "plots", "symbolic", "widgets"]

_LAZY = ("symbolic", "plots", "widgets")  # SymPy, matplotlib and ipywidgets load only when first used


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name == "check":
        return importlib.import_module(".exercises", __name__).check
    raise AttributeError(f"module 'backprop_lib' has no attribute '{name}'")
