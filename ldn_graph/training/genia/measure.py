"""Tagger and parser figures of spaCy pipelines, in one run, on the held-out converted GENIA trees (and, as
a sanity check, content-word UAS on GENIA's UD `dev.conllu`).

    python -m ldn_graph.training.genia.measure --corpora ../shared/training en_core_web_sm build/genia-sm

Gold tokens throughout: each gold sentence becomes a Doc of its words and goes through the pipeline's
tagger and parser (and what they need), so tokenisation and sentence splitting do not enter the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_graph.corpora.conllu import Sentence, is_punct, read_conllu
from ldn_graph.errors import LdnGraphError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.language import Language

# The labels the relation rules lean on most, reported one by one.
REPORTED_LABELS = ("nsubj", "nsubjpass", "dobj", "prep", "pobj", "conj", "appos", "amod", "compound")
# UD labels whose heads differ by design between UD and ClearNLP (prepositions and copulas), left out of
# the content-word UAS on dev.conllu (docs/training.md, "What was not done").
UD_FUNCTION_LABELS = frozenset({"case", "nmod", "cop"})
DEV_CONLLU = Path("genia-deps/dev.conllu")
RUN_COMPONENTS = ("tok2vec", "tagger", "parser")


@dataclass
class Scores:
    """Counts for one pipeline on one set of gold sentences."""

    sentences: int = 0
    tokens: int = 0
    tagged: int = 0  # tokens with a gold tag
    tags_right: int = 0
    scored: int = 0  # tokens that are not punctuation
    heads_right: int = 0
    both_right: int = 0
    gold: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)

    def summary(self, labels: Iterable[str] = REPORTED_LABELS) -> dict[str, Any]:
        """Fractions: tag accuracy (over tokens with a gold tag), UAS and LAS without punctuation, and
        per-label precision/recall/F1."""

        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        per_label = {}
        for label in labels:
            p = ratio(self.correct[label], self.predicted[label])
            r = ratio(self.correct[label], self.gold[label])
            per_label[label] = {
                "p": p,
                "r": r,
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                "gold": self.gold[label],
            }
        return {
            "sentences": self.sentences,
            "tokens": self.tokens,
            "tag_acc": ratio(self.tags_right, self.tagged),
            "uas": ratio(self.heads_right, self.scored),
            "las": ratio(self.both_right, self.scored),
            "labels": per_label,
        }


def parse_gold_tokens(nlp: Language, sentence: Sentence) -> Any:
    """The pipeline's tagger and parser run on a gold sentence's words (one sentence per Doc)."""
    from spacy.tokens import Doc

    doc = Doc(nlp.vocab, words=sentence.words, spaces=sentence.spaces)
    for name, proc in nlp.pipeline:
        if name in RUN_COMPONENTS:
            doc = proc(doc)
    return doc


def score(nlp: Language, sentences: Iterable[Sentence], skip: frozenset[str] = frozenset()) -> Scores:
    """Tag accuracy, UAS/LAS without punctuation and label counts; gold labels in `skip` are not scored."""
    scores = Scores()
    for sentence in sentences:
        doc = parse_gold_tokens(nlp, sentence)
        scores.sentences += 1
        for token, word, tag, head, dep in zip(
            doc, sentence.words, sentence.tags, sentence.heads, sentence.deps, strict=True
        ):
            scores.tokens += 1
            if tag:  # a split-off piece of a GENIA word has no gold tag
                scores.tagged += 1
                scores.tags_right += token.tag_ == tag
            if is_punct(word, tag) or dep.lower() in skip:
                continue
            predicted = "ROOT" if token.dep_.lower() == "root" else token.dep_
            gold = "ROOT" if dep.lower() == "root" else dep
            scores.scored += 1
            head_right = token.head.i == head
            scores.heads_right += head_right
            scores.both_right += head_right and predicted == gold
            scores.gold[gold] += 1
            scores.predicted[predicted] += 1
            scores.correct[gold] += head_right and predicted == gold
    return scores


def heldout_sentences(path: Path) -> list[Sentence]:
    """The gold sentences of a `.spacy` file of converted GENIA abstracts (heads within the sentence)."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    sentences = []
    for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
        for sent in doc.sents:
            s = Sentence()
            for token in sent:
                s.words.append(token.text)
                s.spaces.append(bool(token.whitespace_) and token.i < sent.end - 1)
                s.tags.append(token.tag_)
                s.heads.append(token.head.i - sent.start)
                s.deps.append(token.dep_)
            sentences.append(s)
    return sentences


