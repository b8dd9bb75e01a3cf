"""What the frames read a sentence with: its tokens and entities, the discourse before it, its clauses.

`SentenceState` holds the per-sentence lookups (entity at a token, children, the drug under discussion)
and the clause helpers (subjects climbing shared clauses, passive agents, objects); `Mentions` adds the
noun-phrase reading on top, and `SentenceReader` the frames' output.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from spacy.tokens import Doc, Span, Token

from ldn_graph.model import Qualifier
from ldn_graph.pipeline import qualifiers
from ldn_graph.pipeline.frames.tokens import (
    COPULAS,
    RELATIVE,
    WORDS,
    is_excluded_alternative,
    is_purpose,
    pobjs,
    span_start,
    unique,
)
from ldn_graph.pipeline.rules import Rules, Trigger

if TYPE_CHECKING:
    from ldn_graph.pipeline.relations import RelationExtractor


class Finding(NamedTuple):
    """A relation a frame read, before its evidence, hedging and qualifiers are made."""

    subject: Span
    predicate: str
    object: Span
    trigger: Token
    rule: str
    arguments: tuple[Token, ...]  # the slot tokens a negation in their scope negates
    negated: bool | None  # what the words say (a contraindication, "remained unchanged"); None: read cues


# Penn Treebank tags of finite verbs (past, third person singular, other present)
FINITE_TAGS = frozenset(("VBD", "VBZ", "VBP"))

# Salience weights of Lappin and Leass (1994): a mention, a subject, and a main clause's subject (their
# non-adverbial and head-noun emphases together).
MENTION_WEIGHT = 100.0
SUBJECT_WEIGHT = 80.0
MAIN_SUBJECT_WEIGHT = 130.0


@dataclass
class Discourse:
    """What earlier sentences were about: for pronouns and for relations whose drug is implicit."""

    # (sentence number, entity subject, plural, of a main clause), latest last
    subjects: list[tuple[int, Span, bool, bool]] = field(default_factory=list)
    # the subjects of main clauses only (not of a relative or adverbial clause), latest last: what a pronoun
    # opening the next sentence most likely is ("CRPS is a pain in which the pain ... . It follows ...")
    main_subjects: list[tuple[int, Span, bool]] = field(default_factory=list)  # (sentence number, ...)
    drugs: list[tuple[int, Span]] = field(default_factory=list)  # (sentence number, drug entity)
    entities: list[tuple[int, Span]] = field(default_factory=list)  # every entity of earlier sentences
    # the antecedents of earlier sentences' pronoun subjects, each at its pronoun's sentence number
    pronoun_mentions: list[tuple[int, Span]] = field(default_factory=list)

    def salience(self, sentence_number: int) -> dict[str, float]:
        """How much earlier sentences are about each entity (by identifier), as Lappin and Leass (1994) weigh
        it: every mention counts 100, a subject 80 more, a main clause's subject 130 more again (neither
        embedded nor adverbial), halved for each sentence back. A drug named as the subject of sentence
        after sentence, through "it" too, stays salient past a sentence that names another only in a
        relative clause ("... the dopamine release that makes alcohol rewarding. In trials it ...")."""
        weights: dict[str, float] = {}
        for n, ent in self.entities + self.pronoun_mentions:
            weights[ent.kb_id_] = weights.get(ent.kb_id_, 0.0) + MENTION_WEIGHT * 0.5 ** (sentence_number - n)
        for n, ent, _plural, main in self.subjects:
            weight = SUBJECT_WEIGHT + (MAIN_SUBJECT_WEIGHT if main else 0.0)
            weights[ent.kb_id_] = weights.get(ent.kb_id_, 0.0) + weight * 0.5 ** (sentence_number - n)
        return weights

    def topic_drug(self, sentence_number: int, window: int = 3) -> Span | None:
        """The drug of the last `window` sentences that they are most about (`salience`), the latest of
        those as salient: an entry's drug stays the one under discussion past a sentence that names
        another only to compare ("it has been associated with less delirium than midazolam. The commonest
        adverse effects are ...": the entry's drug, not midazolam)."""
        # a drug a pronoun stood for was mentioned there too ("... In ventilated adults it has been ...")
        mentions = self.drugs + [(n, e) for n, e in self.pronoun_mentions if e.label_ == "Drug"]
        recent = [span for n, span in sorted(mentions, key=lambda m: m[0]) if sentence_number - n <= window]
        if not recent:
            return None
        salience = self.salience(sentence_number)
        return max(reversed(recent), key=lambda span: salience.get(span.kb_id_, 0.0))


class SentenceState:
    """One sentence's tokens, entities and discourse, with the lookups every frame shares."""

    def __init__(
        self,
        extractor: RelationExtractor,
        doc: Doc,
        sent: Span,
        number: int,
        discourse: Discourse,
        ents: Sequence[Span] | None = None,
        text: str | None = None,
        tokens: list[Token] | None = None,
    ):
        self.x = extractor
        self.rules: Rules = extractor.rules
        self.doc = doc
        self.sent = sent
        # Iterated by every rule: a list is much cheaper to walk than a Span (a new Token at each step).
        self.tokens = list(sent) if tokens is None else tokens
        self.text = sent.text if text is None else text  # Span.text walks the tokens at each access
        self._excluded: dict[int, bool] = {}
        self._children: dict[int, list[Token]] = {}
        self.number = number
        self.discourse = discourse
        # The doc's entities, in order; given by the caller that reads every sentence, because spaCy
        # rebuilds `doc.ents` at each access.
        self.ents = doc.ents if ents is None else ents
        self.entity_at: dict[int, Span] = {}
        for ent in self.ents[bisect_left(self.ents, sent.start, key=span_start) :]:
            if ent.start >= sent.end:
                break
            if ent.start >= sent.start and ent.end <= sent.end:
                for i in range(ent.start, ent.end):
                    self.entity_at[i] = ent
        self._doses: list[Qualifier] | None = None
        self._sentence_entities: tuple[int, list[Span]] = (-1, [])
        self.found: list[Finding] = []  # what the frames read, in the order they read it
        self.declined: set[frozenset[str]] = set()  # pairs of concepts a frame read and left unrelated
        self.locals: list[Span] = []  # project-local entities made in relation slots

    def token(self, i: int) -> Token:
        """`doc[i]`, from the sentence's token list when it is in the sentence (spaCy makes a new Token
        object at each `doc[i]`)."""
        k = i - self.sent.start
        return self.tokens[k] if 0 <= k < len(self.tokens) else self.doc[i]

    def children(self, token: Token) -> list[Token]:
        """`token.children`, remembered: spaCy makes new Token objects at each access, and the rules read
        the same phrases again and again."""
        found = self._children.get(token.i)
        if found is None:
            found = self._children[token.i] = list(token.children)
        return found

    def entity_of(self, token: Token) -> Span | None:
        return self.entity_at.get(token.i)

    def entities_in(self, token: Token) -> list[Span]:
        """All entities in a subtree (for flat lists the parser did not structure)."""
        return unique(self.entity_at[t.i] for t in token.subtree if t.i in self.entity_at)

    def excluded_alternative(self, conj: Token) -> bool:
        """`is_excluded_alternative`, remembered: noun phrases are read again for each rule that tries
        them, and the answer walks subtrees."""
        found = self._excluded.get(conj.i)
        if found is None:
            found = self._excluded[conj.i] = is_excluded_alternative(conj)
        return found

    def sentence_entities(self) -> list[Span]:
        """The sentence's entities in text order; sorted again only when local entities were added
        (`entity_at` only ever gains keys, so its size tells)."""
        size, found = self._sentence_entities
        if size != len(self.entity_at):
            found = sorted(set(self.entity_at.values()), key=span_start)
            self._sentence_entities = (len(self.entity_at), found)
        return found

    def doses(self) -> list[Qualifier]:
        """The doses of the sentence, read once (a rule and the qualifiers both need them)."""
        if self._doses is None:
            self._doses = qualifiers.doses(self.sent, self.text)
        return self._doses

    def topic(self, window: int = 3, before: int | None = None) -> Span | None:
        """The drug under discussion: the first drug of this sentence (before token `before`, when given),
        else the latest of the last few sentences."""
        here = [
            e for e in self.sentence_entities() if e.label_ == "Drug" and (before is None or e.start < before)
        ]
        return here[0] if here else self.discourse.topic_drug(self.number, window)

    def topic_condition(self) -> Span | None:
        """The condition under discussion: of the diseases earlier sentences had as a main clause's subject,
        the one named most often (the latest of those); else the same of any clause's subjects; else of the
        diseases earlier sentences named ("Symptoms include A", "did not prevent the condition")."""
        counts: dict[str, int] = {}
        for _n, ent in self.discourse.entities:
            if ent.label_ == "Disease":
                counts[ent.kb_id_] = counts.get(ent.kb_id_, 0) + 1
        # "CRPS is a form of pain ... Vitamin C taken after a wrist fracture was thought to prevent CRPS ...
        # hepatotoxicity limits its use": CRPS, the subject named most; "... adults with MS ... depressive
        # symptoms": MS, with no disease a subject
        for candidates in (
            [ent for _n, ent, _plural in self.discourse.main_subjects],
            [ent for _n, ent, _plural, _main in self.discourse.subjects],
            [ent for _n, ent in self.discourse.entities],
        ):
            best = None
            for ent in candidates:  # in text order: a later one named as often wins
                if ent.label_ == "Disease" and (best is None or counts[ent.kb_id_] >= counts[best.kb_id_]):
                    best = ent
            if best is not None:
                return best
        return None

    def is_population(self, token: Token) -> bool:
        return token.lemma_.lower() in self.rules.populations or token.lower_ in self.rules.populations

    def subjects(self, verb: Token, hops: int = 0) -> list[Token]:
        """Heads of a verb's subject (not passive agents), climbing clauses that share it."""
        if hops > 6:
            return []
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if len(subj) > 1:
            # two subjects of one verb are a misparse ("... the artery, which leads to demyelination; Y
            # occurs in Z"): the one nearest before the verb is its own
            near = max((s for s in subj if s.i < verb.i), key=lambda s: s.i, default=subj[0])
            # ... except a list's first member the parser cut off by its comma ("Siponimod, ozanimod and
            # ponesimod are more selective"): a comma between it and the nearest, itself coordinated
            listed = [
                s
                for s in subj
                if s.i < near.i
                and near.left_edge.i >= 2
                and self.doc[near.left_edge.i - 1].text == ","
                and s.right_edge.i in (near.left_edge.i - 2, near.left_edge.i - 1)
                and any(c.dep_ == "cc" for c in near.children)
            ]
            subj = [*listed, near]
        if subj:
            return subj
        dep, head = verb.dep_, verb.head
        if head.i == verb.i:
            return self.stranded_subject(verb)
        if dep == "relcl" or (dep == "acl" and verb.tag_ != "VBN"):
            if is_purpose(verb):
                gov = head.head.head if head.dep_ == "pobj" else head.head
                return self.subjects(gov, hops + 1)
            return [self.renamed(head) if dep == "relcl" else head]
        if dep == "xcomp" and head.dep_ == "acl" and head.tag_ == "VBN":
            # "Naloxone is an antagonist used to reverse Y": the noun the participle modifies, or the
            # subject of the copula when that noun is its complement.
            noun = head.head
            if noun.dep_ == "attr" and noun.head.lemma_.lower() in COPULAS:
                return [c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")] or [noun]
            return [noun]
        if dep in ("xcomp", "conj", "advcl", "acomp"):
            return self.subjects(head, hops + 1)
        if dep == "pcomp" and head.dep_ == "prep":
            return self.subjects(head.head, hops + 1)
        if dep in ("dobj", "ccomp") and verb.pos_ == "VERB" and head.lemma_.lower() == "help":
            return self.subjects(head, hops + 1)
        return []

    def stranded_subject(self, verb: Token) -> list[Token]:
        """The subject of a finite main verb the parser left without one: the noun right before it, past
        a parenthesis and the verb's own adverbs ("In a series of 16 patients, low-dose naltrexone (3 mg
        daily) reduced itching", with naltrexone hung as a conjunct inside the fronted phrase). A finite
        clause has a subject, and in English it comes just before its verb."""
        if verb.tag_ not in FINITE_TAGS or verb.pos_ != "VERB" or self.is_passive(verb):
            return []
        if any(c.dep_ in ("expl", "csubjpass") for c in verb.children):
            return []
        i = verb.i - 1
        while i > self.sent.start and self.doc[i].head.i == verb.i and self.doc[i].dep_ in ("advmod", "neg"):
            i -= 1
        if self.doc[i].text == ")":
            opening = next(
                (j for j in range(i - 1, self.sent.start - 1, -1) if self.doc[j].text == "("), None
            )
            if opening is None:
                return []
            i = opening - 1
        if i < self.sent.start:
            return []
        noun = self.doc[i]
        # a drug name the tagger took for a verb ("topiramate (50 mg daily) reduced ...") is still a noun
        if (noun.pos_ not in ("NOUN", "PROPN") and i not in self.entity_at) or noun.head.i == verb.i:
            return []
        return [noun]

    def described(self, participle: Token) -> Token:
        """The noun a participle after a noun describes: that noun, or the one an apposition that names
        no entity, or an indefinite one, renames ("TREM2, a receptor expressed by microglia": TREM2)."""
        noun = participle.head
        if (
            noun.lemma_.lower() in WORDS["clause-summary-noun"]
            and noun.head.pos_ == "VERB"
            and noun.left_edge.i > 0
            and self.doc[noun.left_edge.i - 1].text == ","
        ):
            # "X produces allodynia in rats, an effect prevented by Z": what the clause before produced
            done = [c for c in noun.head.children if c.dep_ in ("dobj", "nsubjpass") and c.i != noun.i]
            if done:
                return done[0]
        if (
            noun.dep_ == "appos"
            and noun.head.i != noun.i
            and (
                noun.i not in self.entity_at
                # "Hailey-Hailey disease, an autosomal dominant disorder caused by ...": a class of it
                or any(c.dep_ == "det" and c.lower_ in WORDS["indefinite-determiner"] for c in noun.children)
            )
        ):
            return noun.head
        if noun.dep_ == "appos" and self.renamed(noun).i != noun.i:
            # "Methadone, a synthetic opioid agonist used for chronic pain": an indefinite apposition names
            # a class; what the participle describes is the thing named
            return noun.head
        if noun.dep_ == "attr" and noun.head.lemma_.lower() in COPULAS:
            # "KOR is a receptor encoded by OPRK1": the copula's subject is what the participle describes
            subj = self.subjects(noun.head)  # "X, also called Y, is a disorder characterised by Z" too
            if subj:
                return subj[0]
        if noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ == "VERB":
            # "Psoriasis is now understood as a disease driven by IL-23": what is so understood
            subj = [c for c in noun.head.head.children if c.dep_ == "nsubjpass"]
            if subj:
                return subj[0]
        return noun

    def renamed(self, noun: Token) -> Token:
        """The noun a relative clause is about: its antecedent, or the noun an indefinite apposition
        renames ("Ibudilast, a phosphodiesterase inhibitor that also dampens glial activation": ibudilast,
        not the class)."""
        if (
            noun.dep_ == "appos"
            and noun.head.i != noun.i
            and noun.head.pos_ in ("NOUN", "PROPN")
            and (
                noun.i not in self.entity_at
                or any(c.dep_ == "det" and c.lower_ in WORDS["indefinite-determiner"] for c in noun.children)
            )
        ):
            return noun.head
        return noun

    def is_passive(self, verb: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN"
        )

    def agents(self, verb: Token) -> list[Token]:
        return [p for c in verb.children if c.dep_ == "agent" for p in pobjs(c)]

    def objects(self, trigger: Trigger, verb: Token) -> list[Token]:
        out = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
        if not out:  # the small model sometimes attaches the object noun as an adverbial
            out = [
                c
                for c in verb.rights
                if c.dep_ in ("advmod", "npadvmod") and (c.pos_ in ("NOUN", "PROPN") or c.i in self.entity_at)
            ]
        for c in verb.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in trigger.preps:
                out.extend(pobjs(c))
            if c.dep_ in ("prep", "advmod") and c.lower_ in WORDS["alias-marker"]:
                out.extend(pobjs(c))
        if not out:  # "maintain rather than initiate the pain state": the object both verbs share
            for c in verb.children:
                if c.dep_ == "conj" and c.i > verb.i:
                    out += [d for d in c.children if d.dep_ == "dobj"]
        if not out and verb.dep_ == "relcl" and not any(c.dep_ == "dobj" for c in verb.children):
            subj = [c for c in verb.children if c.dep_ == "nsubj"]
            if subj and subj[0].lower_ not in RELATIVE:
                out.append(verb.head)  # "conditions LDN may treat": the relative clause's gap
        return out
