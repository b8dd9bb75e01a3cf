"""The sentence reader: runs the frames over one sentence and turns what they found into relations.

`SentenceReader.emit` is how a frame says what it read (type checks and the paired predicates are
applied here, once for all frames); `relations` adds each relation's evidence, hedging, negation and
qualifiers; `remember` keeps what later sentences refer back to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

from ldn_graph.model import Evidence, Qualifier, Relation
from ldn_graph.pipeline import context, qualifiers
from ldn_graph.pipeline.frames.mentions import Mentions
from ldn_graph.pipeline.frames.sentence import Finding
from ldn_graph.pipeline.frames.tokens import (
    DEMONSTRATIVES,
    DRUG_CATEGORIES,
    PAIRED,
    PAIRED_OBJECTS,
    PRONOUNS_SINGULAR,
    WORDS,
    class_compatible,
    in_main_clause,
    is_plural,
)
from ldn_graph.pipeline.rules import Rules


class SentenceReader(Mentions):
    """Reads the relations of one sentence with the relation extractor's frames."""

    def emit(
        self,
        subjects: Iterable[Span],
        predicate: str,
        objects: Iterable[Span],
        trigger: Token,
        rule: str,
        arguments: tuple[Token, ...] = (),
        *,
        paired: bool = False,
        negated: bool | None = None,
    ) -> int:
        """Record `predicate` between each subject and object the types allow; the number recorded.

        `paired`: a verbal frame, where a drug that lowers a symptom treats it and one that relieves a
        symptom lowers it (not nominal "treatment for X"). `negated`: the finding's polarity when its
        words say it; None leaves it to the negation cues around `trigger` and `arguments`."""
        n = 0
        objects = list(objects)
        for s in subjects:
            for o in objects:
                if s.kb_id_ == o.kb_id_:
                    continue
                if predicate == "subclassOf":
                    if not class_compatible(s.label_, o.label_):
                        continue
                elif not self.rules.type_ok(predicate, s.label_, o.label_):
                    continue
                self.found.append(Finding(s, predicate, o, trigger, rule, arguments, negated))
                n += 1
                other = PAIRED.get(predicate)
                if (
                    other
                    and paired
                    and s.label_ in DRUG_CATEGORIES
                    and o.label_ in PAIRED_OBJECTS[predicate]
                    and o.root.lemma_.lower() not in WORDS["sought-state"]
                    # "slowed disease progression" does not treat the progression
                    and o.root.lemma_.lower() not in WORDS["transparent"]
                ):
                    self.found.append(Finding(s, other, o, trigger, rule, arguments, negated))
        return n

    def decline(self, subjects: Iterable[Span], objects: Iterable[Span]) -> None:
        """Record that a frame read these pairs and left them unrelated on purpose ("not regarded as",
        "less common with", "as well as"): the learned components do not relate them either
        (`doc._.ldn_declined`)."""
        objects = list(objects)
        self.declined.update(
            frozenset((s.kb_id_, o.kb_id_)) for s in subjects for o in objects if s.kb_id_ != o.kb_id_
        )

    def contrast(self, predicate: str, objects: list[Span], trigger: Token, args: tuple[Token, ...]) -> int:
        """ "Unlike naloxone, it is not used for overdose", "unlike activation of MOR, it does not cause Y":
        what the clause denies of its subject holds for the contrasted noun."""
        contrasted = [
            e
            for c in self.children(trigger)
            if c.dep_ == "prep" and c.lower_ in WORDS["contrast-prep"] and c.lower_ != "versus"
            for p in c.children
            if p.dep_ == "pobj"
            for e in self.phrase(p)
        ]
        if not contrasted or not objects or not context.is_negated(self.rules, trigger, args):
            return 0
        return self.emit(contrasted, predicate, objects, trigger, "unlike-contrast", negated=False)

    def typed(self, predicate: str, spans: list[Span], role: str) -> list[Span]:
        """The spans of a category `predicate` allows in `role` ("subject" or "object")."""
        types = (self.rules.subject_types if role == "subject" else self.rules.object_types).get(predicate)
        if not types or "*" in types:
            return spans
        return [s for s in spans if s.label_ in types]

    def read(self) -> None:
        """Run the extractor's frames over the sentence: the trigger words' frames, then the others."""
        # One walk finds the triggers and the sentence's words: the frames that act only on a token with
        # one of their words are skipped when the sentence has none of them (most sentences), and most
        # tokens are no trigger word in any part of speech.
        lemmas: set[str] = set()
        lowers: set[str] = set()
        trigger_words = self.x.trigger_words
        by_trigger_frame = self.x.frames.by_trigger_frame
        for token in self.tokens:
            lemma, lower = token.lemma_.lower(), token.lower_
            lemmas.add(lemma)
            lowers.add(lower)
            if lemma not in trigger_words and lower not in trigger_words:
                continue
            pos = "VERB" if token.pos_ in ("VERB", "AUX") else token.pos_
            if pos == "PROPN":
                pos = "NOUN"
            for trigger in self.rules.triggers_for(lemma, pos) or self.rules.triggers_for(lower, pos):
                frame = by_trigger_frame.get(trigger.frame)
                if frame is not None and frame.apply is not None and frame.apply(self, trigger, token):
                    break
        for frame in self.x.frames.sentence_frames:
            if frame.read is not None and frame.wants(lemmas, lowers):
                frame.read(self)

    def relations(self) -> Iterator[Relation]:
        """The relations the frames found, each (subject, predicate, object) once, with its evidence."""
        if not self.found:
            return
        # The sentence's qualifiers are read when a relation can take some (most sentences: none can).
        sent_quals: list[Qualifier] | None = None
        seen = set()
        document = self.doc._.ldn_doc_key
        start, end = self.sent.start_char, self.sent.end_char
        # The relations of a list share their trigger: read its scope once (it walks the parse).
        hedged_at: dict[int, bool] = {}
        negated_at: dict[tuple[int, ...], bool] = {}
        for s, predicate, o, trigger, rule, args, said in self.found:
            key = (s.kb_id_, predicate, o.kb_id_)
            if key in seen:
                continue
            seen.add(key)
            if said is not None:
                negated = said
            else:
                scope = (trigger.i, *(a.i for a in args))
                if scope not in negated_at:
                    negated_at[scope] = context.is_negated(self.rules, trigger, args)
                negated = negated_at[scope]
            if trigger.i not in hedged_at:
                hedged_at[trigger.i] = context.is_hedged(self.rules, trigger)
            hedged = hedged_at[trigger.i]
            evidence = Evidence(
                document=document,
                start=start,
                end=end,
                text=self.text,
                sentence_index=self.number,
                certainty="hedged" if hedged else "asserted",
                negated=negated,
                rule=rule,
            )
            quals: tuple[Qualifier, ...] = ()
            if takes_qualifiers(s, predicate):
                if sent_quals is None:
                    sent_quals = (
                        self.doses()
                        + qualifiers.effect_sizes(self.sent, self.text)
                        + qualifiers.years(self.sent, self.text)
                        + qualifiers.populations(self.sent, self.rules.populations, self.tokens)
                    )
                quals = tuple(q for q in sent_quals if qualifies(q.kind, s, predicate))
            yield Relation(s.kb_id_, predicate, o.kb_id_, evidence, quals)

    def remember(self) -> None:
        """Update the discourse with this sentence's subjects and drugs."""
        # Only subjects that are entities themselves, not "X molecules" or "the increase in X", or pronouns
        # that stand for one: "In Europe nalmefene is licensed ... Unlike disulfiram, it does not cause
        # flushing": the pronoun keeps nalmefene the subject later pronouns go back to (centering).
        for token in self.tokens:
            if token.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if token.i in self.entity_at:
                ent = self.entity_at[token.i]
                # plural when the word or the entity's head is ("Janus kinase inhibitors" with "kinase" the
                # subject the parser chose)
                plural = token.tag_ in ("NNS", "NNPS") or is_plural(ent)
            elif token.pos_ == "PRON" and token.lower_ in PRONOUNS_SINGULAR:
                # only a pronoun that continues an earlier main subject: one that would make a new one
                # ("the methyl group gives the molecule a charge, so it crosses ...") is too often wrong
                resolved = self.resolve_pronoun(token)
                known = {e.kb_id_ for _n, e, _p in self.discourse.main_subjects}
                if len(resolved) != 1 or resolved[0].kb_id_ not in known:
                    continue
                ent, plural = resolved[0], False
                self.discourse.pronoun_mentions.append((self.number, ent))
            else:
                continue
            main = in_main_clause(token)
            self.discourse.subjects.append((self.number, ent, plural, main))
            if main:
                self.discourse.main_subjects.append((self.number, ent, plural))
        for e in self.sentence_entities():
            self.discourse.entities.append((self.number, e))
            if e.label_ == "Drug" and not self.describes_population(e):
                self.discourse.drugs.append((self.number, e))

    def describes_population(self, ent: Span) -> bool:
        """Whether a drug only says who the people are ("Patients who had been given oxaliplatin", "those
        given paclitaxel"): not the drug later sentences are about."""
        token = ent.root
        for _ in range(6):
            if token.dep_ in ("relcl", "acl") and token.pos_ == "VERB":
                head = token.head
                return self.is_population(head) or (head.pos_ == "PRON" and head.lower_ in DEMONSTRATIVES)
            if token.head.i == token.i or token.pos_ in ("AUX",) or token.dep_ in ("ROOT", "ccomp"):
                return False
            token = token.head
        return False


