# OneStop: the two commands most people need are `make demo` and `make test`.
# GNU make, bash. Everything is installed into ./.venv; the demo database lives in ./var/.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
ONESTOP := $(BIN)/onestop
INSTALL_STAMP := $(VENV)/.onestop-installed

# Front-end assets (GOV.UK Frontend CSS/JS) are built by npm into VENDOR.
VENDOR := onestop/core/static/vendor
NPM_STAMP := node_modules/.onestop-npm-ci
BUILD_STAMP := node_modules/.onestop-built
ASSET_SOURCES := $(shell find assets -type f 2>/dev/null)

DEMO_ADDR ?= 127.0.0.1:8000
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

# DATABASE_URL (SQLite under ./var/ when unset) reaches every command, whether it comes from
# the environment or from `make test DATABASE_URL=...`.
ifdef DATABASE_URL
export DATABASE_URL
endif

.PHONY: help demo test lint format messages bench install assets clean distclean

help:
	@echo "make demo      install, build assets, migrate, load demo data, serve on http://$(DEMO_ADDR)/"
	@echo "make test      install, build assets, run the whole test suite (DATABASE_URL is passed on)"
	@echo "make lint      ruff check, ruff format --check, mypy"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make messages  update and compile the zh_Hans translations"
	@echo "make bench     run the scripts under benchmarks/"
	@echo "make clean     remove the database, built assets and caches (keeps .venv)"
	@echo "make distclean clean, and remove .venv and node_modules too"

# ----- installation ----------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "error: OneStop needs Python 3.11; '$(PYTHON)' is not (set PYTHON=... to choose one)." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

# Re-installed only when pyproject.toml changes.
$(INSTALL_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e '.[dev]'
	@touch $@

install: $(INSTALL_STAMP)

# npm ci only when the lock file changes; the build only when its inputs change or the
# output is missing.
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "error: npm not found. It builds OneStop's CSS (GOV.UK Frontend): install Node.js" \
	       "and npm (Debian: apt-get install nodejs npm), then run make again." >&2; \
	  exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(BUILD_STAMP): $(NPM_STAMP) package.json $(ASSET_SOURCES)
	npm run build
	@touch $@

assets:
ifeq ($(wildcard package.json),)
	@echo "No package.json: no front-end assets to build."
else
	@[ -n "$$(ls -A $(VENDOR) 2>/dev/null)" ] || rm -f $(BUILD_STAMP)
	@$(MAKE) --no-print-directory -q $(BUILD_STAMP) || $(MAKE) --no-print-directory $(BUILD_STAMP)
endif

# ----- the two main commands -------------------------------------------------------------

# Serves with Django's runserver (static files come from whitenoise, no collectstatic) and
# runs a task worker beside it, so the verification emails appear in this terminal.
demo: install assets
	$(ONESTOP) migrate --noinput
	$(ONESTOP) load_demo
	@echo
	@echo "OneStop demo: http://$(DEMO_ADDR)/  (admin: http://$(DEMO_ADDR)/admin/, Ctrl-C stops)"
	@$(ONESTOP) worker --interval 2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null || true' EXIT; \
	  $(ONESTOP) runserver $(DEMO_ADDR)

test: install assets
	@echo "Database: $${DATABASE_URL:-SQLite under ./var/}"
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# ----- quality ---------------------------------------------------------------------------

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy onestop

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# makemessages runs inside the package so that it writes onestop/locale/.
messages: install
	mkdir -p onestop/locale
	cd onestop && ONESTOP_VAR_DIR="$(CURDIR)/var" $(abspath $(ONESTOP)) makemessages -l zh_Hans \
	  --no-obsolete --ignore 'static/*' --ignore '*/static/*'
	cd onestop && ONESTOP_VAR_DIR="$(CURDIR)/var" $(abspath $(ONESTOP)) compilemessages -l zh_Hans

bench: install
	@shopt -s nullglob; scripts=(benchmarks/[!_]*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmarks yet (add scripts under benchmarks/)."; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
	  echo "== $$script"; DJANGO_SETTINGS_MODULE=onestop.settings $(BIN)/python "$$script"; \
	done

# ----- cleaning --------------------------------------------------------------------------

clean:
	rm -rf var $(VENDOR) build dist test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis
	rm -f $(NPM_STAMP) $(BUILD_STAMP)
	find onestop benchmarks -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true

distclean: clean
	rm -rf $(VENV) node_modules onestop.egg-info
