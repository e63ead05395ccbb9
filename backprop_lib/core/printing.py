"""How a number is printed: as the notes print it (number), and as readouts, diagrams and steps show it (shown:
with the typographic minus, and in words when it is not finite)."""
import math

MINUS = "\u2212"  # the typographic minus that readouts and figures print


def number(x):
    """A number as the notes print it: rounded to 9 decimal places, trailing zeros dropped.

    Below 1e-4 that would keep too few digits, so those get 9 significant digits instead.
    """
    if x != 0 and abs(x) < 1e-4 or not math.isfinite(x):
        return f"{x:.9g}"
    return f"{x:.9f}".rstrip("0").rstrip(".")


def typeset(x, digits=None):
    """A number as the readouts show it: as the notes print it, or to `digits` significant figures, with a
    typographic minus; words when it overflowed."""
    if not math.isfinite(x):
        return "overflow (not finite)"
    return (number(x) if digits is None else f"{x:.{digits}g}").replace("-", MINUS)
