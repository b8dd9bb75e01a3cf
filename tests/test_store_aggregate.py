"""The aggregate updated where documents changed (store/aggregate.py): after any change it holds exactly
what computing it whole gives, in the aggregate graph and in the merged graph queries see."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ldn_graph.namespaces import AGGREGATE_GRAPH, LDN, STORE
from ldn_graph.store.aggregate import refresh_aggregate
from ldn_graph.store.catalog import find_document, put_document, remove_document, stored_documents
from ldn_graph.store.local import LocalStore
from tests.test_store import (
    DOC_A,
    DOC_B,
    EXTRACTOR,
    FATIGUE,
    TREATS,
    YEAR,
    corpus,
    document,
    extraction,
    relation,
)

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
AGGREGATE = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{AGGREGATE_GRAPH}> {{ ?s ?p ?o }} }}"


def statements(store: LocalStore, query: str) -> set[tuple[str, str, str]]:
    return {(r["s"], r["p"], r["o"]) for r in store.select(query)}


def state(store: LocalStore) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """The aggregate graph (bookkeeping included) and the merged default graph."""
    return statements(store, AGGREGATE), statements(store, ALL)


@pytest.fixture
def store(tmp_path) -> Iterator[LocalStore]:
    with LocalStore(tmp_path / "store") as opened:
        for x in corpus():
            put_document(opened, x, EXTRACTOR)
        assert refresh_aggregate(opened)  # no aggregate yet: computed whole
        yield opened


def no_whole_aggregate(store: LocalStore, monkeypatch) -> None:
    """Make writing the aggregate graph whole fail, so that a refresh must take the incremental path."""
    replace = store.replace_graph

    def guarded(name: str, data: str, **kwargs) -> None:
        assert name != str(AGGREGATE_GRAPH), "the aggregate was written whole"
        replace(name, data, **kwargs)

    monkeypatch.setattr(store, "replace_graph", guarded)


def changes() -> list[tuple[str, object]]:
    """Edits of the three-document corpus: B stops negating, a new D, C removed, A loses its qualifier."""
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    doc_d = document("paper-d", "Naltrexone does not treat fatigue. Naltrexone treats fibromyalgia.")
    new_a = document(DOC_A.key, "Naltrexone treats fibromyalgia.")
    return [
        ("put", extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia."))),
        (
            "put",
            extraction(
                doc_d,
                relation(doc_d, "Naltrexone does not treat fatigue.", FATIGUE, negated=True),
                relation(doc_d, "Naltrexone treats fibromyalgia.", qualifiers=[YEAR]),
            ),
        ),
        ("remove", "paper-c"),
        ("put", extraction(new_a, relation(new_a, "Naltrexone treats fibromyalgia."))),
    ]


def apply(store: LocalStore, change: tuple[str, object]) -> None:
    kind, what = change
    if kind == "put":
        put_document(store, what, EXTRACTOR)  # type: ignore[arg-type]
    else:
        remove_document(store, find_document(stored_documents(store), str(what)))


@pytest.mark.parametrize("step", range(len(changes())))
def test_aggregate_updated_in_place_equals_the_whole_computation(store, monkeypatch, step):
    for change in changes()[: step + 1]:
        apply(store, change)
    with monkeypatch.context() as patched:
        no_whole_aggregate(store, patched)
        assert refresh_aggregate(store)
    updated = state(store)
    assert refresh_aggregate(store, force=True)
    assert updated == state(store)


def test_aggregate_catches_up_on_changes_several_builds_left_behind(store, monkeypatch):
    """Documents written by runs killed before their aggregate: the next refresh finds them all changed."""
    for change in changes():
        apply(store, change)
    with monkeypatch.context() as patched:
        no_whole_aggregate(store, patched)
        assert refresh_aggregate(store)
        assert not refresh_aggregate(store)  # current now
    updated = state(store)
    refresh_aggregate(store, force=True)
    assert updated == state(store)
    assert (str(TREATS), str(LDN.documentCount), "3") in updated[0]  # A, B and D; C is gone


def test_aggregate_without_its_bookkeeping_lines_is_computed_whole(store, monkeypatch):
    """An aggregate written before the lines existed (or by a store that takes whole graphs) is computed
    again whole, then kept up to date in place."""
    store.update(
        f"DELETE WHERE {{ GRAPH <{AGGREGATE_GRAPH}> {{ <{AGGREGATE_GRAPH}> <{STORE.covers}> ?line }} }}"
    )
    apply(store, changes()[0])
    written: list[str] = []
    replace = store.replace_graph

    def recorded(name: str, data: str, **kwargs) -> None:
        written.append(name)
        replace(name, data, **kwargs)

    monkeypatch.setattr(store, "replace_graph", recorded)
    assert refresh_aggregate(store)
    assert written == [str(AGGREGATE_GRAPH)]
    with monkeypatch.context() as patched:  # the lines are back: the next change is made in place
        no_whole_aggregate(store, patched)
        apply(store, changes()[1])
        assert refresh_aggregate(store)


def test_a_score_of_one_reads_the_same_from_rdflib_and_from_the_store():
    from decimal import Decimal

    import pyoxigraph
    from rdflib import Graph, URIRef

    from ldn_graph.rdf.aggregate import decimal_literal

    assert str(decimal_literal(Decimal("1.0"))) == "1"
    assert str(decimal_literal(Decimal("0.8400"))) == "0.84"
    g = Graph()
    g.add((URIRef("urn:e"), URIRef("urn:score"), decimal_literal(Decimal("1.0"))))
    store = pyoxigraph.Store()
    store.load(g.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    (quad,) = list(store)
    assert quad.object.value == "1"  # what the store keeps, and streams back into every export
    assert '"1"^^<http://www.w3.org/2001/XMLSchema#decimal>' in g.serialize(format="nt")
