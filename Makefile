# Casebridge developer tasks. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The interpreter .venv is made from: the first CPython 3.11 that can make a virtualenv, the distribution's
# first. Debian's (and the python:3.11 Docker image's, which production runs) is built with profile-guided and
# link-time optimisation; a pyenv build made without --enable-optimizations runs Casebridge's Python 8-25%
# slower (the synthetic data generator's builders 8-13%, measured side by side). `make venv PYTHON=...` to choose.
PYTHON ?= $(firstword $(foreach p,/usr/bin/python3.11 /usr/local/bin/python3.11 python3.11,$(shell \
	$(p) -c 'import ensurepip, sys; assert sys.version_info[:2] == (3, 11); print("$(p)")' 2>/dev/null)) python3.11)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help venv run test lint format vendor-frontend refresh-reference-data openapi bench clean

help:
	@echo "make venv                    create/refresh .venv (only when pyproject.toml or constraints.txt changed)"
	@echo "make run                     run Casebridge locally with demo data: web, Celery worker and beat"
	@echo "make test [PYTEST_ARGS=...]  run the test suite (see scripts/test-env.sh for PostgreSQL/Redis)"
	@echo "make lint                    ruff check, ruff format --check, mypy"
	@echo "make format                  ruff format and ruff's safe fixes"
	@echo "make openapi                 regenerate openapi/schema.yaml"
	@echo "make vendor-frontend         refresh vendored front-end assets"
	@echo "make refresh-reference-data  refresh vendored MoJ standing data"
	@echo "make bench [BENCH_ARGS=...]  run the benchmarks (BENCH_ARGS=--quick: small sizes; or a name and its options)"
	@echo "make clean                   remove caches and build output (keeps .venv and var/)"

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -c constraints.txt -e '.[dev]'
	@touch $@

run: venv
	$(PY) scripts/devserver.py

test: venv
	. scripts/test-env.sh && $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

vendor-frontend:
	bash scripts/vendor-frontend.sh

refresh-reference-data: venv
	bash scripts/refresh-reference-data.sh

openapi: venv
	@mkdir -p openapi
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py spectacular --file openapi/schema.yaml --validate --fail-on-warn

bench: venv
	@if [ -f benchmarks/__main__.py ]; then \
		. scripts/test-env.sh && $(PY) -m benchmarks $(BENCH_ARGS); \
	else \
		echo "no benchmarks yet"; \
	fi

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache test-results htmlcov .coverage .coverage.* var/staticfiles build dist
	find . \( -path ./$(VENV) -o -path ./var -o -path ./.git -o -path ./node_modules \) -prune \
		-o -type d -name __pycache__ -exec rm -rf {} +
