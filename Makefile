# The single entry point: `make run` and `make test` do all set-up on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format messages compilemessages bench system venv demo migrate check clean

## run: install what is missing, migrate SQLite, load the demo year, serve on 127.0.0.1:8000
run: system venv compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) runserver $(HOST):$(PORT)

## test: the whole suite (SQLite unless DATABASE_URL says otherwise)
test: system venv compilemessages
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$rc

## test-fast: unit tests only, no browser and no real worker
test-fast: venv
	$(PY) -m pytest -m "not browser and not celery_worker" $(PYTEST_ARGS)

system:
	@bash .ci/system-packages.sh

# The virtual environment is rebuilt only when pyproject.toml changes.
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

compilemessages: venv
	@$(MANAGE) compilemessages --ignore=.venv -v 0

messages: venv
	$(MANAGE) makemessages -l th -l en --ignore=.venv --ignore=static/vendor --no-obsolete
	$(MANAGE) makemessages -d djangojs -l th -l en --ignore=.venv --ignore=static/vendor --no-obsolete

migrate: venv
	$(MANAGE) migrate --noinput

demo: venv
	$(MANAGE) load_demo

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: venv
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

bench: venv
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var db.sqlite3
