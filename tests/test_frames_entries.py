"""How encyclopedia entries and reviews state what a drug does and what a condition shows when the drug or
the condition is the text's subject rather than the sentence's: the drug under discussion is the one the
text is about, not the latest one named; each construction on a hand-built parse and on the shipped
model's."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ldn_graph.pipeline.frames.sentence import Discourse

CLONIDINE = "clonidine"
MIDAZOLAM = "midazolam"


def test_frames_entries_the_drug_under_discussion_is_the_most_salient(nlp):
    doc = Doc(nlp.vocab, words=["clonidine", "it", "midazolam"])
    clonidine, it, midazolam = (
        Span(doc, i, i + 1, label="Drug", kb_id=k) for i, k in enumerate((CLONIDINE, CLONIDINE, MIDAZOLAM))
    )
    # the entry's drug named once and then a pronoun subject, another drug named only to compare
    discourse = Discourse(
        subjects=[(0, clonidine, False, True), (2, it, False, True)],
        main_subjects=[(0, clonidine, False), (2, it, False)],
        drugs=[(0, clonidine), (2, midazolam)],
        pronoun_mentions=[(2, it)],
    )
    assert discourse.topic_drug(3).kb_id_ == CLONIDINE
    # the latest drug when nothing sets one above another
    assert Discourse(drugs=[(0, clonidine), (1, midazolam)]).topic_drug(2).kb_id_ == MIDAZOLAM
    # past the window, no drug
    assert discourse.topic_drug(9) is None


def test_frames_entries_a_drug_named_only_to_compare_is_not_the_topic(nlp):
    doc = nlp(
        "Clonidine is an alpha-2 agonist used for hypertension. It lowers blood pressure. In one trial it "
        "caused less sedation than midazolam. The commonest adverse effects are dry mouth and dizziness."
    )
    effects = {(r.subject, r.object) for r in doc._.ldn_relations if r.predicate == "hasSideEffect"}
    assert (CLONIDINE, "xerostomia") in effects
    assert not any(s == MIDAZOLAM for s, _o in effects)
