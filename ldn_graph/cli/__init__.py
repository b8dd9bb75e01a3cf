"""The `ldn-graph` command line: one module per command, heavy imports inside the commands.

Each command module has `add_parser(subparsers)` and `run(args) -> int`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ldn_graph import __version__
from ldn_graph.errors import LdnGraphError, UsageError, describe_os_error
from ldn_graph.rdf.io import FORMATS

# The GRAPH argument of the commands that read a built graph through store.catalog.load_graph.
GRAPH_HELP = f"graph file ({', '.join(FORMATS)}) or store folder (a build's OUTDIR/store, or OUTDIR itself)"

COMMANDS = (
    "build",
    "remove",
    "query",
    "viz",
    "export",
    "evaluate",
    "paths",
    "stats",
    "lexicon",
    "serve",
    "train",
    "train_prose",
)


def positive_float(text: str) -> float:
    """argparse type: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def make_parser() -> argparse.ArgumentParser:
    """The whole command line, with one sub-parser per command."""
    import importlib

    parser = _Parser(
        prog="ldn-graph",
        description="Build, query, view and export biomedical knowledge graphs read from text.",
    )
    parser.add_argument("--version", action="version", version=f"ldn-graph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"ldn_graph.cli.{name}")
        command = module.add_parser(sub)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ldn-graph` console script; returns the exit code."""
    try:
        args = make_parser().parse_args(argv)
        return int(args.run(args))
    except LdnGraphError as err:
        print(f"ldn-graph: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("ldn-graph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # a full disk, a folder that cannot be written: what and where, on one line
        print(f"ldn-graph: error: {describe_os_error(err)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
