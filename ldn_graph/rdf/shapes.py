"""SHACL validation of a built graph against the bundled shapes (`ontology/shapes.ttl`)."""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from rdflib import Dataset, Graph
from rdflib.namespace import SH

from ldn_graph.errors import LdnGraphError
from ldn_graph.rdf.io import merged_graph
from ldn_graph.rdf.ontology import ONTOLOGY_PACKAGE, load_ontology

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
    graph = Graph()
    graph.parse(
        data=files(ONTOLOGY_PACKAGE).joinpath(SHAPES_FILE).read_text(encoding="utf-8"), format="turtle"
    )
    return graph


def validate(graph: Graph | Dataset) -> ValidationResult:
    """Validate a graph, or the union of a dataset's named graphs, against the ldn-graph shapes.

    The ontology is mixed into the data graph, without inference: SHACL follows its rdfs:subClassOf, so an
    `ldn:Cell` counts as an `ldn:Entity`, and the shapes target untyped nodes by their properties (RDFS
    inference over a corpus's graph took most of the time: 426,000 statements, 182 s with it, 82 s
    without). The graph passed in is not changed.
    """
    import pyshacl  # heavy: only when validating

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
    publishes them only once the graph is known to conform). Where processes cannot be forked, the
    graph is validated here, when the result is asked for."""

    def __init__(self, graph: Graph | Dataset) -> None:
        self._graph: Graph | Dataset | None = None
        self._process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._graph = graph
            return
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(target=_validate_into, args=(graph, writer), daemon=True)
        self._process.start()
        writer.close()

    def result(self) -> ValidationResult:
        """What `validate` found; LdnGraphError when the validating process died first."""
        if self._process is None:
            assert self._graph is not None
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


def _validate_into(graph: Graph | Dataset, connection: Any) -> None:
    connection.send(validate(graph))
    connection.close()
