# Bridgework: two commands on a fresh machine.
#   make demo   install into .venv, load the demo organization, serve on :8000
#   make test   install the dev dependencies and run the whole test suite

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STATIC := src/bridgework/static/bridgework/dist/app.js

.PHONY: demo test install install-dev static lint bench serve clean

demo: install static
	$(BIN)/bridgework demo --if-empty
	$(BIN)/bridgework serve --host $(HOST) --port $(PORT)

test: install-dev static
	$(BIN)/pytest

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static: $(STATIC)

$(STATIC): node_modules/.package-lock.json frontend/build.mjs $(wildcard frontend/src/*) $(wildcard frontend/src/*/*)
	npm run --silent build

serve: install static
	$(BIN)/bridgework serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

# Benchmarks print a ratio against a baseline measured in the same run.
BENCHES := bench/ingest.py bench/ties.py bench/paths.py bench/ona.py bench/matching.py
bench: install-dev
	@for b in $(BENCHES); do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules src/bridgework/static/bridgework/dist .pytest_cache
