# Set-up and everyday commands. Everything installs into .venv from requirements.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8866
HOST ?= 127.0.0.1
LEARNERS ?= 30
# Jupyter refuses to run as root unless told; containers often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# make hub: the proxy JupyterHub routes through, from npm (versions in deploy/package-lock.json).
PROXY := deploy/node_modules/.installed
# The accessibility tests inject axe-core, from npm (version in tests/package-lock.json).
AXE := tests/node_modules/.installed
HUB_PORT := $(if $(filter file,$(origin PORT)),8000,$(PORT))
HOMES ?= /home
OUT ?= grades
IDLE ?= 3600
# make hub: the learners' servers run as users of their own, so their environment must be one any user can run:
# made from Debian's python3 (python3-venv), outside root's home, writable by root alone.
LEARNER_PYTHON ?= /usr/bin/python3
LEARNER_ENV ?= /opt/backprop-course/env
LEARNER_STAMP := $(LEARNER_ENV)/.installed
ROOT_ONLY = $(if $(filter 0,$(shell id -u)),$(1))

.PHONY: install lab test unit notebooks assignments grade bench app hub link html clean

$(STAMP): requirements.txt binder/requirements.txt deploy/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# make lab: the address JupyterLab prints opens notebook 00 itself, and the bundle's settings
# (jupyterlab-settings/overrides.json) keep JupyterLab's "get notified about Jupyter news?" prompt away.
# LAB_FLAGS adds options, e.g. LAB_FLAGS="--no-browser --port=8890"; LAB_DIR serves another copy of the notebooks.
LAB_DIR ?= notebooks
lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --notebook-dir="$(LAB_DIR)" --LabApp.app_settings_dir="$(CURDIR)/jupyterlab-settings" \
		--LabApp.default_url=/lab/tree/00-start-here.ipynb $(LAB_FLAGS)

test: $(STAMP) $(PROXY) $(AXE) $(call ROOT_ONLY,$(LEARNER_STAMP))
	$(PY) -m pytest --nbval --nbval-sanitize-with notebooks/sanitize.cfg --durations=8 tests notebooks

# The library's own tests, the quick ones: no browser, no server, no npm, nothing built for others, nothing that takes
# a second or more (pyproject.toml's markers; make test runs them all).
unit: $(STAMP)
	$(PY) -m pytest tests -n 2 -m "not browser and not server and not npm and not handout and not notebooks and not slow"

# Each notebooks/NN-name.md (MyST) is the source of its .ipynb: rebuild the changed ones (ONLY=04 for one).
notebooks: $(STAMP)
	$(PY) tools/build.py notebooks $(ONLY)

# Each assignments/NN-name.md (an otter-grader master, MyST) gives the student notebook assignments/student/NN-name.ipynb
# (committed: the link hands it out) and the autograder with the hidden tests in assignments/autograder/NN-name/
# (not committed; readable by its owner only). ONLY=02 builds the ones whose name contains 02.
assignments: $(STAMP)
	$(PY) tools/assignments.py $(ONLY)

# Grade every learner's submission of one assignment on the course hub, as root: make grade HOMES=/home
# ASSIGNMENT=02-gradients-by-hand [OUT=grades]. Each submission runs as nobody, in a memory group, bounded in time,
# from the learners' environment; the tests run here, where no submission ran (tools/grade.py).
grade: $(STAMP) $(call ROOT_ONLY,$(LEARNER_STAMP))
	@$(PY) tools/grade.py --homes "$(HOMES)" --assignment "$(ASSIGNMENT)" --out "$(OUT)" --python "$(LEARNER_ENV)/bin/python"

# The benchmarks (benchmarks/run.py, then every bench_*.py); the hub's and grading's need the proxy and, as root,
# the learners' environment.
bench: $(STAMP) $(PROXY) $(call ROOT_ONLY,$(LEARNER_STAMP))
	$(PY) benchmarks/run.py

# The playground for a room: LEARNERS kernels wait with the notebook already run (deploy/voila.py has the rest).
# HOST=0.0.0.0 lets the other machines of the room in; the default lets in only this one.
app: $(STAMP)
	$(VENV)/bin/voila --Voila.config_file_paths=deploy --Voila.ip=$(HOST) --port=$(PORT) \
		--pool_size=$(LEARNERS) notebooks/12-playground.ipynb

$(PROXY): deploy/package.json deploy/package-lock.json
	npm ci --prefix deploy --no-audit --no-fund --loglevel=error
	touch $(PROXY)

$(AXE): tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund --loglevel=error
	touch $(AXE)

# The learners' environment: what a learner needs (binder/requirements.txt), the hub's single-user server, and
# this package installed as a copy (learners cannot read an editable install's source folder).
$(LEARNER_STAMP): binder/requirements.txt deploy/requirements.txt pyproject.toml jupyterlab-settings/overrides.json $(shell find backprop_lib -type f -not -name '*.pyc' 2>/dev/null)
	@test -x $(LEARNER_PYTHON) && $(LEARNER_PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "make hub: \
	needs Debian's python3 with venv at $(LEARNER_PYTHON) (apt-get install python3-venv)" >&2; exit 2; }
	test -x $(LEARNER_ENV)/bin/python || $(LEARNER_PYTHON) -m venv $(LEARNER_ENV)
	$(LEARNER_ENV)/bin/python -m pip install --quiet --upgrade pip
	$(LEARNER_ENV)/bin/python -m pip install --quiet -r binder/requirements.txt -r deploy/requirements.txt
	$(LEARNER_ENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	mkdir -p $(LEARNER_ENV)/share/jupyter/lab/settings
	cp jupyterlab-settings/overrides.json $(LEARNER_ENV)/share/jupyter/lab/settings/overrides.json
	chmod -R go-w $(LEARNER_ENV)
	touch $(LEARNER_STAMP)

# A JupyterHub for a class on this machine (deploy/jupyterhub_config.py), run as root: one system user per learner
# with a home under HOMES, the class password from HUB_PASSWORD, servers idle for IDLE seconds stopped. PORT
# defaults to 8000 here.
hub:
	@test "$$(id -u)" = 0 || { echo "make hub: run it as root (sudo make hub ...): it makes one system user per \
	learner, so that no learner can read another's work or the hub's secrets" >&2; exit 2; }
	@test -n "$(HUB_PASSWORD)" || { echo "make hub: set HUB_PASSWORD=... (the class password, 8 characters or more)" >&2; exit 2; }
	@$(MAKE) --no-print-directory $(STAMP) $(PROXY) $(LEARNER_STAMP)
	PORT=$(HUB_PORT) HOMES=$(HOMES) IDLE=$(IDLE) HUB_PASSWORD="$(HUB_PASSWORD)" HUB_STATE=.hub \
		LEARNER_ENV=$(LEARNER_ENV) $(VENV)/bin/jupyterhub -f deploy/jupyterhub_config.py

# The links to send a class: make link HUB=https://hub.example.edu REPO=https://github.com/OWNER/REPO; with
# NOTEBOOK=assignments/student/02-gradients-by-hand.ipynb, the link that hands out that notebook.
link: $(STAMP)
	@$(PY) deploy/link.py "$(HUB)" "$(REPO)" $(BRANCH) $(if $(NOTEBOOK),"--notebook=$(NOTEBOOK)")

# The static site: a page per notebook, with the JavaScript the pages load (npm ci in tools/html, versions
# pinned) copied beside them, so site/ needs no network.
html: $(STAMP)
	$(PY) tools/build_site.py

clean:
	rm -rf $(VENV) site tests/artefacts deploy/node_modules tests/node_modules tools/html/node_modules
