# Nordby Check-in: `make run` starts the app with demo data, `make test` runs lint and tests.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
FLASK := $(BIN)/flask --app wsgi
# `make run` is a developer's or a demo's single process, never a deployment.
DEV_FLASK := CHECKIN_ENVIRONMENT=development $(FLASK)
AXE := tests/browser/vendor/axe.min.js
NODE_BIN := node_modules/.bin
NODE_DEPS := node_modules/.installed
TRANSLATIONS := checkin/translations
PORT ?= 5000

.PHONY: run install install-test install-node test lint fmt extract translations lock

run: install translations instance/config.py
	$(DEV_FLASK) db upgrade
	$(DEV_FLASK) demo --url http://127.0.0.1:$(PORT)
	$(DEV_FLASK) run --host 127.0.0.1 --port $(PORT)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test $(AXE) $(NODE_DEPS)
	bash scripts/install-system-deps.sh

# ESLint and the node test runner's helpers (package.json); nothing the browser loads.
install-node: $(NODE_DEPS)

# Uses the local PostgreSQL too when one answers on 127.0.0.1:5432, and says which databases run.
test: install-test lint
	node --test tests/js/*.test.js
	$(BIN)/python scripts/test-database.py $(BIN)/pytest -n auto

lint: $(VENV)/.installed-test $(NODE_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(NODE_BIN)/eslint static/js tests/js eslint.config.js
	$(BIN)/mypy

fmt: $(VENV)/.installed-test $(NODE_DEPS)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(NODE_BIN)/eslint --fix static/js tests/js eslint.config.js

# Compiles the catalogs (.po -> .mo); the tests compile them for themselves.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d $(TRANSLATIONS)

# Refreshes the translation template from the sources and merges it into every catalog.
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 \
		--no-location --sort-output --project "Nordby Check-in" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: pip runs again only when a lock file or pyproject.toml changes. The lock files pin
# every package with its hashes; `pip check` fails when pyproject.toml asks for a package the
# lock files lack (then run `make lock`).
PIP_CHECK := $(PIP) check || { echo "install: pyproject.toml asks for more than the lock \
	files have: run make lock" >&2; exit 1; }
$(VENV)/.installed: requirements/app.txt pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements/app.txt
	$(PIP) install --no-deps -e .
	$(PIP_CHECK)
	touch $@

$(VENV)/.installed-test: requirements/test.txt pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements/test.txt
	$(PIP) install --no-deps -e .
	$(PIP_CHECK)
	touch $@

# Stamp: npm ci runs again only when package-lock.json changes. Debian's nodejs/npm are
# installed first when npm is missing.
$(NODE_DEPS): package-lock.json
	command -v npm >/dev/null 2>&1 || bash scripts/install-system-deps.sh
	npm ci --no-audit --no-fund
	touch $@

# Refreshes the lock files from pyproject.toml: the app's packages, and the tests' (which
# include the app's at the same versions). Existing pins stay unless pyproject.toml needs
# others; `make lock LOCKFLAGS=--upgrade` moves every pin to the newest release allowed.
# pip-tools lives in a venv of its own: only this target needs it.
LOCK_VENV := .venv-lock
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) $(LOCKFLAGS) -o requirements/app.txt pyproject.toml
	$(PIP_COMPILE) $(LOCKFLAGS) --extra test -c requirements/app.txt -o requirements/test.txt \
		pyproject.toml

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --disable-pip-version-check --quiet pip-tools==7.6.2

# Never overwritten: it holds this installation's secret key.
instance/config.py: | $(BIN)/python
	mkdir -p instance
	umask 077 && $(BIN)/python -c 'import secrets; print(f"SECRET_KEY = \"{secrets.token_hex(32)}\"")' > $@.tmp
	mv $@.tmp $@

$(AXE):
	bash scripts/vendor-axe.sh
