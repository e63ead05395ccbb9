"""Print the links a teacher sends to a class: python deploy/link.py HUB_ADDRESS REPOSITORY [BRANCH]"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import link  # noqa: E402


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: python deploy/link.py HUB_ADDRESS REPOSITORY [BRANCH]", file=sys.stderr)
        return 2
    hub, repo, branch = (*argv, "main")[:3]
    try:
        print(f"notebook 00 in JupyterLab: {link(hub, repo, branch, 'lab')}")
        print(f"the playground in Voila:   {link(hub, repo, branch, 'voila')}")
    except ValueError as error:
        print(f"link: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
