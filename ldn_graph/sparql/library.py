"""The query library: the example SPARQL queries under `ontology/queries/*.rq`.

Each file opens with comment lines that say what it answers and which parameters it takes:

    # What treats a condition: every drug said to treat it, how certain, on how many sentences.
    # param: condition = fibromyalgia  (the condition's label or synonym, any case)
    SELECT ... WHERE { ... ?condition ... }

The first comment line is the one-line description; further comment lines add detail. A `param:` line
names a variable of the query, its default and, in parentheses, what it means. A default written as an
IRI (`<https://...>` or a prefixed name such as `ent:fibromyalgia`) makes an IRI parameter; anything
else is a string literal. Parameters are bound as RDF terms (Oxigraph's substitutions, rdflib's
`initBindings`), never pasted into the query text, so a value cannot change the query. A query run from
a file or typed on the command line may declare parameters the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from ldn_graph.errors import DataError, QueryError
from ldn_graph.namespaces import PREFIXES

LIBRARY_PACKAGE = "ldn_graph.ontology"
LIBRARY_FOLDER = "queries"

_PARAM_LINE = re.compile(r"param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<rest>.*)")
# The meaning is the last parenthesised group of the line: a default may hold parentheses of its own.
_PARAM_HELP = re.compile(r"(?:^|\s+)\((?P<help>[^()]*)\)\s*$")
_PREFIXED_NAME = re.compile(r"(?P<prefix>[A-Za-z][\w-]*):(?P<local>[^\s<>\"{}|\\^`]*)")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


@dataclass(frozen=True)
class Param:
    """A query parameter: the variable it binds, its default (None: it must be given) and its meaning."""

    name: str
    default: str | None
    help: str = ""
    iri: bool = False

    def term(self, value: str, *, where: str) -> Identifier:
        """`value` as the RDF term this parameter binds: an IRI or a string literal."""
        if not value:
            raise QueryError(f"parameter '{self.name}' needs a value", where=where)
        if not self.iri:
            return Literal(value)
        iri = _iri(value)
        if iri is None:
            raise QueryError(
                f"parameter '{self.name}' takes an IRI (<https://...> or a prefixed name such as "
                f"ent:fibromyalgia), not {value!r}",
                where=where,
            )
        return iri


@dataclass(frozen=True)
class LibraryQuery:
    """A query of the library (or any query text with a header): its name, header and text."""

    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    details: tuple[str, ...] = field(default=())

    def param(self, name: str) -> Param | None:
        """The parameter called `name`, or None."""
        return next((p for p in self.params if p.name == name), None)

    def bindings(
        self, given: Mapping[str, str] | None = None, *, where: str | None = None
    ) -> dict[str, Identifier]:
        """Each parameter bound to its given value or its default; QueryError for an unknown parameter."""
        where = where or self.name
        given = dict(given or {})
        for key in given:
            if self.param(key) is None:
                known = ", ".join(p.name for p in self.params)
                takes = f"it takes {known}" if known else "it takes no parameters"
                raise QueryError(f"unknown parameter '{key}': {takes}", where=where)
        out: dict[str, Identifier] = {}
        for param in self.params:
            value = given.get(param.name, param.default)
            if value is None:
                raise QueryError(
                    f"parameter '{param.name}' is required (--param {param.name}=...)", where=where
                )
            out[param.name] = param.term(value, where=where)
        return out


def _iri(text: str) -> URIRef | None:
    """`<iri>`, a prefixed name with a project prefix, or an absolute `scheme://` or `urn:` IRI; else None."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1]) if _ABSOLUTE_IRI.fullmatch(text[1:-1]) else None
    match = _PREFIXED_NAME.fullmatch(text)
    if match and match.group("prefix") in PREFIXES:
        return URIRef(str(PREFIXES[match.group("prefix")]) + match.group("local"))
    if _ABSOLUTE_IRI.fullmatch(text) and ("://" in text or text.lower().startswith("urn:")):
        return URIRef(text)
    return None


def parse_query(text: str, name: str = "query", *, where: str | None = None) -> LibraryQuery:
    """Read the header of a query text: description and `param:` lines. DataError for a bad header.

    `name` names the query; `where` (default: `name`) names it in error messages.
    """
    where = where or name
    description = ""
    details: list[str] = []
    params: list[Param] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        comment = line.lstrip("#").strip()
        if comment.startswith("param:"):
            match = _PARAM_LINE.fullmatch(comment)
            rest = match.group("rest") if match else ""
            found_help = _PARAM_HELP.search(rest)
            if found_help:
                rest = rest[: found_help.start()]
            if match is None or (rest and not rest.startswith("=")):
                raise DataError(
                    f"line {number}: a parameter reads '# param: NAME = DEFAULT  (what it means)'",
                    where=where,
                )
            pname = match.group("name")
            if any(p.name == pname for p in params):
                raise DataError(f"line {number}: parameter '{pname}' declared twice", where=where)
            if not re.search(rf"[?$]{pname}\b", _strip_comments(text)):
                raise DataError(
                    f"line {number}: parameter '{pname}' is not a variable of the query", where=where
                )
            default = rest[1:].strip() or None
            is_iri = default is not None and _iri(default) is not None
            params.append(
                Param(pname, default, found_help.group("help").strip() if found_help else "", is_iri)
            )
        elif not description:
            description = comment
        elif comment:
            details.append(comment)
    return LibraryQuery(name, description, text, tuple(params), tuple(details))


def _strip_comments(text: str) -> str:
    """The text without its whole-line comments: a parameter must be used by the query itself."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


@lru_cache(maxsize=1)
def _library() -> dict[str, LibraryQuery]:
    folder = files(LIBRARY_PACKAGE).joinpath(LIBRARY_FOLDER)
    out: dict[str, LibraryQuery] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = parse_query(entry.read_text(encoding="utf-8"), name, where=f"queries/{entry.name}")
    return out


def library() -> list[LibraryQuery]:
    """Every query of the library, sorted by name."""
    return list(_library().values())


def get_query(name: str) -> LibraryQuery:
    """The library query called `name` (its file name without `.rq`); QueryError when there is none."""
    queries = _library()
    if name not in queries:
        raise QueryError(f"no query called {name!r} in the library; `ldn-graph query --list` shows them all")
    return queries[name]


def format_list(queries: list[LibraryQuery] | None = None) -> str:
    """The library as `ldn-graph query --list` prints it: name, description, then each parameter."""
    queries = library() if queries is None else queries
    width = max((len(q.name) for q in queries), default=0)
    lines = []
    for query in queries:
        lines.append(f"{query.name.ljust(width)}  {query.description}".rstrip())
        for param in query.params:
            default = param.default if param.default is not None else "..."
            usage = f"--param {param.name}={default}"
            lines.append(f"{'':{width}}    {usage}" + (f"  ({param.help})" if param.help else ""))
    return "\n".join(lines) + "\n"
