# coprod-analysis: `make help` lists the targets. Every target sets itself up first.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINTED := $(wildcard conftest.py src tests benchmarks scripts)

.PHONY: help setup report ingest agreement test lab lint clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "error: Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing coprod-analysis and its dependencies into $(VENV) (first time: a few minutes)"
	@# torch from pip: it finds the CPU build these machines keep on disk (uv would download a
	@# CUDA build of several GB). The rest with uv, about 4 times faster than pip here
	@# (benchmarks/bench_install.py); pip is the fallback when uv cannot be had.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev]" \
		|| $(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the package with its dev extras (seconds when nothing changed)

report: setup ## Run the whole job on data/raw: every table, chart and report
	$(BIN)/coprod report

ingest: setup ## Only read data/raw into data/processed (sessions, segments, responses)
	$(BIN)/coprod ingest

test: setup ## Run the tests and check the notebooks (pytest + nbval), on every core
	$(BIN)/pytest -n auto --dist loadfile

agreement: setup ## Print the tagger's agreement with the hand-coded sample and the development set
	$(BIN)/coprod ingest > /dev/null
	$(BIN)/coprod agreement

# The whole project is in reach (config/codebook.yml, data/, reports/); the lab opens on notebooks/.
# --allow-root: in a container the user is often root, and JupyterLab refuses root without it.
lab: setup ## Open JupyterLab on the project, at notebooks/
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

lint: setup ## Check the code: ruff (style, format) and mypy (types, on src/)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

clean: ## Remove generated outputs (data/processed, reports); never touches data/raw
	find data/processed reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
