"""`ldn-graph build --jobs N` and `--scheduler ADDRESS` write the files a one-process build writes."""

from __future__ import annotations

import multiprocessing
import socket
from pathlib import Path

import pytest

from ldn_graph.cli import main
from tests.conftest import ROOT
from tests.test_extract_parallel import distributed_or_skip

INPUTS = [
    str(ROOT / "corpus" / "ldn-blog-2019.txt"),
    str(ROOT / "tests" / "data" / "unseen"),  # a folder
    str(ROOT / "tests" / "data" / "inputs" / "abstracts.jsonl"),  # three records with metadata
]


def inputs_count() -> int:
    from ldn_graph.inputs.documents import iter_documents

    return len(list(iter_documents([Path(i) for i in INPUTS])))


FILES = ("graph.ttl", "graph.trig", "graph.html", "kgx/nodes.tsv", "kgx/edges.tsv")


@pytest.fixture
def cli_nlp(nlp, monkeypatch):
    """`build` runs with the session's pipeline (forked workers inherit it)."""
    import ldn_graph.cli.build

    monkeypatch.setattr(ldn_graph.cli.build, "_load_pipeline", lambda model: nlp)


@pytest.fixture(scope="module")
def serial_build(tmp_path_factory, nlp):
    """The inputs built in this process, once for the module."""
    import ldn_graph.cli.build

    out = tmp_path_factory.mktemp("serial")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ldn_graph.cli.build, "_load_pipeline", lambda model: nlp)
        assert main(["build", *INPUTS, "-o", str(out), "-q"]) == 0
    return out


def same_files(a: Path, b: Path) -> None:
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.slow
def test_build_jobs_two_writes_what_one_process_writes(serial_build, tmp_path, cli_nlp, capsys):
    out = tmp_path / "out"
    assert main(["build", *INPUTS, "-o", str(out), "--jobs", "2"]) == 0
    n = inputs_count()
    assert f"read {n} document(s): {n} new" in capsys.readouterr().err
    same_files(serial_build, out)
    assert multiprocessing.active_children() == []  # the workers are gone


@pytest.mark.slow
def test_build_on_a_dask_local_cluster_writes_what_one_process_writes(serial_build, tmp_path, capsys):
    distributed = distributed_or_skip()
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        assert main(["build", *INPUTS, "-o", str(out), "--scheduler", cluster.scheduler_address]) == 0
    n = inputs_count()
    assert f"read {n} document(s): {n} new" in capsys.readouterr().err
    same_files(serial_build, out)


@pytest.mark.parametrize(
    "options, message",
    [
        (["--jobs", "0"], "argument -j/--jobs: must be 1 or more, not 0"),
        (["-j", "two"], "argument -j/--jobs: not a whole number: 'two'"),
        (["--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786"], "--jobs and --scheduler do not go together"),
    ],
)
def test_build_bad_parallel_options(tmp_path, capsys, options, message):
    out = tmp_path / "out"
    assert main(["build", "-o", str(out), *options]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_build_unreachable_scheduler_writes_nothing(tmp_path, capsys, monkeypatch):
    distributed_or_skip()
    import ldn_graph.extract.distributed

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(ldn_graph.extract.distributed, "CONNECT_TIMEOUT", "1s")
    out = tmp_path / "out"
    assert main(["build", "-o", str(out), "--scheduler", f"tcp://127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert f"tcp://127.0.0.1:{port}: cannot reach the Dask scheduler" in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("quiet", [False, True])
def test_build_progress_bar_on_a_terminal_unless_quiet(tmp_path, cli_nlp, monkeypatch, quiet):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    source = ROOT / "tests" / "data" / "inputs" / "abstracts.jsonl"
    assert main(["build", str(source), "-o", str(tmp_path / "out"), *(["-q"] if quiet else [])]) == 0
    drawn = "3/3" in terminal.getvalue() and "doc/s" in terminal.getvalue()
    assert drawn is not quiet
