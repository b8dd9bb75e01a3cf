"""The aggregate graph in the store: computed from every document graph, or only where documents changed.

The aggregate (`rdf/aggregate.py`) is a function of the evidence in the document graphs, assertion by
assertion: an assertion's statements depend on its own supports, and `ldn:contradictedBy` on those of the
assertion of the same relation with the other polarity. So when a few documents change, only the
assertions of the relations they touch (before or after the change) need computing again; the others'
statements stay as they are.

The aggregate graph records what it was computed from: one bookkeeping line per document
(`store:covers "<document IRI> <text hash> <extractor> <metadata hash>"`) beside the revision hash of the
whole list. A refresh compares those lines with the documents the store holds now: the documents whose
line differs, is new or is gone are the changed ones. Their assertions are those the changed documents'
graphs support now, and those the aggregate derived from their evidence before (an evidence IRI starts
with its document's key: `rdf/write.evidence_iri`). Every assertion of the relations of those is read
back (`SUPPORTS` restricted to them) and computed again, and one SPARQL update replaces their statements
and the bookkeeping: a build killed before it leaves the old lines behind, so the next run finds the same
documents changed.

A store that takes only whole graphs (`GraphStore.can_update` false: a remote store over the Graph Store
Protocol) and a change of many documents (more than `INCREMENTAL_SHARE` of them) compute the whole
aggregate, as does a store whose aggregate has no bookkeeping lines (one written by an older version).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal
from rdflib.namespace import PROV, RDF

from ldn_graph.namespaces import AGGREGATE_GRAPH, DOC, EVIDENCE, LDN, OA, STORE
from ldn_graph.rdf.aggregate import Support, aggregate_triples
from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH
from ldn_graph.store.base import GraphStore
from ldn_graph.store.catalog import (
    QUALIFIER_LINKS,
    SUPPORTS,
    StoredDocument,
    aggregate_revision,
    coverage_line,
    read_supports,
    revision,
    stored_documents,
)
from ldn_graph.store.terms import iri_values, nt_term, ntriples, values_lists

# At most this share of the documents changed (and at least `INCREMENTAL_MIN` documents in any case), the
# aggregate is updated where they touch it; beyond it, computed whole (one pass over all the evidence is
# then cheaper than many restricted ones).
INCREMENTAL_SHARE = 0.1
INCREMENTAL_MIN = 10

COVERAGE = (
    f"SELECT ?line WHERE {{ GRAPH <{AGGREGATE_GRAPH}> {{ <{AGGREGATE_GRAPH}> <{STORE.covers}> ?line }} }}"
)


def refresh_aggregate(store: GraphStore, *, force: bool = False) -> bool:
    """Bring the aggregate graph up to date with the document graphs (computed again whole when `force`);
    True when it was written."""
    documents = stored_documents(store).values()
    current = revision(documents)
    if not force and aggregate_revision(store) == current:
        return False
    if not force and store.can_update:
        covered = {line.split(" ", 1)[0]: line for line in (r["line"] for r in store.select(COVERAGE))}
        now = {d.iri: coverage_line(d) for d in documents}
        changed = {iri for iri, line in now.items() if covered.get(iri) != line} | (
            covered.keys() - now.keys()
        )
        if covered and len(changed) <= max(INCREMENTAL_MIN, int(len(now) * INCREMENTAL_SHARE)):
            _update(store, sorted(changed), now, covered, current)
            return True
    links = [(row["a"], row["q"]) for row in store.select(QUALIFIER_LINKS)]
    triples = aggregate_triples(read_supports(store), links)
    store.replace_graph(str(AGGREGATE_GRAPH), ntriples(triples), bookkeeping=_marks(current, documents))
    return True


def _marks(current: str, documents: Iterable[StoredDocument]) -> str:
    """The aggregate's bookkeeping: the revision and one line per document it was computed from."""
    marks = [(AGGREGATE_GRAPH, STORE.revision, Literal(current))]
    marks += [
        (AGGREGATE_GRAPH, STORE.covers, Literal(line)) for line in sorted(map(coverage_line, documents))
    ]
    return ntriples(marks)


