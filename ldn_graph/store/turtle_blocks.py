"""graph.ttl kept current from its subject blocks: a change serialises only the subjects it touched.

Turtle is the union graph, subject by subject in IRI order (store/export.py): each subject's statements
form one block, and blocks are separated by a blank line (Oxigraph writes every literal on one line, so a
blank line is nothing else). A subject's statements in the union change only when a graph that describes
it changes, so an index kept beside the exports (`OUTDIR/.turtle-blocks/index.tsv`) records:

- each block of the graph.ttl last published: its subject, where it is in the file, the prefixes it uses;
- each document graph: its revision (text hash, extractor, metadata: what names a graph's statements, as
  for the TriG blocks) and the subjects it describes, as short hashes;
- the aggregate graph, which changes with every document: a digest of each subject's statements in it.

A build compares the store with the index: the subjects of the document graphs whose revision changed
(before, from the index, and now, from the store), of those added or removed, and the aggregate's subjects
whose statements differ are serialised again from the store's merged graph (store/local.py); every other
block is copied from the graph.ttl the index describes (its size and modification time are recorded: a
file changed since is not trusted). The prefixes declared are those the blocks use. The bytes are those of
`write_store_turtle` (tests/test_store_turtle_blocks.py compares them after each of a series of
changes).

With no usable index (the first build, other code, a blank-node subject, a remote store), graph.ttl is
written whole and the index made from it; that reads each document graph's subjects once. The index goes
to the staging folder with the exports and joins OUTDIR once they are published (`keep_blocks`).
"""

from __future__ import annotations

import hashlib
import heapq
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldn_graph.namespaces import AGGREGATE_GRAPH, PREFIXES
from ldn_graph.store.base import GraphStore

INDEX = "index.tsv"
_HEADER = "ldn-graph turtle blocks 1"
_NAMESPACES = sorted((prefix, str(namespace)) for prefix, namespace in PREFIXES.items())
_BLOCK_END = re.compile(rb" \.\n\n")
_CHUNK = 1 << 22