def sentence_scores(nlp: Language, heldout: Path) -> dict[str, float]:
    """Sentence boundaries found in the held-out abstracts' raw text (the model's own tokens) against the
    gold sentences: precision, recall and F1 of sentence start offsets."""
    from spacy.tokens import DocBin

    gold_docs = list(DocBin().from_disk(heldout).get_docs(nlp.vocab))
    right = found = expected = 0
    for gold, doc in zip(gold_docs, nlp.pipe(d.text for d in gold_docs), strict=True):
        starts = {s.start_char for s in gold.sents}
        predicted = {s.start_char for s in doc.sents}
        right += len(starts & predicted)
        found += len(predicted)
        expected += len(starts)
    p, r = right / found if found else 0.0, right / expected if expected else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def measure(models: list[str], heldout: Path, dev_conllu: Path | None) -> dict[str, Any]:
    """Figures for each model: on the held-out converted trees, and content-word UAS on dev.conllu."""
    import spacy

    gold = heldout_sentences(heldout)
    ud = read_conllu(dev_conllu) if dev_conllu is not None and dev_conllu.exists() else []
    out: dict[str, Any] = {}
    for model in models:
        nlp = spacy.load(model, exclude=["ner", "senter"])
        figures = score(nlp, gold).summary()
        figures["sentences_f1"] = sentence_scores(nlp, heldout)["f1"]
        if ud:
            content = score(nlp, ud, skip=UD_FUNCTION_LABELS)
            figures["dev_conllu_content_uas"] = content.summary(())["uas"]
        out[model] = figures
        print(f"{model}: {json.dumps(figures)}", file=sys.stderr)
    return out


def format_table(results: dict[str, Any]) -> str:
    """A Markdown table of the figures, one column per model."""
    models = list(results)
    rows = [("POS tag accuracy", "tag_acc"), ("UAS (no punct)", "uas"), ("LAS (no punct)", "las")]
    lines = ["| | " + " | ".join(models) + " |", "|---|" + "---:|" * len(models)]
    for title, key in rows:
        lines.append(f"| {title} | " + " | ".join(f"{results[m][key]:.3f}" for m in models) + " |")
    cells = " | ".join(f"{results[m]['sentences_f1']:.3f}" for m in models)
    lines.append(f"| sentence boundaries F1 (raw text) | {cells} |")
    for label in REPORTED_LABELS:
        cells = " | ".join(f"{results[m]['labels'][label]['f1']:.3f}" for m in models)
        lines.append(f"| F1 {label} ({results[models[0]]['labels'][label]['gold']}) | {cells} |")
    if all("dev_conllu_content_uas" in results[m] for m in models):
        cells = " | ".join(f"{results[m]['dev_conllu_content_uas']:.3f}" for m in models)
        lines.append(f"| dev.conllu content-word UAS | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: measure pipelines on the held-out GENIA part."""
    parser = argparse.ArgumentParser(prog="python -m ldn_graph.training.genia.measure", description=__doc__)
    parser.add_argument("models", nargs="+", help="spacy.load-able names or folders")
    parser.add_argument("--corpora", type=Path, default=Path("../shared/training"))
    parser.add_argument("--heldout", type=Path, default=Path("build/genia/genia-heldout.spacy"))
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        if not args.heldout.exists():
            from ldn_graph.training.genia.docs import write_splits

            write_splits(args.corpora, args.heldout.parent)
        results = measure(args.models, args.heldout, args.corpora / DEV_CONLLU)
    except (LdnGraphError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
