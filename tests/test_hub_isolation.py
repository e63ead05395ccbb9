"""Learners kept apart on the course hub, tried as a learner would: two learners sign in, start kernels and run
ordinary Python. Learner 2 cannot read or change learner 1's work or the hub's secrets and is not root; a name
that does not map safely to a system user is refused at sign-in with nothing made; a kernel that allocates past
the memory limit is stopped while learner 1's kernel goes on answering.

Needs root (the hub makes a system user per learner), the learners' environment and the proxy (make test
builds both); skips without them unless CI=true."""
import html
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import urllib.error
import urllib.parse
from pathlib import Path

import pytest

from support.hub import PREFIX, ROOT, Hub, Learner, hub_missing, open_folder

sys.path.insert(0, str(ROOT / "deploy"))
import course  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.npm]

SECRET = "learner 1's answer: 0.082167041\n"


@pytest.fixture(scope="module")
def hub():
    problem = hub_missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    hub = Hub(idle=3600)
    try:
        yield hub.start()
    finally:
        hub.remove()


@pytest.fixture(scope="module")
def learners(hub):
    """Learner 1 saves a file in their home; learner 2 has a kernel of their own."""
    one, two = Learner(hub, "learner1"), Learner(hub, "learner2")
    kernels = {one: one.start_kernel(), two: two.start_kernel()}
    saved = one.run(kernels[one], f"open('answer.txt', 'w').write({SECRET!r})\nprint(open('answer.txt').read(), end='')")
    assert saved["stdout"] == SECRET, saved
    return one, two, kernels


def attempts(checks):
    """Code a learner runs: try each (label, expression) and print which ones the machine refused."""
    lines = ["import json, os, sys, pwd", "seen = {}"]
    for label, expression in checks.items():
        lines += [f"try:\n    {expression}\n    seen[{label!r}] = 'allowed'",
                  f"except PermissionError:\n    seen[{label!r}] = 'refused'"]
    lines.append("print(json.dumps(seen))")
    return "\n".join(lines)


def test_learner_cannot_read_or_change_another_learners_work(hub, learners):
    one, two, kernels = learners
    answer = hub.home("learner1") / "answer.txt"
    seen = two.run(kernels[two], attempts({
        "read": f"open({str(answer)!r}).read()",
        "append": f"open({str(answer)!r}, 'a').write('changed by learner 2')",
        "list": f"os.listdir({str(hub.home('learner1'))!r})",
        "replace": f"os.replace({str(answer)!r}, '/tmp/taken')",
    }))
    assert json.loads(seen["stdout"]) == dict.fromkeys(["read", "append", "list", "replace"], "refused")
    assert answer.read_text() == SECRET


def test_learner_cannot_read_the_hubs_secrets(hub, learners):
    one, two, kernels = learners
    secrets = {name: hub.state / name for name in ("jupyterhub_cookie_secret", "jupyterhub.sqlite", "jupyterhub.pid")}
    assert all(path.exists() for path in secrets.values()), sorted(p.name for p in hub.state.iterdir())
    seen = two.run(kernels[two], attempts({name: f"open({str(path)!r}, 'rb').read()" for name, path in secrets.items()}
                                          | {"state folder": f"os.listdir({str(hub.state)!r})"}))
    assert set(json.loads(seen["stdout"]).values()) == {"refused"}, seen
    assert stat.S_IMODE(hub.state.stat().st_mode) == 0o700


def test_learner_runs_as_an_unprivileged_user_of_their_own(hub, learners):
    one, two, kernels = learners
    code = ("import os, pwd, sys, json\n"
            "print(json.dumps({'uid': os.getuid(), 'euid': os.geteuid(), 'user': pwd.getpwuid(os.getuid()).pw_name,"
            " 'groups': os.getgroups(), 'home': os.path.expanduser('~'),"
            " 'hub secrets in environment': sorted(k for k in os.environ if k in ('HUB_PASSWORD', 'HUB_API_TOKEN')),"
            " 'can write its environment': os.access(sys.prefix, os.W_OK)}))")
    seen = json.loads(two.run(kernels[two], code)["stdout"])
    entry = pwd.getpwnam(PREFIX + "learner2")
    assert seen["uid"] == seen["euid"] == entry.pw_uid != 0
    assert seen["user"] == PREFIX + "learner2" and 0 not in seen["groups"]
    assert seen["home"] == str(hub.home("learner2"))
    assert seen["hub secrets in environment"] == [] and seen["can write its environment"] is False
    for user in ("learner1", "learner2"):
        home = hub.home(user).stat()
        assert (home.st_uid, stat.S_IMODE(home.st_mode)) == (pwd.getpwnam(PREFIX + user).pw_uid, 0o700)


@pytest.mark.parametrize("name", ["../x", "root", "Robert'); --", "a" * 300, "-rf", "learner 3", "ünïcode"])
def test_unsafe_sign_in_name_is_refused_and_nothing_is_made(hub, name):
    homes_before = sorted(os.listdir(hub.homes))
    users_before = {entry.pw_name for entry in pwd.getpwall()}
    status, page = Learner(hub, name).sign_in()
    shown = html.unescape(page)
    assert status == 403
    assert (f"'{name}' is the name of an account on this machine" in shown if name == "root"
            else "Sign-in names use lower-case letters, digits, - and _ only" in shown)
    assert sorted(os.listdir(hub.homes)) == homes_before
    assert {entry.pw_name for entry in pwd.getpwall()} == users_before
    with pytest.raises(urllib.error.HTTPError) as missing:
        hub.api(f"users/{urllib.parse.quote(name.lower(), safe='')}")
    assert missing.value.code == 404


def test_kernel_past_the_memory_limit_is_stopped_and_the_others_go_on(hub, learners):
    one, two, kernels = learners
    limit = hub_limit_bytes()
    grab = f"hog = b'x' * {limit + limit // 2}\nprint('still here')"  # every byte written, so it is all resident
    died = two.run(kernels[two], grab, timeout=120)
    assert "still here" not in died["stdout"] and died["states"] and died["states"][0] in ("restarting", "dead"), died
    assert one.run(kernels[one], "print(6 * 7)")["stdout"] == "42\n"
    assert hub.running("learner1") and hub.running("learner2")
    back = two.run(kernels[two], "print('back')", timeout=120)
    assert back["stdout"] == "back\n", back


def hub_limit_bytes():
    from jupyterhub.spawner import Spawner
    return Spawner(mem_limit=course.MEMORY_LIMIT).mem_limit


def test_make_hub_refuses_a_user_who_cannot_make_users_in_one_line():
    folder = open_folder("backprop-make-")
    try:
        shutil.copy(ROOT / "Makefile", folder / "Makefile")
        result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "make", "-s", "hub",
                                 "HUB_PASSWORD=a-class-password"], cwd=folder, capture_output=True, text=True)
    finally:
        shutil.rmtree(folder)
    ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]  # make's own
    assert result.returncode == 2 and len(ours) == 1, result.stderr
    assert ours[0].startswith("make hub: run it as root")


def test_learners_cannot_write_their_environment():
    env = Path(os.environ.get("LEARNER_ENV", "/opt/backprop-course/env"))
    if not env.exists():
        pytest.skip(f"no learners' environment at {env}")
    count = ("import os, sys\n"
             "print(sum(os.access(p, os.W_OK) for d, _, files in os.walk(sys.prefix)"
             " for p in [d, *(os.path.join(d, f) for f in files)]))")
    result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", str(env / "bin" / "python"),
                             "-c", count], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0\n"
