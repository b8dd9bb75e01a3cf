"""The prose relation scorer: relations between two entities of a sentence, learned from annotated prose.

The rules (`relations.py`) read the constructions they were written for precisely and little else; the
relation classifier (`classifier.py`) learned the corpora's relation types from PubMed abstracts, which
annotate chemicals, diseases and genes only. This component learns the graph's own predicates (treats,
increases, decreases, binds, has side effect, located in, subclass of...) between any two entity types
from prose annotated in the project's gold format (`tests/data/*/*.gold.json`: each relation with the
words that state it), the way spaCy's bag-of-words text classifier learns: hashed features of the pair
into a sparse linear model (thinc's `SparseLinear`), one output per label and a softmax over them.

A pair is two linked entities of one sentence, in text order, at most `max_gap` tokens apart, neither of
which the sentence sets apart from what it states ("unlike X", "more than X", "X rather than Y": the
frames relate nothing to such a noun, and neither does this component). Its features are those of the
path scorer (`pair_paths.path_features`: the words between the two, the trigger predicates
`ontology/triggers.tsv` gives them, the dependency path and where it turns, the words beside each
mention), alone and joined with the two entities' categories. A pair a relation frame read and declined
to relate ("Headache was less common with LDN", "X is not regarded as a Y": `doc._.ldn_declined`) is no
candidate either. A label is a predicate of
`ontology/prose-relations.tsv` and, unless the predicate is symmetric, whether the subject comes first
("treats>") or second ("treats<"); "none" is a label too.

A pair becomes a relation when its best label whose predicate the two categories allow
(`ontology/predicate-types.tsv`) scores at least `threshold`, and no rule and no other model related the
two concepts in that sentence (those readings stand). Its evidence names the component and the label and
carries the score, and hedging, negation and qualifiers are read as for every relation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry
from thinc.api import Model, Optimizer, SparseLinear_v2
from thinc.types import Floats2d

from ldn_graph.errors import DataError
from ldn_graph.model import Relation
from ldn_graph.pipeline.classifier import pair_evidence, sentence_qualifiers, sentence_readings, unidentified
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.frames.definite import names_its_member
from ldn_graph.pipeline.frames.tokens import class_compatible, is_excluded_alternative
from ldn_graph.pipeline.pair_paths import feature_keys, path_features, sparse_input
from ldn_graph.pipeline.rules import PREDICATES, Rules, check_value, load_rules, ontology_rows, word_classes

NAME = "ldn_prose_relations"
NONE = "none"  # the label of a pair the text does not relate
FEATURE_ROWS = 2**16  # rows of the sparse weight table (per label): ample for a few thousand pairs
MAX_GAP = 40  # tokens between the two mentions of a candidate pair
THRESHOLD = 0.7
# Keys of the training annotations in a reference doc's user_data (`training/prose.py`).
GOLD_PAIRS = "ldn_prose_pairs"  # "start:end:start:end" (characters, text order) -> label
GOLD_UNSURE = "ldn_prose_unsure"  # pairs left out of the loss: related by the gold, stated elsewhere
# Path-scorer features that are also read joined with the pair's categories ("Drug>Disease|top:reduce").
CONJOINED = ("top:", "path:", "path-deps:", "between:", "between-trigger:")
# ... and joined with one mention's category.
CONJOINED_ONE = ("top:", "path:")


@functools.cache
def prose_predicates() -> dict[str, tuple[str, bool]]:
    """`ontology/prose-relations.tsv`: a gold predicate group -> (graph predicate, symmetric)."""
    name = "prose-relations.tsv"
    out = {}
    for n, row in ontology_rows(name, ("group", "predicate", "symmetric")):
        where = f"{name}:{n}"
        predicate = check_value(row["predicate"], PREDICATES, "predicate", where)
        symmetric = check_value(row["symmetric"], ("yes", "no"), "symmetric value", where) == "yes"
        out[row["group"]] = (predicate, symmetric)
    if not out:
        raise DataError("no predicate groups", where=name)
    return out


def label_of(predicate: str, symmetric: bool, subject_first: bool) -> str:
    """The label of a predicate read with its subject first or second in the text."""
    if symmetric:
        return predicate
    return f"{predicate}>" if subject_first else f"{predicate}<"


def reading(label: str) -> tuple[str, bool]:
    """(predicate, whether the second mention is the subject) of a label other than NONE."""
    if label.endswith("<"):
        return label[:-1], True
    return label.rstrip(">"), False


def pair_key(first: Span, second: Span) -> str:
    """A pair's key in the training annotations: the characters of its two mentions."""
    return f"{first.start_char}:{first.end_char}:{second.start_char}:{second.end_char}"


