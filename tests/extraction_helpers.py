"""Helpers for tests that read sentences: relations as (subject, predicate, object) key tuples."""

from __future__ import annotations


def relations(nlp, text: str) -> set[tuple[str, str, str]]:
    doc = nlp(text)
    return {(r.subject, r.predicate, r.object) for r in doc._.ldn_relations}


def relation_records(nlp, text: str):
    return nlp(text)._.ldn_relations


def entities(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(e.text, e.kb_id_) for e in doc.ents]


def corpus_reading(nlp, doc, corpus: str):
    """A processed doc read back in a corpus's terms ("bc5cdr", "biored"), as `ldn-graph evaluate` reads
    it, with the default relation thresholds."""
    from ldn_graph.corpora.predict import Thresholds, read_doc
    from ldn_graph.corpora.pubtator import parse_pubtator
    from ldn_graph.lexicon import default_lexicon

    gold = parse_pubtator(f"1|t|{doc.text}\n1|a|\n\n", where="gold")[0]
    return read_doc(doc, gold, corpus, default_lexicon(), Thresholds(), nlp.get_pipe("ldn_entity_linker"))
