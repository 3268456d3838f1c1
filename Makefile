#################################################################################
# GLOBALS                                                                       #
#################################################################################

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
SHELL := /bin/bash

# The Python that creates .venv: one of PYTHON_VERSIONS, those tests/test_environment.py resolves the lock for.
PYTHON_INTERPRETER ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
PYTHON_VERSIONS := 3.11 3.12 3.13
VENV := .venv
PY := $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.setup-done
# The whole resolved environment, with hashes; `make setup` installs exactly this set with uv.
LOCK := requirements/lock.txt
UV := $(VENV)/bin/uv
UV_PIN := $(shell sed -n 's/^\(uv==[^ ]*\).*/\1/p' $(LOCK))

## quick (CI-sized, 2 CPU cores) or full (the paper's protocol)
PROFILE ?= quick
## two-digit prefix of one notebook, e.g. NB=03 (default: all, in order)
NB ?=
## seconds of one resumable piece of notebook 02 (`make reproduce-piece PROFILE=full`)
PIECE_SECONDS ?= 480
PIECE_NOTEBOOK := $(wildcard notebooks/02_*.ipynb)
## one data set for `make data`, e.g. DATASET=cwru
DATASET ?=
## seconds of each backend's run in `make gpu-check` (two backends: about 10 minutes in all)
GPU_CHECK_SECONDS_EACH ?= 290
## the Python of the GPU machine (its image's, with PyTorch and JAX; carried wheels on PYTHONPATH)
GPU_PYTHON ?= python3

