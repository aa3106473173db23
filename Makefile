# Bridgework: two commands on a fresh machine.
#   make demo   install into .venv, load the demo organization, serve on :8000
#   make test   install the dev dependencies and run the whole test suite
# Python packages come from the lock files in requirements/ (with hashes);
# `make lock` refreshes them from pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STATIC := src/bridgework/static/bridgework/dist/app.js
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet

.PHONY: demo test install install-dev static lint bench serve clean lock prerequisites prerequisites-test

demo: prerequisites install static
	@echo "==> [3/4] Loading the demo organization into data/ (once; kept on later runs)"
	@BRIDGEWORK_SITE_URL="$${BRIDGEWORK_SITE_URL:-http://$(HOST):$(PORT)}" \
		$(BIN)/bridgework demo --if-empty --no-logins
	@echo "==> [4/4] Starting Bridgework"
	@$(BIN)/bridgework serve --host $(HOST) --port $(PORT)

test: prerequisites-test install-dev static
	@echo "==> Running the test suite (several minutes; longer on a busy machine)"
	$(BIN)/pytest

prerequisites:
	@PYTHON="$(PYTHON)" sh tools/prerequisites.sh demo

prerequisites-test:
	@PYTHON="$(PYTHON)" sh tools/prerequisites.sh test

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	@echo "==> Creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements/runtime.txt pyproject.toml | $(VENV)/bin/python
	@echo "==> [1/4] Installing Python packages from requirements/runtime.txt (first run: a few minutes)"
	$(BIN)/pip install --require-hashes --no-deps -r requirements/runtime.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(VENV)/bin/python
	@echo "==> [1/4] Installing Python packages from requirements/dev.txt (first run: a few minutes)"
	$(BIN)/pip install --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json package-lock.json
	@echo "==> [2/4] Installing front-end packages from package-lock.json"
	npm ci --no-audit --no-fund

static: $(STATIC)

$(STATIC): node_modules/.package-lock.json frontend/build.mjs $(wildcard frontend/src/*) $(wildcard frontend/src/*/*)
	@echo "==> [2/4] Building the front-end bundle"
	npm run --silent build

serve: install static
	$(BIN)/bridgework serve --host $(HOST) --port $(PORT)

# Refresh the lock files after changing dependencies in pyproject.toml.
lock: install-dev
	$(UV_COMPILE) --upgrade -o requirements/runtime.txt
	$(UV_COMPILE) --extra dev -c requirements/runtime.txt -o requirements/dev.txt

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# Benchmarks print a ratio against a baseline measured in the same run.
BENCHES := bench/ingest.py bench/ingest_memory.py bench/ties.py bench/paths.py bench/ona.py bench/matching.py bench/map.py bench/demo.py
bench: install-dev static
	@for b in $(BENCHES); do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules src/bridgework/static/bridgework/dist .pytest_cache
