"""What ldn-graph needs of a graph store, whether Oxigraph on disk or a SPARQL server over HTTP.

Four operations: a SPARQL SELECT whose values come back as plain strings, replacing one named graph
atomically, dropping one, and reading named graphs back. Everything else (catalog.py) is written on
these, so the embedded store and a remote one behave the same. Bookkeeping statements (which extractor
read a document...) are kept in the named graph, apart from its data, so that a store can keep them out
of what queries see.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from types import TracebackType

from rdflib import URIRef
from rdflib.term import Node

Quad = tuple[Node, Node, Node, URIRef]


class GraphStore(ABC):
    """A set of named graphs that can be queried, replaced one at a time, and read back."""

    location: str  # how messages name the store: its folder or its URL
    # Graphs this object replaced or dropped so far: what was read of the store stays true until it
    # changes (catalog.stored_documents keeps its answer that long).
    writes: int = 0

    @abstractmethod
    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT; each row maps a bound variable to its IRI or its literal's lexical form."""

    @abstractmethod
    def replace_graph(self, name: str, data: str, *, bookkeeping: str = "", union: bool = True) -> None:
        """Make the graph `name` hold exactly `data` and `bookkeeping` (N-Triples), in one transaction:
        all or nothing. `union`: its data belongs to the graph that queries see (not so the ontology)."""

    @abstractmethod
    def drop_graph(self, name: str) -> None:
        """Remove the graph `name` (nothing happens when there is none), in one transaction."""

    @abstractmethod
    def quads(self, names: Iterable[str]) -> Iterator[Quad]:
        """Every statement of the graphs `names`, as rdflib terms."""

    # Whether `update` runs: a store that takes only whole graphs has the four operations above alone.
    can_update: bool = False

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update in one transaction (stores with `can_update`; store/aggregate.py uses it to
        replace some statements of the aggregate graph rather than the whole graph)."""
        raise NotImplementedError(f"{type(self).__name__} takes whole graphs only")

    def close(self) -> None:  # noqa: B027 (a store over HTTP holds nothing to release)
        """Release the store (its lock, for one on disk)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
