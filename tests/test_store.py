"""The graph store (ldn_graph/store/): incremental builds, replacing and removing documents, the aggregate
across documents, crash safety, a remote store over the Graph Store Protocol, queries on a store.

Most tests write hand-made extractions (no spaCy) so that they test the store, not the relation rules;
the command-line tests run the real pipeline, loaded once per session.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Literal, URIRef

from ldn_graph.cli import main
from ldn_graph.errors import QueryError, ReadOnlyError, StoreError
from ldn_graph.model import Concept, Document, Evidence, Extraction, Qualifier, Relation
from ldn_graph.namespaces import AGGREGATE_GRAPH, ASSERTION, DOC, ENT, LDN
from ldn_graph.rdf.aggregate import Support, aggregate_triples, confidence
from ldn_graph.rdf.write import build_dataset
from ldn_graph.sparql import query as sparql
from ldn_graph.store.aggregate import refresh_aggregate
from ldn_graph.store.catalog import (
    export_dataset,
    put_document,
    stored_documents,
)
from ldn_graph.store.fingerprint import extractor_fingerprint
from ldn_graph.store.local import LocalStore
from ldn_graph.store.query import StoreSource
from tests.conftest import ROOT

CLI = str(Path(sys.executable).with_name("ldn-graph"))
EXTRACTOR = "test-extractor"

# Readable keys of the hand-made concepts.
NALTREXONE = "naltrexone"
FIBROMYALGIA = "fibromyalgia"
FATIGUE = "fatigue"
CONCEPTS = {
    NALTREXONE: Concept(NALTREXONE, "naltrexone", "Drug", xrefs=("CHEBI:7465",)),
    FIBROMYALGIA: Concept(FIBROMYALGIA, "fibromyalgia", "Disease", xrefs=("MONDO:0005546",)),
    FATIGUE: Concept(FATIGUE, "fatigue", "PhenotypicFeature", xrefs=("HP:0012378",)),
}
TREATS = ASSERTION[f"{NALTREXONE}.treats.{FIBROMYALGIA}"]
TREATS_NEGATED = ASSERTION[f"{NALTREXONE}.treats.{FIBROMYALGIA}.negated"]


def document(key: str, text: str) -> Document:
    return Document(key, text, f"{key}.txt", f"Title of {key}", hashlib.sha256(text.encode()).hexdigest())


def relation(
    doc: Document, sentence: str, obj: str = FIBROMYALGIA, *, hedged=False, negated=False, qualifiers=()
) -> Relation:
    start = doc.text.index(sentence)
    evidence = Evidence(
        doc.key,
        start,
        start + len(sentence),
        sentence,
        doc.text[:start].count(".") if start else 0,
        "hedged" if hedged else "asserted",
        negated,
        "test-rule",
    )
    return Relation(NALTREXONE, "treats", obj, evidence, tuple(qualifiers))


def extraction(doc: Document, *relations: Relation) -> Extraction:
    keys = {NALTREXONE} | {r.object for r in relations}
    return Extraction(doc, {k: CONCEPTS[k] for k in sorted(keys)}, [], list(relations))


# Three documents: A states the relation twice (one sentence hedged), B negates it, C only hedges it.
DOC_A = document("paper-a", "Naltrexone treats fibromyalgia. Naltrexone may treat fibromyalgia in 2010.")
DOC_B = document("paper-b", "Naltrexone does not treat fibromyalgia.")
DOC_C = document("paper-c", "Naltrexone might treat fibromyalgia. It also treats fatigue.")
YEAR = Qualifier("year", "2010", value=2010.0, start=67, end=71)


def corpus() -> list[Extraction]:
    return [
        extraction(
            DOC_A,
            relation(DOC_A, "Naltrexone treats fibromyalgia."),
            relation(DOC_A, "Naltrexone may treat fibromyalgia in 2010.", hedged=True, qualifiers=[YEAR]),
        ),
        extraction(DOC_B, relation(DOC_B, "Naltrexone does not treat fibromyalgia.", negated=True)),
        extraction(
            DOC_C,
            relation(DOC_C, "Naltrexone might treat fibromyalgia.", hedged=True),
            relation(DOC_C, "It also treats fatigue.", FATIGUE),
        ),
    ]


def write_corpus(store: LocalStore, extractions: list[Extraction]) -> None:
    for x in extractions:
        put_document(store, x, EXTRACTOR)
    refresh_aggregate(store)


def aggregate_values(store: LocalStore, assertion: URIRef) -> dict[str, list[str]]:
    """Property local name -> sorted values of `assertion` in the aggregate graph."""
    rows = store.select(f"SELECT ?p ?o WHERE {{ GRAPH <{AGGREGATE_GRAPH}> {{ <{assertion}> ?p ?o }} }}")
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(re.split(r"[#/]", row["p"])[-1], []).append(row["o"])
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture
def store(tmp_path) -> Iterator[LocalStore]:
    with LocalStore(tmp_path / "store") as opened:
        yield opened


# --- the aggregate across documents ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("firm", "hedged", "expected"),
    [
        (1, 0, "0.6"),  # one document that states it
        (2, 0, "0.84"),  # a second, independent document raises it
        (3, 0, "0.936"),
        (0, 1, "0.3"),  # a document that only hedges counts for less
        (1, 1, "0.72"),
        (0, 2, "0.51"),
        (20, 0, "0.999"),  # never 1: rounded down
    ],
)
def test_store_confidence_grows_with_documents_and_falls_with_hedging(firm, hedged, expected):
    assert confidence(firm, hedged) == Decimal(expected)


@pytest.mark.parametrize(
    ("firm", "hedged", "beliefs", "expected"),
    [
        (1, 0, ["0.9"], "0.54"),  # only the classifier read it, at 0.9: 0.6 x 0.9
        (2, 0, ["1", "0.5"], "0.72"),  # a rule's document and a classifier's at 0.5: 1 - 0.4 x 0.7
        (0, 1, ["0.5"], "0.15"),  # hedged and the classifier's: 0.3 x 0.5
    ],
)
def test_store_confidence_weighs_classifier_scores(firm, hedged, beliefs, expected):
    assert confidence(firm, hedged, [Decimal(b) for b in beliefs]) == Decimal(expected)


def test_store_aggregate_counts_a_document_by_its_deciding_evidence():
    """A document with a firm classifier evidence (0.5) and a hedged rule evidence counts as firm at 0.5:
    the hedged rule does not lend its belief to the firm reading."""
    from ldn_graph.rdf.aggregate import Support, aggregate_triples

    common = dict(
        assertion="urn:a", subject="urn:s", predicate="urn:p", object="urn:o", negated=False, document="urn:d"
    )
    supports = [
        Support(**common, evidence="urn:e1", start=0, hedged=False, score="0.5"),
        Support(**common, evidence="urn:e2", start=10, hedged=True, score=None),
    ]
    values = {str(o) for s, p, o in aggregate_triples(supports) if str(p).endswith("confidence")}
    assert values == {"0.3"}


def test_store_aggregate_counts_confidence_and_contradiction(store):
    write_corpus(store, corpus())
    positive = aggregate_values(store, TREATS)
    # Supported by A (two sentences, one firm) and C (one hedged sentence).
    assert positive["supportCount"] == ["3"] and positive["documentCount"] == ["2"]
    assert positive["certainty"] == [str(LDN.Asserted)]
    assert positive["confidence"] == ["0.72"]  # A states it (0.6), C only hedges it (0.3)
    assert len(positive["wasDerivedFrom"]) == 3
    assert positive["hasQualifier"] == [f"{TREATS}/year-2010"]
    negative = aggregate_values(store, TREATS_NEGATED)
    assert negative["supportCount"] == ["1"] and negative["confidence"] == ["0.6"]
    # Asserted in A and C, negated in B: flagged both ways.
    assert positive["contradictedBy"] == [str(TREATS_NEGATED)]
    assert negative["contradictedBy"] == [str(TREATS)]
    # The fatigue claim has a single hedge-free document and no contradiction.
    fatigue = aggregate_values(store, ASSERTION[f"{NALTREXONE}.treats.{FATIGUE}"])
    assert fatigue["confidence"] == ["0.6"] and "contradictedBy" not in fatigue


def test_store_contradiction_needs_two_documents():
    # A document that states and negates the same relation contradicts itself, not another document.
    doc = document("self", "Naltrexone treats fibromyalgia. Naltrexone does not treat fibromyalgia.")
    x = extraction(
        doc,
        relation(doc, "Naltrexone treats fibromyalgia."),
        relation(doc, "Naltrexone does not treat fibromyalgia.", negated=True),
    )
    ds = build_dataset([x])
    assert not list(ds.graph(AGGREGATE_GRAPH).triples((None, LDN.contradictedBy, None)))


def test_store_contradicted_claims_query_reads_the_aggregate(store):
    # The library's report on what the aggregate flagged: one row per claim, both sides counted.
    from ldn_graph.sparql.library import get_query

    write_corpus(store, corpus())
    query = get_query("contradicted-claims")
    rows = sparql.run(store._store, query.text, bindings=query.bindings()).rows
    assert [(str(r[0]), r[1].toPython(), str(r[2]), r[3].toPython(), r[4].toPython()) for r in rows] == [
        (str(ENT[NALTREXONE]), "treats", str(ENT[FIBROMYALGIA]), 2, 1)
    ]
    assert str(rows[0][6]) == "Naltrexone does not treat fibromyalgia."
    # One sentence of each side, the first in code point order: a hedged one counts as stating it.
    assert str(rows[0][5]) == "Naltrexone may treat fibromyalgia in 2010."


def test_store_export_is_what_the_in_memory_build_gives(store, tmp_path):
    # The store's exports and build_dataset's are the same bytes, whatever order documents came in.
    from ldn_graph.export import FORMATS

    write_corpus(store, list(reversed(corpus())))
    for name in ("turtle", "trig", "nt", "jsonld", "kgx"):
        memory = FORMATS[name](build_dataset(corpus()), tmp_path / "memory" / name)
        stored = FORMATS[name](export_dataset(store), tmp_path / "store" / name)
        assert [p.read_bytes() for p in memory] == [p.read_bytes() for p in stored], name


def test_store_export_passes_shacl(store):
    from ldn_graph.rdf.shapes import validate

    write_corpus(store, corpus())
    result = validate(export_dataset(store))
    assert result.conforms, result.text


def test_store_keeps_literals_exactly(store):
    # Quotes, backslashes, line breaks, a \u sequence as text, a language tag, a double written 30.0.
    from rdflib import Graph

    from ldn_graph.export.rdf import serialize_turtle
    from ldn_graph.store.terms import ntriples

    graph = Graph()
    subject = URIRef("https://example.org/s")
    for i, value in enumerate(
        [
            Literal('say "no" \\ twice\nand\r\tagain'),
            Literal("caf\\u00e9 is not café"),
            Literal("hello", lang="en"),
            Literal(30.0),
            Literal(Decimal("0.84")),
            Literal(True),
            Literal("2010", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
        ]
    ):
        graph.add((subject, URIRef(f"https://example.org/p{i}"), value))
    store.replace_graph("https://example.org/g", ntriples(graph))
    back = Graph()
    for s, p, o, _ in store.quads(["https://example.org/g"]):
        back.add((s, p, o))
    assert serialize_turtle(back) == serialize_turtle(graph)


# --- incremental, replace, remove, crash recovery ----------------------------------------------------


def test_store_document_up_to_date_only_with_same_text_and_extractor(store):
    put_document(store, corpus()[0], EXTRACTOR)
    stored = stored_documents(store)[DOC_A.key]
    assert stored.matches(DOC_A, EXTRACTOR)
    assert not stored.matches(replace(DOC_A, text=DOC_B.text, sha256=DOC_B.sha256), EXTRACTOR)  # new text
    assert not stored.matches(DOC_A, "another-extractor")  # new code, rules or model
    assert not stored.matches(replace(DOC_A, year=2021), EXTRACTOR)  # new metadata


def test_store_replacing_a_document_leaves_nothing_of_the_old_one(store):
    write_corpus(store, corpus())
    # B is rewritten: now it states the relation instead of negating it.
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put_document(
        store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")), EXTRACTOR
    )
    refresh_aggregate(store)
    assert stored_documents(store)[DOC_B.key].sha256 == new_b.sha256
    assert not aggregate_values(store, TREATS_NEGATED)  # the negation is gone everywhere
    assert aggregate_values(store, TREATS)["documentCount"] == ["3"]
    assert "contradictedBy" not in aggregate_values(store, TREATS)
    sentences = {
        r["t"] for r in store.select("SELECT ?t WHERE { GRAPH ?g { ?q <http://www.w3.org/ns/oa#exact> ?t } }")
    }
    assert "Naltrexone does not treat fibromyalgia." not in sentences
    # Nothing of the old text is left in the merged graph queries see either.
    result = sparql.run(store._store, "SELECT ?t WHERE { ?q oa:exact ?t }")
    assert "Naltrexone does not treat fibromyalgia." not in {str(row[0]) for row in result.rows}


def test_store_remove_drops_the_document_and_recomputes(store):
    from ldn_graph.store.catalog import find_document, remove_document

    write_corpus(store, corpus())
    remove_document(store, find_document(stored_documents(store), "paper-b.txt"))  # by file name
    assert refresh_aggregate(store)
    assert set(stored_documents(store)) == {DOC_A.key, DOC_C.key}
    assert not aggregate_values(store, TREATS_NEGATED)
    assert "contradictedBy" not in aggregate_values(store, TREATS)
    with pytest.raises(StoreError, match="no document 'paper-b'"):
        find_document(stored_documents(store), "paper-b")


def test_store_aggregate_is_recomputed_after_a_crash_before_it(store):
    # Documents written, then the build stopped before the aggregate: the revision tells.
    write_corpus(store, corpus()[:1])
    put_document(store, corpus()[1], EXTRACTOR)
    assert "contradictedBy" not in aggregate_values(store, TREATS)
    assert refresh_aggregate(store)  # the next run sees an out-of-date aggregate
    assert aggregate_values(store, TREATS)["contradictedBy"] == [str(TREATS_NEGATED)]
    assert not refresh_aggregate(store)  # and then it is current


def test_store_one_writer_at_a_time(store):
    with pytest.raises(StoreError, match="another process"):
        LocalStore(store.path)


def test_store_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not empty and holds no Oxigraph store"):
        LocalStore(tmp_path)


# --- queries on a store --------------------------------------------------------------------------------


def test_store_query_sees_each_triple_once(store):
    # The same entity is described in two document graphs: the query sees one graph, a set.
    write_corpus(store, corpus())
    rows = sparql.run(store._store, "SELECT ?label WHERE { ent:naltrexone rdfs:label ?label }").rows
    assert rows == [(Literal("naltrexone"),)]
    rows = sparql.run(store._store, "SELECT ?d WHERE { ?d ldn:treats ent:fibromyalgia }").rows
    assert len(rows) == 1
    # GRAPH ?g still names each document's graph.
    graphs = sparql.run(
        store._store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d ldn:treats ent:fibromyalgia } }"
    ).rows
    assert {row[0] for row in graphs} == {DOC[DOC_A.key], DOC[DOC_C.key]}


def test_store_query_parameters_are_terms(store):
    write_corpus(store, corpus())
    from ldn_graph.sparql.library import get_query

    query = get_query("what-treats")
    rows = sparql.run(store._store, query.text, bindings=query.bindings({"condition": "Fibromyalgia"})).rows
    assert [(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows] == [
        (str(URIRef("https://w3id.org/ldn-graph/entity/naltrexone")), "asserted", 3, 2)
    ]
    # A value that tries to close the string and change the query is only a string.
    hostile = 'x" ) } } DELETE WHERE { ?s ?p ?o } #'
    assert sparql.run(store._store, query.text, bindings=query.bindings({"condition": hostile})).rows == []


def test_store_query_errors(store):
    write_corpus(store, corpus()[:1])
    with pytest.raises(QueryError, match=r"syntax error at line 2, column \d+"):
        sparql.run(store._store, "SELECT ?x WHERE {\n ?x ?y }")
    with pytest.raises(QueryError, match="unknown prefix 'nope:'"):
        sparql.run(store._store, "SELECT ?x WHERE { ?x nope:y ?z }")
    with pytest.raises(ReadOnlyError, match="CLEAR"):
        sparql.run(store._store, "CLEAR ALL")


def test_store_query_with_and_without_the_ontology(store):
    write_corpus(store, corpus()[:1])
    from ldn_graph.store.catalog import put_ontology

    put_ontology(store)
    label = "SELECT ?l WHERE { ldn:treats rdfs:label ?l }"
    assert sparql.run(store._store, label).rows == [(Literal("treats", lang="en"),)]
    assert sparql.run(store._store, label, ontology=False).rows == []


def test_store_copy_in_memory_answers_as_the_store(store):
    # What `serve` queries: every graph copied, the ontology merged into the copy's default graph.
    write_corpus(store, corpus())
    from ldn_graph.sparql.library import library
    from ldn_graph.store.catalog import put_ontology

    put_ontology(store)
    store.close()
    for ontology in (True, False):
        disk = StoreSource(store.path, ontology=ontology)
        copy = disk.in_memory()
        assert copy.memory is not None and len(copy) == len(disk)
        for query in library():
            on_disk = sparql.run(disk.open(), query.text, bindings=query.bindings(), ontology=ontology)
            in_memory = sparql.run(copy.open(), query.text, bindings=query.bindings(), ontology=False)
            assert in_memory.rows == on_disk.rows, query.name
        label = "SELECT ?l WHERE { ldn:treats rdfs:label ?l }"
        expected = [(Literal("treats", lang="en"),)] if ontology else []
        assert sparql.run(copy.open(), label, ontology=copy.ontology).rows == expected
        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d ldn:treats ent:fibromyalgia } }"
        assert {row[0] for row in sparql.run(copy.open(), graphs).rows} == {
            DOC[DOC_A.key],
            DOC[DOC_C.key],
        }


# --- the command line ----------------------------------------------------------------------------------


class _Loads:
    """How many times the pipeline was loaded, counted in a file: `build --jobs 1` loads it in the process
    that reads the documents beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write("1")

    def __len__(self) -> int:
        return len(self.path.read_text(encoding="utf-8")) if self.path.exists() else 0


