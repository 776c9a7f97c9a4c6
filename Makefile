# Gongkai — two commands: `make demo` runs the product with demo data, `make test` runs the suite.
# A fresh Debian/Ubuntu machine needs only Python 3.11+ (with venv) and make: each target first brings the
# Debian packages it needs (scripts/system_packages.py: installed when run as root, otherwise one
# `sudo apt-get install …` line and a stop), then the Python and npm dependencies.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 8000
# make test-future: how far ahead the clock is set (faketime's syntax: '+1 year', '2027-12-01 10:00:00')
FUTURE ?= +1 year

# Debian packages, each as package=how to tell it is there (cmd: on PATH, file: a path, module: importable).
SYSTEM := $(PYTHON) scripts/system_packages.py
# (a virtualenv without pip was made without ensurepip: Debian's pythonX.Y-venv, then made again)
DEB_VENV := $(if $(wildcard $(VENV)/bin/pip),,$(shell $(PYTHON) -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])' 2>/dev/null)=module:ensurepip)
DEB_NODE := npm=cmd:npm
# (the PDFs embed Noto Sans SC from the npm registry, see package.json: no font package is needed)
# the browser tests drive Debian's chromium; its pages need a CJK font to draw Chinese
DEB_BROWSER := chromium=cmd:chromium fonts-noto-cjk=file:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
DEB_CLOCK := faketime=cmd:faketime

# Prerequisites run left to right and the system check comes first: never in parallel.
.NOTPARALLEL:
.PHONY: install demo run test test-fast test-future faults load lint bench stop clean \
	system-demo system-test system-future

system-demo:
	@$(SYSTEM) $(DEB_VENV) $(DEB_NODE)

system-test:
	@$(SYSTEM) $(DEB_VENV) $(DEB_NODE) $(DEB_BROWSER)

system-future:
	@$(SYSTEM) $(DEB_VENV) $(DEB_NODE) $(DEB_BROWSER) $(DEB_CLOCK)

$(STAMP): pyproject.toml
	@$(SYSTEM) $(DEB_VENV)
	test -x $(VENV)/bin/pip || $(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# echarts for the dashboard's charts, served by the app (no CDN), and Noto Sans SC, the font every PDF
# embeds (disclosure/pdf.py): both from the npm registry
$(NODE_STAMP): package-lock.json
	@$(SYSTEM) $(DEB_NODE)
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

## make demo: install, migrate, seed the demo street office, then run web + worker + beat (Ctrl-C stops all)
demo: system-demo install
	$(PY) manage.py migrate_all --verbosity 0
	$(PY) manage.py demo_seed
	PORT=$(PORT) bash scripts/demo.sh

## make test: the whole suite against real PostgreSQL, Redis, Celery workers and chromium
test: system-test install
	$(PY) -m pytest

## make test-future: the same suite with the clock set a year ahead (libfaketime, also for the embedded
## PostgreSQL and Redis it starts under var/test-future); FUTURE='2027-12-01 10:00:00' pins another day
test-future: system-future install
	GONGKAI_TEST_DATA_DIR=$(CURDIR)/var/test-future faketime '$(FUTURE)' $(PY) -m pytest

test-fast: system-demo install
	$(PY) -m pytest -m "not browser and not worker and not fault"

## make faults: only the fault scripts (PostgreSQL restart, Redis down, worker killed, disk full; ~2 min)
faults: system-demo install
	$(PY) -m pytest -m fault tests/test_faults.py

## make load: on an idle machine only (load average ≤ 1.0, else it refuses), gunicorn with the demo data
## (var/load): open loop to the highest rate held, then locust closed loop for 60 s → bench/RESULTS.md
load: system-demo install
	$(PY) bench/load.py

## make lint: ruff, ruff format, mypy and the architecture contracts (import-linter, see pyproject.toml)
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache

## make bench: every scale scenario at 10, 100 and 1,000 communities → bench/RESULTS.md (about 2 h here)
bench: system-demo install
	$(PY) bench/scale.py --sizes $${BENCH_SIZES:-10,100,1000}

## make stop: stop the embedded PostgreSQL and Redis (data is kept under var/)
stop:
	$(PY) -c "from pathlib import Path; from config import embedded; embedded.stop_all(Path('var')); embedded.stop_all(Path('var/test')); embedded.stop_all(Path('var/test-future'))"

clean: stop
	rm -rf var
