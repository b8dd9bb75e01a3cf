"""Shared fixtures and helpers: the spaCy pipeline is loaded once per test session; the fixture graph as a
TriG file; the one-line error check; how the browser tests start chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def nlp():
    from ldn_graph.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium; skipped when absent, except in CI where it must be there."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make browser installs it)")
        pytest.skip("chromium is not installed")
    return path


# How the browser tests launch Debian's headless chromium (through playwright).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    """`graph_fixture.make_graph()` as a TriG file (a module may define its own graph_file instead)."""
    from graph_fixture import make_graph

    from ldn_graph.export import FORMATS

    path = tmp_path_factory.mktemp("graph") / "graph.trig"
    FORMATS["trig"](make_graph(), path)
    return path


def one_line_error(capsys) -> str:
    """What a command wrote to stderr, checked to be one `ldn-graph: error:` line."""
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("ldn-graph: error: ")
    return err.strip()