@pytest.fixture
def cli_nlp(nlp, monkeypatch, tmp_path):
    """`build` and `remove` run in this process with the session's pipeline (a forked reader inherits
    it); the number of its loads, wherever they happen."""
    import ldn_graph.cli.build

    loads = _Loads(tmp_path / "pipeline-loads")

    def load(model):
        loads.add()
        return nlp

    monkeypatch.setattr(ldn_graph.cli.build, "_load_pipeline", load)
    return loads


def _inputs(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


TEXTS = {
    "a.txt": "Naloxone blocks the mu-opioid receptor. Low-dose naltrexone treats fibromyalgia.",
    "b.txt": "Naltrexone may treat fibromyalgia. Low-dose naltrexone reduces inflammation.",
}


@pytest.mark.slow
def test_store_build_rerun_is_a_no_op(tmp_path, cli_nlp, capsys):
    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out)]) == 0
    assert "2 new, 0 replaced" in capsys.readouterr().err
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and "store" not in p.parts}
    assert main(["build", str(src), "-o", str(out)]) == 0
    assert "nothing to do: 2 document(s) already in the store" in capsys.readouterr().err
    assert len(cli_nlp) == 1  # the second run loaded no pipeline, read no text
    assert stamps == {p: p.stat().st_mtime_ns for p in stamps}  # and rewrote nothing