def _hash(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8"), digest_size=8).hexdigest()


def _hashes(subjects: set[Any]) -> str:
    return " ".join(sorted(_hash(s.value) for s in subjects))


@dataclass
class _Index:
    """What the index file holds (module docstring)."""

    code: str = ""
    file: str = ""  # "size mtime_ns" of the graph.ttl it describes
    blocks: list[tuple[str, int, int, str]] = field(default_factory=list)  # subject, offset, length, prefixes
    # name -> revision, its subjects' hashes (space-separated: split only for the graphs that changed)
    graphs: dict[str, tuple[str, str]] = field(default_factory=dict)
    aggregate: dict[str, str] = field(default_factory=dict)  # subject hash -> digest of its statements

    @classmethod
    def read(cls, path: Path) -> _Index | None:
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return None
        head = lines[0].split("\t")
        if len(head) != 3 or head[0] != _HEADER:
            return None
        index = cls(head[1], head[2])
        try:
            for line in lines[1:]:
                kind, _, rest = line.partition("\t")
                parts = rest.split("\t")
                if kind == "S":
                    index.blocks.append((parts[0], int(parts[1]), int(parts[2]), parts[3]))
                elif kind == "G":
                    index.graphs[parts[0]] = (parts[1], parts[2])
                elif kind == "A":
                    index.aggregate[parts[0]] = parts[1]
        except (IndexError, ValueError):  # not an index this code wrote: graph.ttl is written whole
            return None
        return index

    def write(self, path: Path) -> None:
        from ldn_graph.atomic import write_atomic

        lines = [f"{_HEADER}\t{self.code}\t{self.file}"]
        lines += [f"S\t{s}\t{offset}\t{length}\t{prefixes}" for s, offset, length, prefixes in self.blocks]
        lines += [f"G\t{name}\t{rev}\t{subjects}" for name, (rev, subjects) in self.graphs.items()]
        lines += [f"A\t{subject}\t{digest}" for subject, digest in sorted(self.aggregate.items())]
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


def _namespaces() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern matching the longest namespace an IRI starts with, and for each namespace, the prefixes
    whose namespace starts it: every namespace an IRI starts with starts the longest one it starts with."""
    spaces = sorted({ns for _, ns in _NAMESPACES}, key=len, reverse=True)
    within = {ns: ",".join(p for p, other in _NAMESPACES if ns.startswith(other)) for ns in spaces}
    return re.compile("|".join(map(re.escape, spaces))), within


_LONGEST, _WITHIN = _namespaces()


def _prefixes(triples: list[Any], known: dict[str, str] | None = None) -> str:
    """The prefixes (comma-separated, sorted) whose namespace starts an IRI of `triples`, as
    `store.export._Terms.note` marks them for the whole file. `known`: each IRI's prefixes found so far
    (an IRI recurs in many blocks: a predicate, a class, an entity)."""
    import pyoxigraph as ox

    known = {} if known is None else known
    found: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iri = term.value
            elif isinstance(term, ox.Literal) and not term.language:
                iri = term.datatype.value
            else:
                continue
            listed = known.get(iri)
            if listed is None:
                match = _LONGEST.match(iri)
                listed = known[iri] = _WITHIN[match.group()] if match is not None else ""
                if len(known) > 200_000:  # evidence and document IRIs recur little: a bound on the memory
                    known.clear()
            found.add(listed)
    return ",".join(sorted({p for listed in found for p in listed.split(",") if p}))


def _document_graphs(store: GraphStore) -> dict[str, str]:
    from ldn_graph.store.export import _graph_revisions

    return {name: rev for name, rev in _graph_revisions(store) if name != str(AGGREGATE_GRAPH)}


def _subjects_of(native: Any, name: str) -> set[Any]:
    """The subjects of one named graph (listed by Oxigraph: a sixth of the time of reading its quads)."""
    return {row[0] for row in native.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")}


def _aggregate_digests(native: Any) -> dict[str, tuple[Any, str]]:
    """Each subject of the aggregate graph: subject hash -> (the subject, a digest of its statements)."""
    import pyoxigraph as ox

    statements: dict[Any, list[str]] = {}
    for quad in native.quads_for_pattern(None, None, None, ox.NamedNode(str(AGGREGATE_GRAPH))):
        statements.setdefault(quad.subject, []).append(f"{quad.predicate} {quad.object}")
    return {
        _hash(s.value): (s, hashlib.blake2b("\n".join(sorted(lines)).encode(), digest_size=12).hexdigest())
        for s, lines in statements.items()
    }


def _block(native: Any, subject: Any) -> tuple[bytes, str] | None:
    """One subject's block as `write_store_turtle` writes it (without the blank line after it) and its
    prefixes; None when the union no longer describes it."""
    import pyoxigraph as ox

    from ldn_graph.store.export import PREFIXES_TEXT, _ordered, _Terms

    rows = _ordered(_Terms(), native.quads_for_pattern(subject, None, None, ox.DefaultGraph()))
    if not rows:
        return None
    triples = [ox.Triple(s, p, o) for _, s, p, o in rows]
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES_TEXT) or b""
    start = 0
    while text.startswith(b"@prefix ", start):  # Oxigraph declares every prefix it was given, first
        start = text.index(b"\n", start) + 1
    return text[start:], _prefixes(triples)


def write_turtle_blocks(
    store: GraphStore, path: Path, *, kept: Path, fresh: Path, previous: Path
) -> list[Path]:
    """Write graph.ttl of the store to `path`: from the blocks of `previous` (the published graph.ttl)
    that `kept`'s index says are current and the subjects serialised again, or whole when the index cannot
    be used. The index of the file written goes to `fresh`, for `keep_blocks` once published. Returns
    the files written (graph.ttl)."""
    from ldn_graph.store.fingerprint import code_fingerprint
    from ldn_graph.store.local import LocalStore

    if not isinstance(store, LocalStore):
        from ldn_graph.store.export import write_store_turtle

        return write_store_turtle(store, path)
    index = _Index.read(kept / INDEX)
    current = (
        index is not None
        and index.code == code_fingerprint()
        and previous.is_file()
        and _stamp(previous) == index.file
    )
    if index is not None and current:
        made = _write_changed(store, path, index, previous)
    else:
        made = _write_whole(store, path)
    if made is not None:
        made.code = code_fingerprint()
        made.file = _stamp(path)
        made.write(fresh / INDEX)
    return [path]


def _write_whole(store: Any, path: Path) -> _Index | None:
    """graph.ttl written whole, as `write_store_turtle` writes it, and its index; None when its blocks
    cannot be told apart by subject (a blank node among them)."""
    import pyoxigraph as ox

    from ldn_graph.store.export import _subject_groups, _Terms, _write

    subjects: list[tuple[Any, str]] = []
    known: dict[str, str] = {}

    def statements(terms: _Terms) -> Iterator[Any]:
        for triples in _subject_groups(store, terms, lambda term: term.value):
            if triples:
                subjects.append((triples[0].subject, _prefixes(triples, known)))
                yield from triples

    _write(path, statements, "TURTLE")
    if any(not isinstance(subject, ox.NamedNode) for subject, _ in subjects):
        return None
    start, ends = _block_ends(path)
    if len(ends) != len(subjects):
        return None
    index = _Index()
    for (subject, prefixes), end in zip(subjects, ends, strict=True):
        index.blocks.append((subject.value, start, end - start, prefixes))
        start = end + 1
    native = store.native()
    for name, revision in _document_graphs(store).items():
        index.graphs[name] = (revision, _hashes(_subjects_of(native, name)))
    index.aggregate = {h: digest for h, (_, digest) in _aggregate_digests(native).items()}
    return index


def _block_ends(path: Path) -> tuple[int, list[int]]:
    """Where the first block of a graph.ttl starts, and where each block ends (after its " .\\n"), read
    a chunk at a time."""
    ends: list[int] = []
    with path.open("rb") as file:
        start = 0
        while (line := file.readline()).startswith(b"@prefix "):
            start += len(line)
        start += 1 if start else 0  # the blank line after the declarations
        file.seek(start)
        offset, carry = start, b""
        while chunk := file.read(_CHUNK):
            text = carry + chunk
            ends += [offset + m.start() + 3 for m in _BLOCK_END.finditer(text)]
            keep = min(len(text), 3)  # a block end cut by the chunk's end is found with the next one
            offset += len(text) - keep
            carry = text[len(text) - keep :]
        size = offset + len(carry)
    return start, ends + ([size] if size > start else [])


def _write_changed(store: Any, path: Path, index: _Index, previous: Path) -> _Index | None:
    """graph.ttl from the blocks of `previous` and the touched subjects serialised again."""
    import pyoxigraph as ox

    native = store.native()
    touched: set[str] = set()  # hashes of the subjects whose statements may have changed
    again: dict[str, Any] = {}  # the subjects serialised again, by IRI
    graphs = dict(index.graphs)
    now = _document_graphs(store)
    for name in graphs.keys() - now.keys():
        touched.update(graphs.pop(name)[1].split())
    for name, revision in now.items():
        if name in graphs and graphs[name][0] == revision:
            continue
        touched.update(graphs[name][1].split() if name in graphs else ())
        subjects = _subjects_of(native, name)
        if any(not isinstance(s, ox.NamedNode) for s in subjects):
            return _write_whole(store, path)
        again.update((s.value, s) for s in subjects)
        graphs[name] = (revision, _hashes(subjects))
    aggregate = _aggregate_digests(native)
    for subject_hash in aggregate.keys() | index.aggregate.keys():
        if subject_hash not in aggregate:
            touched.add(subject_hash)
        elif aggregate[subject_hash][1] != index.aggregate.get(subject_hash):
            subject = aggregate[subject_hash][0]
            again[subject.value] = subject
    touched.update(_hash(value) for value in again)
    for value, *_ in index.blocks:
        if value not in again and _hash(value) in touched:
            again[value] = ox.NamedNode(value)
    made = {value: _block(native, subject) for value, subject in again.items()}
    # The blocks in subject order: those kept (offset >= 0 in `previous`) and those made now.
    order = heapq.merge(
        (block for block in index.blocks if block[0] not in again),
        ((value, -1, 0, found[1]) for value, found in sorted(made.items()) if found is not None),
        key=lambda block: block[0],
    )
    result = _Index(graphs=graphs, aggregate={h: digest for h, (_, digest) in aggregate.items()})
    _assemble(path, previous, list(order), made, result)
    return result


def _assemble(
    path: Path,
    previous: Path,
    order: list[tuple[str, int, int, str]],
    made: dict[str, tuple[bytes, str] | None],
    result: _Index,
) -> None:
    """Write the file: the declarations of the prefixes the blocks use, then each block of `order` (a
    block kept is copied from `previous`, a run of them read at once; one made now is in `made`), a blank
    line between blocks; where each block is goes into `result`."""
    from ldn_graph.store.export import PREFIXES_TEXT

    used = {p for *_, prefixes in order for p in prefixes.split(",") if p}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out, previous.open("rb") as source:
            declarations = sorted(f"@prefix {p}: <{PREFIXES_TEXT[p]}> .".encode() for p in used)
            written = out.write(b"\n".join(declarations) + b"\n\n") if declarations else 0
            run: list[tuple[str, int, int, str]] = []  # kept blocks next to each other in `previous`

            def copy_run() -> None:
                nonlocal written
                if not run:
                    return
                start = run[0][1]
                source.seek(start)
                written += out.write(b"\n" if result.blocks else b"")
                result.blocks += [(v, written + offset - start, n, pre) for v, offset, n, pre in run]
                written += out.write(source.read(run[-1][1] + run[-1][2] - start))
                run.clear()

            for block in order:
                value, offset, _, prefixes = block
                if offset >= 0:
                    if run and run[-1][1] + run[-1][2] + 1 != offset:
                        copy_run()
                    run.append(block)
                    continue
                copy_run()
                text = made[value]
                assert text is not None
                written += out.write(b"\n" if result.blocks else b"")
                result.blocks.append((value, written, len(text[0]), prefixes))
                written += out.write(text[0])
            copy_run()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def keep_blocks(fresh: Path, kept: Path) -> None:
    """Move the index `write_turtle_blocks` made into `kept`, once the exports are published."""
    if (fresh / INDEX).is_file() and fresh != kept:
        kept.mkdir(exist_ok=True)
        os.replace(fresh / INDEX, kept / INDEX)
