"""Word-level helpers shared by the components: normalised keys, singular forms, an English word list."""

from __future__ import annotations

from spacy.language import Language

from ldn_graph.lexicon.forms import APOSTROPHES, fold, singulars

__all__ = ["APOSTROPHES", "DASHES", "english_words", "norm", "singulars"]

DASHES = frozenset("-‐‑‒–—/")


# Case-folded, NFKC, straight quotes: the form words are compared in (the lexicon's `fold`).
norm = fold


_WORDS: dict[int, frozenset[str]] = {}
_BASE: dict[str, Language] = {}  # the base English model, loaded once where a pipeline has no lemmatizer


def english_words(nlp: Language) -> frozenset[str]:
    """Words the model's lemmatizer knows (WordNet-derived lists), used to avoid 'correcting' real words.

    A pipeline without a lemmatizer (the training pipeline, a blank one) takes the base English model's,
    so the lexicon matches the same words in training as in use."""
    if "lemmatizer" not in nlp.pipe_names:
        from ldn_graph.pipeline import load_model

        base = _BASE.get("nlp") or _BASE.setdefault("nlp", load_model(shipped=False))
        return english_words(base) if "lemmatizer" in base.pipe_names else frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    cached = _WORDS.get(id(lookups))
    if cached is None:
        words: set[str] = set()
        for name in ("lemma_index", "lemma_exc"):
            if not lookups.has_table(name):
                continue
            for value in lookups.get_table(name).values():
                if isinstance(value, dict):
                    words.update(k for k in value if isinstance(k, str))
                elif isinstance(value, list | tuple):
                    words.update(w for w in value if isinstance(w, str))
        cached = _WORDS[id(lookups)] = frozenset(w.replace("_", " ") for w in words)
    return cached