def set_aside(span: Span) -> bool:
    """Whether the sentence sets a mention apart from what its clause states: the noun of a preposition of
    the `aside-prep` class ("Unlike naloxone, it ...", "more than placebo", "instead of surgery", "higher
    in patients than in controls") or an alternative it excludes ("X rather than Y", "X but not Y"),
    looked for from the mention up to the verb it belongs to."""
    aside = word_classes()["aside-prep"]
    token = span.root
    while True:
        if token.dep_ == "conj" and is_excluded_alternative(token):
            return True
        head = token.head
        if token.dep_ in ("pobj", "pcomp") and (
            head.lower_ in aside
            or (head.dep_ == "prep" and head.head.lower_ in aside)  # "than in controls"
            or any(c.dep_ == "advmod" and c.lower_ in aside for c in head.children)  # "instead of"
        ):
            return True
        if head.i == token.i or head.pos_ in ("VERB", "AUX"):
            return False
        token = head


def names_a_member(span: Span) -> bool:
    """Whether a mention is a definite class noun with the name of what it means right after it ("the
    cytokine interleukin-6"): the name is what the phrase means, and the frames read the name, not the class
    (`frames.definite.close_apposition`)."""
    root = span.root
    return names_its_member(span.end, root.children, lambda i: bool(span.doc[i].ent_type_))


def candidate_pairs(doc: Doc, max_gap: int = MAX_GAP) -> list[tuple[Span, Span]]:
    """The pairs of linked, identified entities of each sentence, in text order, of two concepts, at most
    `max_gap` tokens apart, neither of them set apart by the sentence (`set_aside`) or a class noun before
    its member's name (`names_a_member`), that no relation frame declined to relate there
    (`doc._.ldn_declined`)."""
    if not doc.has_annotation("SENT_START"):
        return []
    declined = doc._.ldn_declined or set()
    ents = [
        e
        for e in doc.ents
        if e.kb_id_ and not unidentified(doc, e) and not set_aside(e) and not names_a_member(e)
    ]
    pairs = []
    for sent in doc.sents:
        inside = [e for e in ents if e.start >= sent.start and e.end <= sent.end]
        for i, first in enumerate(inside):
            for second in inside[i + 1 :]:
                if second.start - first.end > max_gap:
                    break
                if first.kb_id_ != second.kb_id_ and (
                    (sent.start_char, frozenset((first.kb_id_, second.kb_id_))) not in declined
                ):
                    pairs.append((first, second))
    return pairs


def pair_features(first: Span, second: Span, rules: Rules) -> list[str]:
    """A pair's features: the path scorer's, and those joined with the categories of the two entities."""
    base = path_features(first, second, rules)
    categories = f"{first.label_}>{second.label_}"
    feats = [*base, f"categories:{categories}"]
    feats.extend(f"{categories}|{f}" for f in base if f.startswith(CONJOINED))
    for tag, span in (("1", first), ("2", second)):
        feats.extend(f"{tag}:{span.label_}|{f}" for f in base if f.startswith(CONJOINED_ONE))
    return feats


@registry.architectures("ldn.ProseRelationModel.v1")
def prose_relation_model(rows: int = FEATURE_ROWS) -> Model:
    """A sparse linear model: one logit per label for a pair's hashed features (its width is set from the
    labels when the component is initialised)."""
    return SparseLinear_v2(nO=None, length=rows)


