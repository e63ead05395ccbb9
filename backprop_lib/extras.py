"""Optional parts: the numeric core needs NumPy alone; SymPy, matplotlib and the widgets come with an extra."""
import importlib.util

EXTRA = "notebooks"  # pip install 'backprop_lib[notebooks]'; pyproject.toml lists what it brings


class MissingExtra(ImportError):
    """A part of backprop_lib was used without the extra that installs what it imports."""


def require(part, *modules):
    """Raise one MissingExtra naming the extra to install if any of modules (top-level names) is absent."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingExtra(f"backprop_lib.{part} needs {', '.join(missing)}, which the '{EXTRA}' extra installs: "
                           f"pip install 'backprop_lib[{EXTRA}]'")
