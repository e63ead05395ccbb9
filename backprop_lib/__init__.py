"""backprop_lib: the numbers, the chain rule and the pictures of backpropagation on small networks."""
from .numeric import Network, SweepResult, TrainResult, load
from .spec import SpecError, examples

__all__ = ["Network", "SpecError", "SweepResult", "TrainResult", "examples", "load"]
