"""The result formats, in one table: each format's name, media type, file extension and writer.

SELECT and ASK results: `json`, `xml`, `csv` and `tsv` (SPARQL 1.1 Query Results JSON, XML, CSV and TSV)
and `table` (aligned text, IRIs shortened to prefixed names: for a terminal, not served over HTTP).
CONSTRUCT and DESCRIBE graphs: `turtle`, `nt` (N-Triples), `json-ld` and `rdfxml`. `ldn-graph query
--format`, the server's `format` parameter and Accept header, and the query page's download links all read
this table; an alias (`ttl`, `application/json`) names a format of the same table.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ldn_graph.errors import QueryError
from ldn_graph.namespaces import shorten
from ldn_graph.sparql.query import QueryResult


@dataclass(frozen=True)
class ResultFormat:
    """One way to write a query's result."""

    name: str  # what `--format` and the `format` parameter call it
    media_type: str
    extension: str  # a file's, without the dot
    graph: bool  # for CONSTRUCT and DESCRIBE results (a graph), else for SELECT and ASK
    write: Callable[[QueryResult], str]
    names: tuple[str, ...] = ()  # other names the `format` parameter takes
    media_aliases: tuple[str, ...] = ()  # other media types an Accept header asks for it by
    served: bool = True  # offered over HTTP (the table is for a terminal)
    w3c_name: str = ""  # its name under http://www.w3.org/ns/formats/, for the service description

    def serialize(self, result: QueryResult) -> bytes:
        """`result` in this format, as UTF-8."""
        return self.write(result).encode("utf-8")


# --- Term rendering -------------------------------------------------------------------------------


def _plain(term: Node | None) -> str:
    """A term as SPARQL CSV writes it: the IRI, the lexical form, `_:label`, or empty when unbound."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _display(term: Node | None) -> str:
    """A term for the table: prefixed name, lexical form with `@lang`, `_:label`, or empty."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    text = " ".join(str(term).split())
    if isinstance(term, Literal) and term.language:
        text += f"@{term.language}"
    return text


_NUMERIC_TSV = {
    XSD.integer: r"[+-]?\d+",
    XSD.decimal: r"[+-]?\d*\.\d+",
    XSD.double: r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+",
}
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node | None) -> str:
    """A term in SPARQL TSV: Turtle syntax (`<iri>`, `"text"@en`, `1`, `true`), empty when unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    lexical = str(term)
    pattern = _NUMERIC_TSV.get(term.datatype) if term.datatype is not None else None
    if pattern and re.fullmatch(pattern, lexical):
        return lexical
    if term.datatype == XSD.boolean and lexical in ("true", "false"):
        return lexical
    text = '"' + lexical.translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


# --- Formatters ---------------------------------------------------------------------------------


def format_table(result: QueryResult) -> str:
    """Aligned columns with a header rule and a row count; IRIs shortened."""
    if result.kind == "ASK":
        return "true\n" if result.boolean else "false\n"
    header = list(result.variables)
    cells = [[_display(term) for term in row] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    count = len(cells)
    out.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(out) + "\n"


def format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results (full IRIs, lexical forms, CRLF line ends); ASK gives one `boolean` column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.variables)
        writer.writerows([_plain(term) for term in row] for row in result.rows)
    return buffer.getvalue()


def format_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results (`?var` header, terms in Turtle syntax); ASK gives one `boolean` column."""
    if result.kind == "ASK":
        return "boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    doc: dict[str, object]
    if result.kind == "ASK":
        doc = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {
                var: _json_term(term)
                for var, term in zip(result.variables, row, strict=True)
                if term is not None
            }
            for row in result.rows
        ]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def format_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML.

    Characters XML 1.0 cannot carry (most control characters) become U+FFFD.
    """
    from xml.etree import ElementTree as ET

    ns = "http://www.w3.org/2005/sparql-results#"
    root = ET.Element("sparql", {"xmlns": ns})
    head = ET.SubElement(root, "head")
    if result.kind == "ASK":
        ET.SubElement(root, "boolean").text = "true" if result.boolean else "false"
    else:
        for var in result.variables:
            ET.SubElement(head, "variable", {"name": var})
        results = ET.SubElement(root, "results")
        for row in result.rows:
            element = ET.SubElement(results, "result")
            for var, term in zip(result.variables, row, strict=True):
                if term is None:
                    continue
                binding = ET.SubElement(element, "binding", {"name": var})
                if isinstance(term, URIRef):
                    ET.SubElement(binding, "uri").text = _XML_ILLEGAL.sub("\ufffd", str(term))
                elif isinstance(term, BNode):
                    ET.SubElement(binding, "bnode").text = str(term)
                else:
                    assert isinstance(term, Literal)
                    attrs = {}
                    if term.language:
                        attrs["xml:lang"] = term.language
                    elif term.datatype is not None:
                        attrs["datatype"] = str(term.datatype)
                    ET.SubElement(binding, "literal", attrs).text = _XML_ILLEGAL.sub("\ufffd", str(term))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _graph_writer(name: str) -> Callable[[QueryResult], str]:
    """A writer of a result's graph in the RDF format `name` (export/rdf's writers, or rdflib's RDF/XML)."""

    def write(result: QueryResult) -> str:
        from ldn_graph.export import rdf

        graph = result.graph if result.graph is not None else Graph()
        writers: dict[str, Callable[[Graph], bytes]] = {
            "turtle": rdf.serialize_turtle,
            "nt": rdf.serialize_ntriples,
            "json-ld": rdf.serialize_jsonld,
            "rdfxml": lambda g: g.serialize(format="xml", encoding="utf-8"),
        }
        return writers[name](graph).decode("utf-8")

    return write


