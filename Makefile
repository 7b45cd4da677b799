# Two commands for a fresh Debian 12 machine (as root): `make build` and `make test`.
# Each installs what it needs first (Debian packages, then a .venv with the Python packages).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
# axe-core, the accessibility checker the browser tests run on the site (tests/test_site_a11y.py):
# an npm package installed into tests/vendor/ (gitignored) by deps-test, then used offline.
AXE_CORE := 4.14.1
AXE_DIR  := tests/vendor

.PHONY: build test deps deps-test lint format bench clean

deps:
	bash scripts/install-debian-deps.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c "import bulletin, weasyprint" 2>/dev/null && cmp -s pyproject.toml $(VENV)/.pyproject-installed \
	  || ( $(PIP) install -q --upgrade pip && $(PIP) install -q -e . && cp pyproject.toml $(VENV)/.pyproject-installed )

deps-test: deps
	bash scripts/install-debian-deps.sh --with-test
	@cmp -s pyproject.toml $(VENV)/.pyproject-test-installed \
	  || ( $(PIP) install -q -e '.[test]' && cp pyproject.toml $(VENV)/.pyproject-test-installed )
	@grep -qs '"version": "$(AXE_CORE)"' $(AXE_DIR)/node_modules/axe-core/package.json \
	  || npm install --prefix $(AXE_DIR) --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_CORE)

build: deps
	$(PY) build.py --all

test: deps-test
	$(PY) -m ruff check bulletin tests bench scripts build.py
	$(PY) -m pytest

lint: deps-test
	$(PY) -m ruff check bulletin tests bench scripts build.py

format: deps-test
	$(PY) -m ruff format bulletin tests bench scripts build.py

bench: deps
	$(PY) bench/run.py

clean:
	rm -rf output .pytest_cache
