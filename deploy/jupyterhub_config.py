"""JupyterHub for a class on this machine, as `make hub` starts it (read by `jupyterhub -f`).

Set by the environment (the Makefile passes them): HUB_PASSWORD, the class's shared password (required);
PORT (default 8000) on HUB_IP (default 127.0.0.1); HOMES, the folder that holds one home per learner;
HUB_STATE, the folder for the hub's database and cookie secret; IDLE, seconds before an idle learner's
server is stopped; HUB_API_TOKEN, optional, a token for a teacher's scripts (list and stop servers).

The dummy authenticator lets anyone in who knows the class password: it is for trying the course out.
A university puts its own sign-in in front (OAuthenticator for GitHub, Google or a campus OAuth/OIDC
service, LTIAuthenticator for an LMS, or the PAM/LDAP authenticators) and, on several machines, runs
Zero to JupyterHub with deploy/z2jh/config.yaml.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

c = get_config()  # noqa: F821 (defined by traitlets when it reads this file)
env = os.environ
password = env.get("HUB_PASSWORD", "")
if len(password) < 8:
    sys.exit("make hub: set HUB_PASSWORD to the class password, 8 characters or more")
idle = int(env.get("IDLE", course.IDLE_SECONDS))
state = Path(env.get("HUB_STATE", ".hub")).resolve()
homes = Path(env.get("HOMES", state / "homes")).resolve()
state.mkdir(parents=True, exist_ok=True)
venv_bin = Path(sys.executable).parent  # the learners' servers run in the environment of `make lab`

c.JupyterHub.ip = env.get("HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env.get("PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [str(Path(__file__).resolve().parent / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = password
c.Authenticator.allow_all = True

# One home per learner under HOMES; the learner's server starts there with the `make lab` environment.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.args = ["--allow-root"] if os.getuid() == 0 else []
c.Spawner.default_url = course.LANDING
c.Spawner.environment = {"PATH": f"{venv_bin}:{env.get('PATH', '')}",
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
