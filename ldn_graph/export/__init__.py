"""Writers from an RDF graph to files, one module per family of formats.

`FORMATS` maps a format name to a writer `write(graph, path) -> list[Path]` that returns the files it wrote.
Every writer reads only the RDF graph (a Graph, or a Dataset whose named graphs it merges or keeps), gives
byte-identical output for the same graph, and replaces files atomically. `kgx` writes a folder; `graphml`
writes the entity graph (entities as nodes, assertions as edges) rather than the RDF triples.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from ldn_graph.export.graphml import write_graphml
from ldn_graph.export.kgx import write_kgx
from ldn_graph.export.rdf import write_jsonld, write_ntriples, write_trig, write_turtle

Writer = Callable[[Graph, Path], list[Path]]

FORMATS: dict[str, Writer] = {
    "turtle": write_turtle,
    "nt": write_ntriples,
    "jsonld": write_jsonld,
    "trig": write_trig,
    "kgx": write_kgx,
    "graphml": write_graphml,
}

# What each format's files end with, to guess --format from an output path.
SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".trig": "trig",
    ".graphml": "graphml",
}

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Writer",
    "write_graphml",
    "write_jsonld",
    "write_kgx",
    "write_ntriples",
    "write_trig",
    "write_turtle",
]
