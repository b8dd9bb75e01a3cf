"""The SPARQL 1.1 Protocol's content negotiation: which of the result formats (`sparql.formats`, the one
table of names, media types and writers) a client accepts.

SELECT and ASK results: JSON (the default), XML, CSV, TSV. CONSTRUCT and DESCRIBE graphs: Turtle (the
default), N-Triples, JSON-LD, RDF/XML. The Accept header chooses, with q-values and wildcards; a
`format` or `output` parameter (a format's name or alias, such as `json`, `xml`, `csv`, `tsv`, `turtle`,
`nt`, `json-ld`, or a media type), as many clients send, takes precedence.
"""

from __future__ import annotations

from collections.abc import Iterable

from ldn_graph.sparql.formats import find_format, formats_for, media_aliases
from ldn_graph.sparql.query import QueryResult


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


def choose_type(result: QueryResult, accept: str | None, format_values: Iterable[str] = ()) -> str | None:
    """The media type to answer `result` with; None when the client accepts none that fits."""
    for value in format_values:
        fmt = find_format(result, value, served=True)
        if fmt is not None:
            return fmt.media_type
    return negotiate(accept, offered_types(result), media_aliases(result))


def offered_types(result: QueryResult) -> tuple[str, ...]:
    """The media types a result can be had in, the default first."""
    return tuple(f.media_type for f in formats_for(result, served=True))


def serialize(result: QueryResult, media_type: str) -> bytes:
    """`result` as `media_type` (one of `offered_types(result)`)."""
    fmt = find_format(result, media_type, served=True)
    if fmt is None:
        raise ValueError(f"no {media_type} for a {result.kind} result")
    return fmt.serialize(result)
