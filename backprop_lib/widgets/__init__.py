"""ipywidgets to play with a network (explorers.py), the backward stepper, the playground, and the browser-side
parts they are drawn with, each with its ES module and CSS beside it (diagram, player, slider, picture)."""
from .explorers import (EPSILONS, SWEEP_RATES, Canvas, Follow, Picker, biases, chain_explorer, describe_wiggle,  # noqa: F401
                        exercise, follow, forward_explorer, training_explorer, wiggle, wiggle_numbers, with_inputs)
from .stepper import backward_stepper  # noqa: F401
from .view import MINUS, View, fmt  # noqa: F401
from ..core.spec import SpecError  # noqa: F401
