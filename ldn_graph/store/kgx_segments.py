"""KGX kept by document (issue 15): a one-document change writes nodes.tsv and edges.tsv from what it
changed, not from every evidence sentence of the store (docs/scale.md, "KGX kept by document").

An edge row is made of two parts. Its assertion's own statements (ends, predicate, negation, certainty,
support count, qualifiers) and the entities' rows are read from the store on every build, without the
evidence: a few statements per assertion and entity. What the evidence gives (the sentences, the rules
and best score that found them, the documents' publication ids, how many there are) is a sum over the
document graphs: each evidence node is described whole in the graph of the document it quotes
(rdf/write.py), so a document's share of each assertion it supports (its *segment*) is read from that
graph alone. The sums, by assertion, are kept in `OUTDIR/.kgx-segments/state.json`, with each document's
segment file (named by the document's revision and the code) and its node row; a build subtracts the
segments of the documents replaced or removed since, and adds those of the documents new or replaced.

The first build, one that finds no state (or one of other code), or one where more than a tenth of the
documents changed, reads every evidence as `export/kgx.py` does and writes every segment. A store whose
evidence does not quote its own document graph (no graph of ldn-graph), or a remote store, keeps none,
and its next build reads every evidence again. The state and the new segments are written into the
staging folder and moved into OUTDIR once the exports are published (`keep_segments`), so that a build
killed at any point leaves the state of the last published KGX, with the segments it names.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from ldn_graph.atomic import write_atomic
from ldn_graph.export.kgx import (
    EvidenceCells,
    _Reader,
    document_row,
    kgx_rows,
    publication_id,
    unique_documents,
    write_tables,
)
from ldn_graph.namespaces import LDN, OA
from ldn_graph.rdf.read import Evidence
from ldn_graph.store.base import GraphStore
from ldn_graph.store.catalog import StoredDocument, stored_documents

SEGMENTS = ".kgx-segments"
STATE = "state.json"
SUFFIX = ".segment.json"
# The segment files a state names, one a line: what `keep_segments` keeps of the folder.
INDEX = "index"
_FORMAT = "ldn-graph KGX segments 1"
# More documents changed than one in this many (and more than `FEW`): every evidence is read again.
WHOLE_SHARE = 10
FEW = 10

# An assertion's sums: "n" its evidence nodes, "s" sentences, "r" rules, "c" scores, "p" publication ids,
# each value with the number of evidence nodes that give it.
Sums = dict[str, Any]
# A document's segment: by assertion IRI, its evidence's values, a value once per evidence node.
Segment = dict[str, dict[str, Any]]


class _Whole(Exception):
    """The kept state cannot give this build's rows: every evidence is read."""


def _score_key(value: object) -> str:
    """A score (`Evidence.scores`: a literal's Python value) as text that gives the value back."""
    if isinstance(value, Decimal):
        return f"d{value}"
    if isinstance(value, float):
        return f"f{value!r}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"i{value}"
    raise _Whole


def _score(key: str) -> Decimal | float | int:
    kind, text = key[0], key[1:]
    return Decimal(text) if kind == "d" else float(text) if kind == "f" else int(text)


def segment_name(document: StoredDocument) -> str:
    """The file of a document's segment: named by its graph's revision and the code that reads it."""
    from ldn_graph.store.fingerprint import code_fingerprint
    from ldn_graph.store.validation import document_revision

    key = f"{document_revision(document)}\n{code_fingerprint()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + SUFFIX


def _share(evidence: Evidence) -> dict[str, Any]:
    """One evidence node's values, as a segment holds them."""
    document = evidence.document
    return {
        "n": 1,
        "s": [evidence.sentence],
        "r": list(evidence.rules),
        "c": [_score_key(v) for v in evidence.scores],
        "p": [publication_id(document)] if document is not None else [],
    }


def _add_share(segment: Segment, assertion: str, share: dict[str, Any]) -> None:
    found = segment.setdefault(assertion, {"n": 0, "s": [], "r": [], "c": [], "p": []})
    found["n"] += share["n"]
    for field in "srcp":
        found[field] += share[field]


def _apply(sums: dict[str, Sums], segment: Segment, sign: int) -> None:
    """Add (`sign` 1) or take away (-1) a document's segment to the sums by assertion."""
    for assertion, share in segment.items():
        found = sums.setdefault(assertion, {"n": 0, "s": {}, "r": {}, "c": {}, "p": {}})
        found["n"] += sign * share["n"]
        for field in "srcp":
            counts = found[field]
            for value in share[field]:
                left = counts.get(value, 0) + sign
                if left < 0:
                    raise _Whole  # a segment the sums never held: the state is not this store's
                if left:
                    counts[value] = left
                else:
                    del counts[value]
        if found["n"] < 0:
            raise _Whole
        if not found["n"]:
            del sums[assertion]


