"""The path scorer (`pipeline/pair_paths.py`): its features on hand-built parses, its training on a tiny
corpus (deterministic, and it learns), its place in the shipped pipeline."""

from __future__ import annotations

import numpy
import pytest
from spacy.tokens import Span

from ldn_graph.corpora.pubtator import AnnotatedDocument, Annotation, PairRelation
from ldn_graph.pipeline.pair_paths import NAME, PairPathScorer, path_features
from ldn_graph.pipeline.rules import load_rules
from ldn_graph.training.corpus import TrainingDocument
from tests.test_frames import parse


def test_features_read_the_path_and_the_words_between(nlp):
    # "Cisplatin induced nephrotoxicity": nsubj <- induce -> dobj
    doc = parse(
        nlp,
        """
        Cisplatin      cisplatin      PROPN NNP 1 nsubj
        induced        induce         VERB  VBD 1 ROOT
        severe         severe         ADJ   JJ  3 amod
        nephrotoxicity nephrotoxicity NOUN  NN  1 dobj
        .              .              PUNCT .   1 punct
        """,
        [],
    )
    chemical, disease = Span(doc, 0, 1, "CHEMICAL"), Span(doc, 3, 4, "DISEASE")
    feats = path_features(chemical, disease, load_rules())
    assert "order:12" in feats
    assert "path-deps:nsubj/^/dobj" in feats
    assert "top:induce" in feats
    assert "path:ROOT:induce^" in feats  # up to the head the mentions share, nothing below it
    assert {"between:induce", "between:severe"} <= set(feats)
    assert "words1:cisplatin" in feats and "words2:nephrotoxicity" in feats
    # the other way round, the chemical after the disease
    back = path_features(disease, chemical, load_rules())
    assert "order:21" in back and "path-deps:dobj/^/nsubj" in back


def training_documents() -> list[TrainingDocument]:
    """Abstracts where a drug "induced" a disease (related) and "treated" one (not), annotated as BC5CDR
    annotates them."""
    texts = []
    for n, (drug, caused, treated) in enumerate(
        [
            ("Cisplatin", "nephrotoxicity", "lymphoma"),
            ("Haloperidol", "dyskinesia", "psychosis"),
            ("Gentamicin", "deafness", "sepsis"),
            ("Amiodarone", "fibrosis", "arrhythmia"),
        ]
    ):
        text = f"{drug} induced {caused} in patients. {drug} treated {treated} in patients."
        spans = []
        for word, kind, ident in (
            (drug, "Chemical", "C1"),
            (caused, "Disease", "D1"),
            (treated, "Disease", "D2"),
        ):
            start = 0
            while (found := text.find(word, start)) != -1:
                spans.append(Annotation(found, found + len(word), word, kind, (f"{ident}{n}",)))
                start = found + 1
        document = AnnotatedDocument(
            str(100 + n), text, "", sorted(spans), [PairRelation("CID", f"C1{n}", f"D1{n}")]
        )
        texts.append(TrainingDocument(document, frozenset({"CID"})))
    return texts


@pytest.mark.slow
def test_training_is_deterministic_and_learns():
    from ldn_graph.pipeline import load_pipeline
    from ldn_graph.training.pair_paths import train_pair_paths

    nlp = load_pipeline()  # its own: training replaces the scorer
    weights = []
    for _ in range(2):
        train_pair_paths(nlp, training_documents())
        scorer = nlp.get_pipe(NAME)
        weights.append(scorer.model.to_bytes())
    assert weights[0] == weights[1]
    scorer = nlp.get_pipe(NAME)
    assert isinstance(scorer, PairPathScorer)
    induced = nlp("Cisplatin induced nephrotoxicity in patients.")
    treated = nlp("Cisplatin treated lymphoma in patients.")
    p_induced = scorer._probabilities([(induced[0:1], induced[2:3])])[0]
    p_treated = scorer._probabilities([(treated[0:1], treated[2:3])])[0]
    assert p_induced > 0.5 > p_treated


def test_the_shipped_pipeline_mixes_the_path_scores_into_the_classifiers(nlp):
    assert NAME in nlp.pipe_names
    assert nlp.pipe_names.index(NAME) == nlp.pipe_names.index("ldn_relation_classifier") + 1
    scorer = nlp.get_pipe(NAME)
    text = "Cisplatin induced nephrotoxicity in three patients."
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == NAME:
            before = {(s.first, s.second, s.label): s.score for s in doc._.ldn_pair_scores}
            pairs = scorer.candidates(doc)
            probs = scorer._probabilities([(a, b) for _n, a, b in pairs])
        doc = proc(doc)
    after = {(s.first, s.second, s.label): s.score for s in doc._.ldn_pair_scores}
    assert pairs, "a chemical and a disease in one sentence"
    weight = scorer.cfg["weight"]
    for (n, _a, _b), p in zip(pairs, probs, strict=True):
        key = next(k for i, k in enumerate(before) if i == n)
        assert after[key] == pytest.approx(weight * before[key] + (1 - weight) * float(p), abs=1e-4)
    assert numpy.all((probs >= 0) & (probs <= 1))


def test_a_build_leaves_the_path_scorer_off_and_reads_the_same_graph(nlp):
    from ldn_graph.pipeline import load_pipeline

    built = load_pipeline(graph_only=True)
    assert NAME not in built.pipe_names and NAME in built.disabled
    text = "Cisplatin induced nephrotoxicity in three patients, and haloperidol caused dyskinesia."
    whole, graph = nlp(text), built(text)
    assert [r.evidence.rule for r in whole._.ldn_relations] == [
        r.evidence.rule for r in graph._.ldn_relations
    ]
    assert whole._.ldn_relations == graph._.ldn_relations
