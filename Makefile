# One command per workflow. README, .ci/run and contributors all use these targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test test-slow install lint format chromium nginx data boundaries synthetic bench store clean help i18n pdf-libs
SOURCE ?= data
STORE ?= store/smartcities.duckdb

help:
	@echo "make run    - install if needed and serve the dashboard at http://localhost:$(PORT)"
	@echo "make test   - install test dependencies (incl. Debian chromium), lint, run all tests"
	@echo "make test-slow - timing and memory tests (marked slow; not part of make test)"
	@echo "make bench  - benchmark at S/M/L scale (writes benchmarks/RESULTS.md)"
	@echo "make data   - rebuild data/ from ../shared/reference"
	@echo "make boundaries - rebuild data/boundaries/ from ../shared/boundaries"
	@echo "make store  - validate SOURCE (default data/) once into STORE (default $(STORE))"
	@echo "make i18n   - extract interface text, update the Hindi catalog, compile it"

$(PY):
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "python3 venv missing; installing python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && \
	  $(PYTHON) -m venv $(VENV); }

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

install: $(STAMP) pdf-libs

# The printable brief prints through WeasyPrint, which needs Pango (with HarfBuzz) from Debian.
pdf-libs:
	@[ -n "$$(find /usr/lib /usr/lib64 -maxdepth 2 -name 'libpango-1.0.so.0' 2>/dev/null)" ] || { \
	  echo "Installing Debian's Pango for the PDF brief (WeasyPrint)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 \
	    libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 >/dev/null; }

# Message catalogs (see smartcities/i18n.py). The compiled .mo is committed, so an install needs
# no build step; run this after changing interface text or editing the .po, then commit both.
LOCALE := smartcities/locale
i18n: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -o $(LOCALE)/messages.pot --no-location \
	  --sort-output --project=smartcities --version=0.1.0 \
	  --copyright-holder="Smart Cities Mission dashboard contributors" -c TRANSLATORS: .
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages \
	  --no-fuzzy-matching --ignore-obsolete -w 100
	$(VENV)/bin/pybabel compile -d $(LOCALE) -D messages --statistics

run: install
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT) --server.headless true $(if $(STORE_PATH),-- --store $(STORE_PATH),$(if $(DATA_DIR),-- --data-dir $(DATA_DIR),))

# Validate once, serve many: a read-only store any number of app processes can serve.
store: install
	$(PY) -m smartcities build $(SOURCE) --out $(STORE)

# Browser tests drive Debian's chromium (no browser download is possible here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-core >/dev/null; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The deploy test runs two app processes behind Debian's nginx (its own instance, in a temp
# folder, on a free port): the package's system service is not needed, so it is stopped and
# disabled where the package started one.
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  echo "Installing Debian's nginx for the deploy test"; \
	  $(SUDO) apt-get update -qq && \
	  { DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx-light >/dev/null || \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; } && \
	  { $(SUDO) systemctl disable --now nginx >/dev/null 2>&1 || true; }; }

test: install chromium nginx lint
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# Timing and memory measurements: they need a quiet machine, so make test leaves them out.
test-slow: install
	$(PY) -m pytest -m slow -n 0 $(PYTEST_ARGS)

data: install
	$(PY) scripts/build_data.py

boundaries: install
	$(PY) scripts/build_boundaries.py

bench: install chromium
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
