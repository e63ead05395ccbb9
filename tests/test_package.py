"""The package as a teacher installs it: wheel and sdist build, the numeric core and the `backprop` command
work with NumPy alone, the notebooks extra adds the rest, and the metadata carries the licence.

Building and installing into fresh virtual environments is slow (pip's cache makes downloads free, not
installs), so the tests that do it run only in CI (CI=true) or when PACKAGE_TEST=1 is set.
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTRA_MODULES = ("sympy", "matplotlib", "PIL", "ipywidgets", "anywidget")
INSTALL_HINT = "pip install 'backprop_lib[notebooks]'"
SLOW_WANTED = os.environ.get("CI", "").lower() == "true" or os.environ.get("PACKAGE_TEST") == "1"
pytestmark = [pytest.mark.handout, pytest.mark.skipif(
    not SLOW_WANTED, reason="builds and installs the wheel: runs in CI (CI=true) or with PACKAGE_TEST=1")]


# --- an independent oracle: Mazur's 2-2-2 sigmoid network on plain floats -----------------------------------
def mazur_spec():
    return json.loads((ROOT / "backprop_lib/core/examples/mazur.json").read_text(encoding="utf-8"))


def mazur_loss_and_gradients(p, sample):
    """Half the sum of squared errors and its gradient, written out by hand (biases b1, b2 shared per layer)."""
    sig = lambda z: 1 / (1 + math.exp(-z))
    i1, i2, t1, t2 = sample["i1"], sample["i2"], sample["o1"], sample["o2"]
    h1 = sig(p["w1"] * i1 + p["w2"] * i2 + p["b1"])
    h2 = sig(p["w3"] * i1 + p["w4"] * i2 + p["b1"])
    o1 = sig(p["w5"] * h1 + p["w6"] * h2 + p["b2"])
    o2 = sig(p["w7"] * h1 + p["w8"] * h2 + p["b2"])
    loss = 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2
    d1, d2 = (o1 - t1) * o1 * (1 - o1), (o2 - t2) * o2 * (1 - o2)
    e1, e2 = (d1 * p["w5"] + d2 * p["w7"]) * h1 * (1 - h1), (d1 * p["w6"] + d2 * p["w8"]) * h2 * (1 - h2)
    grads = {"w1": e1 * i1, "w2": e1 * i2, "w3": e2 * i1, "w4": e2 * i2, "w5": d1 * h1, "w6": d1 * h2,
             "w7": d2 * h1, "w8": d2 * h2, "b1": e1 + e2, "b2": d1 + d2}
    return loss, grads


def mazur_trained(steps):
    """Plain gradient descent from the example's start, its learning rate, its fixed parameters left alone."""
    spec = mazur_spec()
    params, fixed, lr = dict(spec["params"]), set(spec.get("fixed", ())), spec["learning_rate"]
    losses = []
    for _ in range(steps):
        loss, grads = mazur_loss_and_gradients(params, spec["data"][0])
        losses.append(loss)
        params = {k: v if k in fixed else v - lr * grads[k] for k, v in params.items()}
    losses.append(mazur_loss_and_gradients(params, spec["data"][0])[0])
    return losses, params


