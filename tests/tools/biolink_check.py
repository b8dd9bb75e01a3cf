"""Check the edges of a KGX TSV folder against the domain and range of their Biolink predicates.

    .venv-kgx/bin/python tests/tools/biolink_check.py KGX_DIR

Prints a JSON list of mismatches, one `{"edge", "end", "predicate", "categories", "expected"}` each: an edge
end none of whose categories is the predicate's domain (range) or one of its descendants, mixins included,
as the Biolink Model Toolkit (bmt) says for the Biolink release installed beside kgx. Runs in the tool venv
(`make kgx`), with the same offline model as kgx_offline.py.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from kgx_offline import _use_shipped_biolink


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def mismatches(folder: Path) -> list[dict[str, object]]:
    """The edge ends outside their predicate's domain or range."""
    _use_shipped_biolink()
    from bmt import Toolkit

    toolkit = Toolkit()
    categories = {row["id"]: row["category"].split("|") for row in _rows(folder / "nodes.tsv")}
    found: list[dict[str, object]] = []
    for edge in _rows(folder / "edges.tsv"):
        element = toolkit.get_element(edge["predicate"])
        if element is None:
            found.append({"edge": edge["id"], "end": "predicate", "predicate": edge["predicate"]})
            continue
        for end, expected in (("subject", element.domain), ("object", element.range)):
            if not expected:
                continue
            allowed = set(toolkit.get_descendants(expected, formatted=True, mixin=True))
            have = categories.get(edge[end], [])
            if not allowed & set(have):
                found.append(
                    {
                        "edge": edge["id"],
                        "end": end,
                        "predicate": edge["predicate"],
                        "categories": have,
                        "expected": expected,
                    }
                )
    return found


if __name__ == "__main__":
    print(json.dumps(mismatches(Path(sys.argv[1])), indent=1))
