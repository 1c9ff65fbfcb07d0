# Renshi — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := renshi/core/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install assets lint format serve bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.installed: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/pell/dist/pell.min.js node_modules/pell/dist/pell.min.css $(VENDOR)/
	# WhiteNoise sends these gzip copies to browsers that accept them (the public pages stay light).
	gzip -kf9 $(VENDOR)/*.css $(VENDOR)/*.js
	touch $@

install: $(VENV)/.installed
assets: $(VENDOR)/.installed

# The task worker (large imports) runs beside the server and stops when the server exits.
demo: install assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_city
	$(PY) manage.py load_demo_exams
	$(PY) manage.py load_demo_exam_admin
	$(PY) manage.py load_service_items
	$(PY) manage.py load_demo_cases
	$(PY) manage.py load_demo_portal
	$(PY) manage.py load_demo_sunshine
	$(PY) manage.py load_demo_policies
	$(PY) manage.py load_demo_talent
	$(PY) manage.py collectstatic --no-input -v 0
	@echo "Renshi demo: http://$(HOST):$(PORT)/  (accounts above; Ctrl-C to stop)"
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py clock --every 60 > /dev/null & clock=$$!; \
	trap 'kill $$worker $$clock 2>/dev/null; wait $$worker $$clock 2>/dev/null' EXIT INT TERM; \
	REQUIRE_STAFF_2FA=0 DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install assets lint
	@if [ -x /usr/bin/chromium ]; then echo "browser tests: using /usr/bin/chromium"; \
	 else echo "browser tests: SKIPPED — /usr/bin/chromium is not installed (apt-get install chromium)"; fi
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

bench: install
	@echo "see bench/README.md"

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