def softmax(logits: numpy.ndarray) -> numpy.ndarray:
    """Row-wise softmax."""
    shifted = numpy.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


class ProseRelationScorer(TrainablePipe):
    """spaCy component: adds the pairs it reads as related to `doc._.ldn_relations` (module docstring)."""

    def __init__(
        self,
        vocab: Any,
        model: Model,
        name: str = NAME,
        *,
        threshold: float = THRESHOLD,
        max_gap: int = MAX_GAP,
    ) -> None:
        register_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg: dict[str, Any] = {"labels": [], "threshold": threshold, "max_gap": max_gap}
        self._settings = {"threshold": threshold, "max_gap": max_gap}
        self._rules: Rules | None = None
        self._rows: dict[int, tuple[list[list[int]], list[int]]] = {}  # training rows by id(example)

    @property
    def rules(self) -> Rules:
        """The rule data (trigger words, predicate types, hedging and negation cues), read at first use."""
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> ProseRelationScorer:
        super().from_disk(path, exclude=exclude)
        self.cfg.update(self._settings)  # the factory's settings (config overrides) win over the saved ones
        return self

    # -- prediction -------------------------------------------------------------------------------------

    def predict(self, docs: Iterable[Doc]) -> list[tuple[list[tuple[Span, Span]], numpy.ndarray]]:
        """For each doc, its candidate pairs and their probabilities (one column per label)."""
        out = []
        for doc in docs:
            pairs = candidate_pairs(doc, int(self.cfg["max_gap"]))
            if not pairs or not self.labels:
                out.append((pairs, numpy.zeros((len(pairs), len(self.labels)), dtype="float32")))
                continue
            logits = self.model.ops.to_numpy(self.model.predict(self._inputs(pairs)))
            out.append((pairs, softmax(logits)))
        return out

    def _inputs(self, pairs: Sequence[tuple[Span, Span]]) -> tuple[Any, Any, Any]:
        return sparse_input(
            [feature_keys(pair_features(first, second, self.rules)) for first, second in pairs]
        )

    def set_annotations(
        self, docs: Iterable[Doc], predicted: list[tuple[list[tuple[Span, Span]], numpy.ndarray]]
    ) -> None:
        for doc, (pairs, probs) in zip(docs, predicted, strict=True):
            relations = self.relations(doc, pairs, probs)
            if relations:
                doc._.ldn_relations = [*(doc._.ldn_relations or []), *relations]

    def best_label(self, first: Span, second: Span, probs: numpy.ndarray) -> tuple[str, float] | None:
        """The pair's likeliest label whose predicate the two entities' categories allow, with its score."""
        best: tuple[str, float] | None = None
        for k, label in enumerate(self.labels):
            if label == NONE or (best is not None and probs[k] <= best[1]):
                continue
            predicate, swap = reading(label)
            subject, obj = (second, first) if swap else (first, second)
            if self.allows(predicate, subject.label_, obj.label_):
                best = (label, float(probs[k]))
        return best

    def allows(self, predicate: str, subject_category: str, object_category: str) -> bool:
        """Whether the categories fit the predicate (`ontology/predicate-types.tsv`; a subclass's by
        category compatibility, as the copula frame checks)."""
        if predicate == "subclassOf":
            return class_compatible(subject_category, object_category)
        return self.rules.type_ok(predicate, subject_category, object_category)

    def relations(self, doc: Doc, pairs: Sequence[tuple[Span, Span]], probs: numpy.ndarray) -> list[Relation]:
        """The relations of the pairs whose best allowed label reaches the threshold, where nothing else
        related the two concepts in that sentence."""
        ruled = sentence_readings(doc)
        starts = [s.start for s in doc.sents] if pairs else []
        kept: dict[tuple[int, str, str, str, bool], Relation] = {}
        for n, (first, second) in enumerate(pairs):
            best = self.best_label(first, second, probs[n])
            if best is None or best[1] < self.cfg["threshold"]:
                continue
            if (first.sent.start_char, frozenset((first.kb_id_, second.kb_id_))) in ruled:
                continue
            label, score = best
            predicate, swap = reading(label)
            subject, obj = (second, first) if swap else (first, second)
            evidence = pair_evidence(
                first, second, self.rules, f"{self.name}:{label}", round(score, 4), starts
            )
            key = (evidence.start, subject.kb_id_, predicate, obj.kb_id_, evidence.negated)
            if key not in kept or (evidence.score or 0) > (kept[key].evidence.score or 0):
                quals = sentence_qualifiers(first.sent, self.rules, subject, predicate)
                kept[key] = Relation(subject.kb_id_, predicate, obj.kb_id_, evidence, quals)
        return [kept[k] for k in sorted(kept)]

    # -- training ---------------------------------------------------------------------------------------

    def training_rows(self, examples: Iterable[Example]) -> tuple[list[list[int]], list[int]]:
        """The feature keys of the candidate pairs of the predicted docs that carry annotations, and their
        labels' indices (a pair the annotations do not name is NONE; an unsure one is left out). An
        example's rows are computed once per training (`initialize` forgets them)."""
        keys: list[list[int]] = []
        truth: list[int] = []
        for eg in examples:
            if id(eg) not in self._rows:
                self._rows[id(eg)] = self._example_rows(eg)
            more_keys, more_truth = self._rows[id(eg)]
            keys += more_keys
            truth += more_truth
        return keys, truth

    def _example_rows(self, eg: Example) -> tuple[list[list[int]], list[int]]:
        gold = eg.reference.user_data.get(GOLD_PAIRS)
        if gold is None:
            return [], []
        index = {label: k for k, label in enumerate(self.labels)}
        unsure = set(eg.reference.user_data.get(GOLD_UNSURE, ()))
        keys, truth = [], []
        for first, second in candidate_pairs(eg.predicted, int(self.cfg["max_gap"])):
            key = pair_key(first, second)
            if key not in unsure:
                keys.append(feature_keys(pair_features(first, second, self.rules)))
                truth.append(index.get(gold.get(key, NONE), index[NONE]))
        return keys, truth

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        keys, truth = self.training_rows(examples)
        if not keys:
            return losses
        logits, backprop = self.model.begin_update(sparse_input(keys))
        probs = softmax(self.model.ops.to_numpy(logits))
        rows = numpy.arange(len(truth))
        target = numpy.asarray(truth)
        losses[self.name] += float(-numpy.log(probs[rows, target] + 1e-9).sum())
        gradient = probs.astype("float32")
        gradient[rows, target] -= 1.0
        backprop(cast(Floats2d, gradient / len(truth)))
        if sgd is not None:
            self.finish_update(sgd)
        return losses

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Sequence[str] | None = None,
    ) -> None:
        """Take the labels (NONE first, then sorted) from `labels` or the examples' annotations, and size
        the model for them."""
        if labels is None:
            found = {
                label
                for eg in get_examples()
                for label in eg.reference.user_data.get(GOLD_PAIRS, {}).values()
            }
            labels = sorted(found - {NONE})
        self.cfg["labels"] = [NONE, *sorted(set(labels) - {NONE})]
        self._rows = {}
        self.model.set_dim("nO", len(self.cfg["labels"]))
        self.model.initialize()


@Language.factory(
    NAME,
    default_config={
        "model": {"@architectures": "ldn.ProseRelationModel.v1", "rows": FEATURE_ROWS},
        "threshold": THRESHOLD,
        "max_gap": MAX_GAP,
    },
    assigns=["doc._.ldn_relations"],
    requires=["doc.ents", "token.dep", "doc._.ldn_relations"],
)
def make_prose_relation_scorer(
    nlp: Language, name: str, model: Model, threshold: float, max_gap: int
) -> ProseRelationScorer:
    """Factory of the prose relation scorer: the least score of a relation it adds (`threshold`) and how
    far apart two mentions of a pair may be (`max_gap`, tokens)."""
    return ProseRelationScorer(nlp.vocab, model, name, threshold=threshold, max_gap=max_gap)
