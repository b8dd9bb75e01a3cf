"""The README shows what the tool prints: each `$ .venv/bin/ldn-graph ...` line of a code block is run as a
user runs it, and what it prints (stdout and stderr, as a terminal shows them) is compared with the lines
under it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
PROMPT = "$ .venv/bin/ldn-graph "


def examples(text: str) -> list[tuple[list[str], str]]:
    """(arguments, expected output) of every prompt line in the text's fenced code blocks."""
    found: list[tuple[list[str], list[str]]] = []
    in_block, output = False, None
    for line in text.splitlines():
        if line.startswith("```"):
            in_block, output = not in_block, None
        elif in_block and line.startswith(PROMPT):
            output = []
            found.append((shlex.split(line[len(PROMPT) :]), output))
        elif in_block and line.startswith("$ "):
            raise AssertionError(f"README: a prompt line this test cannot run: {line}")
        elif output is not None:
            output.append(line)
    return [(args, "\n".join(out).strip("\n") + "\n") for args, out in found]


def run(args: list[str], cwd: Path) -> str:
    """`ldn-graph ARGS` in `cwd`, with this checkout's package, as the console script runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    proc = subprocess.run(
        [sys.executable, "-m", "ldn_graph", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, f"ldn-graph {shlex.join(args)}: {proc.stdout}"
    return proc.stdout


def on_the_article(args: list[str]) -> bool:
    return any(arg.startswith("extracted/") for arg in args)


def test_readme_examples_on_the_article_print_what_the_readme_shows() -> None:
    # The query examples read the committed extracted/ graph.
    text = README.read_text(encoding="utf-8")
    cases = [(args, out) for args, out in examples(text) if on_the_article(args)]
    assert len(cases) >= 2
    for args, expected in cases:
        assert run(args, ROOT) == expected, shlex.join(args)


@pytest.mark.slow
def test_readme_walkthrough_on_its_sample_papers(tmp_path: Path) -> None:
    # "Your own papers in five minutes", command by command: the sample folder made by its own `mkdir ...`
    # line, the build, the query, with the output the README shows.
    text = README.read_text(encoding="utf-8")
    setup = re.search(r"`(mkdir papers && cp [^`]+)`", text)
    assert setup, "README: the walkthrough's sample folder command is missing"
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    subprocess.run(" ".join(setup.group(1).split()), shell=True, cwd=tmp_path, check=True)
    cases = [(args, out) for args, out in examples(text) if not on_the_article(args)]
    assert [args[0] for args, _ in cases][:2] == ["build", "query"]
    for args, expected in cases:
        assert run(args, tmp_path) == expected, shlex.join(args)
