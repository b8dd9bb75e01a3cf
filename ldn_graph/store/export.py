"""Turtle, TriG and N-Triples written straight from the store, statement by statement (issue 15).

The same bytes as `export.rdf.write_turtle` / `write_trig` / `write_ntriples` give for
`catalog.export_dataset(store)`, without that rdflib copy of the whole store: Oxigraph's serialisers are
fed a stream of statements in the writers' fixed order and write to a file as they go.

- TriG: each named graph (the documents, then the aggregate, in IRI order), its statements sorted by
  `_statement_order`. One graph is held at a time: a document's few hundred statements, and the aggregate.
- Turtle: the union graph, by subject. On the embedded store, the merged default graph is that union
  (store/local.py): its distinct subjects are listed (the one list held whole: one term per subject, not
  per statement) and sorted, and each subject's statements are read and sorted on their own. Elsewhere (a
  remote store), the union is gathered from the named graphs. N-Triples: the same, subjects in the order of
  their N-Triples text, each subject's lines sorted.
- TriG from kept blocks (`fragments`): each graph's block is kept in a folder between builds, so that a
  change serialises only the graphs it changed.

Bookkeeping statements (`store:`) are left out, as in every export. Prefix declarations are those the
statements use (as `_oxigraph_serialize`), known only at the end: the body goes to a temporary file, and
the file is its declarations then the body with a blank line after each subject's statements.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ldn_graph.namespaces import AGGREGATE_GRAPH, PREFIXES, STORE
from ldn_graph.store.base import GraphStore

if TYPE_CHECKING:
    from rdflib.term import Node

    from ldn_graph.store.catalog import StoredDocument

    Triple = tuple[Node, Node, Node]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Kept as Oxigraph gives them; other datatypes take the lexical form rdflib gives (`"30.0"^^xsd:double`
# where Oxigraph's canonical form is `"30"`), as the rdflib-fed writers did.
_AS_STORED = frozenset(_XSD + name for name in ("string", "integer", "decimal", "boolean"))
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_SUBJECT_END = re.compile(rb" \.\n(?!\})")
_CHUNK = 1 << 22


def _graph_names(store: GraphStore) -> list[str]:
    """The exported named graphs: every document and the aggregate, in IRI order."""
    from ldn_graph.store.catalog import stored_documents

    return sorted([d.iri for d in stored_documents(store).values()] + [str(AGGREGATE_GRAPH)])


class _Terms:
    """Turns stored terms into the terms and sort keys the writers use, and notes the prefixes used."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.unused = dict(sorted(PREFIXES.items()))
        self._pattern = self._compile()
        self._literals: dict[tuple[str, str], Any] = {}
        self._iris: dict[Any, str] = {}

    def _compile(self) -> re.Pattern[str] | None:
        spaces = sorted({str(ns) for ns in self.unused.values()}, key=len, reverse=True)
        return re.compile("|".join(re.escape(ns) for ns in spaces)) if spaces else None

    def note(self, iri: str) -> None:
        """Mark the prefixes whose namespace `iri` starts with as used."""
        if self._pattern is None or self._pattern.match(iri) is None:
            return
        for prefix, namespace in list(self.unused.items()):
            if iri.startswith(str(namespace)):
                del self.unused[prefix]
        self._pattern = self._compile()

    def used(self) -> dict[str, str]:
        """The prefixes (name -> namespace) that some IRI of the statements starts with."""
        return {p: str(ns) for p, ns in sorted(PREFIXES.items()) if p not in self.unused}

    def term(self, value: Any) -> tuple[Any, str]:
        """(the term to write, its N-Triples text: the sort key `export.rdf._statement_order` uses)."""
        ox = self.ox
        if isinstance(value, ox.NamedNode):
            key = self._iris.get(value)
            if key is None:  # an IRI recurs in many statements: noted and keyed once
                self.note(value.value)
                key = f"<{value.value}>"
                if len(self._iris) < 100_000:
                    self._iris[value] = key
            return value, key
        if isinstance(value, ox.BlankNode):
            return value, f"_:{value.value}"
        text = '"' + value.value.translate(_ESCAPES) + '"'
        if value.language:
            return value, f"{text}@{value.language}"
        datatype = value.datatype.value
        self.note(datatype)
        if datatype == _XSD + "string":
            return value, text
        if datatype not in _AS_STORED:
            value = self._rdflib_form(value.value, datatype)
            text = '"' + value.value.translate(_ESCAPES) + '"'
        return value, f"{text}^^<{datatype}>"

    def _rdflib_form(self, lexical: str, datatype: str) -> Any:
        key = (lexical, datatype)
        found = self._literals.get(key)
        if found is None:
            from rdflib import Literal, URIRef

            found = self.ox.Literal(
                str(Literal(lexical, datatype=URIRef(datatype))), datatype=self.ox.NamedNode(datatype)
            )
            if len(self._literals) < 100_000:
                self._literals[key] = found
        return found


