"""All custom `Doc` attributes of ldn-graph, registered in one place when a component is built."""

from __future__ import annotations

from spacy.tokens import Doc


def register_extensions() -> None:
    """Declare the `doc._.ldn_*` attributes (idempotent: force=True)."""
    # Abbreviations defined in the text: short form -> long form (both Spans), first definition wins.
    Doc.set_extension("ldn_abbreviations", default=None, force=True)
    # Concepts made from the text itself (not in the lexicon), by key.
    Doc.set_extension("ldn_local_concepts", default=None, force=True)
    # Keys of local concepts whose name says what they are (an INN stem): in the graph without a relation.
    Doc.set_extension("ldn_named_locals", default=None, force=True)
    # Relations read from the document (ldn_graph.model.Relation).
    Doc.set_extension("ldn_relations", default=None, force=True)
    # Pairs of concepts a relation frame read in a sentence and declined to relate ("Unlike X, Y ...",
    # "less common with X", "as well as"): {(sentence start character, frozenset of the two keys)}.
    # Learned components leave them unrelated too.
    Doc.set_extension("ldn_declined", default=None, force=True)
    # Entity pairs the relation classifier scored (ldn_graph.pipeline.pair_features.PairScore).
    Doc.set_extension("ldn_pair_scores", default=None, force=True)
    # The document key used in evidence (set by the caller; defaults to "doc").
    Doc.set_extension("ldn_doc_key", default="doc", force=True)


def abbreviations(doc: Doc) -> dict:
    """The abbreviation map of a doc (empty when the detector did not run)."""
    return doc._.ldn_abbreviations or {}
