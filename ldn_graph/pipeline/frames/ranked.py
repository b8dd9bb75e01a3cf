"""A drug's rank among a condition's treatments: "Gabapentin and pregabalin are first-line drugs",
"X is used as a second-line agent for Y" say that the drug treats the condition named, else the one under
discussion."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import COPULAS, WORDS, pobjs, unique


def is_ranked(noun: Token) -> bool:
    """Whether a noun's modifiers give it a rank among treatments ("first-line drugs", "standard agents")."""
    return any(
        c.dep_ in ("amod", "compound")
        and (c.lemma_.lower() in WORDS["treatment-rank"] or c.lower_ in WORDS["treatment-rank"])
        for c in noun.lefts
    )


def clause_verb(noun: Token) -> Token | None:
    """The verb whose subject the noun classes: the copula it complements ("X are first-line drugs"), or
    the verb of its "as" phrase ("X is used as a first-line agent")."""
    if noun.dep_ == "attr" and noun.head.lemma_.lower() in COPULAS:
        return noun.head
    if noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ == "VERB":
        return noun.head.head
    return None


def sentence_condition(reader: SentenceReader, noun: Token) -> Span | None:
    """A condition that an earlier clause of the sentence has as its subject ("Painful diabetic neuropathy
    affects ..., and first-line drugs such as A are ..."), for a text's first sentence."""
    for ent in reader.sentence_entities():
        if ent.start < noun.i and ent.label_ == "Disease" and ent.root.dep_ in ("nsubj", "nsubjpass"):
            return ent
    return None


def read_ranked_treatments(reader: SentenceReader) -> None:
    """ "Gabapentin, pregabalin and tricyclic antidepressants are first-line drugs", "first-line drugs
    such as A and B", "marketed as an injectable drug for opioid overdose": each treats the condition of
    the noun's "for" phrase; a ranked one with none, the condition under discussion."""
    for noun in reader.tokens:
        if noun.lemma_.lower() not in WORDS["treatment-agent-noun"] or noun.i in reader.entity_at:
            continue
        verb = clause_verb(noun)
        if verb is not None and any(c.dep_ == "neg" for c in verb.children):
            continue
        named = [
            p
            for holder in (noun, verb)
            if holder is not None
            for c in holder.children
            if c.dep_ == "prep" and c.lower_ in WORDS["purpose-prep"] and (holder is noun or c.i > noun.i)
            for p in pobjs(c)
        ]
        if not named and not is_ranked(noun):
            continue
        # the clause's subject ("X are first-line drugs"), else the members the noun lists ("first-line
        # drugs such as A and B")
        slots = reader.subjects(verb) if verb is not None else []
        subjects = reader.typed("treats", unique(e for t in slots for e in reader.phrase(t)), "subject")
        if not subjects and verb is None:
            subjects = reader.typed("treats", reader.phrase(noun), "subject")
        if not subjects:
            continue
        objects = unique(e for p in named for e in reader.phrase(p) + reader.population_conditions(p))
        rule = "ranked-treatment"
        if not named:
            condition = reader.topic_condition() or sentence_condition(reader, noun)
            objects, rule = ([condition] if condition is not None else []), "ranked-treatment-topic"
        reader.emit(subjects, "treats", objects, noun, rule)


def read_first_used(reader: SentenceReader) -> None:
    """ "Potent topical corticosteroids and intralesional triamcinolone are used first", "X is tried
    first": a verb of use ranked by its adverb, with no purpose of its own, treats the condition under
    discussion."""
    for verb in reader.tokens:
        if verb.lemma_.lower() not in WORDS["use-verb"] or verb.pos_ != "VERB" or not reader.is_passive(verb):
            continue
        if not any(
            c.dep_ == "advmod" and c.lower_ in WORDS["first-use-adverb"] for c in reader.children(verb)
        ):
            continue
        if any(c.dep_ == "neg" for c in reader.children(verb)) or any(
            c.dep_ == "prep" and c.lower_ in WORDS["purpose-prep"] for c in reader.children(verb)
        ):
            continue  # "used first for Y" is the adjective frame's
        subjects = reader.typed(
            "treats", unique(e for t in reader.subjects(verb) for e in reader.phrase(t)), "subject"
        )
        condition = reader.topic_condition()
        if condition is not None:
            reader.emit(subjects, "treats", [condition], verb, "first-used-topic")


def read_ranked(reader: SentenceReader) -> None:
    """Treatments ranked by a modifier or an adverb."""
    read_ranked_treatments(reader)
    read_first_used(reader)


@FRAMES.register("ldn.frame.ranked-treatment.v1")
def ranked_treatment_frame() -> Frame:
    """Treatments ranked by a modifier ("first-line", "standard") or used first, for sentences with one of
    the nouns or an adverb of first use."""
    return Frame(
        "ranked-treatment",
        read=read_ranked,
        lemmas=WORDS["treatment-agent-noun"],
        lowers=WORDS["first-use-adverb"],
    )
