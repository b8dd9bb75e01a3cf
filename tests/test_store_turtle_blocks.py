"""graph.ttl kept current from its subject blocks (ldn_graph/store/turtle_blocks.py): after each change
the file is byte for byte what `write_store_turtle` writes whole, and the blocks no change touched are
copied from the file before. Hand-made stores (no spaCy)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ldn_graph.store import turtle_blocks
from ldn_graph.store.aggregate import refresh_aggregate
from ldn_graph.store.catalog import put_document, remove_document, stored_documents
from ldn_graph.store.export import write_store_turtle
from ldn_graph.store.local import LocalStore
from ldn_graph.store.turtle_blocks import INDEX, _Index, keep_blocks, write_turtle_blocks
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


@pytest.fixture
def store(tmp_path):
    with LocalStore(tmp_path / "store") as opened:
        yield opened


class Outdir:
    """A build's OUTDIR as store/publish.py keeps it: graph.ttl, the index beside it, staged then moved."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kept = folder / ".turtle-blocks"
        self.steps = 0

    def export(self, store: LocalStore) -> bytes:
        """graph.ttl from the blocks, published; checked against the whole file written from the store."""
        self.steps += 1
        staging = self.folder / f"staging-{self.steps}"
        write_turtle_blocks(
            store,
            staging / "graph.ttl",
            kept=self.kept,
            fresh=staging / ".turtle-blocks",
            previous=self.folder / "graph.ttl",
        )
        made = (staging / "graph.ttl").read_bytes()
        # The index says where each block is: the subject's statements, ending " .", a blank line between.
        index = _Index.read(staging / ".turtle-blocks" / INDEX)
        assert index is not None
        for number, (subject, offset, length, _) in enumerate(index.blocks):
            block = made[offset : offset + length]
            assert block.endswith(b" .\n") and b"\n\n" not in block, subject
            assert made[offset - 2 : offset] == b"\n\n" or (number == 0 and not made.startswith(b"@"))
        body = made[index.blocks[0][1] :] if index.blocks else made
        assert len(index.blocks) == body.count(b" .\n\n") + (1 if body else 0)
        os.replace(staging / "graph.ttl", self.folder / "graph.ttl")
        keep_blocks(staging / ".turtle-blocks", self.kept)
        whole = self.folder / f"whole-{self.steps}.ttl"
        write_store_turtle(store, whole)
        assert made == whole.read_bytes()
        return made


@pytest.mark.parametrize("chunk", [5, 1 << 22])
def test_turtle_blocks_follow_replaced_added_and_removed_documents(store, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(turtle_blocks, "_CHUNK", chunk)  # block ends found across reads of 5 bytes too
    out = Outdir(tmp_path / "out")
    out.folder.mkdir()
    assert out.export(store) == b""  # an empty store: an empty file, as written whole
    write_corpus(store, corpus()[:2])
    first = out.export(store)
    assert first.startswith(b"@prefix ") and (out.kept / INDEX).is_file()
    write_corpus(store, corpus()[2:])  # a document added
    out.export(store)
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia. It treats fatigue too.")
    put_document(
        store,
        extraction(
            new_b,
            relation(new_b, "Naltrexone clearly treats fibromyalgia."),
            relation(new_b, "It treats fatigue too.", FATIGUE),
        ),
        EXTRACTOR,
    )
    refresh_aggregate(store)  # a document replaced: its subjects and the aggregate's change
    out.export(store)
    remove_document(store, stored_documents(store)["paper-a"])
    refresh_aggregate(store)  # a document removed: what only it said goes
    out.export(store)
    for document_ in list(stored_documents(store).values()):
        remove_document(store, document_)
    refresh_aggregate(store)
    assert out.export(store) == b""


def test_turtle_blocks_untouched_are_copied_from_the_file_before(store, tmp_path):
    out = Outdir(tmp_path / "out")
    out.folder.mkdir()
    write_corpus(store, corpus())
    published = out.folder / "graph.ttl"
    text = out.export(store)
    # A block no change touches (the third document's own description), altered in the published file
    # without changing its size or time: a change elsewhere copies it as it is in the file.
    start = text.index(b"doc:paper-c a ")
    stamp = published.stat()
    published.write_bytes(text[:start] + text[start : start + 5].upper() + text[start + 5 :])
    os.utime(published, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    new_b = document(DOC_B.key, "Naltrexone clearly treats fibromyalgia.")
    put_document(
        store, extraction(new_b, relation(new_b, "Naltrexone clearly treats fibromyalgia.")), EXTRACTOR
    )
    refresh_aggregate(store)
    with pytest.raises(AssertionError):
        out.export(store)  # not what the store says: the altered block was copied, not written again
    assert b"DOC:Paper-c a " in published.read_bytes()
    # A file changed since (its time differs) is not trusted: written whole again.
    published.write_bytes(published.read_bytes())
    assert b"DOC:Paper-c" not in out.export(store)
