"""SHACL validation of a built graph against the bundled shapes (`ontology/shapes.ttl`): the whole graph
at once (`validate(graph)`), or the parts of a store a build changed (`validate(Parts(...))`, which
store/validation.py gathers; docs/scale.md says why the two agree)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ldn_graph.errors import LdnGraphError
from ldn_graph.forked import become_child, fork_child
from ldn_graph.namespaces import LDN
from ldn_graph.rdf.io import merged_graph
from ldn_graph.rdf.ontology import load_ontology, read_bundled_turtle

SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class ValidationResult:
    """What pyshacl found: whether the graph conforms, its report as text, and how many results failed."""

    conforms: bool
    text: str
    violations: int


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """The parsed SHACL shapes, shared by all callers: treat them as read-only."""
    return read_bundled_turtle(SHAPES_FILE)


# Properties that only the aggregate graph writes (rdf/aggregate.py): a shape that targets their subjects,
# or the class ldn:Assertion, is about assertion nodes, whose description the aggregate completes.
AGGREGATE_PROPERTIES = (LDN.supportCount, LDN.documentCount, LDN.confidence, LDN.contradictedBy)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

# One result of a SHACL report, as the text of its focus node, path, value, constraint, shape and
# message: the same result found by two checks counts once.
ResultKey = tuple[str, str, str, str, str, str]


@dataclass(frozen=True)
class ShapeSplit:
    """The shapes in two graphs, each with the targets of its own shapes only: the shapes about nodes one
    document describes whole (`documents`), and those about assertion nodes (`assertions`)."""

    documents: Graph
    assertions: Graph


def split_shapes(shapes: Graph) -> ShapeSplit:
    """`shapes` split by what they target (`AGGREGATE_PROPERTIES`): every shape stays in both graphs, so
    that one can refer to another (sh:node), but targets nodes in one of them only."""
    about_assertions = set(shapes.subjects(SH.targetClass, LDN.Assertion))
    for prop in AGGREGATE_PROPERTIES:
        about_assertions |= set(shapes.subjects(SH.targetSubjectsOf, prop))
    documents, assertions = Graph(), Graph()
    for s, p, o in shapes:
        if p not in _TARGETS:
            documents.add((s, p, o))
            assertions.add((s, p, o))
        else:
            (assertions if s in about_assertions else documents).add((s, p, o))
    return ShapeSplit(documents, assertions)


@dataclass
class Parts:
    """What a build checks of a store instead of the whole graph, each part with the shapes about it:
    `documents`, document graphs (their union) with `ShapeSplit.documents`; `assertions`, the assertion
    nodes that changed, described as in the whole graph, with what their shapes read of other nodes
    (their values' types, their plain triples), with `ShapeSplit.assertions`; `entities`, the nodes of
    `entity_focus` (entities several documents describe differently) described as in the whole graph,
    with `ShapeSplit.documents`; `found`, the results of document graphs checked as they were written."""

    shapes: ShapeSplit
    documents: Graph = field(default_factory=Graph)
    assertions: Graph = field(default_factory=Graph)
    entities: Graph = field(default_factory=Graph)
    entity_focus: list[URIRef] = field(default_factory=list)
    found: dict[ResultKey, str] = field(default_factory=dict)

    def empty(self) -> bool:
        """True when nothing is left to check: the result is `found`'s."""
        return not (len(self.documents) or len(self.assertions) or self.entity_focus)


def check(
    graph: Graph, shapes: Graph, focus: list[URIRef] | None = None, *, inplace: bool = False
) -> dict[ResultKey, str]:
    """The results of validating `graph` (the ontology mixed in, no inference) against `shapes`, only on
    the nodes of `focus` when given; each result's key and message. `inplace`: the ontology is mixed into
    `graph` itself rather than a copy (a fifth of the time of a batch of document graphs), for a graph
    made only to be checked."""
    import pyshacl

    if not len(graph):
        return {}
    _, report, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=load_ontology(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        inplace=inplace,
        focus_nodes=None if focus is None else list[URIRef | str](focus),
    )
    return report_results(report)


def report_results(report: Graph) -> dict[ResultKey, str]:
    """The top-level results of a SHACL report (sh:detail nests others inside them), by key."""
    found: dict[ResultKey, str] = {}
    for result in report.objects(None, SH.result):

        def value(prop: URIRef, node: Node = result) -> str:
            term = report.value(node, prop)
            return "" if term is None else term.n3()

        shape = report.value(result, SH.sourceShape)
        # A property shape is a blank node: named by the path and message it carries.
        message = str(report.value(result, SH.resultMessage) or "")
        key = (
            value(SH.focusNode),
            value(SH.resultPath),
            value(SH.value),
            value(SH.sourceConstraintComponent),
            shape.n3() if isinstance(shape, URIRef) else "",
            message,
        )
        found[key] = message
    return found


def result_of(results: dict[ResultKey, str]) -> ValidationResult:
    """A ValidationResult for the results of several checks, each counted once."""
    lines = [f"Validation Report\nConforms: {not results}\nResults ({len(results)}):"]
    for key in sorted(results):
        focus, path, value, component, _, message = key
        lines.append(f"Constraint Violation in {component}:\n\tFocus Node: {focus}")
        lines += [f"\t{name}: {text}" for name, text in (("Result Path", path), ("Value", value)) if text]
        lines.append(f"\tMessage: {message}")
    return ValidationResult(conforms=not results, text="\n".join(lines) + "\n", violations=len(results))


def validate_parts(parts: Parts) -> ValidationResult:
    """Check each part of `parts` with its shapes; the results together with those already found."""
    results = dict(parts.found)
    results.update(check(parts.documents, parts.shapes.documents))
    results.update(check(parts.assertions, parts.shapes.assertions))
    if parts.entity_focus:
        results.update(check(parts.entities, parts.shapes.documents, parts.entity_focus))
    return result_of(results)


def validate(graph: Graph | Dataset | Parts) -> ValidationResult:
    """Validate a graph, or the union of a dataset's named graphs, against the ldn-graph shapes; or the
    parts of a store that changed (`Parts`), which gives the results validating its whole graph would.

    The ontology is mixed into the data graph, without inference: SHACL follows its rdfs:subClassOf, so an
    `ldn:Cell` counts as an `ldn:Entity`, and the shapes target untyped nodes by their properties (RDFS
    inference over a corpus's graph took most of the time: 426,000 statements, 182 s with it, 82 s
    without). The graph passed in is not changed.
    """
    import pyshacl  # heavy: only when validating

    if isinstance(graph, Parts):
        return validate_parts(graph)
    # Assertions and the evidence they point to live in different named graphs: check them together.
    data = merged_graph(graph)
    inplace = data is not graph  # a copy of ours: pyshacl may mix the ontology into it
    conforms, report, text = pyshacl.validate(
        data,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        inplace=inplace,
    )
    # Top-level results only: sh:detail nests the results of sh:node and friends inside them.
    violations = sum(1 for _ in report.objects(None, SH.result))
    return ValidationResult(conforms=bool(conforms), text=str(text), violations=violations)


class BackgroundValidation:
    """`validate(graph)` in a forked process, while this one goes on (a build writes its exports then, and
    publishes them only once the graph is known to conform): `forked.fork_child`, which says what the
    child may and may not do. Where no process can be forked, the graph is validated here, when the
    result is asked for.
    """

    def __init__(self, graph: Graph | Dataset | Parts) -> None:
        self._graph = graph
        self._process: Any = None
        if isinstance(graph, Parts) and graph.empty():  # the results are known: no process for them
            return
        started = fork_child(_validate_into, graph)
        if started is not None:
            self._process, self._reader = started

    def result(self) -> ValidationResult:
        """What `validate` found; LdnGraphError when the validating process died first."""
        if self._process is None:
            return validate(self._graph)
        try:
            result: ValidationResult = self._reader.recv()
        except EOFError:
            raise LdnGraphError(
                "the SHACL check of the built graph stopped before it finished (out of memory?)"
            ) from None
        finally:
            self._reader.close()
            self._process.join()
        return result

    def stop(self) -> None:
        """End the validating process if it still runs (the build failed or was interrupted)."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()


class BackgroundChecks:
    """`check(batch, shapes)` for each batch of statements `send` is given, in a forked process that
    takes them while this one goes on (a build checks each document graph as it writes it, while it reads
    the next); `results` merges what it found. Forked as `BackgroundValidation` is, before the build
    starts processes of its own; where no process can be forked, each batch is checked here."""

    def __init__(self, shapes: Graph) -> None:
        self._shapes = shapes
        self._found: dict[ResultKey, str] = {}
        self._process: Any = None
        started = fork_child(_check_batches, shapes, duplex=True)
        if started is not None:
            self._process, self._connection = started

    def send(self, batch: list[tuple[Node, Node, Node]]) -> None:
        """Check `batch` (in the other process, once it is done with the batch before)."""
        if self._process is None:
            graph = Graph()
            for triple in batch:
                graph.add(triple)
            self._found.update(check(graph, self._shapes, inplace=True))
            return
        self._connection.send(batch)

    def results(self) -> dict[ResultKey, str]:
        """The results of every batch sent; LdnGraphError when the checking process died first."""
        if self._process is not None:
            try:
                self._connection.send(None)
                self._found.update(self._connection.recv())
            except (EOFError, OSError):
                raise LdnGraphError(
                    "the SHACL check of the document graphs stopped before it finished (out of memory?)"
                ) from None
            finally:
                self._connection.close()
                self._process.join()
                self._process = None
        return self._found

    def stop(self) -> None:
        """End the checking process if it still runs (the build failed or was interrupted)."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()


def _validate_into(graph: Graph | Dataset | Parts, connection: Any) -> None:
    become_child()
    connection.send(validate(graph))
    connection.close()


def _check_batches(shapes: Graph, connection: Any) -> None:
    become_child()
    found: dict[ResultKey, str] = {}
    while (batch := connection.recv()) is not None:
        graph = Graph()
        for triple in batch:
            graph.add(triple)
        found.update(check(graph, shapes, inplace=True))
    connection.send(found)
    connection.close()
