"""Print the links a teacher sends to a class: python deploy/link.py HUB_ADDRESS REPOSITORY [BRANCH]
[--notebook=PATH]; with --notebook, the one link that opens that notebook (an assignment, for instance)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import link  # noqa: E402


def main(argv):
    notebooks = [a.removeprefix("--notebook=") for a in argv if a.startswith("--notebook=")]
    argv = [a for a in argv if not a.startswith("--notebook=")]
    if len(argv) not in (2, 3) or len(notebooks) > 1:
        print("usage: python deploy/link.py HUB_ADDRESS REPOSITORY [BRANCH] [--notebook=PATH]", file=sys.stderr)
        return 2
    hub, repo, branch = (*argv, "main")[:3]
    try:
        if notebooks:
            print(f"{notebooks[0]} in JupyterLab: {link(hub, repo, branch, 'lab', notebooks[0])}")
            return 0
        print(f"notebook 00 in JupyterLab: {link(hub, repo, branch, 'lab')}")
        print(f"the playground in Voila:   {link(hub, repo, branch, 'voila')}")
    except ValueError as error:
        print(f"link: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
