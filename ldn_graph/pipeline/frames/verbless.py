"""Verbless clauses: "Duloxetine treats fibromyalgia." parsed as one noun phrase."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import DRUG_CATEGORIES, WORDS, verb_lemma
from ldn_graph.pipeline.frames.verb import treats_population

VERBLESS_MAX_TOKENS = 15  # a sentence parsed as one noun phrase is read as "X verbs Y" up to this length


def read_verbless_clause(reader: SentenceReader) -> None:
    """ "Duloxetine treats fibromyalgia.": a short sentence parsed as one noun phrase, its verb taken for
    a modifier ("treats" NNS or VBZ, compound of "fibromyalgia"; the small model does this to many
    plain "X verbs Y" sentences). When the sentence's root is no verb and a word between entities is a
    verb trigger, the entities before it are its subjects and those after it its objects."""
    if reader.sent.root.pos_ in ("VERB", "AUX"):
        # "..., because exogenous testosterone suppresses spermatogenesis": a subordinate clause parsed as
        # one noun phrase, its conjunction kept as the noun's marker.
        for token in reader.tokens:
            if (
                token.dep_ == "advcl"
                and token.pos_ in ("NOUN", "PROPN")
                and any(c.dep_ == "mark" for c in token.children)
            ):
                clause = [t for t in token.subtree if t.dep_ != "mark"]
                if len(clause) <= VERBLESS_MAX_TOKENS:
                    _read_noun_phrase_clause(reader, clause)
        return
    if _read_after_apposition(reader) or len(reader.tokens) > VERBLESS_MAX_TOKENS:
        return
    _read_noun_phrase_clause(reader, reader.tokens)


def _read_noun_phrase_clause(reader: SentenceReader, tokens: list[Token]) -> None:
    """The entities before a verb trigger taken for a modifier are its subjects, those after it its
    objects."""
    first, last = tokens[0].i, tokens[-1].i
    entities = [e for e in reader.sentence_entities() if e.start >= first and e.end <= last + 1]
    for token in tokens:
        if token.i in reader.entity_at or token.pos_ not in ("NOUN", "PROPN", "ADJ", "VERB"):
            continue
        # A present-tense verb form: "-s" (treats, inhibits), or a bare form right after an entity (X and
        # Y treat Z); not a participle ("pain caused by X" is a noun phrase indeed), unless a drug names
        # its agent right before it ("LDN reduced disease extent and pain in X", parsed as a noun phrase).
        after = reader.entity_at.get(token.i - 1)
        after_drug = (
            after is not None and after.label_ in DRUG_CATEGORIES and not token.lower_.endswith("ing")
        )
        if (token.tag_ in ("VBN", "VBD", "VBG") or token.lower_.endswith(("ed", "ing"))) and not after_drug:
            continue
        if not (token.lower_.endswith("s") or after is not None):
            continue
        for lemma in dict.fromkeys((verb_lemma(token.lower_), token.lemma_.lower(), token.lower_)):
            triggers = reader.rules.triggers_for(lemma, "VERB")
            if not triggers:
                continue
            subjects = [e for e in entities if e.end <= token.i]
            # not the condition of the population the effect was seen in ("... in Hailey-Hailey disease")
            objects = [e for e in entities if e.start > token.i and not _in_population_place(e)]
            predicate = triggers[0].predicate
            if subjects and objects:
                reader.emit(subjects, predicate, objects, token, "verbless-clause")
                if predicate in ("decreases", "treats"):
                    treats_population(reader, subjects, [token, token.head], token)
            return


def _in_population_place(ent: Span) -> bool:
    """Whether an entity is the object of "in"/"among" ("reduced pain in fibromyalgia")."""
    return ent.root.dep_ == "pobj" and ent.root.head.lower_ in WORDS["population-place-prep"]


def past_stems(word: str) -> tuple[str, ...]:
    """The stems a past form may have: "reduced" reduce, "blocked" block, "stopped" stop."""
    if not word.endswith("ed"):
        return ()
    stems = [word[:-1], word[:-2]]
    if len(word) > 4 and word[-3] == word[-4]:
        stems.append(word[:-3])
    if word.endswith("ied"):
        stems.append(word[:-3] + "y")
    return tuple(stems)


def _read_after_apposition(reader: SentenceReader) -> bool:
    """ "Naltrexone, an opioid antagonist, reduced fatigue.": after an apposition set off by commas the
    small model reads the verb as a modifier of its object ("reduced fatigue", "inhibits microglial
    activation"), so the sentence has no verb. A finite trigger right after the apposition's closing
    comma is the verb: the subject is the phrase the apposition describes, the objects the entities
    after the verb. Whether it read one (then the sentence is read)."""
    root = reader.sent.root
    for appos in (c for c in root.children if c.dep_ == "appos" and c.i > root.i):
        # The apposition ends at the first comma after its head that a finite trigger follows (the
        # parser often hangs "reduced fatigue" inside the apposition itself).
        for comma in reader.doc[appos.left_edge.i + 1 : reader.sent.end - 1]:
            verb = reader.doc[comma.i + 1]
            if comma.text != "," or verb.i in reader.entity_at:
                continue
            present = verb.tag_ == "VBZ" or (verb.lower_.endswith("s") and not verb.lower_.endswith("ss"))
            if not (verb.tag_ in ("VBD", "VBN") or verb.lower_.endswith("ed") or present):
                continue
            stems = (verb_lemma(verb.lower_),) if present else past_stems(verb.lower_)
            triggers = [
                t
                for lemma in dict.fromkeys((verb.lemma_.lower(), *stems))
                for t in reader.rules.triggers_for(lemma, "VERB")
                if t.frame == "active"
            ]
            if not triggers:
                continue
            entities = reader.sentence_entities()
            subjects = [e for e in entities if root.left_edge.i <= e.start and e.end <= appos.left_edge.i]
            objects = [e for e in entities if e.start > verb.i]
            if not (subjects and objects):
                return False
            reader.emit(subjects, triggers[0].predicate, objects, verb, "verb-after-apposition", paired=True)
            return True
    return False


@FRAMES.register("ldn.frame.verbless-clause.v1")
def verbless_clause_frame() -> Frame:
    """Short sentences whose verb the parser took for a noun."""
    return Frame("verbless-clause", read=read_verbless_clause)
