"""JupyterHub for a class on this machine, as `make hub` starts it (read by `jupyterhub -f`).

Set by the environment (the Makefile passes them): HUB_PASSWORD, the class's shared password (required);
PORT (default 8000) on HUB_IP (default 127.0.0.1); HOMES, the folder that holds one home per learner (default
/home); HUB_STATE, the folder for the hub's database, cookie secret and pid files, readable by the hub alone;
LEARNER_ENV, the Python environment the learners' servers run in (`make hub` builds it from Debian's Python);
IDLE, seconds before an idle learner's server is stopped; HUB_API_TOKEN, optional, a token for a teacher's
scripts (list and stop servers); HUB_USER_PREFIX, optional, the prefix of the learners' system users.

The hub runs as root so that it can make one unprivileged system user per learner (deploy/learners.py): each
learner's server and kernels run as that user, in a home of mode 0700, under a memory limit of their own.

The dummy authenticator lets anyone in who knows the class password: it is for trying the course out.
A university puts its own sign-in in front (OAuthenticator for GitHub, Google or a campus OAuth/OIDC
service, LTIAuthenticator for an LMS, or the PAM/LDAP authenticators) and, on several machines, runs
Zero to JupyterHub with deploy/z2jh/config.yaml.
"""
import os
import stat
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402
import learners  # noqa: E402


def reachable(path):
    """True when every folder from / down to path lets other users through (a learner must reach it)."""
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in [path, *path.parents])


c = get_config()  # noqa: F821 (defined by traitlets when it reads this file)
env = os.environ
password = env.get("HUB_PASSWORD", "")
if len(password) < 8:
    sys.exit("make hub: set HUB_PASSWORD to the class password, 8 characters or more")
if os.geteuid() != 0:
    sys.exit("make hub: run it as root (sudo make hub ...): it makes one system user per learner, "
             "so that no learner can read another's work or the hub's secrets")
idle = int(env.get("IDLE", course.IDLE_SECONDS))
state = Path(env.get("HUB_STATE", ".hub")).resolve()
homes = Path(env.get("HOMES", "/home")).resolve()
learner_env = Path(env.get("LEARNER_ENV", "/opt/backprop-course/env"))
singleuser = learner_env / "bin" / "jupyterhub-singleuser"
if not os.access(singleuser, os.X_OK) or not reachable(learner_env):
    sys.exit(f"make hub: no learners' environment at {learner_env} that other users can reach "
             "(make hub builds it from Debian's python3 and python3-venv)")
homes.mkdir(parents=True, exist_ok=True)
if not reachable(homes):
    sys.exit(f"make hub: the learners cannot reach their homes in {homes}: a folder on the way lets "
             "other users through only with mode o+x")
try:
    learners.memory_root()
except OSError as error:
    sys.exit(f"make hub: {error}")
# The database, cookie secret, pid files: the hub's alone, whatever an older hub left (the learners' servers
# set their own umask, deploy/learners.py).
os.umask(0o077)
state.mkdir(parents=True, exist_ok=True)
state.chmod(0o700)
for item in state.iterdir():
    item.chmod(0o700 if item.is_dir() else 0o600)

c.JupyterHub.ip = env.get("HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env.get("PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [str(Path(__file__).resolve().parent / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

c.JupyterHub.authenticator_class = learners.ClassPasswordAuthenticator
c.DummyAuthenticator.password = password
c.Authenticator.allow_all = True

# One system user per learner, home HOMES/jupyter-NAME; their server runs as them in the learners' environment.
c.JupyterHub.spawner_class = learners.LearnerSpawner
c.LearnerSpawner.homes = str(homes)
c.LearnerSpawner.prefix = env.get("HUB_USER_PREFIX", course.USER_PREFIX)
c.Spawner.cmd = [str(singleuser)]
c.Spawner.default_url = course.LANDING
c.Spawner.environment = {"PATH": f"{learner_env / 'bin'}:/usr/local/bin:/usr/bin:/bin",
                         # servers report activity often enough for the culler to see who is working
                         "JUPYTERHUB_ACTIVITY_INTERVAL": str(max(5, min(300, idle // 3)))}
c.Spawner.mem_guarantee = course.MEMORY_GUARANTEE
c.Spawner.mem_limit = course.MEMORY_LIMIT
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.last_activity_interval = max(5, min(300, idle // 3))
# A restarted hub finds the learners' servers gone; their files stay in HOMES.
c.JupyterHub.cleanup_servers = True

c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle}",
                f"--cull-every={max(5, min(course.CULL_EVERY_SECONDS, idle // 2))}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if env.get("HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "teacher", "api_token": env["HUB_API_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "teacher", "services": ["teacher"],
                                    "scopes": ["list:users", "read:users", "read:servers", "servers"]})
