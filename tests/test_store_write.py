"""The embedded store's write path (store/local.py): a graph replaced by the statements that differ, the
merged default graph kept the union of the data graphs, the write buffers flushed as the store grows.

Real Oxigraph stores in temporary folders; what a replaced graph holds is compared with what the same
statements give when loaded into a fresh store.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from ldn_graph.store.local import FLUSH_AFTER, LocalStore, _replacement
from tests.conftest import ROOT

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY = "https://w3id.org/ldn-graph/vocab"
STORE_NS = "https://w3id.org/ldn-graph/store#"


def nt(*lines: str) -> str:
    return "".join(f"{line} .\n" for line in lines)


SHARED = f'<{EX}naltrexone> <{EX}label> "naltrexone"'
ODD = [
    f'<{EX}s> <{EX}quote> "say \\"no\\" \\\\ twice\\nand\\r\\tagain"',
    f'<{EX}s> <{EX}separator> "line\u2028separator and caf\u00e9"',
    f'<{EX}s> <{EX}lang> "hello"@en',
    f'<{EX}s> <{EX}double> "30.0"^^<{XSD}double>',
    f'<{EX}s> <{EX}decimal> "0.840"^^<{XSD}decimal>',
    f'<{EX}s> <{EX}integer> "01"^^<{XSD}integer>',
    f'<{EX}s> <{EX}year> "2010"^^<{XSD}gYear>',
    f'<{EX}s> <{EX}notanumber> "about 3"^^<{XSD}double>',
]


@pytest.fixture
def store(tmp_path: Path):
    with LocalStore(tmp_path / "store") as opened:
        yield opened


def triples(store: LocalStore, graph: str | None) -> set[ox.Triple]:
    name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    return {q.triple for q in store.native().quads_for_pattern(None, None, None, name)}


def merged_is_union(store: LocalStore) -> None:
    """The invariant of the merged default graph: exactly the data of the data graphs."""
    union: set[ox.Triple] = set()
    for graph in store.native().named_graphs():
        if graph.value != ONTOLOGY:
            union |= {t for t in triples(store, graph.value) if not t.predicate.value.startswith(STORE_NS)}
    assert triples(store, None) == union


def as_loaded(tmp_path: Path, data: str) -> set[ox.Triple]:
    """The statements a fresh store holds once `data` is written into it."""
    with LocalStore(tmp_path / "fresh") as fresh:
        fresh.replace_graph(f"{EX}g", data)
        return triples(fresh, f"{EX}g")


def test_replaced_graph_holds_the_new_statements_and_the_merged_graph_follows(store, tmp_path):
    a, b = f"{EX}a", f"{EX}b"
    store.replace_graph(
        a,
        nt(SHARED, f"<{EX}a> <{EX}says> <{EX}x>", *ODD[:4]),
        bookkeeping=nt(f'<{a}> <{STORE_NS}extractor> "one"'),
    )
    store.replace_graph(b, nt(SHARED, f"<{EX}b> <{EX}says> <{EX}y>"))
    store.replace_graph(ONTOLOGY, nt(f"<{EX}a> <{EX}says> <{EX}x>"), union=False)
    new = nt(f"<{EX}a> <{EX}says> <{EX}z>", *ODD)
    store.replace_graph(a, new, bookkeeping=nt(f'<{a}> <{STORE_NS}extractor> "two"'))

    assert triples(store, a) == as_loaded(tmp_path, new + nt(f'<{a}> <{STORE_NS}extractor> "two"'))
    merged = triples(store, None)
    assert ox.Triple(
        ox.NamedNode(f"{EX}naltrexone"), ox.NamedNode(f"{EX}label"), ox.Literal("naltrexone")
    ) in (merged)  # a dropped statement another document holds stays
    says = ox.NamedNode(f"{EX}says")
    assert (
        ox.Triple(ox.NamedNode(a), says, ox.NamedNode(f"{EX}x")) not in merged
    )  # the ontology does not count
    assert ox.Triple(ox.NamedNode(a), says, ox.NamedNode(f"{EX}z")) in merged
    merged_is_union(store)


def test_replacing_a_graph_by_the_same_statements_writes_nothing(store):
    data = nt(SHARED, *ODD)
    marks = nt(f'<{EX}a> <{STORE_NS}extractor> "one"')
    store.replace_graph(f"{EX}a", data, bookkeeping=marks)
    graph = ox.NamedNode(f"{EX}a")
    # "30.0"^^xsd:double is stored as the double 30 and read back as "30": the same statement.
    assert _replacement(store.native(), graph, data, marks, union=True) == ""
    changed = _replacement(
        store.native(), graph, data, nt(f'<{EX}a> <{STORE_NS}extractor> "two"'), union=True
    )
    assert changed.count("DATA") == 2 and "naltrexone" not in changed  # the bookkeeping line alone


def test_replaced_graph_with_blank_nodes_is_replaced_whole(store, tmp_path):
    first = nt(SHARED, f"_:b1 <{EX}p> <{EX}x>", f"<{EX}a> <{EX}q> _:b1")
    second = nt(f"_:b2 <{EX}p> <{EX}y>", f"<{EX}a> <{EX}q> _:b2")
    store.replace_graph(f"{EX}a", first)
    store.replace_graph(f"{EX}a", second)
    held = triples(store, f"{EX}a")
    assert len(held) == 2 and all(t.object != ox.NamedNode(f"{EX}x") for t in held)
    assert {t.predicate for t in held} == {ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}q")}
    merged_is_union(store)


def test_replacements_many_times_over_keep_every_graph_and_the_merged_graph_exact(store, tmp_path):
    # Three graphs rewritten in turn with overlapping statements: each ends as its last data says.
    pool = [f"<{EX}s{i % 7}> <{EX}p{i % 3}> <{EX}o{i}>" for i in range(40)]
    last: dict[str, str] = {}
    for step in range(12):
        name = f"{EX}g{step % 3}"
        last[name] = nt(*pool[step : step + 10 + step % 5], ODD[step % len(ODD)])
        store.replace_graph(name, last[name])
        merged_is_union(store)
    for name, data in last.items():
        with LocalStore(tmp_path / f"fresh-{name[-1]}") as fresh:
            fresh.replace_graph(name, data)
            assert triples(store, name) == triples(fresh, name)


def test_store_write_buffers_are_flushed_as_the_store_grows(store):
    def tables() -> int:
        return len(list(store.path.glob("*.sst")))

    store.replace_graph(f"{EX}small", nt(SHARED))
    before = tables()
    line = f'<{EX}subject> <{EX}predicate> "{"x" * 2000}'
    size = 0
    for n in range(4):
        data = nt(*(f'{line}{n}-{i}"' for i in range(FLUSH_AFTER // 4 // 2030 + 1)))
        size += len(data)
        store.replace_graph(f"{EX}big{n}", data)
        if size < FLUSH_AFTER // 2:
            assert tables() == before  # nothing flushed yet: the buffers stay in memory
    assert tables() > before  # flushed to disk once FLUSH_AFTER characters were written
    assert len(triples(store, None)) == 1 + 4 * (FLUSH_AFTER // 4 // 2030 + 1)


@pytest.mark.slow
def test_build_killed_while_replacing_every_document_resumes_to_the_same_files(tmp_path):
    # Every record's year corrected (every document graph replaced) and one text changed (the aggregate
    # changes where it touches): killed after the first graph replaced, run again, the files are those of
    # a build that was never stopped, and the merged graph is exactly the union of the data graphs.
    from tests.test_store import _sentences

    sentences = _sentences()
    count = 30
    records = [
        {"id": f"doc-{i:02d}", "year": 2001, "text": " ".join(sentences[i * 2 : i * 2 + 3])}
        for i in range(count)
    ]
    src, killed, clean = tmp_path / "abstracts.jsonl", tmp_path / "killed", tmp_path / "clean"

    def build(out: Path, *options: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "ldn_graph", "build", str(src), "-o", str(out), *options],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )

    def write(records: list[dict[str, object]]) -> None:
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    write(records)
    assert build(killed, "-q").wait(timeout=300) == 0
    changed = [{**r, "year": 2002} for r in records]
    changed[3]["text"] = sentences[2 * count + 1]
    write(changed)
    process = build(killed, "-v")
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("stored doc:"):
            process.send_signal(signal.SIGKILL)  # at once: more may be written meanwhile, never all
            break
    process.wait(timeout=300)
    assert process.returncode == -signal.SIGKILL
    with LocalStore(killed / "store") as opened:
        years = [t.object.value for t in triples(opened, None) if t.predicate.value.endswith("/issued")]
        merged_is_union(opened)
    assert 1 <= years.count("2002") < count, years

    resumed = build(killed)
    _, said = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, said
    replaced = int(re.search(r"(\d+) replaced", said).group(1))
    assert f"0 new, {replaced} replaced, {count - replaced} unchanged" in said and replaced < count
    assert build(clean, "-q").wait(timeout=300) == 0
    for name in ("graph.ttl", "graph.trig", "kgx/nodes.tsv", "kgx/edges.tsv"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name
    with LocalStore(killed / "store") as opened:
        merged_is_union(opened)
