"""Assemble the shipped pipeline: the base English model's parser, the trained components, ours.

    ldn_text_cleanup -> tok2vec, tagger, parser, attribute_ruler, lemmatizer (en_core_web_sm)
    -> ldn_lexicon_features -> bio_tok2vec, bio_ner (trained) -> ldn_abbreviations
    -> ldn_entity_linker (+ learned names) -> ldn_relation_extractor (rules)
    -> ldn_relation_classifier (trained) -> ldn_pair_paths (trained on the assembled pipeline)

The result is one spaCy pipeline folder (config, meta, weights) that `spacy.load(path)` loads whole.
"""

from __future__ import annotations

from pathlib import Path

from ldn_graph.pipeline.names import Name

NAME = "ldn_bio"
VERSION = "0.1.0"
TRAINED = ("bio_tok2vec", "bio_ner", "ldn_relation_classifier")


def assemble(
    trained: Path, names: dict[str, Name], output: Path, *, base: str | None = None, meta: dict | None = None
) -> Path:
    """Build the whole pipeline from a trained model folder and save it to `output`."""
    import spacy

    from ldn_graph.errors import ModelError
    from ldn_graph.pipeline import load_model

    try:
        trained_nlp = spacy.load(trained)
    except OSError:
        raise ModelError(f"no trained spaCy model in {trained} (a folder with config.cfg)") from None
    missing = [name for name in TRAINED if name not in trained_nlp.pipe_names]
    if missing:
        raise ModelError(f"{trained}: the trained model lacks {', '.join(missing)}")
    nlp = load_model(base, shipped=False)
    nlp.add_pipe("ldn_text_cleanup", first=True)
    if "ldn_lexicon_features" in trained_nlp.pipe_names:
        nlp.add_pipe("ldn_lexicon_features")
    nlp.add_pipe("bio_tok2vec", source=trained_nlp)
    nlp.add_pipe("bio_ner", source=trained_nlp)
    nlp.add_pipe("ldn_abbreviations")
    linker = nlp.add_pipe("ldn_entity_linker")
    linker.set_names(names)  # type: ignore[attr-defined]
    nlp.add_pipe("ldn_relation_extractor")
    nlp.add_pipe("ldn_relation_classifier", source=trained_nlp)
    base_meta = nlp.meta
    nlp.meta.update(
        {
            "name": NAME,
            "version": VERSION,
            "description": (
                "ldn-graph's biomedical pipeline: entities and relations trained on BioRED and BC5CDR, "
                "the ontology lexicon and the relation rules, on "
                f"{base_meta.get('lang')}_{base_meta.get('name')} "
                f"{base_meta.get('version')}'s tagger and parser"
            ),
            # Who made this pipeline (the base model's own author, email and url would otherwise stay)
            "author": "ldn-graph maintainers",
            "email": "",
            "url": "",
            "license": "MIT (code and model); trained on BioRED and BC5CDR (see README)",
            "sources": [
                {"name": "en_core_web_sm", "url": "https://spacy.io/models/en", "license": "MIT"},
                {"name": "BioRED", "url": "https://doi.org/10.1093/bib/bbac282"},
                {"name": "BioCreative V CDR", "url": "https://doi.org/10.1093/database/baw068"},
            ],
            **(meta or {}),
        }
    )
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output
