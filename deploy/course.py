"""The settings a course on JupyterHub shares between `make hub` (jupyterhub_config.py) and the Zero to
JupyterHub values (z2jh/config.yaml): where a learner lands, how long an idle server lives, how much memory
one learner's server needs. A test checks that the two agree."""
from urllib.parse import quote, urlencode

NOTEBOOK = "notebooks/00-start-here.ipynb"
PLAYGROUND = "notebooks/12-playground.ipynb"
# Where a learner who signs in without the link lands: their home in JupyterLab (the notebooks arrive with the
# link; on Zero to JupyterHub the learner's own volume covers the image's home, so the link is the way there too).
LANDING = "/lab"
IDLE_SECONDS = 3600          # a learner's server idle this long is stopped; their files stay
CULL_EVERY_SECONDS = 300     # how often the culler looks
# One learner's server with notebook 00 and the playground running, measured with `make bench`
# (benchmarks/bench_hub.py): about 345 MB; the guarantee leaves room. The limit is enforced on `make hub` by a
# memory cgroup per learner (deploy/learners.py): a kernel that allocates past it is killed and restarted by the
# learner's server, and nobody else is touched. Zero to JupyterHub enforces it the same way, per pod.
MEMORY_GUARANTEE = "512M"
MEMORY_LIMIT = "1G"
# On `make hub` each learner is a system user of their own, named as The Littlest JupyterHub names them:
# the prefix plus the sign-in name, which is at most NAME_LENGTH characters (system names stop at 32).
USER_PREFIX = "jupyter-"
NAME_LENGTH = 24


def folder(repo):
    """The folder nbgitpuller clones a repository into: its last path part, without .git."""
    name = repo.rstrip("/").rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".git") else name


def link(hub, repo, branch="main", app="lab", path=None):
    """The link a teacher sends: it clones (or updates) repo into the learner's home on the hub, then opens
    notebook 00 (or the notebook at path, such as an assignment's student notebook) in JupyterLab (app="lab"), or
    the playground in Voila (app="voila")."""
    if not hub.startswith(("http://", "https://")):
        raise ValueError(f"hub address must start with http:// or https://, not {hub!r}")
    if not repo or any(c.isspace() for c in repo):
        raise ValueError(f"repository address must be a URL or path without spaces, not {repo!r}")
    if app not in ("lab", "voila"):
        raise ValueError(f"app must be 'lab' or 'voila', not {app!r}")
    if path is not None and (not path.endswith(".ipynb") or path.startswith("/") or ".." in path.split("/")):
        raise ValueError(f"notebook must be a .ipynb path inside the repository, not {path!r}")
    target = f"{folder(repo)}/{path or (NOTEBOOK if app == 'lab' else PLAYGROUND)}"
    urlpath = f"lab/tree/{target}" if app == "lab" else f"voila/render/{target}"
    query = urlencode({"repo": repo, "branch": branch, "urlpath": urlpath}, quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
