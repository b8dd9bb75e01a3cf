"""Nominalisations: "an increase in X", "LDN treatment in women with Z", "inhibition of X by Y"."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.mechanism import PRODUCER_CATEGORIES
from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    COPULAS,
    DRUG_CATEGORIES,
    WORDS,
    pobjs,
    unique,
)
from ldn_graph.pipeline.rules import Trigger


def apply_nominal(reader: SentenceReader, trigger: Trigger, noun: Token) -> bool:
    """ "an increase in X" (subject from the governing clause), "LDN treatment in women with Z"."""
    own = reader.entity_of(noun)
    if own is not None and not names_class(reader, noun, own):
        return False
    objects: list[Span] = []
    treats = trigger.predicate == "treats"
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in trigger.preps:
            for p in pobjs(c):
                objects.extend(reader.phrase(p))
        if treats and c.dep_ == "prep" and c.lower_ in WORDS["nominal-population-prep"]:
            for p in pobjs(c):
                objects.extend(reader.population_conditions(p))
    if not objects and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ == "attr":
        # "the drug of choice for Y": the preposition hung on the noun the choice is of
        objects = [
            e
            for c in noun.head.head.children
            if c.dep_ == "prep" and c.lower_ in trigger.preps and c.i > noun.i
            for p in pobjs(c)
            for e in reader.phrase(p)
        ]
    if objects and noun.dep_ == "attr" and noun.head.lemma_.lower() in COPULAS:
        # "an agonist at MOR and, to a lesser degree, at DOR", "at X as well as at Y": a second preposition
        # the parser hung on the copula
        objects += [
            e
            for c in noun.head.children
            if c.dep_ == "prep" and c.lower_ in trigger.preps and c.i > noun.i
            for p in pobjs(c)
            for e in reader.phrase(p)
        ]
    if not objects and noun.head.dep_ == "relcl":
        # "TNF, whose blockade with infliximab clears the skin": what the relative clause is about
        objects = [
            e
            for c in noun.children
            if c.dep_ == "poss" and c.lower_ in WORDS["possessive-relative"]
            for e in reader.phrase(noun.head.head)
        ]
    # "Its endogenous ligands are the dynorphins", "The ligands of KOR are the dynorphins": the noun is the
    # copula's subject, its possessor or "of" phrase the object, the copula's complement the subject.
    copular = noun.dep_ == "nsubj" and noun.head.lemma_.lower() in COPULAS
    if not objects and copular:
        objects = [e for c in noun.children if c.dep_ == "poss" for e in reader.phrase(c)]
    if objects:  # "the release of cytokines such as IL-6, TNF and IL-1": a list hung on the noun
        objects += [e for c in noun.children if c.dep_ == "conj" for e in reader.phrase(c)]
    # "Gout is a consequence of hyperuricaemia": an inverse noun's "of" phrase is the relation's subject
    inverse = trigger.frame == "nominal-inverse"
    roles = ("object", "subject") if inverse else ("subject", "object")
    objects = reader.typed(trigger.predicate, unique(objects), roles[1])
    if not objects and treats:
        # "the standard treatments for flares": a condition no lexicon knows, named by its head word
        objects = reader.typed(
            trigger.predicate,
            [
                e
                for c in noun.children
                if c.dep_ == "prep" and c.lower_ in trigger.preps and c.lower_ in WORDS["purpose-prep"]
                for p in pobjs(c)
                for e in reader.local_slot(p)
            ],
            "object",
        )
    rule = "nominal"
    if (
        not objects
        and treats
        and not any(c.dep_ == "prep" and c.lower_ in trigger.preps for c in noun.children)
    ):
        # "Lamotrigine and baclofen are used as alternative treatments", "X is a first-line therapy": for
        # the condition under discussion
        classed = noun.dep_ == "attr" and noun.head.lemma_.lower() in COPULAS
        classed |= noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ == "VERB"
        # "X is the drug of first choice": the choice of a noun that classes X
        classed |= (
            noun.dep_ == "pobj"
            and noun.head.lower_ == "of"
            and noun.head.head.dep_ == "attr"
            and noun.head.head.head.lemma_.lower() in COPULAS
        )
        condition = reader.topic_condition() if classed else None
        objects, rule = ([condition] if condition is not None else []), "nominal-topic"
    elif (
        not objects
        and treats
        and noun.dep_ in ("nsubj", "nsubjpass")
        and not any(c.dep_ == "prep" and c.lower_ == "for" for c in noun.children)
        and reader.instruments(noun)
    ):
        # "Preventive treatment with topiramate reduces headache days": the drug treats the condition under
        # discussion
        condition = reader.topic_condition()
        objects, rule = ([condition] if condition is not None else []), "nominal-topic"
    if not objects:
        return False
    subjects = [
        e
        for c in noun.lefts
        if c.dep_ in ("compound", "nmod", "amod", "poss") and reader.entity_of(c) is not None
        for e in reader.phrase(c)
    ]
    # "treatment with X", "a study of X in women with Y": the drug is the subject.
    subjects += [
        e
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ in WORDS["drug-subject-prep"]
        for p in pobjs(c)
        for e in reader.phrase(p)
        if e.label_ in DRUG_CATEGORIES
    ]
    subjects += reader.instruments(noun)
    if not subjects and objects:  # "Its endogenous ligand, nociceptin, is a peptide": the apposition
        subjects = [e for c in noun.children if c.dep_ == "appos" for e in reader.phrase(c)]
    if not subjects and copular:
        subjects = [e for c in noun.head.children if c.dep_ == "attr" for e in reader.phrase(c)]
    subjects = [s for s in unique(subjects) if s not in objects and s != own]
    own_subjects = bool(subjects)
    if not subjects and noun.dep_ in ("dobj", "attr") and noun.head.lemma_.lower() in WORDS["light-verb"]:
        subjects = [e for t in reader.subjects(noun.head) for e in reader.phrase(t)]
    if (
        not subjects
        and noun.dep_ == "pobj"
        and noun.head.lower_ not in WORDS["contrast-prep"]  # "unlike activation of X, it causes Y"
        and noun.head.head.lemma_.lower() in WORDS["light-verb"]
        and noun.head.head.pos_ == "VERB"
    ):
        subjects = [
            e for t in reader.subjects(noun.head.head) for e in reader.phrase(t)
        ]  # "leads to an increase"
    # "It is a partial agonist at X and an antagonist at Y": a conjunct reads as the first one does.
    first = noun
    while first.dep_ == "conj" and first.head.i != first.i and first.head.pos_ in ("NOUN", "PROPN"):
        first = first.head
    if not subjects and first.dep_ in ("appos", "ROOT", "attr"):
        head = first.head if first.dep_ == "appos" else None
        if first.dep_ == "attr":
            # the copula's subject, or that of the clause it shares ("A, B and C remain the standard
            # treatments" parsed with the copula as a conjunct)
            subjects = [e for c in reader.subjects(first.head) for e in reader.phrase(c)]
        elif head is not None:
            subjects = reader.phrase(head, members=False)
    verbal = ("VERB", "AUX") if inverse else ("VERB",)  # "Gout is X, usually as a consequence of Y"
    if not subjects and noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ in verbal:
        # "X is recognised as a driver of Y", "X acts as an inhibitor of Y"
        subjects = [e for t in reader.subjects(noun.head.head) for e in reader.phrase(t)]
    if not subjects and noun.dep_ == "pobj" and noun.head.lower_ == "of":
        subjects = [e for e in reader.phrase(noun.head.head) if e.label_ in DRUG_CATEGORIES]
    predicate, raised = trigger.predicate, 0
    if predicate == "produces" and not own_subjects and noun.dep_ in ("dobj", "pobj"):
        # "IL-1 beta induces the release of cytokines": the verb's subject raises them, not makes them (a
        # cell that does, below, makes them)
        causes = [s for s in subjects if s.label_ not in PRODUCER_CATEGORIES]
        subjects = [s for s in subjects if s.label_ in PRODUCER_CATEGORIES]
        raised = reader.emit(reader.typed("increases", causes, "subject"), "increases", objects, noun, rule)
    subjects = reader.typed(predicate, subjects, roles[0])
    if inverse:
        subjects, objects = objects, subjects
    return reader.emit(subjects, predicate, objects, noun, rule) + raised > 0


def names_class(reader: SentenceReader, noun: Token, own: Span) -> bool:
    """Whether a trigger noun heads an entity that is the class an indefinite apposition or copula gives
    ("Canakinumab, a monoclonal antibody against IL-1β"): the noun still says what its subject does."""
    return (
        own.root.i == noun.i
        and noun.dep_ in ("appos", "attr")
        and any(c.dep_ == "det" and c.lower_ in WORDS["indefinite-determiner"] for c in reader.children(noun))
    )


@FRAMES.register("ldn.frame.nominal.v1")
def nominal_frame() -> Frame:
    """Trigger nouns of the `nominal` and `nominal-inverse` frames of triggers.tsv."""
    return Frame("nominal", apply=apply_nominal, trigger_frames=frozenset(("nominal", "nominal-inverse")))
