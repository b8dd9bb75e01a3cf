"""SHACL per document and on what changed (ldn_graph/store/validation.py): the same results as validating
the whole graph, without validating the documents a build did not change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from ldn_graph.model import Concept, Extraction
from ldn_graph.namespaces import AGGREGATE_GRAPH, LDN, STORE
from ldn_graph.rdf.shapes import validate
from ldn_graph.rdf.write import document_iri, entity_iri
from ldn_graph.store import GraphStore, open_store
from ldn_graph.store.aggregate import refresh_aggregate
from ldn_graph.store.catalog import export_dataset, put_document
from ldn_graph.store.terms import ntriples
from ldn_graph.store.validation import RECORD, DocumentChecks, Record, gather, shapes_fingerprint
from tests.test_store import (
    DOC_C,
    EXTRACTOR,
    NALTREXONE,
    TREATS,
    corpus,
    extraction,
    oxigraph_server,  # noqa: F401 (a fixture)
    relation,
)

# Documents A and B name naltrexone by its label, C by another one: each graph conforms alone, their
# union gives the entity two rdfs:labels.
RENAMED = Concept(NALTREXONE, "naltrexone hydrochloride", "Drug", xrefs=("CHEBI:7465",))


def _write(store: GraphStore, extractions: list[Extraction], checks: DocumentChecks) -> None:
    for x in extractions:
        put_document(store, x, EXTRACTOR, written=checks.add)
    refresh_aggregate(store)


def _gather(store: GraphStore, checks: DocumentChecks, folder: Path) -> tuple:
    record = Record.read(folder / RECORD, shapes_fingerprint())
    return gather(store, record, checks)


@pytest.fixture(params=["local", "remote"])
def store(request, tmp_path) -> Iterator[GraphStore]:
    # A local store is read in place (store/view.py), a remote one with SPARQL: the same results.
    location = str(tmp_path / "store")
    if request.param == "remote":
        location = request.getfixturevalue("oxigraph_server") + "/store"
    with open_store(location) as opened:
        yield opened


def test_store_validation_conforming_corpus_conforms(store, tmp_path):
    _write(store, corpus(), checks := DocumentChecks())
    parts, _ = _gather(store, checks, tmp_path)
    result = validate(parts)
    assert result.conforms, result.text
    assert validate(export_dataset(store)).conforms


def test_store_validation_catches_a_document_violation_and_one_across_documents(store, tmp_path):
    # B's text hash is not 64 hex digits: its own graph fails. C, written by a later build, names
    # naltrexone otherwise than A and B: no graph fails alone, the whole graph does (two labels).
    a, b, c = corpus()
    b = replace(b, document=replace(b.document, sha256="not-a-hash"))
    _write(store, [a, b], first := DocumentChecks())
    assert not validate(_gather(store, first, tmp_path)[0]).conforms  # nothing recorded
    _write(store, [replace(c, concepts={**c.concepts, NALTREXONE: RENAMED})], checks := DocumentChecks())
    assert checks.count == 1 and not checks.results  # C conforms alone
    parts, _ = _gather(store, checks, tmp_path)
    assert parts.entity_focus == [entity_iri(NALTREXONE)]
    result, whole = validate(parts), validate(export_dataset(store))
    assert "ldn:sha256" in result.text and "rdfs:label" in result.text
    assert (result.conforms, result.violations) == (whole.conforms, whole.violations) == (False, 2)


def test_store_validation_catches_a_broken_aggregate(store, tmp_path):
    # The aggregate lost an assertion's supportCount: no document graph changed, the assertion did.
    _write(store, corpus(), checks := DocumentChecks())
    parts, record = _gather(store, checks, tmp_path)
    assert validate(parts).conforms
    record.write(tmp_path / RECORD)
    kept = [
        (s, p, o)
        for s, p, o, _ in store.quads([str(AGGREGATE_GRAPH)])
        if (s, p) != (TREATS, LDN.supportCount) and not str(p).startswith(str(STORE))
    ]
    store.replace_graph(str(AGGREGATE_GRAPH), ntriples(kept))
    parts, _ = _gather(store, checks := DocumentChecks(), tmp_path)
    assert checks.read_back == 0  # no document graph is checked again
    assert set(parts.assertions.subjects(RDF.type, LDN.Assertion)) >= {TREATS}
    result, whole = validate(parts), validate(export_dataset(store))
    assert "ldn:supportCount" in result.text
    assert (result.conforms, result.violations) == (whole.conforms, whole.violations) == (False, 1)


def test_store_validation_one_changed_document_checks_that_document_alone(store, tmp_path):
    _write(store, corpus(), checks := DocumentChecks())
    parts, record = _gather(store, checks, tmp_path)
    assert validate(parts).conforms
    record.write(tmp_path / RECORD)
    # Nothing changed since: nothing is left to check.
    parts, _ = _gather(store, DocumentChecks(), tmp_path)
    assert parts.empty() and not parts.found
    # C read again with one more sentence: C's graph is checked as it is written, no other one is read.
    text = DOC_C.text + " Naltrexone treats fibromyalgia."
    doc = replace(DOC_C, text=text, sha256=f"{'c' * 64}")
    changed = extraction(doc, relation(doc, "Naltrexone might treat fibromyalgia.", hedged=True))
    _write(store, [changed], checks := DocumentChecks())
    parts, _ = _gather(store, checks, tmp_path)
    assert checks.count == 1 and checks.read_back == 0
    assert validate(parts).conforms


def test_store_validation_checks_again_what_a_failed_build_did_not_record(store, tmp_path):
    # The record is kept only by a build that published: after a failure, the next build checks the
    # same document again, read from the store; other shapes or code check every document.
    _write(store, corpus(), checks := DocumentChecks())
    _, record = _gather(store, checks, tmp_path)
    record.write(tmp_path / RECORD)
    c = corpus()[2]
    _write(store, [replace(c, document=replace(c.document, sha256="not-a-hash"))], first := DocumentChecks())
    assert not validate(_gather(store, first, tmp_path)[0]).conforms  # failed: the record stays as it was
    parts, _ = _gather(store, checks := DocumentChecks(), tmp_path)
    assert checks.read_back == 1 and not validate(parts).conforms
    assert {key[0] for key in parts.found} == {document_iri(c.document.key).n3()}
    assert Record.read(tmp_path / RECORD, shapes_fingerprint()).documents
    assert not Record.read(tmp_path / RECORD, "another fingerprint").documents


@pytest.mark.parametrize("background", [False, True], ids=["here", "in-a-forked-process"])
def test_store_validation_document_checks_find_the_same_beside_or_here(tmp_path, background):
    # A build checks the document graphs in a process of its own while it reads the next ones: the
    # same results as checking them here.
    a, b, c = corpus()
    b = replace(b, document=replace(b.document, sha256="not-a-hash"))
    with open_store(str(tmp_path / "store")) as store:
        checks = DocumentChecks(background=background)
        try:
            _write(store, [a, b, c], checks)
            results = checks.finish()
        finally:
            checks.stop()
    assert checks.count == 3
    assert [key[-1] for key in results] == [
        "A document has exactly one ldn:sha256, 64 lower-case hexadecimal digits."
    ]
