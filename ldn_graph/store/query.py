"""What Oxigraph answers queries on (`sparql.query.run` runs them): a store folder for `query`, the
store's copy in memory for `serve` (`StoreSource.in_memory`), and a graph file read into memory for both
(`file_source`); and the labels and rdflib view the server reads from them.

The store is opened read-only, so any number of readers may query it at once (not while a build writes
it: RocksDB does not promise what a reader sees then).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ldn_graph.errors import GraphFileError
from ldn_graph.store.local import find_store as find_store  # where the CLI and the server look it up
from ldn_graph.store.local import open_oxigraph
from ldn_graph.store.terms import nt_term, oxigraph_converter

if TYPE_CHECKING:
    import pyoxigraph


@dataclass(frozen=True)
class StoreSource:
    """A store folder to query: each process opens it for itself (RocksDB handles do not survive a fork),
    or its copy in memory (`in_memory`), which a forked process shares.

    `ontology`: each query's default graph adds the ontology graph to the merged data graph. A copy in
    memory holds the ontology in its default graph already, and says False.
    """

    path: Path
    ontology: bool = True
    memory: pyoxigraph.Store | None = field(default=None, compare=False, repr=False)

    def open(self) -> pyoxigraph.Store:
        """The copy in memory, or a read-only handle of the store, for this process."""
        if self.memory is not None:
            return self.memory
        return open_oxigraph(self.path, read_only=True)

    def in_memory(self) -> StoreSource:
        """The store copied into Oxigraph's in-memory store, for a long-running server.

        Oxigraph answers the library's queries about four times faster there than on disk, where every
        pattern and every string is a RocksDB read; the copy costs seconds at start-up and memory
        (docs/store.md has the figures). Every graph is copied as it is, so `GRAPH ?g` names the same
        graphs; the ontology is also added to the copy's default graph, which makes a query's default
        graph one graph rather than two (Oxigraph reads each pattern once per graph there).
        """
        import pyoxigraph

        from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

        disk = self.open()
        copy = pyoxigraph.Store()
        copy.bulk_extend(disk.quads_for_pattern(None, None, None, None))
        if self.ontology:
            vocabulary = disk.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)))
            copy.bulk_extend(pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in vocabulary)
        return StoreSource(self.path, ontology=False, memory=copy)

    def __len__(self) -> int:
        """The statements a query sees: the merged data graph, and the ontology unless left out."""
        import pyoxigraph

        from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

        graphs: list[Any] = [pyoxigraph.DefaultGraph()]
        if self.ontology:
            graphs.append(pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)))
        answer = self.open().query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graphs)
        assert isinstance(answer, pyoxigraph.QuerySolutions)
        return int(next(answer)["n"].value)


def file_source(path: str | os.PathLike[str], *, ontology: bool = True) -> StoreSource:
    """A graph file (`load_graph` reads it) in Oxigraph's in-memory store, laid out as `in_memory` lays
    out a store folder's copy: each named graph as it is, their merge in the default graph, and the
    ontology in its graph and in the default graph. A query on a file thus runs on the engine, and gets
    the rows, it gets on the store (rdflib's own engine drops rows, e.g. VALUES before OPTIONAL:
    rdflib issue 2332)."""
    import pyoxigraph

    from ldn_graph.rdf.io import read_graph
    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH, load_ontology

    dataset = read_graph(path)
    memory = pyoxigraph.Store()
    converter = oxigraph_converter()

    def convert(term: Node) -> Any:
        try:
            return converter(term)
        except ValueError as err:  # a term rdflib read and Oxigraph refuses, e.g. `<a^b>`
            problem = " ".join(str(err).split())
            raise GraphFileError(
                f"{nt_term(term)[:200]} cannot be queried: {problem}", where=str(path)
            ) from None

    merged = pyoxigraph.DefaultGraph()

    def quads() -> Iterator[pyoxigraph.Quad]:
        for s, p, o, graph in dataset.quads((None, None, None, None)):
            triple = (convert(s), convert(p), convert(o))
            yield pyoxigraph.Quad(*triple, merged)
            if graph is not None:
                yield pyoxigraph.Quad(*triple, convert(graph))

    memory.bulk_extend(quads())
    if ontology:
        vocabulary = pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH))
        for s, p, o in load_ontology():
            triple = (convert(s), convert(p), convert(o))
            memory.bulk_extend([pyoxigraph.Quad(*triple, vocabulary), pyoxigraph.Quad(*triple, merged)])
    return StoreSource(Path(path), ontology=False, memory=memory)


def stale_documents_warning(folder: Path) -> str | None:
    """A line saying how many documents of the store in `folder` this installation would read again
    (`catalog.count_out_of_date`), or None when none: a query on such a store answers from an older
    reading."""
    from ldn_graph.store.catalog import count_out_of_date
    from ldn_graph.store.local import LocalStore

    with LocalStore(folder, read_only=True) as store:
        stale, total = count_out_of_date(store)
    if not stale:
        return None
    return (
        f"{folder}: {stale:,} of {total:,} documents were read by other extraction code, "
        "vocabulary or model than this installation's: answers reflect that reading until "
        "`ldn-graph build` reads them again"
    )


def rdflib_view(store: pyoxigraph.Store, *, ontology: bool = True) -> Graph:
    """What queries see (the merged data graph, and the ontology) through rdflib's Graph API (oxrdflib),
    for the code that walks a graph."""
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ReadOnlyGraphAggregate

    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

    backend = OxigraphStore(store=store)
    graphs = [Graph(store=backend, identifier=DATASET_DEFAULT_GRAPH_ID)]
    if ontology:
        graphs.append(Graph(store=backend, identifier=ONTOLOGY_GRAPH))
    return ReadOnlyGraphAggregate(graphs)


def labels(store: pyoxigraph.Store, nodes: set[Node], *, ontology: bool = True) -> dict[str, str]:
    """The label of each IRI among `nodes` that has one (English or plain first), by IRI string."""
    from ldn_graph.rdf.values import label_of

    iris = sorted(str(n) for n in nodes if isinstance(n, URIRef))
    if not iris:
        return {}
    from rdflib.namespace import RDFS

    view = rdflib_view(store, ontology=ontology)
    return {iri: label_of(view, URIRef(iri)) for iri in iris if (URIRef(iri), RDFS.label, None) in view}
