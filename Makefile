# The two commands of the README: `make run` (the app with demo data) and `make test` (everything).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

# Python >= 3.12: from PATH, else from pyenv's versions.
PYTHON ?= $(shell for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	p=$$(command -v $$c 2>/dev/null) || continue; \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

PO := locale/de/LC_MESSAGES/django.po
MO := locale/de/LC_MESSAGES/django.mo
# GNU gettext's msgfmt/xgettext, which compilemessages and makemessages run.
GETTEXT := command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

.PHONY: help run test lint typecheck pytest install clean-data bench messages

help:
	@echo "make run    - set up and run SRM with demo data at http://127.0.0.1:8000/"
	@echo "make test   - set up and run lint, type checks and the whole test suite"
	@echo "make bench  - the portfolio benchmark at 10 % and 100 % (BENCH_ARGS=--quick: 10 % only)"
	@echo "make messages - update the German catalogue ($(PO)) from the sources and compile it"

$(STAMP): requirements-dev.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 on PATH or pyenv)."; exit 1; }
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# The German catalogue is committed as .po; the .mo the app reads is built from it.
$(MO): $(PO) $(STAMP)
	@$(GETTEXT)
	$(PY) -m core.catalogue

install: $(STAMP) $(MO)

run: $(STAMP) $(MO)
	$(PY) -m srm.launch

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	SRM_ENV=test $(VENV)/bin/mypy .

pytest: $(STAMP) $(MO)
	$(PY) -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# The portfolio benchmark of issue 12 (README "Benchmarks"); not part of `make test`.
# BENCH_ARGS=--quick runs the whole chain on the 10 % portfolio in a few minutes.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.run $(BENCH_ARGS)

# After marking strings: add them to the German catalogue (then translate its new msgstr
# entries) and compile it. tests/core/test_i18n.py fails while one is missing.
messages: $(STAMP)
	@$(GETTEXT)
	SRM_ENV=test $(PY) manage.py makemessages -l de --no-location --no-obsolete --ignore='.venv/*' --ignore='bench/*' --ignore='tests/*'
	SRM_ENV=test $(PY) manage.py compilemessages -l de --ignore='.venv/*'

clean-data:
	rm -rf .data
