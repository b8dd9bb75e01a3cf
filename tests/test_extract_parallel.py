"""Parallel and distributed extraction give the records a single process gives, in the same order."""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import socket
import sys
from itertools import islice

import pytest

from ldn_graph.errors import ClusterError, InputError
from ldn_graph.extract.local import extract
from ldn_graph.inputs.documents import iter_documents
from tests.conftest import ROOT

TEXTS = [ROOT / "corpus" / "ldn-blog-2019.txt", *sorted((ROOT / "tests" / "data" / "unseen").glob("*.txt"))]


@pytest.fixture(scope="module")
def documents():
    """The bundled article, the five unseen texts and the PubMed fixture: 9 documents."""
    return list(iter_documents([*TEXTS, ROOT / "tests" / "data" / "inputs" / "pubmed-sample.xml"]))


@pytest.fixture(scope="module")
def serial(nlp, documents):
    return list(extract(nlp, documents))


def distributed_or_skip():
    """The `distributed` package: skipped where the dask extra is not installed, except in CI."""
    try:
        import distributed
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("the dask extra is not installed (make install installs it with the dev extra)")
        pytest.skip("the dask extra is not installed")
    return distributed


def test_extraction_thaws_what_it_froze(nlp, documents):
    # Extraction keeps the objects that exist before it out of the collector's passes (gc.freeze), and must
    # hand them back when it ends, also when the caller stops early; a caller's own freeze is left alone.
    assert gc.get_freeze_count() == 0
    records = extract(nlp, documents[:2])
    next(records)
    assert gc.get_freeze_count() > 0
    records.close()
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert len(list(extract(nlp, documents[:2]))) == 2
        # Left frozen, none added: a frozen object that died meanwhile (an earlier test's cache entry
        # replaced) lowers the count by its own, as one run of the whole suite saw (323,715 -> 323,713).
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


@pytest.mark.slow
def test_parallel_two_jobs_equal_one(nlp, documents, serial):
    # Same records, same order; the texts all have relations, so the relations did come back.
    assert all(x.relations for x in serial[:6])
    assert list(extract(nlp, documents, jobs=2)) == serial
    # Batches smaller than the workers' share, and a generator input (no length known).
    assert list(extract(nlp, iter(documents), jobs=2, batch_size=2)) == serial


@pytest.mark.slow
def test_parallel_spawned_workers_equal_one(nlp, documents, serial, monkeypatch):
    # As on macOS and Windows: workers start fresh and receive the pipeline pickled.
    monkeypatch.setattr("ldn_graph.extract.local.START_METHOD", "spawn")
    assert list(extract(nlp, documents[:3], jobs=2)) == serial[:3]


@pytest.mark.slow
def test_parallel_workers_stop_with_the_caller(nlp, documents):
    # A caller that stops early (an error downstream, Ctrl-C) leaves no worker process behind.
    stream = extract(nlp, documents, jobs=2, batch_size=1)
    first = next(stream)
    assert first.document.key == documents[0].key
    stream.close()
    assert multiprocessing.active_children() == []


def test_parallel_reader_beside_equals_one(nlp, documents, serial):
    # One job read in a process beside the caller (what `build --jobs 1` does): the same records in the
    # same order, from a generator too; a caller that stops early leaves no process behind.
    assert list(extract(nlp, documents, beside=True)) == serial
    assert list(extract(nlp, iter(documents[:3]), beside=True, batch_size=2)) == serial[:3]
    stream = extract(nlp, documents, beside=True)
    assert next(stream).document.key == documents[0].key
    stream.close()
    assert multiprocessing.active_children() == []


def test_parallel_reader_beside_passes_its_error_on(nlp, documents):
    # An error while the reader reads (an input changed since the build checked it) is raised in the
    # caller, after the records read before it, with its message; no process is left.
    def changed_midway():
        yield from documents[:2]
        raise InputError("changed since it was checked", where="a.jsonl")

    stream = extract(nlp, changed_midway(), beside=True, batch_size=1)
    assert [x.document.key for x in islice(stream, 2)] == [d.key for d in documents[:2]]
    with pytest.raises(InputError, match=r"^a\.jsonl: changed since it was checked$"):
        next(stream)
    assert multiprocessing.active_children() == []


def test_parallel_progress_bar_only_on_a_terminal(nlp, monkeypatch, capsys):
    documents = list(iter_documents([ROOT / "tests" / "data" / "inputs" / "abstracts.jsonl"]))
    # Not a terminal (pytest captures stderr): quiet.
    list(extract(nlp, documents, progress=True))
    assert capsys.readouterr().err == ""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    list(extract(nlp, documents, progress=True))
    assert "3/3" in terminal.getvalue() and "doc/s" in terminal.getvalue()
    # In CI, quiet even on a terminal.
    monkeypatch.setenv("CI", "true")
    terminal.truncate(0)
    list(extract(nlp, documents, progress=True))
    assert terminal.getvalue().strip("\x00") == ""


@pytest.mark.slow
def test_parallel_dask_local_cluster_equals_local(documents, serial):
    distributed = distributed_or_skip()
    from ldn_graph.extract.distributed import extract_distributed

    # Two in-process workers: each task's worker loads the pipeline once, results come back in order.
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        got = list(extract_distributed(cluster.scheduler_address, documents, batch_size=2))
    assert got == serial


def test_parallel_dask_unreachable_scheduler(monkeypatch):
    distributed_or_skip()
    import ldn_graph.extract.distributed

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(ldn_graph.extract.distributed, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(ClusterError, match=rf"tcp://127.0.0.1:{port}: cannot reach the Dask scheduler"):
        list(ldn_graph.extract.distributed.extract_distributed(f"tcp://127.0.0.1:{port}", []))


def test_parallel_dask_extra_missing(monkeypatch):
    from ldn_graph.extract.distributed import extract_distributed

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(ClusterError, match=r"pip install 'ldn-graph\[dask\]'"):
        list(extract_distributed("tcp://127.0.0.1:8786", []))
