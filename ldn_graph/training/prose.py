"""Train the prose relation scorer (`pipeline/prose_relations.py`) on prose annotated in the gold format.

A gold file (`tests/data/*/*.gold.json`, format in `tests/data/gold/README.md`) names its text
(`document.file`, beside it, with its sha256), the concepts with their identifiers and the words that
mention them, and the relations, each with the words that state it (`evidence`). The pipeline reads the
text as it reads any (the scorer itself off). Each of its entities is matched to the gold's concepts as the
scorer matches a graph's nodes (identifiers first, then names); then each candidate pair of a sentence is
taught the relation the gold states between their concepts when the gold's evidence lies in that sentence
(at least `EVIDENCE_OVERLAP` of its words), NONE when the gold relates the two nowhere, and nothing (left
out of the loss) when the gold relates them in another sentence.

A fixed seed orders the documents of each epoch, so the same gold files give the same weights.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_graph.errors import DataError, InputError
from ldn_graph.evaluate.matching import load_gold

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    from ldn_graph.evaluate.matching import Gold

EPOCHS = 15
LEARN_RATE = 0.02
SEED = 0
EVIDENCE_OVERLAP = 0.6  # share of the evidence's words a sentence must hold to be where it is stated
GROUP = "ldn_prose_group"  # reference user_data: the set (folder) a training text came from


@dataclass(frozen=True)
class GoldText:
    """A text and its gold file, and the set (folder) it belongs to."""

    text: Path
    gold: Path
    group: str
    data: dict[str, Any]  # the gold file, as `evaluate.matching.load_gold` checked it


def gold_texts(paths: Sequence[Path], text_folders: Sequence[Path] = ()) -> list[GoldText]:
    """The gold files of `paths` (files, or folders of `*.gold.json`), each with its text (beside it, or in
    one of `text_folders`); a missing text or one whose sha256 is not the gold's is a one-line error."""
    out = []
    for path in paths:
        if path.is_dir():
            golds = sorted(path.glob("*.gold.json"))
            if not golds:
                raise InputError("no *.gold.json in this folder", where=str(path))
        elif path.is_file():
            golds = [path]
        else:
            raise InputError("no such file or folder", where=str(path))
        for gold in golds:
            data = load_gold(gold)
            document = data.get("document") or {}
            name = str(document.get("file", ""))
            found = [folder / name for folder in (gold.parent, *text_folders) if (folder / name).is_file()]
            text = found[0] if name and found else gold.parent / name
            if not name or not text.is_file():
                raise InputError(
                    f"the text it names ({document.get('file')!r}) is not beside it", where=str(gold)
                )
            if sha256(text.read_bytes()).hexdigest() != document.get("sha256"):
                raise DataError(
                    f"{text.name} is not the text it was annotated on (sha256 differs)", where=str(gold)
                )
            out.append(GoldText(text, gold, gold.parent.name if path.is_dir() else gold.stem, data))
    return out


def concept_keys(doc: Doc, span: Span, gold: Gold, lexicon: Any) -> set[str]:
    """The gold concepts an entity stands for, matched as the scorer matches a node (its concept's
    identifiers first, then its names), or by the words of the mention itself."""
    from ldn_graph.evaluate.matching import name_variants

    concept = lexicon.get(span.kb_id_) or (doc._.ldn_local_concepts or {}).get(span.kb_id_)
    keys: set[str] = set()
    if concept is not None:
        node = {
            "id": concept.xrefs[0] if concept.xrefs else concept.key,
            "xref": "|".join(concept.xrefs),
            "name": concept.label,
            "synonym": "|".join(concept.synonyms),
        }
        keys = gold.match_node(node)
    for variant in name_variants(span.text):
        keys |= gold.by_name.get(variant, set())
    return keys


def annotate(doc: Doc, data: dict[str, Any], lexicon: Any) -> tuple[dict[str, str], list[str]]:
    """The labels of the doc's candidate pairs that the gold relates where they are (`GOLD_PAIRS`), and the
    pairs it relates in another sentence (`GOLD_UNSURE`)."""
    from ldn_graph.evaluate.matching import Gold, norm_name
    from ldn_graph.pipeline.prose_relations import candidate_pairs, label_of, pair_key, prose_predicates

    gold = Gold(data)
    groups = prose_predicates()
    keys = {e.kb_id_: concept_keys(doc, e, gold, lexicon) for e in doc.ents if e.kb_id_}
    evidence_words = [set(norm_name(g.get("evidence") or "").split()) for g in gold.relations]
    labels: dict[str, str] = {}
    unsure: list[str] = []
    for first, second in candidate_pairs(doc):
        one, other = keys.get(first.kb_id_, set()), keys.get(second.kb_id_, set())
        if not one or not other:
            continue
        sentence = set(norm_name(first.sent.text).split())
        here, elsewhere = [], False
        for g, words in zip(gold.relations, evidence_words, strict=True):
            forward = bool(one & set(g["subject"]) and other & set(g["object"]))
            backward = bool(other & set(g["subject"]) and one & set(g["object"]))
            if not (forward or backward) or g["predicate_group"] not in groups:
                continue
            if words and len(words & sentence) / len(words) >= EVIDENCE_OVERLAP:
                predicate, symmetric = groups[g["predicate_group"]]
                here.append((not g["required"], label_of(predicate, symmetric, forward)))
            else:
                elsewhere = True
        if here:
            labels[pair_key(first, second)] = min(here)[1]  # a required relation first
        elif elsewhere:
            unsure.append(pair_key(first, second))
    return labels, unsure