# Each kind's default first: the server answers with it when the client names none.
FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "json",
        "application/sparql-results+json",
        "srj",
        False,
        format_json,
        media_aliases=("application/json",),
        w3c_name="SPARQL_Results_JSON",
    ),
    ResultFormat(
        "xml",
        "application/sparql-results+xml",
        "srx",
        False,
        format_xml,
        media_aliases=("application/xml", "text/xml"),
        w3c_name="SPARQL_Results_XML",
    ),
    ResultFormat("csv", "text/csv", "csv", False, format_csv, w3c_name="SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", "tsv", False, format_tsv, w3c_name="SPARQL_Results_TSV"),
    ResultFormat("table", "text/plain", "txt", False, format_table, served=False),
    ResultFormat(
        "turtle",
        "text/turtle",
        "ttl",
        True,
        _graph_writer("turtle"),
        names=("ttl",),
        media_aliases=("application/x-turtle", "application/turtle"),
        w3c_name="Turtle",
    ),
    ResultFormat(
        "nt",
        "application/n-triples",
        "nt",
        True,
        _graph_writer("nt"),
        names=("ntriples", "n-triples"),
        media_aliases=("text/plain",),  # N-Triples' media type before RDF 1.1
        w3c_name="N-Triples",
    ),
    ResultFormat(
        "json-ld",
        "application/ld+json",
        "jsonld",
        True,
        _graph_writer("json-ld"),
        names=("jsonld", "json"),
        media_aliases=("application/json",),
        w3c_name="JSON-LD",
    ),
    ResultFormat(
        "rdfxml",
        "application/rdf+xml",
        "rdf",
        True,
        _graph_writer("rdfxml"),
        names=("xml", "rdf+xml"),
        media_aliases=("application/xml", "text/xml"),
        w3c_name="RDF_XML",
    ),
)
NAMES: tuple[str, ...] = tuple(dict.fromkeys(f.name for f in FORMATS))  # what `--format` offers


def formats_for(result: QueryResult, *, served: bool = False) -> tuple[ResultFormat, ...]:
    """The formats a result can be written in (its kind's), the default first; with `served`, those
    offered over HTTP."""
    graph = result.graph is not None
    return tuple(f for f in FORMATS if f.graph == graph and (f.served or not served))


def find_format(result: QueryResult, name: str, *, served: bool = False) -> ResultFormat | None:
    """The format of `result`'s kind that `name` names (a name, an alias or a media type), or None."""
    wanted = name.strip().lower()
    for fmt in formats_for(result, served=served):
        if wanted in (fmt.name, *fmt.names, fmt.media_type):
            return fmt
    return None


def media_aliases(result: QueryResult) -> dict[str, str]:
    """Alias media type -> the media type of the format of `result`'s kind it stands for."""
    return {alias: f.media_type for f in formats_for(result, served=True) for alias in f.media_aliases}


def format_result(result: QueryResult, name: str = "table") -> str:
    """`result` in the format called `name`; a graph asked for in a format of rows is Turtle, its default."""
    fmt = find_format(result, name)
    if fmt is None and result.graph is not None and name in NAMES:
        fmt = formats_for(result)[0]
    if fmt is None:
        kind = "CONSTRUCT and DESCRIBE" if result.graph is not None else "SELECT and ASK"
        choices = ", ".join(f.name for f in formats_for(result))
        raise QueryError(f"no result format {name!r} for {kind} results; choose one of {choices}")
    return fmt.write(result)
