"""ldn-graph: read biomedical prose with spaCy and build an RDF knowledge graph with evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

__version__ = "0.1.0"


def load(**overrides: Any) -> Language:
    """The shipped pipeline, as spaCy loads a model package: `spacy.load("ldn_graph")` calls this.

    `overrides` are spacy.load's own (disable, exclude, config...).
    """
    import spacy

    from ldn_graph.errors import ModelError
    from ldn_graph.spacy_model import shipped_model

    path = shipped_model()
    if path is None:
        raise ModelError("the trained pipeline is not in this installation: run `make train`")
    return spacy.load(path, **overrides)
