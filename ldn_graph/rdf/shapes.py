"""SHACL validation of a built graph against the bundled shapes (`ontology/shapes.ttl`)."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import signal
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph
from rdflib.namespace import SH

from ldn_graph.errors import LdnGraphError
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
    publishes them only once the graph is known to conform). On Linux only (macOS lists fork but it is
    unsafe there), and only if the fork succeeds; otherwise the graph is validated here, when the result
    is asked for.

    The forking process may hold an open store, whose native threads the child does not have: the child
    must never free a store object. Garbage is collected before the fork and what is left is frozen, so
    the child's collector never looks at it, and the child ends without finalisation (multiprocessing's
    `os._exit`). It ignores Ctrl-C (the parent stops it) and dies with its parent (PR_SET_PDEATHSIG).
    """

    def __init__(self, graph: Graph | Dataset) -> None:
        self._graph = graph
        self._process: Any = None
        if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_validate_into, args=(graph, writer), daemon=True)
        gc.collect()
        gc.freeze()
        try:
            process.start()
        except OSError:  # no memory or process left for a fork: validate here instead
            reader.close()
            return
        finally:
            gc.unfreeze()
            writer.close()
        self._reader, self._process = reader, process

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


def _validate_into(graph: Graph | Dataset, connection: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    connection.send(validate(graph))
    connection.close()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
