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
HOMES ?= .hub/homes
IDLE ?= 3600

.PHONY: install lab test unit notebooks bench app hub link html clean

$(STAMP): requirements.txt binder/requirements.txt deploy/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --notebook-dir=notebooks notebooks/00-start-here.ipynb

test: $(STAMP) $(PROXY) $(AXE)
	$(PY) -m pytest --nbval --nbval-sanitize-with notebooks/sanitize.cfg --durations=8 tests notebooks

# The library's own tests: no browser, no server, no npm, nothing built for others (pyproject.toml's markers).
unit: $(STAMP)
	$(PY) -m pytest tests -m "not browser and not server and not npm and not handout"

# Each notebooks/NN-name.md (MyST) is the source of its .ipynb: rebuild the changed ones (ONLY=04 for one).
notebooks: $(STAMP)
	$(PY) tools/build.py notebooks $(ONLY)

bench: $(STAMP)
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

# A JupyterHub for a class on this machine (deploy/jupyterhub_config.py): one home per learner under HOMES,
# the class password from HUB_PASSWORD, servers idle for IDLE seconds stopped. PORT defaults to 8000 here.
hub: $(STAMP) $(PROXY)
	@test -n "$(HUB_PASSWORD)" || { echo "make hub: set HUB_PASSWORD=... (the class password, 8 characters or more)" >&2; exit 2; }
	PORT=$(HUB_PORT) HOMES=$(HOMES) IDLE=$(IDLE) HUB_PASSWORD="$(HUB_PASSWORD)" HUB_STATE=.hub \
		$(VENV)/bin/jupyterhub -f deploy/jupyterhub_config.py

# The links to send a class: make link HUB=https://hub.example.edu REPO=https://github.com/OWNER/REPO
link: $(STAMP)
	@$(PY) deploy/link.py "$(HUB)" "$(REPO)" $(BRANCH)

# The static site: a page per notebook, with the JavaScript the pages load (npm ci in tools/html, versions
# pinned) copied beside them, so site/ needs no network.
html: $(STAMP)
	$(PY) tools/build_site.py

clean:
	rm -rf $(VENV) site tests/artefacts deploy/node_modules tests/node_modules tools/html/node_modules
