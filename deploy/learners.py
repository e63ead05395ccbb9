"""Learners kept apart on the course hub: a sign-in name checked before anything is made of it, one
unprivileged system user per learner (the prefix from course.py plus the name, home mode 0700), and a cgroup
per learner that holds their server and kernels under course.MEMORY_LIMIT. Read by jupyterhub_config.py."""
import asyncio
import os
import pwd
import re
import signal
import subprocess
import time
from pathlib import Path

from jupyterhub.auth import DummyAuthenticator
from jupyterhub.spawner import LocalProcessSpawner
from tornado import web
from traitlets import Unicode

import course

NAME = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{course.NAME_LENGTH - 1}}}")
NAME_RULE = (f"Sign-in names use lower-case letters, digits, - and _ only, start with a letter or digit, "
             f"and are {course.NAME_LENGTH} characters at most.")
CGROUP_V1 = Path("/sys/fs/cgroup/memory")
CGROUP_V2 = Path("/sys/fs/cgroup")
GROUP = "backprop-hub"  # the hub's own branch of the cgroup tree: one child per learner


def name_problem(name):
    """Why name cannot be a learner's sign-in name, in one line, or None when it can."""
    if not NAME.fullmatch(name):
        return NAME_RULE
    try:
        pwd.getpwnam(name)
    except KeyError:
        return None
    return f"'{name}' is the name of an account on this machine; choose another sign-in name."


def memory_root():
    """The folder under which a learner's memory group is made: cgroup v1's memory controller where it is
    mounted (as here), else the unified cgroup v2 tree with the memory controller enabled for the hub's branch.
    Raises OSError, in one line, when neither can be written."""
    if (CGROUP_V1 / "memory.limit_in_bytes").exists():
        root = CGROUP_V1 / GROUP
        root.mkdir(exist_ok=True)
        return root
    if "memory" in (CGROUP_V2 / "cgroup.controllers").read_text().split():
        root = CGROUP_V2 / GROUP
        root.mkdir(exist_ok=True)
        (root / "cgroup.subtree_control").write_text("+memory")
        return root
    raise OSError("no cgroup memory controller at /sys/fs/cgroup: the hub cannot hold learners to their memory")


def limit_memory(group, limit):
    """Make the learner's group with its limit in bytes (memory and swap alike, so swap is no way out)."""
    group.mkdir(exist_ok=True)
    if (group / "memory.limit_in_bytes").exists():
        (group / "memory.limit_in_bytes").write_text(str(limit))
        if (group / "memory.memsw.limit_in_bytes").exists():
            (group / "memory.memsw.limit_in_bytes").write_text(str(limit))
    else:
        (group / "memory.max").write_text(str(limit))
        (group / "memory.swap.max").write_text("0")


def end_group(group):
    """Kill whatever still runs in the learner's group (a kernel its server left behind), then remove it."""
    procs = group / "cgroup.procs"
    for _ in range(50):
        pids = procs.read_text().split() if procs.exists() else []
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    for _ in range(50):  # a killed process may leave its group a moment after cgroup.procs stops listing it
        try:
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.1)


class ClassPasswordAuthenticator(DummyAuthenticator):
    """The class's shared password, and only names that map safely to a system user: any other name gets one
    line on the sign-in page before anything is created."""

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        problem = name_problem(name)
        if problem:
            raise web.HTTPError(403, problem)
        return await super().authenticate(handler, data)


class LearnerSpawner(LocalProcessSpawner):
    """Each learner's server and kernels run as a system user of their own, made on first sign-in, with their
    home (mode 0700) under `homes`, inside a memory group limited to mem_limit."""

    homes = Unicode(config=True, help="Folder that holds one home per learner.")
    prefix = Unicode(course.USER_PREFIX, config=True, help="System user name = prefix + sign-in name.")

    @property
    def system_name(self):
        return self.prefix + self.user.name

    @property
    def group(self):
        return memory_root() / self.system_name

    def ensure_system_user(self):
        """The learner's system user and home, made the first time (no shell sees the name: it was checked at
        sign-in and goes to useradd as one argument)."""
        if name_problem(self.user.name):
            raise web.HTTPError(403, name_problem(self.user.name))
        home = Path(self.homes) / self.system_name
        try:
            entry = pwd.getpwnam(self.system_name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                            "--user-group", "--comment", f"course hub learner {self.user.name}", "--",
                            self.system_name], check=True, capture_output=True)
            entry = pwd.getpwnam(self.system_name)
        if Path(entry.pw_dir) != home:
            raise web.HTTPError(409, f"the system user {self.system_name} exists with another home: "
                                     f"{entry.pw_dir}; the hub will not use it")
        home.mkdir(mode=0o700, exist_ok=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
        home.chmod(0o700)
        return entry

    def make_preexec_fn(self, name):
        become = super().make_preexec_fn(self.system_name)
        procs = str(self.group / "cgroup.procs")

        def preexec():
            with open(procs, "w") as group:  # the server and every kernel it starts count against the limit
                group.write(str(os.getpid()))
            os.umask(0o022)
            become()

        return preexec

    def user_env(self, env):
        entry = pwd.getpwnam(self.system_name)
        env.update(USER=self.system_name, HOME=entry.pw_dir, SHELL=entry.pw_shell)
        env.pop("VIRTUAL_ENV", None)
        return env

    async def start(self):
        self.ensure_system_user()
        limit_memory(self.group, self.mem_limit)  # in bytes, as JupyterHub read "1G"
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        await asyncio.to_thread(end_group, self.group)  # its waits must not hold up the hub's other learners
