"""KGX kept by document (ldn_graph/store/kgx_segments.py): after each change nodes.tsv and edges.tsv are
byte for byte what KGX read whole from the store gives, and a change reads and writes the segments of the
documents it changed only. Hand-made stores (no spaCy)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_graph.export.kgx import write_kgx
from ldn_graph.store import kgx_segments
from ldn_graph.store.aggregate import refresh_aggregate
from ldn_graph.store.catalog import put_document, remove_document, stored_documents
from ldn_graph.store.kgx_segments import STATE, SUFFIX, keep_segments, write_kgx_segments
from ldn_graph.store.local import LocalStore
from ldn_graph.store.view import union_view
from tests.test_store import (
    DOC_B,
    EXTRACTOR,
    FATIGUE,
    corpus,
    document,
    extraction,
    relation,
    write_corpus,
)

FILES = ("nodes.tsv", "edges.tsv")


@pytest.fixture
def store(tmp_path):
    with LocalStore(tmp_path / "store") as opened:
        yield opened


class Outdir:
    """A build's OUTDIR as store/publish.py keeps it: KGX and its segments, staged then moved."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kept = folder / kgx_segments.SEGMENTS
        self.steps = 0
        folder.mkdir(parents=True, exist_ok=True)

    def export(self, store: LocalStore, *, publish: bool = True) -> list[str]:
        """KGX from the segments, published (unless not `publish`: a build killed before publishing);
        checked against KGX read whole. Returns the names of the segments the export wrote."""
        self.steps += 1
        staging = self.folder / f"staging-{self.steps}"
        fresh = staging / kgx_segments.SEGMENTS
        write_kgx_segments(store, union_view(store), staging / "kgx", kept=self.kept, fresh=fresh)
        whole = self.folder / f"whole-{self.steps}"
        write_kgx(union_view(store), whole, in_place=True)
        for name in FILES:
            assert (staging / "kgx" / name).read_bytes() == (whole / name).read_bytes(), name
        written = sorted(p.name for p in fresh.glob(f"*{SUFFIX}"))
        if publish:
            (self.folder / "kgx").mkdir(exist_ok=True)
            for name in FILES:
                os.replace(staging / "kgx" / name, self.folder / "kgx" / name)
            keep_segments(fresh, self.kept)
        shutil.rmtree(staging)
        return written

    def kept_segments(self) -> set[str]:
        return {p.name for p in self.kept.glob(f"*{SUFFIX}")}


def scored(doc_key: str, text: str, score: float):
    """A document whose one relation the classifier found, with `score`, and a PMID and DOI."""
    pmid = str(sum(map(ord, doc_key)))
    doc = dataclasses.replace(document(doc_key, text), pmid=pmid, doi=f"10.1/{doc_key}")
    found = relation(doc, text)
    found = dataclasses.replace(
        found,
        evidence=dataclasses.replace(found.evidence, rule="ldn_relation_classifier:treats", score=score),
    )
    return extraction(doc, found)


def put(store: LocalStore, *extractions) -> None:
    for x in extractions:
        put_document(store, x, EXTRACTOR)
    refresh_aggregate(store)


