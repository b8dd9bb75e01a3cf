"""Run the real `kgx` command line against the Biolink model its install ships, with no network.

    .venv-kgx/bin/python tests/tools/kgx_offline.py transform|validate ...

kgx 2.6 (through bmt) reads the Biolink schema, and kgx its JSON-LD prefix context, from GitHub when it
starts. The tests must not reach the network, so before kgx is imported this points both at the files of
the `biolink-model` package installed beside kgx (`make kgx`): the schema `biolink_model.yaml` and the
prefix map `biolink-model-prefix-map.json` of the same release. Nothing of kgx itself is changed: its
readers, writers and validator run as they do for any user. Runs only in the tool venv, never imported by
the project.
"""

from __future__ import annotations

import json
import sys
from importlib.resources import files


def _use_shipped_biolink() -> None:
    import bmt.toolkit

    model = files("biolink_model")
    schema = str(model.joinpath("schema").joinpath("biolink_model.yaml"))
    # No predicate mapping file is shipped; transform and validate do not read it.
    no_mappings = {"predicate mappings": []}
    defaults = bmt.toolkit.Toolkit.__init__.__defaults__ or ()
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, no_mappings, *defaults[2:])

    import kgx.config

    prefixes = json.loads(
        model.joinpath("prefixmaps").joinpath("biolink-model-prefix-map.json").read_text("utf-8")
    )
    kgx.config.jsonld_context_map["biolink"] = prefixes


def main() -> None:
    """Run kgx's command line with the arguments given."""
    _use_shipped_biolink()
    from kgx.cli import cli

    sys.argv[0] = "kgx"
    cli()


if __name__ == "__main__":
    main()
