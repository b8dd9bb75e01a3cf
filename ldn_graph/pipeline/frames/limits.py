"""Effects that limit a drug's use: "dry mouth and daytime sleepiness limit its use", "hepatotoxicity and
psychotomimetic effects limit repeated use", "sedation, which has limited the clinical use of X": what
limits the use is a side effect of the drug used."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import DRUG_CATEGORIES, WORDS, pobjs, unique

EFFECT_CATEGORIES = frozenset(("Disease", "PhenotypicFeature"))


def used_drugs(reader: SentenceReader, use: Token, verb: Token) -> list[Span]:
    """The drug whose use is limited: the use noun's possessor ("its use") or "of" phrase ("the use of
    X"), else the drug under discussion ("limit repeated use")."""
    named = [
        e
        for c in reader.children(use)
        if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of")
        for t in ([c] if c.dep_ == "poss" else pobjs(c))
        for e in (possessor(reader, t, verb) if t.pos_ == "PRON" else reader.phrase(t))
    ]
    if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in reader.children(use)):
        return [e for e in named if e.label_ in DRUG_CATEGORIES]
    topic = reader.topic(before=verb.i)
    return [topic] if topic is not None else []


def possessor(reader: SentenceReader, pronoun: Token, verb: Token) -> list[Span]:
    """The drug "its" stands for: in "X reduces pain, although Y limits its use", the subject of the
    clause the limiting one depends on; else the pronoun's antecedent."""
    subjects = reader.subjects(verb.head) if verb.dep_ in ("advcl", "conj") and verb.head.i != verb.i else []
    if subjects:
        # that clause's subject, whatever it is: a subject no lexicon knows is no licence to guess
        return [e for t in subjects for e in reader.phrase(t) if e.label_ in DRUG_CATEGORIES][:1]
    return reader.resolve_pronoun(pronoun, DRUG_CATEGORIES)


def read_limited_use(reader: SentenceReader) -> None:
    """ "Y and Z limit its use": Y and Z are side effects of the drug whose use they limit."""
    for verb in reader.tokens:
        if (
            verb.lemma_.lower() not in WORDS["limiting-verb"]
            or verb.pos_ != "VERB"
            or reader.is_passive(verb)
        ):
            continue
        uses = [
            c for c in reader.children(verb) if c.dep_ == "dobj" and c.lemma_.lower() in WORDS["use-noun"]
        ]
        if not uses:
            continue
        effects = unique(
            e
            for t in reader.subjects(verb)
            for e in reader.phrase(t) + reader.local_slot(t)
            if e.label_ in EFFECT_CATEGORIES
        )
        if not effects:
            continue
        drugs = unique(d for use in uses for d in used_drugs(reader, use, verb))
        reader.emit([d for d in drugs if d not in effects], "hasSideEffect", effects, verb, "limits-use")


@FRAMES.register("ldn.frame.limits-use.v1")
def limits_use_frame() -> Frame:
    """Effects limiting a drug's use, for sentences with a limiting verb."""
    return Frame("limits-use", read=read_limited_use, lemmas=WORDS["limiting-verb"])
