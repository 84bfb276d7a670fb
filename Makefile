# Two commands for a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= out/demo.db

.PHONY: setup demo test lint typecheck system-deps clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# Debian packages the tests use: PostgreSQL 15 server binaries and Chromium for browser tests.
system-deps:
	@bash scripts/system-deps.sh

demo: setup
	$(BIN)/newsfuse demo --db $(DEMO_DB) --out out

lint: setup
	$(BIN)/ruff check newsfuse tests bench
	$(BIN)/mypy newsfuse

test: setup system-deps lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
