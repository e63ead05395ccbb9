"""The Zero to JupyterHub values say what `make hub` does: same landing page, idle timeout and memory per
learner (deploy/course.py holds those figures once); the link command prints nbgitpuller's links."""
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import course  # noqa: E402

VALUES = yaml.safe_load((ROOT / "deploy" / "z2jh" / "config.yaml").read_text())


def hub_config(**env):
    """The traitlets config that deploy/jupyterhub_config.py builds for make hub's defaults."""
    from traitlets.config import Config
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(ROOT / "deploy" / "jupyterhub_config.py")}
    import os
    saved = dict(os.environ)
    os.environ.update({"HUB_PASSWORD": "a-class-password", **env})
    try:
        exec(compile((ROOT / "deploy" / "jupyterhub_config.py").read_text(), "jupyterhub_config.py", "exec"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return config


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


def test_link_command_prints_both_links_and_refuses_a_bad_address():
    ok = subprocess.run([sys.executable, "deploy/link.py", "https://hub.example.edu", "https://github.com/a/b"],
                        cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 2 and "voila%2Frender" in ok.stdout
    bad = subprocess.run([sys.executable, "deploy/link.py", "hub.example.edu", "https://github.com/a/b"],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "http://" in bad.stderr