# Where runs write and figures go: $BEARINGKIT_BUILD_DIR and $BEARINGKIT_FIGURES_DIR when set (a relative one is
# taken from this folder, as bearingkit.paths takes it from the root), else build/ and figures/.
BUILD := $(or $(strip $(BEARINGKIT_BUILD_DIR)),build)
FIGURES := $(or $(strip $(BEARINGKIT_FIGURES_DIR)),figures)
ALL_NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
NOTEBOOKS := $(if $(NB),$(filter notebooks/$(NB)_%,$(ALL_NOTEBOOKS)),$(ALL_NOTEBOOKS))
EXECUTED := $(patsubst notebooks/%.ipynb,$(BUILD)/notebooks/%.ipynb,$(NOTEBOOKS))
PACKAGE_SOURCES := $(shell find src -name '*.py' -o -name '*.tsv' -o -name '*.csv' -o -name '*.mplstyle') \
                   $(wildcard data/reference/*.json)
# A notebook's run depends on the package's shared layers and on its own paper only: papers/<name>.py or the
# package papers/<name>/, where <name> is the second word of the notebook's name (00_primer_... -> primer).
PAPERS_DIR := src/bearingkit/papers
SHARED_SOURCES := $(filter-out $(PAPERS_DIR)/%,$(PACKAGE_SOURCES)) $(wildcard $(PAPERS_DIR)/__init__.py)
paper_of = $(word 2,$(subst _, ,$(notdir $(1))))
paper_sources = $(filter $(PAPERS_DIR)/$(1).py $(PAPERS_DIR)/$(1)/%,$(PACKAGE_SOURCES))
PROFILE_STAMP := $(BUILD)/.profile
NOTEBOOK_TIMEOUT ?= 3600
# Kernels draw with the inline backend (headless, and the executed notebook keeps every figure); an inherited
# MPLBACKEND=Agg would replace it and leave the notebooks without images.
NOTEBOOK_BACKEND := module://matplotlib_inline.backend_inline
# Everything else that draws runs headless.
export MPLBACKEND := Agg
# A sibling mirror of the data sets (../shared/data on the project machines) is used when present.
BEARINGKIT_DATA_MIRROR ?= $(abspath $(wildcard ../shared/data))
export BEARINGKIT_DATA_MIRROR
# ... and a sibling mirror of the pretrained models (../shared/models), layout <mirror>/<model>/<file>.
BEARINGKIT_MODEL_MIRROR ?= $(abspath $(wildcard ../shared/models))
export BEARINGKIT_MODEL_MIRROR

#################################################################################
# COMMANDS                                                                      #
#################################################################################

## Create .venv with exactly the locked environment (requirements/lock.txt; idempotent)
.PHONY: setup
setup: $(SETUP_STAMP)

$(SETUP_STAMP): $(LOCK) pyproject.toml
	@$(PYTHON_INTERPRETER) -c 'import sys; found = "%d.%d" % sys.version_info[:2]; wanted = "$(PYTHON_VERSIONS)".split(); \
	  sys.exit(None if found in wanted else "bearingkit needs Python " + ", ".join(wanted) + ", found " + found + \
	  " at $(PYTHON_INTERPRETER): set PYTHON_INTERPRETER=/path/to/python3.11 (or 3.12, 3.13)")'
	test -x $(PY) || $(PYTHON_INTERPRETER) -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install --quiet --no-deps $(UV_PIN)
	$(UV) pip sync --quiet --python $(PY) --require-hashes $(LOCK)
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (bearingkit)" >/dev/null
	touch $@

## Execute the notebooks with papermill (PROFILE=quick|full, NB=03 for one); only changed ones rerun
.PHONY: reproduce
reproduce: $(SETUP_STAMP) $(EXECUTED)
	@if [ -z "$(NOTEBOOKS)" ]; then echo "no notebook matches NB=$(NB)"; exit 2; fi
	@echo "executed notebooks: $(BUILD)/notebooks/  figures: $(FIGURES)/  results: $(BUILD)/results/"

$(PROFILE_STAMP): FORCE
	@mkdir -p $(@D)
	@echo "$(PROFILE)" | cmp -s - $@ || echo "$(PROFILE)" > $@

$(BUILD)/notebooks/%.ipynb: notebooks/%.ipynb $(SHARED_SOURCES) $(PROFILE_STAMP) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	MPLBACKEND=$(NOTEBOOK_BACKEND) $(VENV)/bin/papermill $< $@ -k python3 --cwd notebooks -p profile $(PROFILE) \
	  --execution-timeout $(NOTEBOOK_TIMEOUT) --no-progress-bar

$(foreach notebook,$(ALL_NOTEBOOKS),\
  $(eval $(BUILD)/notebooks/$(notdir $(notebook)): $(call paper_sources,$(call paper_of,$(notebook)))))

## Run notebook 02 for at most PIECE_SECONDS more (no trial starts later); rerun until it reports no run unfinished
.PHONY: reproduce-piece
reproduce-piece: $(SETUP_STAMP)
	@mkdir -p $(BUILD)/notebooks
	MPLBACKEND=$(NOTEBOOK_BACKEND) $(VENV)/bin/papermill $(PIECE_NOTEBOOK) $(BUILD)/notebooks/$(notdir $(PIECE_NOTEBOOK)) \
	  -k python3 --cwd notebooks -p profile $(PROFILE) -p piece_seconds $(PIECE_SECONDS) \
	  --execution-timeout $(NOTEBOOK_TIMEOUT) --no-progress-bar

## Fetch and verify the pinned data files (all four sets: about 20 GB); DATASET=cwru for one set
.PHONY: data
data: $(SETUP_STAMP)
	$(PY) -m bearingkit.data fetch $(if $(DATASET),--dataset $(DATASET))

# pytest with the arguments given; exit status 5 (no test collected) is reported as the failure it is.
run_pytest = $(PY) -m pytest $(1) || { status=$$?; [ $$status -ne 5 ] || echo "pytest collected no tests: a failure" >&2; exit $$status; }

## Run the whole test suite: test-fast, then the notebooks (quick profile) and the slow tests, two at a time
.PHONY: test
test: test-fast
	$(call run_pytest,-m "notebook or slow" -n 2 --dist loadfile --no-loadscope-reorder --durations=20 tests)

# Two processes, one BLAS thread each, handed one file at a time in the order tests/conftest.py gives them
# (longest first): the notebooks', the site's (which reads every notebook's run), then the slow tests.
test: export OMP_NUM_THREADS = 1

## Run the unit tests and docstring examples, not the notebooks nor the slow tests (two processes, file by file)
.PHONY: test-fast
test-fast: $(SETUP_STAMP)
	$(call run_pytest,-m "not notebook and not slow" -n 2 --dist loadfile)

# One BLAS/OpenMP thread: on two shared cores, threads that wait for each other made the RBF network's
# estimator checks take 42 s instead of 0.6 s.
test-fast: export OMP_NUM_THREADS = 1

## Print the speed and memory table of the hot paths; fails when a case misses its target
.PHONY: bench
bench: $(SETUP_STAMP)
	$(PY) benchmarks/run.py

## On a GPU machine: notebook 02's full profile (simulated MAFAULDA-like rig) under JAX and PyTorch, per-trial times
.PHONY: gpu-check
gpu-check:
	for backend in jax torch; do \
	  KERAS_BACKEND=$$backend PYTHONPATH=src:$$PYTHONPATH timeout $(GPU_CHECK_SECONDS_EACH) \
	    $(GPU_PYTHON) benchmarks/gpu_check.py --seconds $$(( $(GPU_CHECK_SECONDS_EACH) - 60 )) || exit $$?; \
	done

## Download, here, the wheels gpu-check needs on the GPU image (Python 3.12, no network there) into .whl/
.PHONY: gpu-wheels
gpu-wheels: $(SETUP_STAMP)
	$(PY) -m pip download --quiet --only-binary=:all: --python-version 3.12 --implementation cp \
	  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl \
	  $$(grep -E '^(keras|optuna|lightgbm|scikit-optimize|pooch|pywavelets|sqlalchemy|alembic|hmmlearn|namex|optree|rich|h5py|colorlog|mako|greenlet|platformdirs|pyaml)==' $(LOCK) | cut -d' ' -f1)

## Lint src, tests, benchmarks and the notebooks with ruff, and check the package's import layers
.PHONY: lint
lint: $(SETUP_STAMP)
	$(VENV)/bin/ruff check conftest.py src tests benchmarks notebooks
	$(VENV)/bin/lint-imports

## Build the website (Sphinx: build/site/index.html) and build/scorecard.csv from the last `make reproduce`
.PHONY: book
book: $(SETUP_STAMP)
	@mkdir -p $(BUILD)
	$(PY) -m sphinx -b html -q -d $(BUILD)/doctrees -w $(BUILD)/site-warnings.txt docs $(BUILD)/site
	@echo "site: $(BUILD)/site/index.html  scorecard: $(BUILD)/scorecard.csv  (warnings: $(BUILD)/site-warnings.txt)"

## Strip outputs and execution counts from the committed notebooks
.PHONY: strip
strip: $(SETUP_STAMP)
	$(VENV)/bin/nbstripout --keep-id $(ALL_NOTEBOOKS)

## Delete generated files (executed notebooks, figures, results); keeps .venv and the data cache
.PHONY: clean
clean:
	rm -rf build figures/*/
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

.PHONY: FORCE
FORCE:

#################################################################################
# Self Documenting Commands                                                     #
#################################################################################

## Show this help
.PHONY: help
help:
	@awk '/^## / {doc = substr($$0, 4); next} /^\.PHONY/ {next} \
	  doc && /^[a-z_-]+:/ {sub(/:.*/, ""); printf "  make %-10s %s\n", $$0, doc; doc = ""; next} \
	  doc && /^[A-Z_]+ \?=/ {split($$0, kv, / \?= ?/); printf "  %-15s %s [%s]\n", kv[1] "=", doc, kv[2]; doc = ""; next} \
	  {doc = ""}' $(MAKEFILE_LIST)
