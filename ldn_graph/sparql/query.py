"""SPARQL over a graph, and the result formats `ldn-graph query` prints.

`run_query` runs SELECT, ASK, CONSTRUCT and DESCRIBE queries with the project prefixes pre-bound, so a
query may leave out its PREFIX lines; over a Dataset it sees the union of all named graphs (and `GRAPH ?g`
still names them). A malformed query raises QueryError with the line and column of the fault.
Formatters: `table` (aligned text, IRIs shortened to prefixed names), `csv` and `tsv` (SPARQL 1.1 CSV and
TSV results), `json` (SPARQL 1.1 JSON results). CONSTRUCT and DESCRIBE results print as Turtle.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from ldn_graph.errors import QueryError
from ldn_graph.namespaces import PREFIXES, shorten

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

FORMATS = ("table", "csv", "tsv", "json")
QueryKind = TypingLiteral["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]


def initial_namespaces() -> dict[str, str]:
    """The prefixes every query may use without declaring them."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


@dataclass
class QueryResult:
    """What a query returned: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT and DESCRIBE.

    `truncated` is true when `run_query` stopped at its `max_rows` (rows, or triples of the graph).
    """

    kind: QueryKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False


def _syntax_error(err: Exception, where: str) -> QueryError:
    """A one-line QueryError from a pyparsing ParseException (it has lineno, col and msg)."""
    lineno, col = getattr(err, "lineno", None), getattr(err, "col", None)
    detail = str(getattr(err, "msg", "") or err)
    found = re.search(r"found (.+?)\s+\(at char \d+\)", str(err))
    if found and "found" not in detail:
        detail += f", found {found.group(1)}"
    detail = " ".join(detail.split())
    return QueryError(f"syntax error at line {lineno}, column {col}: {detail}", where=where)


def prepare_query(sparql: str, *, where: str = "query") -> Query:
    """Parse `sparql` with the project prefixes pre-bound; QueryError with line and column when malformed."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(sparql, initNs=initial_namespaces())
    except ParseBaseException as err:
        from ldn_graph.sparql.syntax import oxigraph_fault

        fault = oxigraph_fault(sparql, initial_namespaces())
        if fault is not None:  # the words and place `query` gives, whichever engine runs it
            raise QueryError(fault.message(), where=where) from None
        raise _syntax_error(err, where) from None
    except Exception as err:  # rdflib raises plain Exception for e.g. an unknown prefix
        message = " ".join(str(err).split()) or type(err).__name__
        unknown = re.fullmatch(r"Unknown namespace prefix : (\S*)", message)
        if unknown:
            prefix = unknown.group(1)
            message = f"unknown prefix '{prefix}:'; declare it with PREFIX {prefix}: <...>"
        raise QueryError(message, where=where) from None


# Update operations as rdflib's parser names them, and as SPARQL spells them.
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


def update_operation(text: str) -> str | None:
    """The first operation's name when `text` parses as SPARQL Update, else None."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:
        return None
    requests = getattr(parsed, "request", None) or []
    name = getattr(requests[0], "name", "") if requests else ""
    return _UPDATE_NAMES.get(name, name or "an update")


def run_query(
    graph: Graph,
    sparql: str | Query,
    *,
    where: str = "query",
    bindings: Mapping[str, Identifier] | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run `sparql` on `graph` (a Graph or Dataset); `where` names the query in error messages.

    `bindings` pre-binds variables to RDF terms (rdflib's initBindings: values never become query text).
    With `max_rows`, at most that many rows (or triples) are kept and `truncated` says whether more came.
    """
    prepared = prepare_query(sparql, where=where) if isinstance(sparql, str) else sparql

    # Over a Dataset, let the default graph be the union of the named graphs, as graph.ttl is.
    restore = None
    if isinstance(graph, Dataset) and not graph.default_union:
        restore, graph.default_union = False, True
    try:
        result = graph.query(prepared, initBindings=dict(bindings) if bindings else None)
        kind = str(result.type)
        # SELECT solutions come lazily: stopping at max_rows + 1 spares evaluating the rest.
        limit = None if max_rows is None else max_rows + 1
        if kind == "SELECT":
            variables = [str(v) for v in result.vars or []]
            rows: list[tuple[Node | None, ...]] = [
                tuple(row)  # type: ignore[arg-type]
                for row in itertools.islice(result, limit)
            ]
            truncated = max_rows is not None and len(rows) > max_rows
            return QueryResult("SELECT", variables=variables, rows=rows[:max_rows], truncated=truncated)
        if kind == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        triples = list(itertools.islice(result, limit))
        truncated = max_rows is not None and len(triples) > max_rows
        out = Graph(bind_namespaces="none")
        for triple in triples[:max_rows]:
            out.add(triple)  # type: ignore[arg-type]
        return QueryResult("CONSTRUCT" if kind == "CONSTRUCT" else "DESCRIBE", graph=out, truncated=truncated)
    except QueryError:
        raise
    except Exception as err:
        raise QueryError(
            f"cannot run: {' '.join(str(err).split()) or type(err).__name__}", where=where
        ) from None
    finally:
        if restore is not None and isinstance(graph, Dataset):
            graph.default_union = restore


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
    """SPARQL Query Results XML (not a `--format` of the query command: the HTTP endpoint serves it).

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


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """`result` in format `fmt` (one of FORMATS); a CONSTRUCT or DESCRIBE graph is Turtle whatever `fmt`."""
    if result.graph is not None:
        from ldn_graph.export.rdf import serialize_turtle

        return serialize_turtle(result.graph).decode("utf-8")
    formatters = {"table": format_table, "csv": format_csv, "tsv": format_tsv, "json": format_json}
    if fmt not in formatters:
        raise QueryError(f"unknown result format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return formatters[fmt](result)