@pytest.mark.slow
def test_store_build_replaces_a_changed_document_and_adds_to_the_store(tmp_path, nlp, cli_nlp, capsys):
    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    (src / "b.txt").write_text("Naltrexone does not treat fibromyalgia.", encoding="utf-8")
    assert main(["build", str(src), "-o", str(out)]) == 0
    assert "0 new, 1 replaced, 1 unchanged" in capsys.readouterr().err
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert "Naltrexone does not treat fibromyalgia." in trig
    assert "may treat fibromyalgia" not in trig
    # Another folder adds to the same store: exports hold all three documents.
    more = _inputs(tmp_path / "more", {"c.txt": "Naltrexone treats fatigue."})
    assert main(["build", str(more), "-o", str(out), "-q"]) == 0
    with LocalStore(out / "store", read_only=True) as opened:
        assert set(stored_documents(opened)) == {"a", "b", "c"}
    # The same documents built in one go, in memory, give the same files.
    from ldn_graph.export.publish import write_outputs
    from ldn_graph.extract.local import extract
    from ldn_graph.inputs.documents import iter_documents

    documents = list(iter_documents([src / "a.txt", src / "b.txt", more / "c.txt"]))
    write_outputs(build_dataset(extract(nlp, documents)), tmp_path / "memory")
    for name in ("graph.ttl", "graph.trig", "kgx/nodes.tsv", "kgx/edges.tsv", "graph.html"):
        assert (out / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name


@pytest.mark.slow
def test_store_remove_command_rewrites_the_exports(tmp_path, cli_nlp, capsys):
    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    assert main(["remove", str(out / "store"), "doc:b"]) == 0
    err = capsys.readouterr().err
    assert "removed doc:b" in err and "holds 1 document(s)" in err and "graph.trig" in err
    assert "https://w3id.org/ldn-graph/doc/b" not in (out / "graph.trig").read_text(encoding="utf-8")
    assert main(["remove", str(out / "store"), "nothing-like-it"]) == 1
    assert "no document 'nothing-like-it'" in capsys.readouterr().err


@pytest.mark.slow
def test_store_query_command_on_a_store_and_on_its_export(tmp_path, cli_nlp, capsys):
    # The library's queries give the same output on the store and on graph.trig.
    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    from ldn_graph.sparql.library import library

    for query in library():
        outputs = []
        for target in (out, out / "store", out / "graph.trig"):
            assert main(["query", str(target), "-n", query.name, "--format", "csv"]) == 0
            outputs.append(capsys.readouterr().out)
        assert outputs[0] == outputs[1] == outputs[2], query.name
    # viz, stats and export read a store too.
    assert main(["stats", str(out / "store")]) == 0
    assert "2 documents" in capsys.readouterr().out


def test_store_query_warns_about_documents_read_by_another_extractor(tmp_path, cli_nlp, capsys, monkeypatch):
    # The store answers from what it holds: documents an older extractor read are said to be so. The
    # model a build was given is kept with each document (a folder by its absolute path), so a store
    # built with --model is up to date, whatever folder it is queried from.
    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    (tmp_path / "models" / "my-model").mkdir(parents=True)
    (tmp_path / "models" / "my-model" / "meta.json").write_text('{"name": "my_model"}', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "models")
    assert main(["build", str(src), "-o", str(out), "-q", "--model", "./my-model", "--no-export"]) == 0
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["query", str(out / "store"), "-n", "what-treats"]) == 0
    answer = capsys.readouterr()
    assert answer.err == "" and "low-dose-naltrexone" in answer.out
    with LocalStore(out / "store") as store:
        put_document(store, corpus()[0], "the fingerprint of an older extractor")
    assert main(["query", str(out / "store"), "-n", "what-treats"]) == 0
    answer = capsys.readouterr()
    assert "low-dose-naltrexone" in answer.out  # still answered
    assert answer.err.count("\n") == 1 and "warning" in answer.err
    assert "1 of 3 documents were read by other extraction code" in answer.err


