"""Writers from an RDF graph to files, one module per family of formats, and the one table of them.

`FORMATS` maps a format name to its `ExportFormat`: a writer `write(graph, path) -> list[Path]` that returns
the files it wrote, the file endings that name it, and for a format that writes a folder the files in it.
Every writer reads only the RDF graph (a Graph, or a Dataset whose named graphs it merges or keeps), gives
byte-identical output for the same graph, and replaces files atomically. `kgx` writes a folder; `graphml`
writes the entity graph (entities as nodes, assertions as edges) rather than the RDF triples; `html` is
the view `build` writes (viz/html.py), which `ldn-graph viz` draws with options of its own.
`ldn-graph export` offers the others; `build` writes those publish.py names. A writer module: `rdf.py`
(Turtle, N-Triples, JSON-LD, TriG), `kgx.py`, `graphml.py`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

Writer = Callable[["Graph", Path], list[Path]]


@dataclass(frozen=True)
class ExportFormat:
    """A format a graph is written in; called as its writer. The writer is imported when first used, so
    that reading this table (the command line's --help) imports no rdflib."""

    name: str
    writer: str  # "module:function"
    suffixes: tuple[str, ...] = ()  # what its files end with, to guess `export --format` from a path
    folder: tuple[str, ...] = ()  # the files of a format that writes a folder; none for one file
    command: bool = True  # offered by `ldn-graph export`

    @property
    def write(self) -> Writer:
        """The writer: `write(graph, path)` returns the files it wrote."""
        module, function = self.writer.split(":")
        writer: Writer = getattr(importlib.import_module(module), function)
        return writer

    def __call__(self, graph: Graph, path: Path) -> list[Path]:
        return self.write(graph, path)


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("turtle", "ldn_graph.export.rdf:write_turtle", (".ttl",)),
        ExportFormat("nt", "ldn_graph.export.rdf:write_ntriples", (".nt",)),
        ExportFormat("jsonld", "ldn_graph.export.rdf:write_jsonld", (".jsonld", ".json")),
        ExportFormat("trig", "ldn_graph.export.rdf:write_trig", (".trig",)),
        ExportFormat("kgx", "ldn_graph.export.kgx:write_kgx", folder=("nodes.tsv", "edges.tsv")),
        ExportFormat("graphml", "ldn_graph.export.graphml:write_graphml", (".graphml",)),
        ExportFormat("html", "ldn_graph.viz.html:write_html", (".html",), command=False),
    )
}
# The formats `ldn-graph export` writes, and the format each file ending names.
EXPORT_FORMATS = tuple(name for name, f in FORMATS.items() if f.command)
SUFFIXES: dict[str, str] = {suffix: name for name in EXPORT_FORMATS for suffix in FORMATS[name].suffixes}
