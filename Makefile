# frontdesk: every set-up step lives here, so a fresh machine needs only Python 3.11 and pip.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The example third-party plugin in docs/ is installed and tested like the shipped ones.
EXAMPLE_PLUGIN := docs/examples/plugin
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(wildcard plugins/*/pyproject.toml)) $(EXAMPLE_PLUGIN)
STAMP  := $(VENV)/.installed

.PHONY: install test lint typecheck pytest demo docs docs-reference docs-figures benchmarks system-deps clean catalogs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml $(wildcard plugins/*/pyproject.toml) $(EXAMPLE_PLUGIN)/pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,plot,postgres,dask]' $(foreach p,$(PLUGIN_DIRS),-e '$(p)[test]')
	touch $(STAMP)

install: $(STAMP) system-deps

# System packages the tests need (a browser for the display plugin's tests).
system-deps:
	@bash .ci/system-deps

LINT_PATHS := src tests $(wildcard plugins benchmarks scripts) $(EXAMPLE_PLUGIN)

# lint-imports checks the import contract in pyproject.toml ([tool.importlinter]): the plugins
# reach the core only through frontdesk_core.api, .hookspecs and .testing. It finds the
# plugins' packages because they are installed (editable) in the venv.
lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy src $(foreach p,$(PLUGIN_DIRS),$(p)/src)

# Each distribution's tests run on their own: their conftest modules share names.
pytest: install
	$(BIN)/python -m pytest -q tests
	@set -e; for p in $(PLUGIN_DIRS); do \
		echo "== $$p"; (cd $$p && $(CURDIR)/$(BIN)/python -m pytest -q tests); done

test: lint typecheck pytest

# The demo needs the core and the display plugin only: no test tools, no system packages,
# no root (DEMO_STAMP is its own, so `make demo` on a fresh machine installs just that).
DEMO_STAMP := $(VENV)/.demo-installed
$(DEMO_STAMP): $(BIN)/python pyproject.toml plugins/display/pyproject.toml
	$(BIN)/pip install --quiet -e . -e plugins/display
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	@bash scripts/demo.sh

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# The display's translation catalogs: extract every message of its code and templates into the
# template (.pot), then merge it into each language's .po (new messages come in untranslated).
DISPLAY_LOCALE := src/frontdesk_display/i18n/locale
catalogs: $(STAMP)
	cd plugins/display && $(CURDIR)/$(BIN)/pybabel extract -F babel.cfg -k N_ \
		--add-location=file --sort-by-file --project=frontdesk-display \
		--copyright-holder="frontdesk contributors" -c "Translators:" \
		-o $(DISPLAY_LOCALE)/frontdesk_display.pot . \
	&& $(CURDIR)/$(BIN)/pybabel update -D frontdesk_display -w 100 \
		-i $(DISPLAY_LOCALE)/frontdesk_display.pot -d $(DISPLAY_LOCALE)

docs-reference: $(STAMP)
	$(BIN)/python -m frontdesk_core.docgen docs/reference

# The planner tutorial's pictures, simulated from the example scenarios.
docs-figures: $(STAMP)
	$(BIN)/python scripts/planner_figures.py docs/img

# Benchmarks compare against other tools (Ciw), installed from the `bench` extra.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

benchmarks: install $(BENCH_STAMP)
	@for b in benchmarks/bench_*.py $(wildcard plugins/*/benchmarks/bench_*.py); do \
		echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