def test_kgx_segments_follow_added_replaced_and_removed_documents(store, tmp_path):
    out = Outdir(tmp_path / "out")
    assert out.export(store) == []  # an empty store: empty tables, as read whole
    write_corpus(store, corpus()[:2])
    first = out.export(store)
    assert len(first) == 2 and out.kept_segments() == set(first)  # read whole: every document's segment
    put(store, corpus()[2])
    assert len(out.export(store)) == 1  # the new document's only
    put(store, scored("paper-d", "Naltrexone treats fibromyalgia well.", 0.875))
    put(store, scored("paper-e", "Naltrexone treats fibromyalgia again.", 0.9125))
    assert len(out.export(store)) == 2  # the two new ones
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put(store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")))
    replaced = out.export(store)
    assert len(replaced) == 1 and len(out.kept_segments()) == 5  # the old segment of paper-b is gone
    edges = (out.folder / "kgx" / "edges.tsv").read_text(encoding="utf-8")
    assert "Naltrexone clearly treats fibromyalgia." in edges and "does not treat" not in edges
    assert "0.9125" in edges and "PMID:" in (out.folder / "kgx" / "nodes.tsv").read_text(encoding="utf-8")
    for key in ("paper-a", "paper-e"):
        remove_document(store, stored_documents(store)[key])
    refresh_aggregate(store)
    assert out.export(store) == [] and len(out.kept_segments()) == 3
    # The last relation of a predicate goes, and an entity with it.
    remove_document(store, stored_documents(store)["paper-c"])
    refresh_aggregate(store)
    out.export(store)
    assert FATIGUE not in (out.folder / "kgx" / "nodes.tsv").read_text(encoding="utf-8")


def test_kgx_segments_after_a_build_killed_before_publishing(store, tmp_path):
    # Builds killed before their exports were published leave the state of the last published KGX: the
    # next build takes away and adds what changed since then, over several changes at once.
    out = Outdir(tmp_path / "out")
    write_corpus(store, corpus())
    out.export(store)
    kept = out.kept_segments()
    put(store, scored("paper-d", "Naltrexone treats fibromyalgia well.", 0.5))
    assert len(out.export(store, publish=False)) == 1
    assert out.kept_segments() == kept  # nothing moved in
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put(store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")))
    assert len(out.export(store)) == 2  # paper-d and the new paper-b, from the state of the first export


def test_kgx_segments_read_whole_when_the_state_cannot_serve(store, tmp_path, monkeypatch):
    out = Outdir(tmp_path / "out")
    write_corpus(store, corpus())
    out.export(store)
    # A segment the state names is missing: every evidence is read again, every segment written.
    state = json.loads((out.kept / STATE).read_text(encoding="utf-8"))
    (out.kept / state["documents"][str(stored_documents(store)["paper-b"].iri)][0]).unlink()
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put(store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")))
    assert len(out.export(store)) == 3
    # A state cut short, or another code's: the same.
    (out.kept / STATE).write_text('{"format": ', encoding="utf-8")
    assert len(out.export(store)) == 3
    monkeypatch.setattr("ldn_graph.store.fingerprint.code_fingerprint", lambda: "other code")
    assert len(out.export(store)) == 3
    # More than FEW documents and a tenth of them changed at once: read whole too.
    monkeypatch.setattr(kgx_segments, "FEW", 0)
    put(store, scored("paper-d", "Naltrexone treats fibromyalgia well.", 0.5))
    assert len(out.export(store)) == 4


def test_kgx_segments_none_kept_for_evidence_quoting_another_graph(store, tmp_path):
    # An evidence node described in one graph but quoting another document: no segment can hold it, so no
    # state is kept (the one before is removed once published) and each build reads every evidence.
    out = Outdir(tmp_path / "out")
    write_corpus(store, corpus())
    out.export(store)
    assert (out.kept / STATE).is_file()
    doc = document("paper-x", "Naltrexone treats fibromyalgia here.")
    found = relation(doc, "Naltrexone treats fibromyalgia here.")
    found = dataclasses.replace(found, evidence=dataclasses.replace(found.evidence, document="paper-a"))
    put_document(store, dataclasses.replace(extraction(doc), relations=[found]), EXTRACTOR)
    refresh_aggregate(store)
    out.export(store)
    assert not (out.kept / STATE).exists() and not out.kept_segments()


def test_kgx_segments_scores_round_trip():
    # A score is kept as text that gives back the same value and type (the best one is written as str()).
    for value in (Decimal("0.8750"), 0.1 + 0.2, 3):
        back = kgx_segments._score(kgx_segments._score_key(value))
        assert back == value and type(back) is type(value) and str(back) == str(value)
    with pytest.raises(kgx_segments._Whole):
        kgx_segments._score_key("0.5")


def test_kgx_segments_build_after_one_change_and_a_kill_is_a_clean_build(tmp_path):
    # `ldn-graph build`: one document changed, the build killed while exporting (when it gets that far),
    # then run again; its KGX is byte for byte a build from scratch of the same inputs, and the segments
    # kept are one per document.
    import signal
    import subprocess
    import sys
    import time

    from tests.test_store import _inputs, _sentences

    # This checkout's code (the `ldn-graph` script of the venv may run another's).
    cli = [sys.executable, "-m", "ldn_graph"]
    root = Path(__file__).resolve().parents[1]
    sentences = _sentences()
    texts = {f"doc-{i:02d}.txt": " ".join(sentences[i * 2 : i * 2 + 3]) for i in range(8)}
    src = _inputs(tmp_path / "in", texts)
    out, clean = tmp_path / "out", tmp_path / "clean"
    subprocess.run([*cli, "build", str(src), "-o", str(out), "-q"], check=True, cwd=root)
    (src / "doc-03.txt").write_text(texts["doc-03.txt"] + " " + sentences[40], encoding="utf-8")
    process = subprocess.Popen([*cli, "build", str(src), "-o", str(out), "-q"], cwd=root)
    while process.poll() is None and not list(out.glob(".ldn-graph-*")):
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    resumed = subprocess.run(
        [*cli, "build", str(src), "-o", str(out)], capture_output=True, text=True, cwd=root
    )
    assert resumed.returncode == 0, resumed.stderr
    subprocess.run([*cli, "build", str(src), "-o", str(clean), "-q"], check=True, cwd=root)
    for name in FILES:
        assert (out / "kgx" / name).read_bytes() == (clean / "kgx" / name).read_bytes(), name
    assert len(list((out / kgx_segments.SEGMENTS).glob(f"*{SUFFIX}"))) == 8
    state = json.loads((out / kgx_segments.SEGMENTS / STATE).read_text(encoding="utf-8"))
    assert state == json.loads((clean / kgx_segments.SEGMENTS / STATE).read_text(encoding="utf-8"))
