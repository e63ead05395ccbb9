"""The Zero to JupyterHub values say what `make hub` does: same landing page, idle timeout and memory per
learner (deploy/course.py holds those figures once); the link command prints nbgitpuller's links."""
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import course  # noqa: E402

VALUES = yaml.safe_load((ROOT / "deploy" / "z2jh" / "config.yaml").read_text())


def hub_config(euid=0, **env):
    """The traitlets config that deploy/jupyterhub_config.py builds for make hub's defaults, read as a user with
    this euid, with a stand-in learners' environment and memory controller (the hub tests run the real ones)."""
    import os
    import shutil
    import tempfile
    from traitlets.config import Config
    import learners
    folder = Path(tempfile.mkdtemp(prefix="backprop-config-"))
    folder.chmod(0o755)
    (folder / "env" / "bin").mkdir(parents=True)
    (folder / "env" / "bin" / "jupyterhub-singleuser").touch(mode=0o755)
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(ROOT / "deploy" / "jupyterhub_config.py")}
    saved, saved_umask = dict(os.environ), os.umask(0o022)
    real_euid, real_memory_root = os.geteuid, learners.memory_root
    os.environ.update({"HUB_PASSWORD": "a-class-password", "LEARNER_ENV": str(folder / "env"),
                       "HOMES": str(folder / "homes"), "HUB_STATE": str(folder / "state"), **env})
    os.geteuid, learners.memory_root = (lambda: euid), (lambda: folder)
    try:
        exec(compile((ROOT / "deploy" / "jupyterhub_config.py").read_text(), "jupyterhub_config.py", "exec"), namespace)
    finally:
        os.geteuid, learners.memory_root = real_euid, real_memory_root
        os.umask(saved_umask)
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(folder)
    return config


@pytest.mark.slow
def test_culler_timeout_and_interval_match_make_hub(tmp_path):
    config = hub_config(HUB_STATE=str(tmp_path))
    culler = next(s for s in config.JupyterHub.services if s["name"] == "idle-culler")["command"]
    assert f"--timeout={VALUES['cull']['timeout']}" in culler
    assert f"--cull-every={VALUES['cull']['every']}" in culler
    assert VALUES["cull"]["enabled"] is True


def test_memory_per_learner_matches_make_hub(tmp_path):
    config = hub_config(HUB_STATE=str(tmp_path))
    assert VALUES["singleuser"]["memory"] == {"guarantee": config.Spawner.mem_guarantee, "limit": config.Spawner.mem_limit}


def test_landing_page_matches_make_hub(tmp_path):
    config = hub_config(HUB_STATE=str(tmp_path))
    assert VALUES["singleuser"]["defaultUrl"] == config.Spawner.default_url == course.LANDING
    assert (ROOT / course.NOTEBOOK).exists() and (ROOT / course.PLAYGROUND).exists()


def test_make_hub_refuses_to_start_without_a_class_password(tmp_path):
    result = subprocess.run(["make", "-s", "hub", "HUB_PASSWORD="], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.startswith("make hub: set HUB_PASSWORD")


def test_hub_config_refuses_a_short_class_password(tmp_path):
    import pytest
    with pytest.raises(SystemExit, match="HUB_PASSWORD"):
        hub_config(HUB_STATE=str(tmp_path), HUB_PASSWORD="short")


def test_hub_config_refuses_to_run_as_a_user_who_cannot_make_users(tmp_path):
    import pytest
    with pytest.raises(SystemExit, match="^make hub: run it as root"):
        hub_config(euid=1000)


def test_hub_config_refuses_homes_learners_cannot_reach(tmp_path):
    import pytest
    tmp_path.chmod(0o700)
    with pytest.raises(SystemExit, match="cannot reach their homes"):
        hub_config(HOMES=str(tmp_path / "homes"))


def test_hub_config_refuses_a_learners_environment_that_is_missing(tmp_path):
    import pytest
    with pytest.raises(SystemExit, match="no learners' environment"):
        hub_config(LEARNER_ENV=str(tmp_path / "nothing"))


def test_hub_state_is_the_hubs_alone(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    (state / "jupyterhub_cookie_secret").write_text("secret")
    (state / "jupyterhub_cookie_secret").chmod(0o644)
    hub_config(HUB_STATE=str(state))
    assert oct(state.stat().st_mode & 0o777) == "0o700"
    assert oct((state / "jupyterhub_cookie_secret").stat().st_mode & 0o777) == "0o600"


def test_learners_are_system_users_with_the_memory_limit_of_course_py(tmp_path):
    config = hub_config()
    assert config.JupyterHub.spawner_class.__name__ == "LearnerSpawner"
    assert config.LearnerSpawner.prefix == course.USER_PREFIX
    assert config.Spawner.mem_limit == course.MEMORY_LIMIT
    assert "--allow-root" not in config.Spawner.get("args", [])


def test_only_sign_in_names_that_map_safely_to_a_system_user_are_accepted():
    import learners
    for name in ["learner1", "a", "x-y_z", "9lives", "a" * course.NAME_LENGTH]:
        assert learners.name_problem(name) is None, name
    for name in ["", "A", "../x", "a b", "a" * (course.NAME_LENGTH + 1), "-rf", "_x", "\u00fc", "x\n", "x;id", "root",
                 "nobody"]:
        assert learners.name_problem(name), name


def test_link_opens_notebook_00_after_pulling_the_repository():
    link = course.link("https://hub.example.edu/", "https://github.com/someone/backprop.git", "main")
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {"repo": "https://github.com/someone/backprop.git", "branch": "main",
                     "urlpath": "lab/tree/backprop/notebooks/00-start-here.ipynb"}


def test_second_link_opens_the_playground_in_voila():
    query = parse_qs(urlsplit(course.link("http://127.0.0.1:8000", "/srv/course", app="voila")).query)
    assert query["urlpath"] == ["voila/render/course/notebooks/12-playground.ipynb"]


def test_link_to_an_assignment_opens_its_student_notebook():
    query = parse_qs(urlsplit(course.link("https://hub.example.edu", "https://github.com/a/course", "main", "lab",
                                          "assignments/student/02-gradients-by-hand.ipynb")).query)
    assert query["urlpath"] == ["lab/tree/course/assignments/student/02-gradients-by-hand.ipynb"]
    with pytest.raises(ValueError, match="inside the repository"):
        course.link("https://hub.example.edu", "https://github.com/a/course", path="../other/x.ipynb")


def test_link_command_prints_both_links_and_refuses_a_bad_address():
    ok = subprocess.run([sys.executable, "deploy/link.py", "https://hub.example.edu", "https://github.com/a/b"],
                        cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 2 and "voila%2Frender" in ok.stdout
    bad = subprocess.run([sys.executable, "deploy/link.py", "hub.example.edu", "https://github.com/a/b"],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "http://" in bad.stderr
