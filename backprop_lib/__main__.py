"""The command line: python -m backprop_lib COMMAND SPEC ... (run with --help for the list)."""
import argparse
import json
import os
import sys

from .explain import network
from .extras import MissingExtra
from .core.spec import SpecError


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line and exits with status 2."""

    def error(self, message):
        raise SpecError(f"{self.prog.split()[-1]}: {message}")


def table(rows, headers):
    """Plain-text table with right-aligned numbers."""
    cells = [[f"{c:.9g}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.rjust(w) if k else c.ljust(w) for k, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def cmd_gradients(args):
    net = network.load(args.spec)
    loss, grads = net.loss(), net.gradients()
    if args.json:
        return json.dumps({"loss": loss, "gradients": grads}, indent=2)
    return f"{net.name}: loss ({net.loss_name}) = {loss:.9g}\n\n" + \
        table([(k, net.params[k], g) for k, g in grads.items()], ["param", "value", "gradient"])


def cmd_train(args):
    net = network.load(args.spec)
    result = net.train(steps=args.steps, lr=args.lr, freeze=args.freeze, optimizer=args.optimizer,
                       batch_size=args.batch_size, seed=args.seed, momentum=args.momentum, betas=args.betas,
                       eps=args.eps)
    if args.json:
        return json.dumps(result.to_json(), indent=2)
    frozen = f", frozen: {', '.join(result.frozen)}" if result.frozen else ""
    batches = "" if result.batch_size == len(net.samples) else f", batches of {result.batch_size} (seed {result.seed})"
    head = (f"{net.name}: {result.steps} steps of {result.optimizer}, learning rate {result.learning_rate:g}"
            f"{batches}{frozen}\n"
            f"loss {result.losses[0]:.9g} -> {result.losses[-1]:.9g}\n")
    params = table([(k, net.params[k], v) for k, v in result.params.items()], ["param", "before", "after"])
    outs = table([(f"{s}", u, net.samples[s][u], v) for s, row in enumerate(result.outputs) for u, v in row.items()],
                 ["sample", "output", "target", "out"])
    return f"{head}\n{params}\n\n{outs}"


def cmd_code(args):
    return network.load(args.spec).code()


def cmd_chain(args):
    chain = network.load(args.spec).chain(args.param)
    return json.dumps(chain.to_json(), indent=2) if args.json else chain.text()


def cmd_walkthrough(args):
    from .explain import walkthrough  # SymPy loads only for the commands that need it
    return walkthrough.walkthrough(network.load(args.spec), lr=args.lr, freeze=args.freeze)


def _float(text):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None


def _betas(text):
    try:
        return tuple(float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers like 0.9,0.999, got '{text}'") from None


def _int(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None


COMMANDS = {}
FREEZE = (("--freeze",), {"type": lambda s: [x for x in s.split(",") if x], "metavar": "NAMES",
                          "help": "parameters kept fixed, e.g. b1,b2 (default: the spec's \"fixed\" list; "
                                  "an empty --freeze= trains every parameter)"})


def command(name, func, help, extra=(), json=True):
    """Register a subcommand taking SPEC; extra is a list of (flags, kwargs) for add_argument; json adds --json."""
    output = [(("--json",), {"action": "store_true", "help": "print JSON"})] if json else []
    COMMANDS[name] = (func, help, [(("spec",), {"help": "an example name or a JSON spec file"}), *extra, *output])


command("gradients", cmd_gradients, "the loss and every parameter's gradient")
command("train", cmd_train, "training by gradient descent, SGD on minibatches, momentum or Adam", [
    (("--steps",), {"type": _int, "required": True, "help": "number of steps"}),
    (("--lr",), {"type": _float, "help": "learning rate (default: the spec's)"}),
    FREEZE,
    (("--optimizer",), {"default": "gd", "help": "gd (default), sgd, momentum or adam"}),
    (("--batch-size",), {"type": _int, "help": "samples per step (default: all; sgd: 1)"}),
    (("--seed",), {"type": _int, "default": 0, "help": "seed of the minibatches' shuffle (default 0)"}),
    (("--momentum",), {"type": _float, "default": 0.9, "help": "momentum's mu (default 0.9)"}),
    (("--betas",), {"type": _betas, "default": (0.9, 0.999), "help": "Adam's beta1,beta2 (default 0.9,0.999)"}),
    (("--eps",), {"type": _float, "default": 1e-8, "help": "Adam's epsilon (default 1e-8)"}),
])
command("code", cmd_code, "the network's forward and backward pass as a standalone Python script", json=False)
command("chain", cmd_chain, "one parameter's gradient as the chain rule: every path, its factors and their values", [
    (("param",), {"help": "a parameter of the spec, e.g. w1"}),
])
command("walkthrough", cmd_walkthrough, "one step of backpropagation worked through, as the notes do it", [
    (("--lr",), {"type": _float, "help": "learning rate (default: the spec's)"}),
    FREEZE,
], json=False)


def parser():
    # Installed as the console script `backprop`, or run as python -m backprop_lib: the same commands.
    prog = "backprop" if os.path.basename(sys.argv[0]) == "backprop" else "python -m backprop_lib"
    p = _Parser(prog=prog, description=__doc__)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (func, help, arguments) in COMMANDS.items():
        s = sub.add_parser(name, help=help, description=help)
        for flags, kwargs in arguments:
            s.add_argument(*flags, **kwargs)
        s.set_defaults(func=func)
    return p


def main(argv=None):
    try:
        args = parser().parse_args(argv)
        print(args.func(args))
    except (SpecError, MissingExtra) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped early (`backprop train mazur | head`): nothing more to say, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
