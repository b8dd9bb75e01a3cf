"""The help texts say what the commands do: the inputs they take, their real defaults, the README figures."""

from __future__ import annotations

import argparse
import re

import pytest

from ldn_graph.cli import make_parser
from ldn_graph.cli.serve import COPY_COST, COPY_GAIN
from ldn_graph.rdf.io import FORMATS
from tests.conftest import ROOT

# Every command whose GRAPH goes through store.catalog.load_graph: a graph file or a store folder.
GRAPH_COMMANDS = ("query", "serve", "viz", "export", "stats", "paths")


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", GRAPH_COMMANDS)
def test_cli_help_graph_takes_files_and_stores(name):
    (graph,) = [a for a in commands()[name]._actions if a.dest == "graph"]
    assert "store folder" in graph.help
    for suffix in (".ttl", ".trig", ".nt", ".nq", ".jsonld"):
        assert suffix in graph.help, suffix


def test_cli_help_graph_lists_every_format_load_graph_reads():
    (graph,) = [a for a in commands()["stats"]._actions if a.dest == "graph"]
    assert all(suffix in graph.help for suffix in FORMATS)


def test_cli_help_defaults_are_the_real_ones():
    # "(default: X)" in an option's help is the value argparse gives when the option is left out.
    checked = 0
    for name, command in commands().items():
        for action in command._actions:
            said = re.search(r"\(default: ([^);,]*)", action.help or "")
            if said is None or action.default is None or action.default is argparse.SUPPRESS:
                continue
            default = action.default
            if isinstance(default, float) and default.is_integer():
                default = int(default)
            assert said.group(1) == str(default), f"{name} {action.dest}"
            checked += 1
    assert checked >= 10


def test_cli_help_serve_copy_figures_match_the_readme():
    # serve --help and the README quote the same measured cost of copying a store into memory.
    (on_disk,) = [a for a in commands()["serve"]._actions if a.dest == "on_disk"]
    readme = _words((ROOT / "README.md").read_text(encoding="utf-8"))
    for figure in (COPY_COST, COPY_GAIN):
        assert figure in on_disk.help
        assert figure in readme