def _cells(sums: Sums | None) -> EvidenceCells:
    """What an assertion's evidence gives its edge row, from its sums (none: no evidence)."""
    if sums is None:
        return EvidenceCells(sentences=(), methods=(), best_score="", publications=(), count=0)
    scores = [_score(key) for key in sorted(sums["c"])]
    return EvidenceCells(
        sentences=sums["s"],
        methods=sums["r"],
        best_score=str(max(scores)) if scores else "",
        publications=sums["p"],
        count=sums["n"],
    )


class _State:
    """What the last published KGX was made from: each document's segment file, node row and whether its
    evidence quotes it; the sums of the segments by assertion."""

    def __init__(self, documents: dict[str, list[Any]], sums: dict[str, Sums]) -> None:
        self.documents = documents  # IRI -> [segment file, node row or None, quoted by evidence]
        self.sums = sums

    @classmethod
    def read(cls, path: Path, fingerprint: str) -> _State | None:
        """The state at `path`; None when there is none, it cannot be read, or other code made it."""
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        if not isinstance(found, dict) or [found.get("format"), found.get("code")] != [_FORMAT, fingerprint]:
            return None
        documents, sums = found.get("documents"), found.get("assertions")
        if not isinstance(documents, dict) or not isinstance(sums, dict):
            return None
        return cls(documents, sums)

    def write(self, folder: Path, fingerprint: str) -> None:
        """Write the state and the index of its segment files into `folder` (the staging folder's)."""
        body = {"format": _FORMAT, "code": fingerprint, "documents": self.documents, "assertions": self.sums}
        write_atomic(folder / STATE, json.dumps(body, sort_keys=True, separators=(",", ":")))
        names = sorted(entry[0] for entry in self.documents.values())
        write_atomic(folder / INDEX, "".join(f"{name}\n" for name in names))