def _ordered(
    terms: _Terms, statements: Iterable[Any]
) -> list[tuple[tuple[str, bool, str, str], Any, Any, Any]]:
    """The statements (pyoxigraph quads or triples) without bookkeeping, as (sort key, s, p, o) sorted
    as `export.rdf._statement_order` sorts them."""
    store_ns = str(STORE)
    rows = []
    for statement in statements:
        p = statement.predicate.value
        if p.startswith(store_ns):
            continue
        s, s_key = terms.term(statement.subject)
        pred, _ = terms.term(statement.predicate)
        o, o_key = terms.term(statement.object)
        rows.append(((s_key[1:-1] if s_key[0] == "<" else s.value, p != _RDF_TYPE, p, o_key), s, pred, o))
    rows.sort(key=lambda row: row[0])
    return rows


def _graph_statements(store: GraphStore, name: str) -> Iterator[Any]:
    """The statements of one named graph as pyoxigraph quads, read from Oxigraph itself when local."""
    import pyoxigraph as ox

    from ldn_graph.store.local import LocalStore
    from ldn_graph.store.terms import to_oxigraph

    if isinstance(store, LocalStore):
        yield from store.native().quads_for_pattern(None, None, None, ox.NamedNode(name))
        return

    convert: Callable[[Any], Any] = to_oxigraph
    for s, p, o, g in store.quads([name]):
        yield ox.Quad(convert(s), convert(p), convert(o), ox.NamedNode(str(g)))


def trig_quads(store: GraphStore, terms: _Terms) -> Iterator[Any]:
    """Every exported named graph's statements, graph by graph in IRI order, each graph sorted."""
    ox = terms.ox
    for name in _graph_names(store):
        graph = ox.NamedNode(name)
        rows = _ordered(terms, _graph_statements(store, name))
        if rows:
            terms.note(name)
        for _, s, p, o in rows:
            yield ox.Quad(s, p, o, graph)


def union_triples(store: GraphStore, terms: _Terms) -> Iterator[Any]:
    """The union of the exported graphs, subject by subject in IRI order, each subject's sorted."""
    for triples in _subject_groups(store, terms, lambda term: term.value):
        yield from triples


def _write(path: Path, statements: Callable[[_Terms], Iterator[Any]], format_name: str) -> None:
    """Serialise the statements into `path` (atomically): used prefixes, then the spaced-out body."""
    import pyoxigraph as ox

    terms = _Terms()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=path.parent) as body:
        # Every prefix is offered to Oxigraph (it abbreviates with them), its declarations dropped below.
        ox.serialize(statements(terms), body, getattr(ox.RdfFormat, format_name), prefixes=PREFIXES_TEXT)
        body.seek(0)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as out:
                _finish(body, out, terms.used())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


PREFIXES_TEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _finish(body: IO[bytes], out: IO[bytes], used: dict[str, str]) -> None:
    """Oxigraph's output with only the `used` prefixes declared, in alphabetical order, and a blank line
    after each subject's statements (not before a graph's closing brace), as `_oxigraph_serialize`."""
    head = b""
    while True:  # Oxigraph declares every prefix it was given, first
        line = body.readline()
        if not line.startswith(b"@prefix "):
            head = line
            break
    if not head:
        return  # nothing to write: an empty file, as the rdflib-fed writers give
    declarations = sorted(f"@prefix {p}: <{ns}> .".encode() for p, ns in used.items())
    if declarations:
        out.write(b"\n".join(declarations) + b"\n\n")
    carry = head
    while True:
        chunk = body.read(_CHUNK)
        text = carry + chunk
        if not chunk:
            out.write(_SUBJECT_END.sub(b" .\n\n", text).rstrip(b"\n") + b"\n")
            return
        # Up to the last line break but one: the next byte, which the pattern looks at, is then in `text`.
        cut = text.rfind(b"\n", 0, len(text) - 1) + 1
        if cut <= 0:
            carry = text
            continue
        done = _SUBJECT_END.sub(b" .\n\n", text[: cut + 1])[:-1]
        out.write(done)
        carry = text[cut:]


