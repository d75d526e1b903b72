# The two commands: `make run` (the application on the embedded default, with demo data)
# and `make test` (the whole suite). Both need only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup setup-dev test lint messages assets clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

run: setup
	mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the accounts above."
	@echo "The dashboards fill in within a minute or two: the figures are computed beside the server."
	$(PY) manage.py refresh_snapshots --watch 60 > var/snapshots.log 2>&1 & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .

# Extract and compile the translation catalogues (needs GNU gettext; the compiled
# .mo files are committed, so running the application does not).
messages: setup-dev
	$(PY) manage.py makemessages --no-obsolete -l nb -l da -l sv -l en --ignore ".venv/*" --ignore "assets/*" --ignore "static/*" --ignore "tests/*" --ignore "benchmarks/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

# Copy the front-end libraries from the npm registry into static/vendor (committed, so
# neither CI nor production needs node or a network). The source-map comments are
# dropped because the maps are not shipped.
assets:
	cd assets && npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p static/vendor
	sed '/sourceMappingURL=/d' assets/node_modules/bootstrap/dist/css/bootstrap.min.css > static/vendor/bootstrap.min.css
	sed '/sourceMappingURL=/d' assets/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js > static/vendor/bootstrap.bundle.min.js
	sed '/sourceMappingURL=/d' assets/node_modules/chart.js/dist/chart.umd.min.js > static/vendor/chart.umd.min.js
	cp assets/node_modules/bootstrap/LICENSE static/vendor/LICENSE.bootstrap
	cp assets/node_modules/chart.js/LICENSE.md static/vendor/LICENSE.chart.js

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
