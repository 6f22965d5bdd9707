# telbill — two entry points: `make demo` and `make test`. Everything else is a helper they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core postgresql chromium

.PHONY: demo test lint typecheck imports unit system-packages venv schema clean

# Ends by serving the API and the portal on 127.0.0.1 (Ctrl-C stops it); TELBILL_PORT picks the port.
demo: venv
	$(BIN)/telbill demo --serve

test: venv lint typecheck imports unit

# Debian packages that the Python wheels cannot carry: Pango for WeasyPrint, PostgreSQL for the throwaway
# test cluster, Chromium for the portal's browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser). Installed only when missing, so a prepared machine pays nothing.
system-packages:
	@bash scripts/ensure-debian-packages.sh $(APT_PACKAGES)

$(STAMP): pyproject.toml | system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[postgres,pdf,spark,dev]'
	touch $(STAMP)

venv: system-packages $(STAMP)

lint:
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports

# The PostgreSQL suites use TELBILL_TEST_PG_URL; when no server answers there, a throwaway cluster is started.
unit:
	@source scripts/pg-test-server.sh && $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

schema: venv
	$(BIN)/telbill catalog schema > docs/catalog.schema.json

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info
