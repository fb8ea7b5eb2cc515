# Social IT Desk. `make run` for a local desk, `make test` for the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
DEV_ENV := DEBUG=1 PATH=$(BIN):$$PATH

.PHONY: run test bench lint install assets browser clean

run: $(VENV)/.dev assets
	@mkdir -p $${SOCIALIT_VAR_DIR:-var}
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py seed --demo
	@echo "Serving on http://127.0.0.1:$${DESK_PORT:-8000}/ with a Celery worker and beat. Ctrl-C stops everything."
# Ctrl-C reaches make, this shell and honcho at once: honcho stops the processes (Procfile.dev),
# the shell waits for it instead of dying, and a stop asked for is no error (honcho exits 130).
# Honcho stamps its lines in TZ: UTC, as LOGGING stamps the processes' own lines.
	@trap 'stopped=1' INT; TZ=UTC $(DEV_ENV) $(BIN)/honcho start -f Procfile.dev; status=$$?; \
		if [ -n "$$stopped" ]; then echo "Stopped."; else exit $$status; fi

# The quick checks first: a lint, format or type error fails before the long suite starts.
test: $(VENV)/.test assets browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

install: $(VENV)/.runtime assets

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

# make run also needs honcho, which starts the desk, the worker and beat together.
$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

$(VENV)/.test: requirements.txt requirements-dev.txt requirements-test.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	@touch $@ $(VENV)/.runtime $(VENV)/.dev

# Bootstrap and its icons come from the npm registry; the app serves them itself.
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install the front-end assets (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's Chromium.
browser:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# Benchmarks need PostgreSQL (127.0.0.1:5432, or BENCH_POSTGRES); sizes: BENCH_SIZES=10k,100k,1M.
bench: $(VENV)/.bench assets
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || [ -n "$$BENCH_POSTGRES" ] || { \
		echo "make bench needs PostgreSQL on 127.0.0.1:5432 (or set BENCH_POSTGRES=postgres://user@host:port)."; \
		echo "Start it (for example: pg_ctlcluster 15 main start) and run make bench again."; exit 2; }
	$(BIN)/python -m bench.run

$(VENV)/.bench: requirements.txt requirements-bench.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	@touch $@ $(VENV)/.runtime

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules staticfiles var
