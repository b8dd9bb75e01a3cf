"""A graph whose chosen predicates are read with one scan each: for a reader that looks up the same few
predicates of tens of thousands of nodes (`rdf/read.py`'s `GraphReader` over a whole graph), which in a
store read in place (`store/view.py`) is one store lookup per pattern, the largest cost of the HTML view
of a large graph (docs/scale.md, "The HTML view at corpus scale").

`indexed_graph(g, predicates)` is a read-only Graph: the first pattern naming one of `predicates` with a
subject (an object) reads every statement of that predicate (one query on a store read in place, one
pattern on a Graph in memory) into an index by subject (by object); that pattern and every later one of
the predicate are answered from the index. `read_ahead` reads what a predicate says of some subjects at
once. Any other pattern is looked up in `g` as before. The statements are those of `g`, so every reading
of it is the same; what is held in memory is what the indexed predicates say, nothing else (no sentence a
reader does not ask for, when `oa:exact` is not among them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from typing import Any

from rdflib import Graph, URIRef
from rdflib.store import Store
from rdflib.term import Node

_Pattern = tuple[Node | None, Node | None, Node | None]


def _key(node: Node) -> Any:
    """A node as the indexes' key: an IRI as its plain text (a URIRef key is compared with the one looked up
    by rdflib's `__eq__`, a Python call at every hit: most of a lookup's cost), any other node as itself."""
    return str.__str__(node) if isinstance(node, URIRef) else node


class IndexedStore(Store):
    """A read-only rdflib Store over `graph` answering `predicates` from indexes made by one scan each."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, graph: Graph, predicates: Iterable[URIRef]) -> None:
        super().__init__()
        self._graph = graph
        self._predicates = {_key(p) for p in predicates}  # read whole (by `_key`, as the indexes below)
        self._by_subject: dict[str, dict[Any, list[Node]]] = {}  # predicate -> subject -> objects
        self._by_object: dict[str, dict[Any, list[Node]]] = {}  # predicate -> object -> subjects
        self._ahead: dict[str, dict[Any, list[Node]]] = {}  # predicate -> subject -> objects (read_ahead)

    def _subject_index(self, predicate: str) -> dict[Any, list[Node]]:
        """Subject -> objects of `predicate`, read with one scan the first time it is asked for."""
        index = self._by_subject.get(predicate)
        if index is None:
            found: dict[Any, list[Node]] = defaultdict(list)
            for s, o in self._pairs(URIRef(predicate)):
                found[_key(s)].append(o)
            index = self._by_subject[predicate] = dict(found)
        return index

    def _object_index(self, predicate: str) -> dict[Any, list[Node]]:
        """Object -> subjects of `predicate`, from its subject index."""
        index = self._by_object.get(predicate)
        if index is None:
            found: dict[Any, list[Node]] = defaultdict(list)
            for s, o in self._pairs(URIRef(predicate)):
                found[_key(o)].append(s)
            index = self._by_object[predicate] = dict(found)
        return index

    def scan(self, predicate: URIRef) -> None:
        """Read `predicate` whole from now on (one scan, at its next lookup), as those given at the start:
        cheaper than `read_ahead` when most of what it says is wanted."""
        self._predicates.add(_key(predicate))

    def keep_only(self, predicates: Iterable[URIRef]) -> None:
        """Let go of the indexes of every predicate but `predicates`, whose statements are looked up in the
        graph again from now on: what a reader no longer needs in bulk, out of memory."""
        kept = {_key(p) for p in predicates}
        self._predicates &= kept
        for indexes in (self._by_subject, self._by_object, self._ahead):
            for predicate in set(indexes) - kept:
                del indexes[predicate]

    def read_ahead(self, predicate: URIRef, subjects: Iterable[Node]) -> None:
        """Read what `predicate` says of `subjects` now, at once (with one query per VALUES list when the
        graph's store can, see `_pairs`): what a reader will look up of a few of many nodes."""
        if _key(predicate) in self._predicates:
            return  # read whole already
        index = self._ahead.setdefault(_key(predicate), {})
        wanted = sorted({s for s in subjects if isinstance(s, URIRef) and _key(s) not in index})
        for subject in wanted:
            index[_key(subject)] = []
        for found, o in self._pairs(predicate, wanted):
            index[_key(found)].append(o)

    def _pairs(self, predicate: URIRef, subjects: list[URIRef] | None = None) -> Iterator[tuple[Node, Node]]:
        """Every subject and object of `predicate` (of `subjects` only, when given): from the graph's store
        when it can list them faster than patterns (store/view.py's `OxigraphUnion.predicate_pairs`),
        else by patterns."""
        pairs = getattr(self._graph.store, "predicate_pairs", None)
        if pairs is not None:
            yield from pairs(predicate, subjects)
        elif subjects is None:
            for s, _, o in self._graph.triples((None, predicate, None)):
                yield s, o
        else:
            for s in subjects:
                for o in self._graph.objects(s, predicate):
                    yield s, o

    def objects_of(self, subject: Node, predicate: URIRef) -> list[Node] | None:
        """The objects of `subject`'s `predicate` when an index holds them, else None."""
        p, s = _key(predicate), _key(subject)
        ahead = self._ahead.get(p)
        if ahead is not None and s in ahead:
            return ahead[s]
        if p in self._predicates:
            return self._subject_index(p).get(s, [])
        return None

    def subjects_of(self, predicate: URIRef, obj: Node) -> list[Node] | None:
        """The subjects with `predicate` `obj` when an index holds them, else None."""
        p = _key(predicate)
        if p in self._predicates:
            return self._object_index(p).get(_key(obj), [])
        return None

    def triples(
        self, triple_pattern: _Pattern, context: Any = None
    ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Any]]]:
        """The statements matching `triple_pattern` (None: any term)."""
        s, p, o = triple_pattern
        if isinstance(p, URIRef):
            if s is not None:
                objects = self.objects_of(s, p)
                if objects is not None:
                    yield from (((s, p, x), iter(())) for x in objects if o is None or x == o)
                    return
            elif o is not None:
                subjects = self.subjects_of(p, o)
                if subjects is not None:
                    yield from (((x, p, o), iter(())) for x in subjects)
                    return
        for triple in self._graph.triples((s, p, o)):
            yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        """How many statements the graph holds."""
        return len(self._graph)

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        """Refused: the graph is read-only."""
        raise TypeError("an indexed graph is read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        """Refused: the graph is read-only."""
        raise TypeError("an indexed graph is read-only")


class IndexedGraph(Graph):
    """A read-only Graph over an `IndexedStore`, whose `objects` and `subjects` read its indexes first."""

    def __init__(self, store: IndexedStore) -> None:
        super().__init__(store=store, bind_namespaces="none")
        self.indexed = store

    def objects(
        self,
        subject: Any = None,
        predicate: Any = None,
        unique: bool = False,
    ) -> Generator[Node, None, None]:
        """The objects of `subject`'s `predicate` (None: any), from an index when one holds them."""
        if subject is not None and isinstance(predicate, URIRef) and not isinstance(subject, list):
            found = self.indexed.objects_of(subject, predicate)
            if found is not None:
                yield from found
                return
        yield from super().objects(subject, predicate, unique)

    def subjects(
        self,
        predicate: Any = None,
        object: Any = None,
        unique: bool = False,
    ) -> Generator[Node, None, None]:
        """The subjects with `predicate` `object` (None: any), from an index when one holds them."""
        if object is not None and isinstance(predicate, URIRef) and not isinstance(object, list):
            found = self.indexed.subjects_of(predicate, object)
            if found is not None:
                yield from found
                return
        yield from super().subjects(predicate, object, unique)


def indexed_graph(graph: Graph, predicates: Iterable[URIRef]) -> IndexedGraph:
    """`graph` read through an `IndexedStore`: the same statements, `predicates` scanned once each."""
    return IndexedGraph(IndexedStore(graph, predicates))