def write_kgx_segments(store: GraphStore, graph: Graph, path: Path, *, kept: Path, fresh: Path) -> list[Path]:
    """Write KGX (`path`: the folder of nodes.tsv and edges.tsv) for `store`, whose union `graph` is (a
    union view, read in place, or a Dataset for a remote store), from the state kept in `kept` where it
    gives the rows; the new state and segments go into `fresh`, for `keep_segments`."""
    from ldn_graph.store.fingerprint import code_fingerprint
    from ldn_graph.store.view import is_union_view

    fresh.mkdir(parents=True, exist_ok=True)
    if not is_union_view(graph):
        (fresh / INDEX).write_text("", encoding="utf-8")  # no state: the kept one goes once published
        return write_kgx_rows(path, *kgx_rows(graph, in_place=True))
    fingerprint = code_fingerprint()
    documents = {d.iri: d for d in stored_documents(store).values()}
    names = {iri: segment_name(d) for iri, d in documents.items()}
    state = _State.read(kept / STATE, fingerprint)
    if state is not None:
        changed = sorted(iri for iri, name in names.items() if state.documents.get(iri, [None])[0] != name)
        removed = sorted(set(state.documents) - set(names))
        if len(changed) + len(removed) <= max(FEW, len(names) // WHOLE_SHARE):
            try:
                rows = _changed(store, graph, state, changed, removed, names, kept, fresh)
            except _Whole:
                pass
            else:
                state.write(fresh, fingerprint)
                return write_kgx_rows(path, *rows)
    reader = _Reader(graph, in_place=True)
    referenced: set[Any] = set()
    edges = [reader.edge_row(a, referenced) for a in reader.read_assertions]
    nodes = reader.entity_rows() + reader.untyped_rows() + reader.document_rows(referenced)
    try:
        if not _evidence_in_own_graphs(store):
            raise _Whole
        _whole_state(reader, names, fresh).write(fresh, fingerprint)
    except _Whole:
        (fresh / STATE).unlink(missing_ok=True)
        (fresh / INDEX).write_text("", encoding="utf-8")
    return write_kgx_rows(path, nodes, edges)


def write_kgx_rows(path: Path, nodes: list[dict[str, str]], edges: list[dict[str, str]]) -> list[Path]:
    """nodes.tsv and edges.tsv, each sorted by id."""
    nodes.sort(key=lambda row: row["id"])
    edges.sort(key=lambda row: row["id"])
    return write_tables(path, nodes, edges)


def _whole_state(reader: _Reader, names: dict[str, str], fresh: Path) -> _State:
    """The state of a KGX read whole, and every document's segment written into `fresh`."""
    segments: dict[str, Segment] = {iri: {} for iri in names}
    for assertion in reader.read_assertions:
        for evidence in assertion.evidence:
            document = evidence.document
            if document is None or str(document.iri) not in segments:
                raise _Whole  # evidence outside the document graphs: nothing to keep it by
            _add_share(segments[str(document.iri)], str(assertion.iri), _share(evidence))
    sums: dict[str, Sums] = {}
    documents: dict[str, list[Any]] = {}
    for iri, segment in segments.items():
        _apply(sums, segment, 1)
        documents[iri] = [names[iri], document_row(reader.read.document(URIRef(iri))), bool(segment)]
        _write_segment(fresh / names[iri], iri, segment)
    return _State(documents, sums)


def _evidence_in_own_graphs(store: GraphStore) -> bool:
    """True when every evidence node is named as its assertion's in the graph of the document it quotes:
    what lets a document's segment be read from its graph alone (ldn-graph writes no other)."""
    quoting_another = (
        f"SELECT ?e WHERE {{ GRAPH ?g {{ ?e <{OA.hasBody}> ?a }} GRAPH ?h {{ ?e <{OA.hasTarget}> ?t }} "
        f"GRAPH ?k {{ ?t <{OA.hasSource}> ?d }} FILTER(?d != ?g) }} LIMIT 1"
    )
    unnamed = (
        f"SELECT ?e WHERE {{ GRAPH ?g {{ ?a <{PROV.wasDerivedFrom}> ?e }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?e <{OA.hasBody}> ?a }} }} }} LIMIT 1"
    )
    return not any(next(iter(store.select(query)), None) for query in (quoting_another, unnamed))


def _write_segment(file: Path, iri: str, segment: Segment) -> None:
    text = json.dumps({"document": iri, "assertions": segment}, sort_keys=True, separators=(",", ":"))
    write_atomic(file, text)


def _read_segment(file: Path, iri: str) -> Segment:
    try:
        found = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise _Whole from None
    if not isinstance(found, dict) or found.get("document") != iri:
        raise _Whole
    segment = found.get("assertions")
    if not isinstance(segment, dict):
        raise _Whole
    return segment


def _changed(
    store: GraphStore,
    graph: Graph,
    state: _State,
    changed: list[str],
    removed: list[str],
    names: dict[str, str],
    kept: Path,
    fresh: Path,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The rows from the kept state, with the segments of the documents `changed` and `removed` since
    taken away and those of the documents `changed` added; updates `state`."""
    for iri in [*removed, *changed]:
        if iri in state.documents:
            _apply(state.sums, _read_segment(kept / state.documents.pop(iri)[0], iri), -1)
    reader = _Reader(graph, in_place=True, heads=True)
    for iri in changed:
        segment = _document_segment(store, reader, iri)
        _apply(state.sums, segment, 1)
        _write_segment(fresh / names[iri], iri, segment)
        state.documents[iri] = [names[iri], document_row(reader.read.document(URIRef(iri))), bool(segment)]
    edges = [reader.assertion_row(a, _cells(state.sums.get(str(a.iri)))) for a in reader.read_assertions]
    quoted = {URIRef(iri) for iri, entry in state.documents.items() if entry[2]}
    typed = set(reader.g.subjects(RDF.type, LDN.Document))
    rows = []
    for document in sorted(typed | quoted, key=str):
        entry = state.documents.get(str(document))
        rows.append(entry[1] if entry is not None else document_row(reader.read.document(document)))
    nodes = reader.entity_rows() + reader.untyped_rows() + unique_documents(rows)
    return nodes, edges


def _document_segment(store: GraphStore, reader: _Reader, iri: str) -> Segment:
    """A document's segment: the evidence its graph holds, read as the whole reading reads it."""
    bodies = sorted(
        (str(s), str(o))
        for s, p, o, _ in store.quads([iri])
        if p == OA.hasBody and isinstance(o, URIRef) and isinstance(s, URIRef)
    )
    segment: Segment = {}
    for evidence_iri, assertion in bodies:
        evidence = reader.read.evidence(URIRef(evidence_iri))
        if evidence.document is None or str(evidence.document.iri) != iri:
            raise _Whole  # it quotes another document: kept by that one in a whole reading
        _add_share(segment, assertion, _share(evidence))
    return segment


def keep_segments(fresh: Path, kept: Path) -> None:
    """Move the state and segments `write_kgx_segments` made into `kept` once the exports are published,
    and remove the segments the state no longer names (all of them when there is no state)."""
    if not (fresh / INDEX).is_file() or fresh == kept:
        return
    kept.mkdir(exist_ok=True)
    wanted = set((fresh / INDEX).read_text(encoding="utf-8").split())
    for segment in fresh.glob(f"*{SUFFIX}"):
        os.replace(segment, kept / segment.name)
    if (fresh / STATE).is_file():
        os.replace(fresh / STATE, kept / STATE)
    else:
        (kept / STATE).unlink(missing_ok=True)
    _prune(kept, wanted)


def _prune(folder: Path, keep: Iterable[str]) -> None:
    wanted = set(keep)
    for old in folder.glob(f"*{SUFFIX}"):
        if old.name not in wanted:
            old.unlink(missing_ok=True)
