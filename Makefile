# Gongkai — two commands: `make demo` runs the product with demo data, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install demo run test test-fast faults load lint bench stop clean

$(STAMP): pyproject.toml package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: charts on the dashboard stay off (the tables still show every figure)"; fi
	touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate, seed the demo street office, then run web + worker + beat (Ctrl-C stops all)
demo: install
	$(PY) manage.py migrate_all --verbosity 0
	$(PY) manage.py demo_seed
	PORT=$(PORT) bash scripts/demo.sh

## make test: the whole suite against real PostgreSQL, Redis, Celery workers and chromium
test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not browser and not worker and not fault"

## make faults: only the fault scripts (PostgreSQL restart, Redis down, worker killed, disk full; ~2 min)
faults: install
	$(PY) -m pytest -m fault tests/test_faults.py

## make load: locust against gunicorn with the demo data (var/load) for 60 s → bench/RESULTS.md
load: install
	$(PY) bench/load.py

## make lint: ruff, ruff format, mypy and the architecture contracts (import-linter, see pyproject.toml)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache

## make bench: every scale scenario at 10, 100 and 1,000 communities → bench/RESULTS.md (about 2 h here)
bench: install
	$(PY) bench/scale.py --sizes $${BENCH_SIZES:-10,100,1000}

## make stop: stop the embedded PostgreSQL and Redis (data is kept under var/)
stop:
	$(PY) -c "from pathlib import Path; from config import embedded; embedded.stop_all(Path('var')); embedded.stop_all(Path('var/test'))"

clean: stop
	rm -rf var
