"""The SPARQL 1.1 Protocol's formats: which media type a client accepts, and the bytes of each.

SELECT and ASK results: JSON (the default), XML, CSV, TSV. CONSTRUCT and DESCRIBE graphs: Turtle (the
default), N-Triples, JSON-LD, RDF/XML. The Accept header chooses, with q-values and wildcards; a
`format` or `output` parameter (`json`, `xml`, `csv`, `tsv`, `turtle`, `nt`, `json-ld`, or a media
type), as many clients send, takes precedence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ldn_graph.sparql.query import QueryResult, format_csv, format_json, format_tsv, format_xml

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"

# Offered media types, the default first, and the type each alias stands for.
RESULT_TYPES = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)
_ALIASES_RESULTS = {
    "application/json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
}
_ALIASES_GRAPH = {
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "text/plain": NTRIPLES,  # N-Triples' media type before RDF 1.1
    "application/json": JSONLD,
    "application/xml": RDFXML,
    "text/xml": RDFXML,
}
_FORMAT_NAMES_RESULTS = {"json": SPARQL_JSON, "xml": SPARQL_XML, "csv": CSV, "tsv": TSV}
_FORMAT_NAMES_GRAPH = {
    "turtle": TURTLE,
    "ttl": TURTLE,
    "nt": NTRIPLES,
    "ntriples": NTRIPLES,
    "n-triples": NTRIPLES,
    "json-ld": JSONLD,
    "jsonld": JSONLD,
    "json": JSONLD,
    "xml": RDFXML,
    "rdf+xml": RDFXML,
    "rdfxml": RDFXML,
}


def _accept_ranges(accept: str) -> list[tuple[str, float, int]]:
    """`text/csv;q=0.5, */*;q=0.1` -> [(media range, q, position)], highest preference first."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    # Specific types before wildcards at equal q (RFC 9110 precedence), then the client's order.
    ranges.sort(key=lambda r: (-r[1], r[0].count("*"), r[2]))
    return ranges


def negotiate(
    accept: str | None, offers: tuple[str, ...], aliases: dict[str, str] | None = None
) -> str | None:
    """The offer the Accept header prefers (the first offer without one); None if it accepts none."""
    if not accept or not accept.strip():
        return offers[0]
    aliases = aliases or {}
    refused = set()
    for media, q, _ in _accept_ranges(accept):
        media = aliases.get(media, media)
        if q <= 0:
            refused.add(media)
            continue
        if media == "*/*":
            choice = next((o for o in offers if o not in refused), None)
        elif media.endswith("/*"):
            major = media[: -len("*")]
            choice = next((o for o in offers if o.startswith(major) and o not in refused), None)
        else:
            choice = media if media in offers and media not in refused else None
        if choice is not None:
            return choice
    return None


def _format_parameter(values: Iterable[str], names: dict[str, str], offers: tuple[str, ...]) -> str | None:
    for value in values:
        value = value.strip().lower()
        if value in names:
            return names[value]
        if value in offers:
            return value
    return None


def choose_type(result: QueryResult, accept: str | None, format_values: Iterable[str] = ()) -> str | None:
    """The media type to answer `result` with; None when the client accepts none that fits."""
    if result.graph is not None:
        offers, aliases, names = GRAPH_TYPES, _ALIASES_GRAPH, _FORMAT_NAMES_GRAPH
    else:
        offers, aliases, names = RESULT_TYPES, _ALIASES_RESULTS, _FORMAT_NAMES_RESULTS
    return _format_parameter(format_values, names, offers) or negotiate(accept, offers, aliases)


def offered_types(result: QueryResult) -> tuple[str, ...]:
    """The media types a result can be had in."""
    return GRAPH_TYPES if result.graph is not None else RESULT_TYPES


def serialize(result: QueryResult, media_type: str) -> bytes:
    """`result` as `media_type` (one of RESULT_TYPES for SELECT and ASK, GRAPH_TYPES for a graph)."""
    if result.graph is not None:
        from ldn_graph.export.rdf import serialize_jsonld, serialize_ntriples, serialize_turtle

        graph_writers: dict[str, Callable[..., bytes]] = {
            TURTLE: serialize_turtle,
            NTRIPLES: serialize_ntriples,
            JSONLD: serialize_jsonld,
            RDFXML: lambda g: g.serialize(format="xml", encoding="utf-8"),
        }
        return graph_writers[media_type](result.graph)
    writers: dict[str, Callable[[QueryResult], str]] = {
        SPARQL_JSON: format_json,
        SPARQL_XML: format_xml,
        CSV: format_csv,
        TSV: format_tsv,
    }
    return writers[media_type](result).encode("utf-8")