def test_store_build_model_that_cannot_be_loaded_leaves_nothing(tmp_path, capsys):
    # With one job the pipeline is loaded in the process that reads beside the build: its error comes
    # back as the one line it was, before the store (or OUTDIR) is created, and no process is left.
    import multiprocessing

    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "--model", "no_such_model_package"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "spaCy model 'no_such_model_package' is not installed" in err
    assert not out.exists()
    assert multiprocessing.active_children() == []


def test_store_build_without_validation_hands_no_document_graph_over(tmp_path, cli_nlp, monkeypatch):
    # A document's statements are handed over only to be checked and made into its TriG block: with
    # --no-validate --no-export nothing asks for them, so a build of a large corpus does not gather
    # every document's graph.
    import ldn_graph.store.catalog as catalog

    put, handed = catalog.put_document, []

    def spy(*args, written=None, **kwargs):
        handed.append(written)
        return put(*args, written=written, **kwargs)

    monkeypatch.setattr(catalog, "put_document", spy)
    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "-q", "--no-validate", "--no-export"]) == 0
    assert handed and all(w is None for w in handed)
    (src / "c.txt").write_text("Naltrexone treats fatigue.", encoding="utf-8")
    assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    assert handed[-1] is not None  # validating, the changed document's graph is checked


def test_store_build_lets_go_of_the_store_without_the_garbage_collector(tmp_path, cli_nlp, monkeypatch):
    # The next build in the same process opens the store again: nothing of the last one (the exports'
    # view of the store, held in a reference cycle when SHACL runs in this process, where no process can
    # be forked) may keep it open until a collection that may not come.
    import gc
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    gc.disable()
    try:
        assert main(["build", str(src), "-o", str(out), "-q"]) == 0
        (src / "c.txt").write_text("Naltrexone treats fatigue.", encoding="utf-8")
        assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("fork", [True, False], ids=["beside-the-writers", "where-fork-is-missing"])
