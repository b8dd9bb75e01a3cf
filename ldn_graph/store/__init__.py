"""The graph store: where a corpus's graph lives between builds.

    Extraction ──► document graph ──► store (one named graph per document, one transaction each)
                                        │
                       aggregate ◄──────┘ recomputed from every document's evidence
                                        │
                       exports   ◄──────┘ graph.ttl, graph.trig, KGX, HTML (what the in-memory build gives)

`local.py` is the embedded default, Oxigraph in a folder; `remote.py` writes to a SPARQL server through
the Graph Store Protocol; both offer the few operations of `base.GraphStore`, on which `catalog.py` keeps
the documents and the aggregate; `publish.py` writes a build's exports of a store (`export.py` streams
Turtle, TriG and N-Triples from it). `query.py` answers SPARQL on a store folder for `query` and
`serve`. `fingerprint.py` says when a document must be read again although its text did not change.
"""

from __future__ import annotations

from ldn_graph.store.base import GraphStore


def open_store(location: str, *, query_url: str | None = None) -> GraphStore:
    """The store at `location`: a folder (created when absent) or a SPARQL server's Graph Store URL."""
    from ldn_graph.store.remote import RemoteStore, is_url

    if is_url(location):
        return RemoteStore(location, query_url=query_url)
    from ldn_graph.store.local import LocalStore

    return LocalStore(location)


__all__ = ["GraphStore", "open_store"]
