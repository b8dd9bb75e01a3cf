"""The spaCy pipeline: components that turn text into linked entities and relations.

cleanup -> [model: tok2vec, tagger, parser, lemmatizer] -> [trained: bio_tok2vec, bio_ner]
        -> abbreviations -> entity linker -> relation rules -> [trained: relation classifier, path scorer]

The shipped pipeline (`ldn_graph/models/ldn_bio`, made by `make train`) holds all of it (the prose relation
scorer, `prose_relations.py`, is added by `make train-prose` to a copy, `--model build/ldn_bio-prose`);
any other spaCy English model gets the rule-based components added on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_graph.errors import ModelError
from ldn_graph.spacy_model import DEFAULT_MODELS, SHIPPED, shipped_model

__all__ = [
    "COMPONENTS",
    "CORPUS_ONLY",
    "DEFAULT_MODELS",
    "SHIPPED",
    "load_model",
    "load_pipeline",
    "shipped_model",
]

if TYPE_CHECKING:
    from spacy.language import Language

COMPONENTS = ("ldn_text_cleanup", "ldn_abbreviations", "ldn_entity_linker", "ldn_relation_extractor")


def load_model(model: str | None = None, *, shipped: bool = True) -> Language:
    """The spaCy model named (a package or a path), or the shipped pipeline, or the first default one
    installed (`shipped=False`: skip the shipped pipeline)."""
    import spacy

    default = shipped_model() if shipped else None
    names = (model,) if model else ((str(default),) if default else ()) + DEFAULT_MODELS
    for name in names:
        try:
            # The model's own NER is not used: entities come from the lexicon.
            return spacy.load(name, exclude=["ner"])
        except OSError:
            continue
    if model:
        raise ModelError(
            f"spaCy model {model!r} is not installed (try: pip install {model}, or `make install`)"
        )
    raise ModelError("no English spaCy model installed: run `make install` (installs en_core_web_sm 3.8.0)")


# Components whose output only the corpora's document-level measures read (`corpora/predict.py`), not the
# graph: a build leaves them off.
CORPUS_ONLY = ("ldn_pair_paths",)


def load_pipeline(model: str | None = None, *, graph_only: bool = False) -> Language:
    """The full ldn-graph pipeline: the shipped one, or a spaCy English model with our components added.
    `graph_only`: with the components that serve only the corpora's measures disabled (`CORPUS_ONLY`), as a
    build runs it; the graph is the same."""
    nlp = load_model(model)
    if "ldn_entity_linker" in nlp.pipe_names:
        # a whole ldn-graph pipeline (the shipped one, or one saved from it)
        for name in CORPUS_ONLY if graph_only else ():
            if name in nlp.pipe_names:
                nlp.disable_pipe(name)
        return nlp
    nlp.add_pipe("ldn_text_cleanup", first=True)
    nlp.add_pipe("ldn_abbreviations", last=True)
    nlp.add_pipe("ldn_entity_linker", last=True)
    nlp.add_pipe("ldn_relation_extractor", last=True)
    return nlp
