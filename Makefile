# MotCua. `make help` lists the targets.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install run test lint typecheck migrations-check pytest messages makemessages browser-deps bench clean

help: ## Show this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v $(PY) >/dev/null || { echo "Cần Python 3.11 ($(PY)) / Python 3.11 is required"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## Create .venv and install pinned dependencies

messages: install ## Compile the translations (.po -> .mo)
	@command -v msgfmt >/dev/null || apt-get install -y -q gettext >/dev/null
	DEBUG=1 $(BIN)/python manage.py compilemessages -v 0 --ignore=.venv --ignore=var

makemessages: install ## Refresh the .po files from the code
	DEBUG=1 $(BIN)/python manage.py makemessages -l en -l vi --ignore=.venv --ignore=var --ignore=benchmarks --no-obsolete

run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install messages ## Set up and serve on http://127.0.0.1:$(PORT) with demo data (SQLite) + a task worker
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@# The task worker (notifications) and the deadline warnings (every 5 minutes) run beside
	@# the web server and stop with it.
	DEBUG=1 $(BIN)/python manage.py db_worker --interval 2 -v 0 & worker=$$!; \
	  DEBUG=1 $(BIN)/python manage.py dossiers_warn --every 300 >/dev/null & warn=$$!; \
	  trap 'kill $$worker $$warn 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install ## ruff lint + format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install ## mypy (strict on motcua)
	$(BIN)/mypy motcua config

migrations-check: install ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

browser-deps: ## Debian's chromium for the browser journeys
	@command -v chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }

pytest: install messages browser-deps ## The test suite only (DATABASE_URL picks the database)
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test: lint typecheck migrations-check pytest ## Lint, type checks, migrations check and every test

bench: install ## Benchmarks (print figures against a baseline measured in the same run)
	@for b in benchmarks/*.py; do echo "== $$b"; DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python $$b || exit 1; done

clean: ## Remove .venv and var/ (the SQLite database, generated keys, uploads)
	rm -rf $(VENV) var
