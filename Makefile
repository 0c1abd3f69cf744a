# Nordby Check-in: `make run` starts the app with demo data, `make test` runs lint and tests.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
FLASK := $(BIN)/flask --app wsgi
AXE := tests/browser/vendor/axe.min.js
TRANSLATIONS := checkin/translations
PORT ?= 5000

.PHONY: run install install-test test lint fmt extract translations

run: install translations instance/config.py
	$(FLASK) db upgrade
	$(FLASK) demo --url http://127.0.0.1:$(PORT)
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test $(AXE)
	bash scripts/install-system-deps.sh

test: install-test lint
	$(BIN)/pytest -n auto

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Compiles the catalogs (.po -> .mo); the tests compile them for themselves.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d $(TRANSLATIONS)

# Refreshes the translation template from the sources and merges it into every catalog.
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 \
		--no-location --project "Nordby Check-in" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: pip runs again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@

# Never overwritten: it holds this installation's secret key.
instance/config.py: | $(BIN)/python
	mkdir -p instance
	umask 077 && $(BIN)/python -c 'import secrets; print(f"SECRET_KEY = \"{secrets.token_hex(32)}\"")' > $@.tmp
	mv $@.tmp $@

$(AXE):
	bash scripts/vendor-axe.sh
