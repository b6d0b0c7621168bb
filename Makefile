# Thin wrapper: every target sets up the venv if needed, then calls the package CLI.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOGS := .hub/logs

.PHONY: setup demo demo-stop test lint bench catalog clean

setup: $(STAMP)

# Reinstall only when the project's dependencies change; the second run is fast.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found: install Python 3.11-3.13 or run make PYTHON=/path/to/python3.12"; exit 1; }
	@mkdir -p $(LOGS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing the project into $(VENV) (log: $(LOGS)/pip.log) ..."
	@$(BIN)/python -m pip install -e '.[dev]' > $(LOGS)/pip.log 2>&1 || { tail -30 $(LOGS)/pip.log; exit 1; }
	@touch $(STAMP)

# make demo: Airflow 3 over the live demo world until Ctrl-C or `make demo-stop`;
# make demo ONCE=1: one cycle of every DAG (dag.test), print the results, exit.
demo: setup
	@$(BIN)/hub demo $(if $(ONCE),--once,)

demo-stop: setup
	@$(BIN)/hub demo-stop

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project

test: lint
	$(BIN)/python -m pytest

# After editing streams.yml: regenerate the GX suites and dbt source declarations it drives.
catalog: setup
	@$(BIN)/hub catalog write

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf .hub .demo-world expectations/gx/uncommitted