def _subject_groups(store: GraphStore, terms: _Terms, key: Callable[[Any], str]) -> Iterator[list[Any]]:
    """The union graph's statements as lists of triples, one list per subject, subjects in `key` order,
    each list sorted as `_statement_order` sorts."""
    from ldn_graph.store.local import LocalStore

    ox = terms.ox
    if not isinstance(store, LocalStore):  # a remote store: the union gathered from the graphs
        seen = {
            row[1:] for name in _graph_names(store) for row in _ordered(terms, _graph_statements(store, name))
        }
        groups: dict[Any, list[Any]] = {}
        for _, s, p, o in _ordered(terms, (ox.Triple(*row) for row in seen)):
            groups.setdefault(s, []).append(ox.Triple(s, p, o))
        for subject in sorted(groups, key=key):
            yield groups[subject]
        return
    default = ox.DefaultGraph()
    # Oxigraph lists the distinct subjects fast but sorts them slowly (3.6 s for 7,333 where Python takes
    # 0.014 s): sorted here.
    solutions = store.native().query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")
    assert isinstance(solutions, ox.QuerySolutions)
    for subject in sorted((solution[0] for solution in solutions), key=key):
        rows = _ordered(terms, store.native().quads_for_pattern(subject, None, None, default))
        yield [ox.Triple(s, p, o) for _, s, p, o in rows]


def write_store_ntriples(store: GraphStore, path: Path) -> list[Path]:
    """Write the union of the store's exported graphs as N-Triples to `path`, lines sorted, as
    `export.rdf.write_ntriples` writes it: subject by subject, in the order of their N-Triples text (a
    subject's lines all start with it, and `>` ends an IRI, so this is the order of the lines)."""
    import pyoxigraph as ox

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    terms = _Terms()

    def text(term: Any) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else f"<{term.value}>"

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            for triples in _subject_groups(store, terms, text):
                lines = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
                # On "\n" only: str.splitlines() would also split inside a literal holding U+2028.
                out.writelines(
                    f"{line}\n".encode() for line in sorted({ln for ln in lines.split("\n") if ln})
                )
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return [path]


def write_store_trig(
    store: GraphStore, path: Path, *, fragments: Path | None = None, fresh: Path | None = None
) -> list[Path]:
    """Write every exported named graph of the store as TriG to `path`; returns the files written.

    With `fragments` (a folder), each graph's block is kept there under a name made of the graph, its
    revision and the code's fingerprint, and taken from there while they are the same: after a change,
    only the changed graphs are written again, and the file is their blocks put together. The blocks
    made now go to `fresh` (default: `fragments`), for the caller to `keep_fragments` once the exports
    are published; blocks no graph names any more leave `fragments`."""
    if fragments is None:
        _write(Path(path), lambda terms: trig_quads(store, terms), "TRIG")
        return [Path(path)]
    _write_from_fragments(store, Path(path), Path(fragments), Path(fresh or fragments))
    return [Path(path)]


# In `fresh`: the names of the blocks the file was made of, so that `keep_fragments` can drop the others.
_INDEX = "index.txt"


def keep_fragments(fresh: Path, fragments: Path) -> None:
    """Move the blocks made by `write_store_trig` into `fragments` and drop the blocks no graph names any
    more: once the exports are published, so that a build that publishes nothing changes nothing there."""
    if not (fresh / _INDEX).is_file() or fresh == fragments:
        return
    fragments.mkdir(exist_ok=True)
    for block in fresh.glob("*.trig"):
        os.replace(block, fragments / block.name)
    _prune(fragments, set((fresh / _INDEX).read_text(encoding="utf-8").split()))


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove the blocks of graphs since replaced or removed, or written by other code."""
    for old in folder.glob("*.trig"):
        if old.name not in keep:
            old.unlink(missing_ok=True)


def _graph_revisions(store: GraphStore) -> list[tuple[str, str]]:
    """(name, revision) of every exported graph in IRI order: a graph with the same revision holds the
    same statements."""
    from ldn_graph.store.catalog import aggregate_revision, stored_documents

    graphs = [(d.iri, _revision(d)) for d in stored_documents(store).values()]
    graphs.append((str(AGGREGATE_GRAPH), aggregate_revision(store) or ""))
    return sorted(graphs)


def _fragment(store: GraphStore, name: str) -> tuple[list[str], bytes]:
    """One graph's TriG block, spaced out, and the prefixes its statements use."""
    return _block(name, _graph_statements(store, name))


