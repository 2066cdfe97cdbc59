# Two commands do all set-up on a fresh Debian machine:  make extract  |  make test
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DEB_STAMP := $(VENV)/.debian
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB_PACKAGES := tesseract-ocr tesseract-ocr-jpn fonts-ipaexfont-gothic
WORKERS ?=
ARGS ?=

.PHONY: help setup setup-dev debian extract extract-dask report test bench bench-quick lint fixtures corpus clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

# Runtime packages only (extract, report, export): the pinned dependencies of pyproject.toml.
$(STAMP): pyproject.toml
	@echo "setting up $(VENV): the pinned runtime packages of pyproject.toml (PyMuPDF, pandas, pyarrow, matplotlib, PP-OCR/onnxruntime, Tesseract bindings, OpenCV ...); a few minutes the first time"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# The test and lint tools on top (the [dev] extra: pytest, hypothesis, ruff, import-linter, duckdb, polars,
# nbclient, Dask): only for make test / lint / bench.
$(DEV_STAMP): $(STAMP)
	@echo "installing the dev extra into $(VENV): pytest, hypothesis, ruff, import-linter, duckdb, polars, nbclient/ipykernel, Dask"
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Debian packages that later stages need (OCR). Installed when missing, never assumed.
$(DEB_STAMP): | $(STAMP)
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	touch $@

setup: $(STAMP) $(DEB_STAMP)  ## create .venv, install the pinned runtime packages and Debian packages

setup-dev: setup $(DEV_STAMP)  ## setup, plus the dev extra (tests, lint, notebook kernel, Dask)

debian: $(DEB_STAMP)

extract: setup  ## run the main job: data/raw -> data/parsed
	$(BIN)/python -m pipelines extract data/raw --out data/parsed $(if $(WORKERS),--workers $(WORKERS)) $(ARGS)
	@echo "tables in data/parsed/ (documents, fields, ratings, checkboxes, pages, manifest); see docs/data-dictionary.md"
	@echo "report: make report -> data/report/report.html"

extract-dask: setup-dev  ## the main job on a local Dask cluster (SCHEDULER=tcp://host:8786 for a real one)
	$(BIN)/python -m pipelines extract data/raw --out data/parsed --executor dask \
	  $(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(WORKERS),--workers $(WORKERS)) $(ARGS)

report: setup  ## comparison report (HTML + CSV) from data/parsed
	$(BIN)/python -m pipelines report --parsed data/parsed --out data/report/report.html

test: setup-dev  ## run the whole test suite
	$(BIN)/python -m pytest tests

lint: setup-dev  ## ruff, and the layer contracts (import-linter, [tool.importlinter] in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup-dev  ## accuracy and speed benchmark on the committed fixtures (full), then the scaling table
	$(BIN)/python -m pipelines.bench
	$(BIN)/python -m pipelines.bench.scaling

bench-quick: setup-dev  ## the benchmark's quick mode (as run in CI)
	$(BIN)/python -m pipelines.bench --quick
	$(BIN)/python -m pipelines.bench.scaling --quick

fixtures: setup  ## re-render the fixture PDFs, answer keys and scans (PyMuPDF's CJK font; no extra installs)
	$(BIN)/python -m tools.render_fixtures
	$(BIN)/python -m tools.scan

ROUND ?= 2
corpus: setup  ## render a new round of the independent corpus (ROUND=n): LibreOffice + reportlab, fixture-only installs
	@dpkg -s libreoffice-calc >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreoffice-calc fonts-noto-cjk >/dev/null; }
	$(BIN)/pip install -q -e '.[fixtures]'
	$(BIN)/python -m tools.corpus --round $(ROUND) --out tests/fixtures/corpus/round$(ROUND)
	$(BIN)/python -m tools.corpus --check tests/fixtures/corpus/round$(ROUND)
	@echo "measure it once, untouched, before tuning: $(BIN)/python -m pipelines.bench --corpus-only"

clean:  ## remove outputs (not the venv)
	rm -rf data/parsed/* .pytest_cache .bench