def examples(nlp: Language, texts: Iterable[GoldText]) -> list[Example]:
    """The training examples of gold texts: the pipeline's docs (the scorer off), their annotations on a
    reference doc of the same text."""
    from spacy.training import Example

    from ldn_graph.pipeline.prose_relations import GOLD_PAIRS, GOLD_UNSURE, NAME

    linker = nlp.get_pipe("ldn_entity_linker")
    out = []
    for item in texts:
        disabled = [NAME] if NAME in nlp.pipe_names else []
        with nlp.select_pipes(disable=disabled):
            doc = nlp(item.text.read_text(encoding="utf-8"))
        labels, unsure = annotate(doc, item.data, linker.lexicon)  # type: ignore[attr-defined]
        reference = nlp.make_doc(doc.text)
        reference.user_data[GOLD_PAIRS] = labels
        reference.user_data[GOLD_UNSURE] = unsure
        reference.user_data[GROUP] = item.group
        out.append(Example(doc, reference))
    return out


def train_prose(
    nlp: Language, training: list[Example], *, seed: int = SEED, epochs: int = EPOCHS, quiet: bool = False
) -> None:
    """Add the prose relation scorer to `nlp` (last) and train it on `training`."""
    from thinc.api import Adam, fix_random_seed

    from ldn_graph.pipeline.prose_relations import NAME, ProseRelationScorer

    fix_random_seed(seed)
    if NAME in nlp.pipe_names:
        nlp.remove_pipe(NAME)
    scorer = nlp.add_pipe(NAME, last=True)
    assert isinstance(scorer, ProseRelationScorer)
    scorer.initialize(lambda: training, nlp=nlp)
    optimizer = Adam(LEARN_RATE)
    order = random.Random(seed)
    batch = list(training)
    for epoch in range(epochs):
        order.shuffle(batch)
        losses: dict[str, float] = {}
        for eg in batch:
            scorer.update([eg], sgd=optimizer, losses=losses)
        if not quiet:
            print(f"prose relations, epoch {epoch + 1}: loss {losses.get(NAME, 0.0):.1f}", file=sys.stderr)


def held_out_figures(
    nlp: Language, training: list[Example], groups: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Leave-one-group-out figures of the scorer on the candidate pairs the annotations decide: for each
    group, trained on the others, the precision and recall of its labels other than NONE at the
    component's threshold, and the relations it would add where the rules had none (`added`, `right`)."""
    from ldn_graph.pipeline.classifier import sentence_readings
    from ldn_graph.pipeline.prose_relations import GOLD_PAIRS, GOLD_UNSURE, NAME, NONE, pair_key

    figures = {}
    of = [str(eg.reference.user_data.get(GROUP, "")) for eg in training]
    for group in groups:
        train_part = [eg for eg, g in zip(training, of, strict=True) if g != group]
        test_part = [eg for eg, g in zip(training, of, strict=True) if g == group]
        train_prose(nlp, train_part, quiet=True)
        scorer = nlp.get_pipe(NAME)
        tp = fp = fn = added = right = 0
        for eg in test_part:
            doc = eg.predicted
            ruled = sentence_readings(doc)
            gold = eg.reference.user_data[GOLD_PAIRS]
            unsure = set(eg.reference.user_data[GOLD_UNSURE])
            ((pairs, probs),) = scorer.predict([doc])  # type: ignore[attr-defined]
            for n, (first, second) in enumerate(pairs):
                key = pair_key(first, second)
                if key in unsure:
                    continue
                truth = gold.get(key, NONE)
                best = scorer.best_label(first, second, probs[n])  # type: ignore[attr-defined]
                said = best[0] if best and best[1] >= scorer.cfg["threshold"] else NONE  # type: ignore[attr-defined]
                tp += said != NONE and said == truth
                fp += said != NONE and said != truth
                fn += truth != NONE and said != truth
                if (
                    said != NONE
                    and (first.sent.start_char, frozenset((first.kb_id_, second.kb_id_))) not in ruled
                ):
                    added += 1
                    right += said == truth
        figures[group] = {
            "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
            "added": added,
            "right": right,
        }
    return figures
