"""Turtle, TriG and N-Triples streamed from the store (ldn_graph/store/export.py), the HTML view and KGX
read from the store's union in place (ldn_graph/store/view.py): the same bytes as the writers give for
the store's graphs read into a Dataset, on hand-made stores (no spaCy)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

import ldn_graph.store.export as store_export
from ldn_graph.export.kgx import write_kgx
from ldn_graph.export.rdf import write_ntriples, write_trig, write_turtle
from ldn_graph.namespaces import ASSERTION, BIBO, DOC, ENT, LDN
from ldn_graph.rdf.io import merged_graph
from ldn_graph.store.aggregate import refresh_aggregate
from ldn_graph.store.catalog import (
    export_dataset,
    put_document,
    remove_document,
    stored_documents,
)
from ldn_graph.store.export import write_store_ntriples, write_store_trig, write_store_turtle
from ldn_graph.store.local import LocalStore
from ldn_graph.store.terms import ntriples
from ldn_graph.store.view import is_union_view, union_view
from ldn_graph.viz.html import write_html
from tests.test_store import DOC_B, EXTRACTOR, corpus, document, extraction, relation, write_corpus


@pytest.fixture
def store(tmp_path) -> Iterator[LocalStore]:
    with LocalStore(tmp_path / "store") as opened:
        yield opened


def assert_same_exports(store: LocalStore, folder: Path) -> None:
    """The streamed files and the rdflib-fed ones are byte for byte the same."""
    dataset = export_dataset(store)
    for name, old, new in (
        ("graph.ttl", write_turtle, write_store_turtle),
        ("graph.trig", write_trig, write_store_trig),
        ("graph.nt", write_ntriples, write_store_ntriples),
    ):
        old(dataset, folder / "rdflib" / name)
        new(store, folder / "store" / name)
        assert (folder / "store" / name).read_bytes() == (folder / "rdflib" / name).read_bytes(), name
    view = union_view(store)
    assert is_union_view(view) and len(view) == len(merged_graph(dataset))
    for source, graph in (("rdflib", dataset), ("store", view)):
        write_html(graph, folder / source / "graph.html", title="ldn-graph")
        write_kgx(graph, folder / source / "kgx", in_place=is_union_view(graph))
    for name in ("graph.html", "kgx/nodes.tsv", "kgx/edges.tsv"):
        assert (folder / "store" / name).read_bytes() == (folder / "rdflib" / name).read_bytes(), name


def test_store_export_streams_what_the_rdflib_writers_write(store, tmp_path):
    # Three documents, the aggregate with its contradiction and a double-valued qualifier (30.0 in rdflib,
    # "30" as Oxigraph keeps it).
    write_corpus(store, corpus())
    assert_same_exports(store, tmp_path / "three")
    assert (tmp_path / "three" / "store" / "graph.trig").read_bytes().count(b"{") == 4  # 3 documents + 1


def test_store_export_follows_a_replaced_and_a_removed_document(store, tmp_path):
    # The union graph the Turtle reads loses what a replaced document no longer says and a removed one said.
    write_corpus(store, corpus())
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put_document(
        store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")), EXTRACTOR
    )
    refresh_aggregate(store)
    assert_same_exports(store, tmp_path / "replaced")
    remove_document(store, stored_documents(store)["paper-a"])
    refresh_aggregate(store)
    assert_same_exports(store, tmp_path / "removed")
    assert b"paper-a" not in (tmp_path / "removed" / "store" / "graph.ttl").read_bytes()


def test_store_export_keeps_odd_literals(store, tmp_path, monkeypatch):
    # A document graph with quotes, backslashes, line breaks, U+2028, a language tag, typed values; read in
    # chunks of 64 bytes, so that subject ends fall on every side of a chunk's end.
    monkeypatch.setattr(store_export, "_CHUNK", 64)
    iri = DOC["odd"]
    graph = Graph()
    graph.add((iri, RDF.type, LDN.Document))
    graph.add((iri, LDN.sha256, Literal("0" * 64)))
    graph.add((iri, DCTERMS.source, Literal("odd.txt")))
    graph.add((iri, DCTERMS.title, Literal('say "no" \\ twice\nand\r\tagain \u2028 .\n} done')))
    graph.add((iri, DCTERMS.description, Literal("bonjour", lang="fr-CA")))
    for i, value in enumerate([Literal(30.0), Literal(Decimal("0.84")), Literal(True), Literal(7)]):
        graph.add((URIRef(f"{iri}/value-{i}"), RDF.value, value))
    graph.add((iri, DCTERMS.date, Literal("2010", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))))
    store.replace_graph(str(iri), ntriples(graph))
    write_corpus(store, corpus()[:1])
    assert_same_exports(store, tmp_path / "odd")


def test_store_export_kgx_read_through_indexes_is_the_same(store, tmp_path):
    # KGX of a store reads it through indexes (rdf/indexed.py), letting go of all but the documents' and
    # names' once the assertions are read: the same rows as from a Dataset for what is read after that too,
    # a document with a PMID and authors that no evidence quotes and an edge end that is no entity.
    cited, agent, authors = DOC["cited"], URIRef(f"{DOC}cited/author-1"), URIRef(f"{DOC}cited/authors")
    loose = URIRef(f"{ASSERTION}loose")
    graph = Graph()
    graph.add((cited, RDF.type, LDN.Document))
    graph.add((cited, LDN.sha256, Literal("1" * 64)))
    graph.add((cited, DCTERMS.source, Literal("cited.txt")))
    graph.add((cited, DCTERMS.title, Literal("A cited paper")))
    graph.add((cited, BIBO.pmid, Literal("4242")))
    graph.add((cited, BIBO.doi, Literal("10.1000/cited")))
    graph.add((cited, BIBO.authorList, authors))
    graph.add((authors, RDF._1, agent))
    graph.add((agent, FOAF.name, Literal("A. Author")))
    graph.add((loose, RDF.type, LDN.Assertion))
    graph.add((loose, RDF.subject, ENT["naltrexone"]))
    graph.add((loose, RDF.predicate, LDN.treats))
    graph.add((loose, RDF.object, ENT["no-class"]))
    graph.add((ENT["no-class"], RDFS.label, Literal("no class")))
    graph.add((ENT["no-class"], SKOS.altLabel, Literal("classless")))
    store.replace_graph(str(cited), ntriples(graph))
    write_corpus(store, corpus())
    assert_same_exports(store, tmp_path / "kgx")
    nodes = (tmp_path / "kgx" / "store" / "kgx" / "nodes.tsv").read_text(encoding="utf-8")
    assert "PMID:4242\t" in nodes and "\tno class\t" in nodes and "classless" in nodes
    edges = (tmp_path / "kgx" / "store" / "kgx" / "edges.tsv").read_text(encoding="utf-8")
    assert "Naltrexone treats fibromyalgia." in edges and "LDN:no-class" in edges


def test_store_export_of_an_empty_store_is_empty(store, tmp_path):
    # No document, no aggregate: empty files, as the rdflib-fed writers give.
    assert_same_exports(store, tmp_path / "empty")
    assert (tmp_path / "empty" / "store" / "graph.ttl").read_bytes() == b""


def test_store_export_trig_from_fragments_rewrites_only_changed_graphs(store, tmp_path):
    # Blocks kept per graph: the same file as written whole; after one document changes, its block and
    # the aggregate's are made again, the others are read back as they were, and the old blocks go.
    fragments = tmp_path / "fragments"
    write_corpus(store, corpus())
    write_store_trig(store, tmp_path / "whole.trig")
    write_store_trig(store, tmp_path / "kept.trig", fragments=fragments)
    assert (tmp_path / "kept.trig").read_bytes() == (tmp_path / "whole.trig").read_bytes()
    before = {p.name: p.stat().st_mtime_ns for p in fragments.iterdir()}
    assert len(before) == 4  # three documents and the aggregate

    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put_document(
        store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")), EXTRACTOR
    )
    refresh_aggregate(store)
    write_store_trig(store, tmp_path / "kept.trig", fragments=fragments)
    after = {p.name: p.stat().st_mtime_ns for p in fragments.iterdir()}
    assert len(after) == 4 and len(set(after) - set(before)) == 2  # paper-b and the aggregate
    assert all(after[name] == before[name] for name in set(after) & set(before))
    assert_same_exports(store, tmp_path / "changed")
    assert (tmp_path / "kept.trig").read_bytes() == (
        tmp_path / "changed" / "store" / "graph.trig"
    ).read_bytes()


def test_store_export_fragments_change_only_once_kept(store, tmp_path):
    # A build writes new blocks beside the kept ones; the kept folder changes only when it keeps them
    # (after publishing): then the new blocks are in, and the replaced document's old block is gone.
    from ldn_graph.store.export import keep_fragments

    kept, fresh = tmp_path / "kept", tmp_path / "staging"
    write_corpus(store, corpus())
    write_store_trig(store, tmp_path / "a.trig", fragments=kept, fresh=fresh)
    assert not kept.exists()
    keep_fragments(fresh, kept)
    before = sorted(p.name for p in kept.iterdir())
    assert len(before) == 4

    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put_document(
        store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")), EXTRACTOR
    )
    refresh_aggregate(store)
    fresh = tmp_path / "staging-2"
    write_store_trig(store, tmp_path / "b.trig", fragments=kept, fresh=fresh)
    assert sorted(p.name for p in kept.iterdir()) == before  # nothing kept yet: a failed build ends here
    keep_fragments(fresh, kept)
    after = sorted(p.name for p in kept.iterdir())
    assert len(after) == 4 and len(set(after) - set(before)) == 2
    write_store_trig(store, tmp_path / "whole.trig")
    assert (tmp_path / "b.trig").read_bytes() == (tmp_path / "whole.trig").read_bytes()


def test_store_export_document_block_made_when_stored_is_the_one_read_back(store, tmp_path):
    # A build writes each document's TriG block from the statements it has just stored: the very bytes the
    # export would make reading the graph back from the store, odd literals too (Oxigraph gives back
    # "30" for rdflib's 30.0, and a statement added twice once), under the name the export looks for.
    from ldn_graph.store.catalog import StoredDocument
    from ldn_graph.store.export import keep_document_block

    folder = tmp_path / "fragments"
    handed: list = []
    for x in corpus():
        put_document(store, x, EXTRACTOR, written=lambda *d: handed.append(d))
    odd = DOC["odd"]
    triples = [
        (odd, RDF.type, LDN.Document),
        (odd, DCTERMS.title, Literal('say "no" \\ twice\nand\r\tagain \u2028 .\n} done')),
        (odd, DCTERMS.description, Literal("bonjour", lang="fr-CA")),
        (odd, DCTERMS.date, Literal("2010", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))),
        (odd, RDF.type, LDN.Document),
    ]
    triples += [
        (URIRef(f"{odd}/value-{i}"), RDF.value, value)
        for i, value in enumerate([Literal(30.0), Literal(Decimal("0.84")), Literal(True), Literal(7)])
    ]
    store.replace_graph(str(odd), ntriples(triples))
    handed.append((StoredDocument(str(odd), "odd", "0" * 64, "odd.txt", EXTRACTOR), triples))
    assert len(handed) == 4
    for stored, statements in handed:
        keep_document_block(folder, stored, statements)
    for stored, _ in handed:
        prefixes, block = store_export._fragment(store, stored.iri)
        made = store_export.document_block_file(folder, stored)
        assert made.read_bytes() == f"# prefixes: {' '.join(prefixes)}\n".encode() + block, stored.key
    refresh_aggregate(store)
    write_store_trig(store, tmp_path / "whole.trig")
    write_store_trig(store, tmp_path / "kept.trig", fragments=folder, fresh=tmp_path / "fresh")
    assert (tmp_path / "kept.trig").read_bytes() == (tmp_path / "whole.trig").read_bytes()
    assert len(list((tmp_path / "fresh").glob("*.trig"))) == 1  # the aggregate's alone was made there


@pytest.mark.slow
def test_store_export_build_killed_while_exporting_resumes(tmp_path):
    # Killed once every document is stored, while the exports are being written: the rerun finds nothing
    # to read, writes the exports and keeps their TriG blocks, and the files are those of a build never
    # stopped; no staging folder is left.
    import signal
    import subprocess
    import time

    from tests.test_store import CLI, _inputs, _sentences

    sentences = _sentences()
    texts = {f"doc-{i:02d}.txt": " ".join(sentences[i * 2 : i * 2 + 3]) for i in range(12)}
    src = _inputs(tmp_path / "in", texts)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    process = subprocess.Popen([CLI, "build", str(src), "-o", str(killed), "-q"])
    while process.poll() is None and not list(killed.glob(".ldn-graph-*")):
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    if process.returncode != -signal.SIGKILL:
        pytest.skip("the build finished before it could be killed while exporting")
    assert not (killed / ".store-revision").exists()

    resumed = subprocess.run([CLI, "build", str(src), "-o", str(killed)], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert "0 new, 0 replaced, 12 unchanged" in resumed.stderr
    assert not list(killed.glob(".ldn-graph-*"))
    assert len(list((killed / ".trig-fragments").glob("*.trig"))) == 13  # 12 documents and the aggregate
    subprocess.run([CLI, "build", str(src), "-o", str(clean), "-q"], check=True)
    for name in ("graph.ttl", "graph.trig", "kgx/nodes.tsv", "kgx/edges.tsv"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "kgx"])
def test_store_export_command_streams_a_store_folder(tmp_path, capsys, fmt):
    # `ldn-graph export STORE --format F`: streamed from the store (KGX read from it in place), the bytes
    # of the rdflib writers.
    from ldn_graph.cli import main
    from ldn_graph.export import FORMATS

    with LocalStore(tmp_path / "out" / "store") as opened:
        write_corpus(opened, corpus())
        expected = [p.read_bytes() for p in FORMATS[fmt](export_dataset(opened), tmp_path / "rdflib")]
    target = tmp_path / "new" / "graph.out"
    assert main(["export", str(tmp_path / "out"), "--format", fmt, "-o", str(target)]) == 0
    written = [target / name for name in ("nodes.tsv", "edges.tsv")] if fmt == "kgx" else [target]
    assert capsys.readouterr().out == "".join(f"wrote {path}\n" for path in written)
    assert [path.read_bytes() for path in written] == expected
