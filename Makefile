# Set-up and everyday commands. Everything installs into .venv from requirements.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8866
# Jupyter refuses to run as root unless told; containers often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install lab test unit notebooks bench app html clean

$(STAMP): requirements.txt binder/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --notebook-dir=notebooks notebooks/00-start-here.ipynb

test: $(STAMP)
	$(PY) -m pytest --nbval --nbval-sanitize-with notebooks/sanitize.cfg --durations=8 tests notebooks

unit: $(STAMP)
	$(PY) -m pytest tests

# Each notebooks/NN-name.md (MyST) is the source of its .ipynb: rebuild the changed ones (ONLY=04 for one).
notebooks: $(STAMP)
	$(PY) tools/build.py notebooks $(ONLY)

bench: $(STAMP)
	$(PY) benchmarks/run.py

app: $(STAMP)
	$(VENV)/bin/voila --port=$(PORT) notebooks/12-playground.ipynb

html: $(STAMP)
	$(PY) tools/build.py html

clean:
	rm -rf $(VENV) site tests/artefacts