# --- building and installing -------------------------------------------------------------------------------
def run(*args, env=None, cwd=None, check=True):
    done = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True)
    if check:
        assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Wheel and sdist built by `python -m build` from a copy of the files that make the package."""
    tmp = tmp_path_factory.mktemp("package")
    source, out = tmp / "source", tmp / "dist"
    shutil.copytree(ROOT / "backprop_lib", source / "backprop_lib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "build", "--outdir", out, source)
    return {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz")), "source": source}


def fresh_venv(tmp, *requirements):
    """A fresh virtual environment holding only what is asked for; commands run in it from an empty folder."""
    env_dir, work = tmp / "env", tmp / "work"
    work.mkdir()
    run(sys.executable, "-m", "venv", env_dir)
    bin_dir = env_dir / "bin"
    env = {**os.environ, "VIRTUAL_ENV": str(env_dir), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    # Constrained to the versions learners get, so pip's cache serves them.
    constraints = tmp / "constraints.txt"
    constraints.write_text("\n".join(x for x in (ROOT / "binder/requirements.txt").read_text(encoding="utf-8")
                                     .splitlines() if "==" in x and not x.startswith("#")) + "\n", encoding="utf-8")
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "-c", constraints, *requirements, env=env)
    return {"bin": bin_dir, "env": env, "work": work}


@pytest.fixture(scope="module")
def venv(tmp_path_factory, dist):
    """The wheel installed with its dependencies alone: NumPy."""
    return fresh_venv(tmp_path_factory.mktemp("numpy-only"), dist["wheel"])


@pytest.fixture(scope="module")
def venv_with_extra(tmp_path_factory, dist):
    """The wheel installed with the notebooks extra."""
    return fresh_venv(tmp_path_factory.mktemp("notebooks"), f"{dist['wheel']}[notebooks]")


def backprop(venv, *args, check=True):
    return run(venv["bin"] / "backprop", *args, env=venv["env"], cwd=venv["work"], check=check)


def python(venv, code, check=True):
    return run(venv["bin"] / "python", "-c", code, env=venv["env"], cwd=venv["work"], check=check)


# --- NumPy alone ---------------------------------------------------------------------------------------------
def test_wheel_installs_with_numpy_as_its_only_dependency(venv):
    listing = json.loads(run(venv["bin"] / "python", "-m", "pip", "list", "--format=json", env=venv["env"]).stdout)
    assert {p["name"].lower() for p in listing} - {"pip", "setuptools"} == {"backprop_lib", "numpy"}


def test_backprop_gradients_prints_the_hand_computed_gradients(venv):
    spec = mazur_spec()
    loss, grads = mazur_loss_and_gradients(spec["params"], spec["data"][0])
    out = json.loads(backprop(venv, "gradients", "mazur", "--json").stdout)
    assert out["loss"] == pytest.approx(loss, rel=1e-12)
    assert out["gradients"] == pytest.approx(grads, rel=1e-9, abs=1e-15)
    table = backprop(venv, "gradients", "mazur").stdout
    for name, grad in grads.items():
        assert re.search(rf"^{name}\s+\S+\s+{re.escape(f'{grad:.9g}')}$", table, re.MULTILINE), name


def test_backprop_train_follows_a_hand_written_descent(venv):
    losses, params = mazur_trained(100)
    out = json.loads(backprop(venv, "train", "mazur", "--steps", "100", "--json").stdout)
    assert out["losses"] == pytest.approx(losses, rel=1e-9)
    assert out["params"] == pytest.approx(params, rel=1e-9)
    table = backprop(venv, "train", "mazur", "--steps", "100").stdout
    assert f"loss {losses[0]:.9g} -> {losses[-1]:.9g}" in table


def test_numeric_core_imports_without_sympy_matplotlib_or_widgets(venv):
    code = ("import sys, backprop_lib as bp; net = bp.load('mazur'); net.gradients(); net.train(steps=3); "
            f"print(sorted(m for m in {EXTRA_MODULES!r} if m in sys.modules))")
    assert python(venv, code).stdout.strip() == "[]"


def test_import_star_works_with_numpy_alone(venv):
    code = ("import sys\nfrom backprop_lib import *\nprint(repr(load('mazur').loss()), "
            f"sorted(m for m in {EXTRA_MODULES!r} if m in sys.modules))")
    loss, loaded = python(venv, code).stdout.split()
    spec = mazur_spec()
    assert float(loss) == pytest.approx(mazur_loss_and_gradients(spec["params"], spec["data"][0])[0], rel=1e-12)
    assert loaded == "[]"


@pytest.mark.parametrize("part, module", [("symbolic", "explain.symbolic"), ("plots", "plots"), ("widgets", "widgets")])
def test_a_part_without_its_extra_says_which_extra_to_install(venv, part, module):
    for statement in (f"import backprop_lib.{module}", f"import backprop_lib; backprop_lib.{part}"):
        done = python(venv, f"{statement}\n", check=False)
        last = done.stderr.strip().splitlines()[-1]
        assert done.returncode == 1 and last.startswith("backprop_lib.extras.MissingExtra: ") and INSTALL_HINT in last


def test_every_module_imports_with_numpy_alone_or_names_the_extra(venv):
    """Not only the public parts: a module imported directly must not end in a bare ModuleNotFoundError."""
    unclear = {}
    for path in sorted((ROOT / "backprop_lib").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        done = python(venv, f"import {module}", check=False)
        last = (done.stderr.strip().splitlines() or [""])[-1]
        if done.returncode != 0 and not (last.startswith("backprop_lib.extras.MissingExtra: ") and INSTALL_HINT in last):
            unclear[module] = last
    assert not unclear


@pytest.mark.parametrize("command", [["walkthrough", "mazur"], ["chain", "mazur", "w1"]])
def test_backprop_command_needing_sympy_without_the_extra_prints_one_line_and_exits_2(venv, command):
    done = backprop(venv, *command, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and INSTALL_HINT in done.stderr


# --- with the notebooks extra --------------------------------------------------------------------------------
def test_backprop_walkthrough_with_the_extra_works_the_step_through(venv_with_extra):
    spec = mazur_spec()
    loss, grads = mazur_loss_and_gradients(spec["params"], spec["data"][0])
    new_w5 = spec["params"]["w5"] - spec["learning_rate"] * grads["w5"]
    out = backprop(venv_with_extra, "walkthrough", "mazur").stdout
    for value in (loss, grads["w5"], new_w5):
        assert f"{value:.9f}".rstrip("0") in out


# --- metadata ------------------------------------------------------------------------------------------------
def test_wheel_and_sdist_pass_twine_check(dist):
    done = run(sys.executable, "-m", "twine", "check", "--strict", dist["wheel"], dist["sdist"])
    assert done.stdout.count("PASSED") == 2


def wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        meta = Parser().parsestr(whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
        entry_points = whl.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    return names, meta, entry_points


def test_wheel_metadata_declares_the_licence_and_ships_its_text(dist):
    names, meta, _ = wheel_metadata(dist["wheel"])
    assert meta["License-Expression"] == "MIT AND CC-BY-4.0"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_wheel_metadata_splits_numpy_from_the_notebooks_extra(dist):
    _, meta, _ = wheel_metadata(dist["wheel"])
    requires = meta.get_all("Requires-Dist")
    assert [r for r in requires if "extra ==" not in r] == ["numpy"]
    extra = {re.split(r"[ ;<>=]", r)[0].lower() for r in requires if "extra == \"notebooks\"" in r}
    assert extra == {"sympy", "matplotlib", "pillow", "ipywidgets", "anywidget"}


def test_wheel_metadata_has_readme_urls_classifiers_and_the_backprop_command(dist):
    _, meta, entry_points = wheel_metadata(dist["wheel"])
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta.get_payload().startswith("# Backpropagation, step by step")
    assert meta.get_all("Project-URL") and meta.get_all("Classifier")
    assert re.search(r"^backprop = backprop_lib\.__main__:main$", entry_points, re.MULTILINE)


def test_wheel_ships_every_file_of_the_package_source(dist):
    """Modules, the examples and the widgets' front ends (.js, .css) that the modules read beside them."""
    source = dist["source"] / "backprop_lib"
    files = {f"backprop_lib/{f.relative_to(source).as_posix()}" for f in source.rglob("*")
             if f.is_file() and "__pycache__" not in f.parts}
    names, _, _ = wheel_metadata(dist["wheel"])
    assert files - set(names) == set()


def test_widgets_build_from_the_wheel_with_the_extra(venv_with_extra):
    code = ("import backprop_lib as bp; net = bp.load('mazur'); "
            "views = [bp.widgets.forward_explorer(net), bp.widgets.wiggle(net)]; print(len(views))")
    assert python(venv_with_extra, code).stdout.strip() == "2"


def test_sdist_carries_the_licence_and_readme(dist):
    with tarfile.open(dist["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {"LICENSE", "README.md", "pyproject.toml", "backprop_lib/core/examples/mazur.json"} <= names
