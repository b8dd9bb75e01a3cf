"""Reading graph files back: any RDF file ldn-graph writes (or a user hands it) as one rdflib Dataset.

Commands that read a built graph (`query`, `viz`, `export`) go through `read_graph` (by way of
`store.catalog.load_graph`, which also opens a store folder), so they accept the same formats and report
a bad file the same way: one line with the file name and, where rdflib tells it, the line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.errors import GraphFileError

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

# Extension -> (rdflib parser, name for messages).
FORMATS: dict[str, tuple[str, str]] = {
    ".ttl": ("turtle", "Turtle"),
    ".trig": ("trig", "TriG"),
    ".nt": ("nt", "N-Triples"),
    ".nq": ("nquads", "N-Quads"),
    ".jsonld": ("json-ld", "JSON-LD"),
    ".json": ("json-ld", "JSON-LD"),
}


def rdf_format(path: str | os.PathLike[str]) -> str:
    """The rdflib parser name for a file, from its extension; GraphFileError for an unknown one."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise GraphFileError(
            f"unknown RDF file extension {suffix or '(none)'!r}: use one of {known}", where=str(path)
        )
    return FORMATS[suffix][0]


def read_graph(path: str | os.PathLike[str]) -> Dataset:
    """Parse a .ttl, .trig, .nt, .nq or .jsonld file into a Dataset whose default graph is the union
    (`store.catalog.load_graph` also reads a store folder).

    Named graphs (TriG, N-Quads, JSON-LD) are kept; a triples-only file lands in the default graph.
    Raises GraphFileError, on one line, for a missing, empty, unreadable or unparsable file.
    """
    from rdflib import Dataset

    path = Path(path)
    where = str(path)
    parser = rdf_format(path)
    format_name = FORMATS[path.suffix.lower()][1]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GraphFileError("no such file", where=where) from None
    except IsADirectoryError:
        raise GraphFileError("is a directory, not a graph file", where=where) from None
    except OSError as err:
        raise GraphFileError(f"cannot read: {err.strerror or err}", where=where) from None
    if not data.strip():
        raise GraphFileError("the file is empty", where=where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise GraphFileError(f"line {line}: not UTF-8 text", where=where) from None

    dataset = Dataset(default_union=True)
    try:
        dataset.parse(data=text, format=parser, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib's parsers raise many types; each becomes one line
        raise GraphFileError(
            f"not valid {format_name}: {_describe(err, text, parser)}", where=where
        ) from None
    if len(dataset) == 0:
        raise GraphFileError(f"no RDF statements in this {format_name} file", where=where)
    return dataset


def _describe(err: Exception, text: str, parser: str) -> str:
    """rdflib's error as `line N: reason`, on one line."""
    line: int | None = None
    reason = str(err)
    lines = getattr(err, "lines", None)  # notation3.BadSyntax (Turtle, TriG): newlines before the error
    if isinstance(lines, int):
        line = lines + 1
        reason = str(getattr(err, "_why", "") or reason)
    elif isinstance(getattr(err, "lineno", None), int):  # json.JSONDecodeError
        line = err.lineno  # type: ignore[attr-defined]
        reason = str(getattr(err, "msg", reason))
        column = getattr(err, "colno", None)
        if isinstance(column, int):
            reason += f" (column {column})"
    elif parser in ("nt", "nquads"):
        line = _first_bad_line(text, parser)
        reason = reason.split("\n")[0]
    reason = re.sub(r"\s+", " ", reason).strip() or type(err).__name__
    return f"line {line}: {reason}" if line else reason


def _first_bad_line(text: str, parser: str) -> int | None:
    """N-Triples and N-Quads errors do not say where: find the first line that does not parse alone."""
    from rdflib import Dataset

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Dataset().parse(data=line, format=parser)
        except Exception:
            return number
    return None


def merged_graph(graph: Graph, *, copy: bool = False, bind_namespaces: str = "rdflib") -> Graph:
    """Every statement of a Dataset's named graphs in one new Graph, whatever its default_union; a plain
    Graph as it is (a copy with `copy`). For readers that look a node's statements up wherever they were
    written. The new Graph binds rdflib's prefixes, or none with `bind_namespaces="none"`."""
    from rdflib import ConjunctiveGraph, Graph

    if not copy and not isinstance(graph, ConjunctiveGraph):
        return graph
    union = Graph(bind_namespaces=bind_namespaces)  # type: ignore[arg-type]
    if isinstance(graph, ConjunctiveGraph):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in graph:
            union.add(triple)
    return union