def _block(name: str, statements: Iterable[Any]) -> tuple[list[str], bytes]:
    """The TriG block of graph `name` holding `statements` (pyoxigraph quads or triples, bookkeeping
    left out), spaced out, and the prefixes they use."""
    import io

    import pyoxigraph as ox

    terms = _Terms()
    graph = ox.NamedNode(name)
    quads = [ox.Quad(s, p, o, graph) for _, s, p, o in _ordered(terms, statements)]
    if quads:
        terms.note(name)
    body = io.BytesIO()
    ox.serialize(quads, body, ox.RdfFormat.TRIG, prefixes=PREFIXES_TEXT)
    body.seek(0)
    block = io.BytesIO()
    _finish(body, block, {})
    return sorted(terms.used()), block.getvalue()


def _block_file(folder: Path, name: str, revision: str) -> Path:
    """Where graph `name` at `revision`, serialised by this code, has its block in `folder`."""
    import hashlib

    from ldn_graph.store.fingerprint import code_fingerprint

    key = hashlib.sha256(f"{name}\n{revision}\n{code_fingerprint()}".encode()).hexdigest()
    return folder / f"{key}.trig"


def _revision(document: StoredDocument) -> str:
    """What a document graph's statements are made from: its text, extractor and metadata hashes."""
    return f"{document.sha256} {document.extractor} {document.metadata}"


def document_block_file(folder: Path, document: StoredDocument) -> Path:
    """Where the TriG block of a document graph, as this code serialises it, is kept in `folder`."""
    return _block_file(folder, document.iri, _revision(document))


def keep_document_block(folder: Path, document: StoredDocument, triples: Iterable[Triple]) -> Path:
    """Write the TriG block of a document graph just stored, from the statements it was given (rdflib
    triples, bookkeeping left out): the block `write_store_trig` would read back from the store and
    serialise, byte for byte (`tests/test_store_export.py`). A build makes it while the next documents
    are read, so that its TriG export only puts blocks together. The block is named by the graph's
    revision: one made for a document the store then lacks (a build killed in between) is the one the
    next build makes again, and blocks no graph names go when exports are next published. Returns the
    block's file."""
    import pyoxigraph as ox

    from ldn_graph.atomic import write_atomic
    from ldn_graph.store.terms import oxigraph_converter

    convert = oxigraph_converter()
    statements = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in set(triples)]
    prefixes, block = _block(document.iri, statements)
    folder.mkdir(parents=True, exist_ok=True)
    file = document_block_file(folder, document)
    write_atomic(file, f"# prefixes: {' '.join(prefixes)}\n".encode() + block)
    return file


def _first_line(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.readline()
    except OSError:
        return b""


def _write_from_fragments(store: GraphStore, path: Path, folder: Path, fresh: Path) -> None:
    from ldn_graph.atomic import write_atomic

    wanted: list[Path] = []
    used: set[str] = set()
    for name, revision in _graph_revisions(store):
        file = _block_file(folder, name, revision)
        first = _first_line(file)
        if not first.startswith(b"# prefixes:"):  # absent: made now
            file = fresh / file.name
            prefixes, block = _fragment(store, name)
            first = f"# prefixes: {' '.join(prefixes)}\n".encode()
            fresh.mkdir(parents=True, exist_ok=True)
            write_atomic(file, first + block)
        wanted.append(file)
        used.update(first.decode().split()[2:])
    if fresh == folder:
        _prune(folder, {file.name for file in wanted})
    else:
        fresh.mkdir(parents=True, exist_ok=True)
        (fresh / _INDEX).write_text("".join(f"{file.name}\n" for file in wanted), encoding="utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            declarations = sorted(f"@prefix {p}: <{PREFIXES_TEXT[p]}> .".encode() for p in used)
            blocks = [file for file in wanted if file.stat().st_size > len(b"# prefixes: \n")]
            if declarations and blocks:
                out.write(b"\n".join(declarations) + b"\n\n")
            for file in blocks:
                with file.open("rb") as source:
                    source.readline()
                    while chunk := source.read(_CHUNK):
                        out.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_store_turtle(store: GraphStore, path: Path) -> list[Path]:
    """Write the union of the store's exported graphs as Turtle to `path`; returns the files written."""
    _write(Path(path), lambda terms: union_triples(store, terms), "TURTLE")
    return [Path(path)]


# The export formats written from the store itself: the same bytes as their rdflib writers (export/).
STREAMED = {"turtle": write_store_turtle, "trig": write_store_trig, "nt": write_store_ntriples}
