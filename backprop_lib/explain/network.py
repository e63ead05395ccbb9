"""The Network learners use: the numeric core's, plus the views the explanations give of it (the chain rule, the
equations, the backward steps), each loaded when first asked for, so that NumPy alone runs the rest."""
from ..core import numeric
from ..core import spec as specs


class Network(numeric.Network):
    """A network spec with its parameter values (see numeric.Network), and its explanations."""

    def chain(self, param):
        """d loss / d param as a sum of paths, each a product of chain-rule factors (see backprop_lib.symbolic)."""
        from . import symbolic  # SymPy loads here, when first used
        return symbolic.chain(self, param)

    def expressions(self):
        """The network's equations in the notes' notation: every net and out, each output's error, the loss."""
        from . import symbolic
        return symbolic.expressions(self)

    def backward_steps(self):
        """The backward pass one quantity per step, in the order backpropagation computes it (backprop_lib.backward)."""
        from . import backward
        return backward.backward_steps(self)


def load(source):
    """A Network from an example name ('mazur'), a JSON file path, or a spec dict."""
    return Network(specs.read(source))
