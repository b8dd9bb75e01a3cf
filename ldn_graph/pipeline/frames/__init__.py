"""The relation extractor's construction frames and the sentence reader they share.

One module per construction family, each registering its frames in spaCy's `ldn_frames` registry
(`registry.py`); the sentence reader (`reader.py` on `mentions.py` on `sentence.py`) is what they read
with, and `tokens.py` holds the token utilities and word classes they share. Importing this package
registers the bundled frames.
"""

from ldn_graph.pipeline.frames import (
    adjective,
    apposition,
    arms,
    conditions,
    contraindication,
    copula,
    dose,
    drug_for,
    limits,
    lists,
    mechanism,
    nominal,
    outcomes,
    parts,
    placebo,
    ranked,
    reports,
    treated,
    verb,
    verbless,
)
from ldn_graph.pipeline.frames.registry import DEFAULT_FRAMES, FRAMES, Frame, FrameSet, load_frames

__all__ = [
    "DEFAULT_FRAMES",
    "FRAMES",
    "Frame",
    "FrameSet",
    "adjective",
    "apposition",
    "arms",
    "conditions",
    "contraindication",
    "copula",
    "dose",
    "drug_for",
    "limits",
    "lists",
    "load_frames",
    "mechanism",
    "nominal",
    "outcomes",
    "parts",
    "placebo",
    "ranked",
    "reports",
    "treated",
    "verb",
    "verbless",
]