def _update(
    store: GraphStore, changed: list[str], now: dict[str, str], covered: dict[str, str], current: str
) -> None:
    """Compute again the assertions of the relations the `changed` documents touch, and replace their
    statements and the bookkeeping in one update."""
    touched = _assertions_of_documents(store, [iri for iri in changed if iri in now])
    touched |= _assertions_derived_from(store, [_key(iri) for iri in changed])
    assertions = _assertions_of_relations(store, _relations_of(store, touched)) | touched
    chunks = list(iri_values(assertions))
    supports: list[Support] = []
    links: list[tuple[str, str]] = []
    for values in chunks:
        supports += read_supports(store, _restricted(SUPPORTS, values))
        links += [(row["a"], row["q"]) for row in store.select(_restricted(QUALIFIER_LINKS, values))]
    triples = ntriples(aggregate_triples(sorted(supports), sorted(set(links))))
    old_lines = [(AGGREGATE_GRAPH, STORE.covers, Literal(covered[iri])) for iri in changed if iri in covered]
    new_lines = [(AGGREGATE_GRAPH, STORE.covers, Literal(now[iri])) for iri in changed if iri in now]
    graph = f"<{AGGREGATE_GRAPH}>"
    steps = [_unmerged(values) for values in chunks]
    steps += [
        f"DELETE {{ GRAPH {graph} {{ ?a ?p ?o }} }} WHERE {{ VALUES ?a {{ {values} }}\n"
        f"  GRAPH {graph} {{ ?a ?p ?o }} }}"
        for values in chunks
    ]
    steps += [
        f"DELETE WHERE {{ GRAPH {graph} {{ {graph} <{STORE.revision}> ?revision }} }}",
        f"DELETE DATA {{ GRAPH {graph} {{\n{ntriples(old_lines)}}} }}",
        f"INSERT DATA {{ GRAPH {graph} {{\n{triples}{_revision(current)}{ntriples(new_lines)}}} }}",
        f"INSERT DATA {{\n{triples}}}",
    ]
    store.update(" ;\n".join(steps))


def _unmerged(values: str) -> str:
    """The update that takes these assertions' aggregate statements out of the merged default graph,
    except those a document graph also holds (an assertion's identity is in every graph that supports it;
    as `store/local._unmerge` does for a whole graph)."""
    return (
        f"DELETE {{ ?a ?p ?o }} WHERE {{ VALUES ?a {{ {values} }} GRAPH <{AGGREGATE_GRAPH}> {{ ?a ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?g {{ ?a ?p ?o }}\n"
        f"    FILTER(?g != <{AGGREGATE_GRAPH}> && ?g != <{ONTOLOGY_GRAPH}>) }} }}"
    )


def _revision(current: str) -> str:
    return ntriples([(AGGREGATE_GRAPH, STORE.revision, Literal(current))])


def _key(iri: str) -> str:
    return iri[len(str(DOC)) :] if iri.startswith(str(DOC)) else iri


def _assertions_of_documents(store: GraphStore, documents: list[str]) -> set[str]:
    """The assertions the evidence of these document graphs supports."""
    found: set[str] = set()
    for values in iri_values(documents):
        query = (
            f"SELECT DISTINCT ?a WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?ev <{OA.hasBody}> ?a }} }}"
        )
        found |= {row["a"] for row in store.select(query)}
    return found


def _assertions_derived_from(store: GraphStore, keys: list[str]) -> set[str]:
    """The assertions the aggregate derived from the evidence of the documents with these keys (an
    evidence IRI is its document's key, a dot, then the rest; a key shared as a prefix only reads more)."""
    found: set[str] = set()
    for start in range(0, len(keys), 50):
        tests = " || ".join(
            f"STRSTARTS(STR(?ev), {nt_term(Literal(f'{EVIDENCE}{key}.'))})"
            for key in keys[start : start + 50]
        )
        query = (
            f"SELECT DISTINCT ?a WHERE {{ GRAPH <{AGGREGATE_GRAPH}> {{ ?a <{PROV.wasDerivedFrom}> ?ev }} "
            f"FILTER({tests}) }}"
        )
        found |= {row["a"] for row in store.select(query)}
    return found


def _relations_of(store: GraphStore, assertions: set[str]) -> set[tuple[str, str, str]]:
    """The (subject, predicate, object) of these assertions, wherever the store describes them."""
    found: set[tuple[str, str, str]] = set()
    for values in iri_values(assertions):
        query = (
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?a {{ {values} }} GRAPH ?g {{ ?a <{RDF.subject}> ?s ; "
            f"<{RDF.predicate}> ?p ; <{RDF.object}> ?o }} }}"
        )
        found |= {(row["s"], row["p"], row["o"]) for row in store.select(query)}
    return found


def _assertions_of_relations(store: GraphStore, relations: set[tuple[str, str, str]]) -> set[str]:
    """Every assertion of these relations, either polarity, in any graph."""
    found: set[str] = set()
    for rows in values_lists(f"(<{s}> <{p}> <{o}>)" for s, p, o in relations):
        query = (
            f"SELECT DISTINCT ?a WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} GRAPH ?g {{ ?a <{RDF.subject}> ?s ; "
            f"<{RDF.predicate}> ?p ; <{RDF.object}> ?o ; <{LDN.negated}> ?n }} }}"
        )
        found |= {row["a"] for row in store.select(query)}
    return found


def _restricted(query: str, values: str) -> str:
    """A SELECT of catalog.py whose WHERE clause starts with `?a` bound to these IRIs."""
    head, sep, rest = query.partition("WHERE {")
    return f"{head}{sep}\n  VALUES ?a {{ {values} }}{rest}"
