"""A condition's features and causes, listed after a noun that names them: "Symptoms include A and B",
"The classic causes are A and B, followed by C"; of the condition the noun's "of" phrase names, else of the
condition under discussion."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import WORDS, pobjs, unique

FEATURE_CATEGORIES = frozenset(("PhenotypicFeature", "Disease"))


def listed_under(reader: SentenceReader, noun: Token) -> tuple[list[Span], Token | None]:
    """What a list verb or copula gives as the members of `noun` ("Symptoms ... include A, B", "The causes
    are A and B, followed by C"), and the verb; nothing when `noun` is not the verb's subject."""
    for verb in reader.tokens:
        if verb.lemma_.lower() not in WORDS["list-verb"] or verb.pos_ not in ("VERB", "AUX"):
            continue
        if noun not in reader.subjects(verb):
            continue
        members: list[Span] = []
        for c in reader.children(verb):
            if c.dep_ in ("dobj", "attr", "oprd", "acomp"):
                members += reader.phrase(c) + reader.entities_in(c)
            if c.dep_ == "advcl" and c.lemma_.lower() in WORDS["list-continuation-verb"]:
                members += [e for p in reader.agents(c) for e in reader.phrase(p) + reader.entities_in(p)]
        return unique(members), verb
    return [], None


def owner(reader: SentenceReader, noun: Token) -> list[Span] | None:
    """The condition a feature or cause noun belongs to: its "of" phrase ("symptoms of X"), else the
    condition under discussion; None when a modifier or an "of" phrase names something else
    ("withdrawal symptoms", "causes of death")."""
    children = reader.children(noun)
    if any(c.dep_ in ("compound", "nmod") for c in children) or reader.entity_of(noun) is not None:
        return None
    named = [
        e
        for c in children
        if (c.dep_ == "prep" and c.lower_ == "of") or c.dep_ == "poss"
        for p in (pobjs(c) if c.dep_ == "prep" else [c])
        # "its symptoms": a condition's, whatever else came between
        for e in (reader.resolve_pronoun(p, FEATURE_CATEGORIES) if p.pos_ == "PRON" else reader.phrase(p))
    ]
    if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in children):
        return [e for e in named if e.label_ == "Disease"] or None
    if named:
        return named
    condition = reader.topic_condition()
    return [condition] if condition is not None else []


def read_condition_lists(reader: SentenceReader) -> None:
    """ "Symptoms include arthralgia and fever" (the condition is associated with each), "The classic causes
    are A and B, followed by C" (each causes the condition)."""
    for token in reader.tokens:
        if token.pos_ != "NOUN" or token.dep_ not in ("nsubj", "nsubjpass"):
            continue
        lemma = token.lemma_.lower()
        symptoms = lemma in WORDS["symptom-noun"]
        if not symptoms and lemma not in WORDS["cause-noun"]:
            continue
        members, verb = listed_under(reader, token)
        if verb is None or not members:
            continue
        conditions = owner(reader, token)
        if not conditions:
            continue
        if symptoms:
            features = [e for e in members if e.label_ in FEATURE_CATEGORIES]
            reader.emit(conditions, "associatedWith", features, verb, "condition-symptoms", (token,))
        else:
            reader.emit(members, "causes", conditions, verb, "condition-causes", (token,))


def read_relieved_symptoms(reader: SentenceReader) -> None:
    """ "Hydroxychloroquine reduces symptoms in about half of patients", "X relieves its symptoms": a drug
    that relieves a condition's symptoms, named by no entity, treats the condition (of the noun's "of"
    phrase or possessor, else the condition under discussion)."""
    for token in reader.tokens:
        if token.dep_ != "dobj" or token.lemma_.lower() not in WORDS["symptom-noun"] or reader.phrase(token):
            continue
        verb = token.head
        relief = any(
            t.predicate in ("decreases", "treats") and t.frame == "active"
            for t in reader.rules.triggers_for(verb.lemma_.lower(), "VERB")
        )
        if not relief or verb.pos_ != "VERB":
            continue
        drugs = reader.typed(
            "treats", unique(e for t in reader.subjects(verb) for e in reader.phrase(t)), "subject"
        )
        conditions = owner(reader, token)
        if drugs and conditions:
            reader.emit(drugs, "treats", conditions, verb, "relieved-symptoms", (token,))


def read_conditions(reader: SentenceReader) -> None:
    """A condition's symptoms and causes, and the drugs that relieve its symptoms."""
    read_condition_lists(reader)
    read_relieved_symptoms(reader)


@FRAMES.register("ldn.frame.condition-list.v1")
def condition_list_frame() -> Frame:
    """A condition's symptoms and causes, for sentences with a symptom or cause noun."""
    return Frame(
        "condition-list",
        read=read_conditions,
        lemmas=WORDS["symptom-noun"] | WORDS["cause-noun"],
    )