def test_store_build_publishes_no_export_that_fails_its_shapes(tmp_path, cli_nlp, capsys, monkeypatch, fork):
    # SHACL runs beside the writers, in a process of its own (or after them, where processes cannot be
    # forked): a graph that fails it leaves the exports of the last good build as they were, and the
    # next build with conforming data publishes.
    import multiprocessing

    from rdflib import Graph

    import ldn_graph.rdf.shapes

    if not fork:
        monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    shapes, validate = ldn_graph.rdf.shapes.load_shapes, ldn_graph.rdf.shapes.validate
    where = tmp_path / "validated-in"

    def validate_and_say_where(graph):
        with where.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return validate(graph)

    monkeypatch.setattr(ldn_graph.rdf.shapes, "validate", validate_and_say_where)

    src, out = _inputs(tmp_path / "in", TEXTS), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    assert (where.read_text() == f"{os.getpid()}\n") is not fork  # in this process only without fork
    exports = [p for p in sorted(out.rglob("*")) if p.is_file() and "store" not in p.relative_to(out).parts]
    before = {p: p.read_bytes() for p in exports}
    blocks = sorted((out / ".trig-fragments").iterdir())
    (src / "c.txt").write_text("Naltrexone treats fatigue.", encoding="utf-8")
    never = Graph().parse(
        format="turtle",
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        [] a sh:NodeShape ; sh:targetClass <https://w3id.org/ldn-graph/vocab#Document> ;
           sh:property [ sh:path <https://example.org/never> ; sh:minCount 1 ] .""",
    )
    monkeypatch.setattr(ldn_graph.rdf.shapes, "load_shapes", lambda: never)
    capsys.readouterr()
    assert main(["build", str(src), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "built graph fails its SHACL shapes (3 violations)" in err
    assert {p: p.read_bytes() for p in exports} == before
    assert not list(out.glob(".ldn-graph-*"))  # no staging folder left behind
    # nor the TriG block written as the changed document was stored
    assert sorted((out / ".trig-fragments").iterdir()) == blocks
    monkeypatch.setattr(ldn_graph.rdf.shapes, "load_shapes", shapes)
    assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    assert b"fatigue" in (out / "graph.ttl").read_bytes()


def test_store_documents_read_by_a_model_not_here_are_not_called_out_of_date(store):
    # A store queried where it was not built: its model is not installed here, nothing can be told.
    from ldn_graph.store.catalog import count_out_of_date

    put_document(store, corpus()[0], "some fingerprint", "a_model_that_is_not_installed")
    put_document(store, corpus()[1], "some fingerprint")  # the default model, which is installed
    put_document(store, corpus()[2], extractor_fingerprint(None))  # read by this installation
    assert count_out_of_date(store) == (1, 3)


# --- a build killed midway ---------------------------------------------------------------------------


def _sentences() -> list[str]:
    texts = [
        ROOT / "corpus" / "ldn-blog-2019.txt",
        *sorted((ROOT / "tests" / "data" / "unseen").glob("*.txt")),
    ]
    out = []
    for path in texts:
        text = " ".join(path.read_text(encoding="utf-8").split())
        out += [s.strip() + "." for s in text.split(". ") if len(s.split()) > 4]
    return out


@pytest.mark.slow
def test_store_build_killed_midway_resumes_without_duplicates(tmp_path):
    sentences = _sentences()
    count = 40  # with three sentences each, several batches of the pipeline
    assert len(sentences) >= 2 * count + 1
    texts = {f"doc-{i:02d}.txt": " ".join(sentences[i * 2 : i * 2 + 3]) for i in range(count)}
    src = _inputs(tmp_path / "in", texts)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    process = subprocess.Popen(
        [CLI, "build", str(src), "-o", str(killed), "-v"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    stored_before_kill = 0
    for line in process.stderr:
        if line.startswith("stored doc:"):
            stored_before_kill += 1
            process.send_signal(signal.SIGKILL)  # at once: more may be written meanwhile, never all
            break
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL and stored_before_kill == 1
    assert not (killed / "graph.trig").exists()
    with LocalStore(killed / "store") as opened:
        done = len(stored_documents(opened))
    assert 1 <= done < count, done

    resumed = subprocess.run([CLI, "build", str(src), "-o", str(killed)], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{count - done} new, 0 replaced, {done} unchanged" in resumed.stderr
    again = subprocess.run([CLI, "build", str(src), "-o", str(killed)], capture_output=True, text=True)
    assert "nothing to do" in again.stderr

    # The same files as a build that was never stopped: no document twice, none half-written.
    subprocess.run([CLI, "build", str(src), "-o", str(clean), "-q"], check=True)
    for name in ("graph.ttl", "graph.trig", "kgx/nodes.tsv", "kgx/edges.tsv"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name


# --- a remote store: oxigraph serve, over the Graph Store Protocol -----------------------------------


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph server is not installed (pip install oxigraph; make install does)")
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    return found


@pytest.fixture
def oxigraph_server(tmp_path) -> Iterator[str]:
    """`oxigraph serve` on a free loopback port; yields its base URL."""
    binary = _oxigraph()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "server-data"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?" + urlencode({"query": "ASK {}"}), timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("oxigraph serve did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _server_select(base: str, query: str) -> list[dict]:
    request = urllib.request.Request(
        f"{base}/query",
        data=urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["results"]["bindings"]


@pytest.mark.slow
def test_store_remote_graph_store_protocol(tmp_path, oxigraph_server, cli_nlp, capsys):
    src = _inputs(tmp_path / "in", TEXTS)
    remote, local = tmp_path / "remote", tmp_path / "local"
    url = f"{oxigraph_server}/store"
    assert main(["build", str(src), "-o", str(remote), "--store", url]) == 0
    assert f"the store {url} holds 2" in capsys.readouterr().err
    graphs = {
        row["g"]["value"] for row in _server_select(oxigraph_server, "SELECT DISTINCT ?g { GRAPH ?g {} }")
    }
    assert {str(DOC["a"]), str(DOC["b"]), str(AGGREGATE_GRAPH)} <= graphs
    # The server answers the library's questions on what was pushed.
    rows = _server_select(
        oxigraph_server,
        f"SELECT ?n WHERE {{ GRAPH <{AGGREGATE_GRAPH}> {{ ?a <{LDN.documentCount}> ?n }} }}",
    )
    assert rows
    # Exports of the remote store are those of a local one.
    assert main(["build", str(src), "-o", str(local), "-q"]) == 0
    for name in ("graph.ttl", "graph.trig", "kgx/edges.tsv"):
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name
    # Incremental over HTTP too: nothing to do, then a removal.
    assert main(["build", str(src), "-o", str(remote), "--store", url]) == 0
    assert "nothing to do" in capsys.readouterr().err
    assert main(["remove", url, "a", "-o", str(remote), "-q"]) == 0
    graphs = {
        row["g"]["value"] for row in _server_select(oxigraph_server, "SELECT DISTINCT ?g { GRAPH ?g {} }")
    }
    assert str(DOC["a"]) not in graphs and str(DOC["b"]) in graphs
    assert "https://w3id.org/ldn-graph/doc/a>" not in (remote / "graph.trig").read_text(encoding="utf-8")


def test_store_remote_unreachable_is_one_line(tmp_path, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    src = _inputs(tmp_path / "in", {"a.txt": "Naltrexone treats fibromyalgia."})
    url = f"http://127.0.0.1:{port}/store"
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "--store", url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{url}: cannot reach the store" in err


def test_store_query_endpoint_of_known_servers():
    from ldn_graph.store.remote import query_endpoint

    assert query_endpoint("http://localhost:7878/store") == "http://localhost:7878/query"
    assert query_endpoint("http://localhost:3030/ds/data") == "http://localhost:3030/ds/sparql"
    assert (
        query_endpoint("http://h:7200/repositories/kg/rdf-graphs/service") == "http://h:7200/repositories/kg"
    )
    assert query_endpoint("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"


def test_store_fingerprint_changes_with_the_model():
    assert extractor_fingerprint(None) == extractor_fingerprint(None)
    assert extractor_fingerprint(None) != extractor_fingerprint("some_other_model")


def test_store_aggregate_of_supports_alone():
    # The aggregate is a function of the supports: the same input, the same triples, in any order.
    supports = [
        Support(str(TREATS), "s", "p", "o", False, f"ev{i}", f"doc{i % 2}", i, i == 2) for i in range(3)
    ]
    assert sorted(aggregate_triples(supports)) == sorted(aggregate_triples(reversed(supports)))


@pytest.mark.slow
def test_store_build_rereads_a_document_whose_metadata_changed(tmp_path, cli_nlp, capsys):
    # Same text, a corrected year: the document's graph is replaced, the exports follow.
    src, out = tmp_path / "abstracts.jsonl", tmp_path / "out"
    record = {"id": "pmid-1", "pmid": "1", "year": 2001, "text": "Naltrexone treats fibromyalgia."}
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(out), "-q"]) == 0
    src.write_text(json.dumps({**record, "year": 2002}) + "\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(out)]) == 0
    assert "0 new, 1 replaced, 0 unchanged" in capsys.readouterr().err
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert '"2002"^^xsd:gYear' in trig and '"2001"' not in trig
    assert main(["build", str(src), "-o", str(out)]) == 0
    assert "nothing to do" in capsys.readouterr().err


@pytest.mark.slow
def test_store_copy_in_memory_answers_the_library_on_the_article(tmp_path, cli_nlp):
    # On a real graph, where the library's default parameters find rows, and a synonym finds the same.
    from ldn_graph.sparql.library import library

    out = tmp_path / "out"
    assert main(["build", "-o", str(out), "-q", "--no-export"]) == 0
    disk = StoreSource(out / "store", ontology=True)
    copy = disk.in_memory()
    found = {}
    for query in library():
        on_disk = sparql.run(disk.open(), query.text, bindings=query.bindings(), ontology=True)
        in_memory = sparql.run(copy.open(), query.text, bindings=query.bindings(), ontology=False)
        assert in_memory.rows == on_disk.rows, query.name
        found[query.name] = len(on_disk.rows)
    for name in ("what-treats", "side-effects", "evidence", "mechanisms"):
        assert found[name] > 0, (name, found)
    (evidence,) = [q for q in library() if q.name == "evidence"]
    by_label = sparql.run(copy.open(), evidence.text, bindings=evidence.bindings(), ontology=False).rows
    by_synonym = sparql.run(
        copy.open(), evidence.text, bindings=evidence.bindings({"subject": "LDN"}), ontology=False
    ).rows
    assert by_synonym == by_label


def test_store_fingerprint_lists_name_every_module_and_data_file_once():
    """The extractor fingerprint is an allow-list: a new module or ontology file must be put in one of the
    two lists (what decides a document's graph, or the rest), and extraction code imports nothing from the
    rest but messages and progress."""
    import ast

    from ldn_graph.store import fingerprint as fp

    modules = fp.package_modules()
    assert {p.name for p in modules} >= {"documents.py", "errors.py", "entities.py", "app.py"}
    for path in modules:
        rel = path.relative_to(fp._PACKAGE).with_suffix("").parts
        names = {".".join(rel[:i]) for i in range(1, len(rel) + 1)}
        hits = [listed for listed in (fp.EXTRACTION_CODE, fp.OTHER_CODE) if names & set(listed)]
        assert len(hits) == 1, f"{path}: named by {len(hits)} of the fingerprint's module lists"
    root, data = fp._ontology_files()
    for path in data:
        assert fp.data_list(path.relative_to(root)) is not None, f"{path}: in neither data list"
    listed = {".".join(p.relative_to(fp._PACKAGE).with_suffix("").parts) for p in modules}
    for path in modules:
        if fp.module_list(path) is not fp.EXTRACTION_CODE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ldn_graph."):
                target = node.module.removeprefix("ldn_graph.")
                module = target if target in listed else f"{target}.__init__"
                file = fp._PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
                assert fp.module_list(file) is fp.EXTRACTION_CODE or target in fp.NO_EFFECT, (
                    f"{path.name} imports {node.module}, which the fingerprint leaves out"
                )


def test_store_fingerprint_ignores_documentation_and_follows_rule_data(tmp_path, monkeypatch):
    from ldn_graph.store import fingerprint as fp

    root = tmp_path / "ontology"
    root.mkdir()
    (root / "triggers.tsv").write_text("lemma\n")
    (root / "README.md").write_text("about\n")

    def fingerprint() -> str:
        fp.extractor_fingerprint.cache_clear()
        return fp.extractor_fingerprint(None)

    monkeypatch.setattr(fp, "_ontology_files", lambda: (root, sorted(root.iterdir())))
    before = fingerprint()
    (root / "README.md").write_text("about, edited\n")
    assert fingerprint() == before
    (root / "triggers.tsv").write_text("lemma\ntreat\n")
    assert fingerprint() != before
    fp.extractor_fingerprint.cache_clear()