def qualifies(kind: str, subject: Span, predicate: str) -> bool:
    """Whether a relation takes the sentence's qualifiers of a kind."""
    if kind == "dose":
        return subject.label_ in DRUG_CATEGORIES and predicate in (
            "treats",
            "hasActiveIngredient",
            "hasSideEffect",
        )
    return predicate == "treats" or (
        predicate in ("decreases", "increases") and subject.label_ in DRUG_CATEGORIES
    )


def sentence_qualifiers(sent: Span, rules: Rules, subject: Span, predicate: str) -> tuple[Qualifier, ...]:
    """The qualifiers of a sentence (doses, effect sizes, years, populations) that a relation takes, for a
    relation found by other means than the rules (the relation classifier)."""
    if not takes_qualifiers(subject, predicate):
        return ()
    text, tokens = sent.text, list(sent)
    found = (
        qualifiers.doses(sent, text)
        + qualifiers.effect_sizes(sent, text)
        + qualifiers.years(sent, text)
        + qualifiers.populations(sent, rules.populations, tokens)
    )
    return tuple(q for q in found if qualifies(q.kind, subject, predicate))


def takes_qualifiers(subject: Span, predicate: str) -> bool:
    """Whether a relation takes qualifiers of any kind (every kind but doses follows one rule)."""
    return qualifies("dose", subject, predicate) or qualifies("effect_size", subject, predicate)
