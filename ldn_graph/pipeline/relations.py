"""Relation extraction over the dependency parse.

For each trigger word (a verb, a nominalisation or an adjective listed in `ontology/triggers.tsv`) the
extractor finds the phrases that fill its subject and object slots, following the parse:

- voice: active subjects, passive agents ("caused by microglia"), reduced relatives ("X caused by Y");
- clauses that share a subject: xcomp ("used to treat"), "by"-gerunds ("works by reducing"), conjoined
  verbs, purpose clauses ("work on receptors to produce analgesia"), relative clauses ("OGF which
  regulates"), adjectives ("helpful in cancer"), nominalisations ("an increase in endorphin production",
  "LDN treatment in women with fibromyalgia");
- noun phrases: coordination, shared heads, "such as"/"like"/"including" lists, appositions and "called"
  aliases, transparent heads ("a type of", "levels of", "X molecules"), generic heads whose members the
  text lists ("conditions ... include A, B and C");
- reference: "it"/"they" to the nearest earlier entity that agrees in number; "which"/"that" to the noun
  the relative clause modifies.

Copular sentences give class membership ("X is an opioid antagonist", "X are a type of Y"), parentheses
give parts ("the CNS (brain and spinal cord)"), patient reports give side effects of the drug under
discussion, and "cannot take X with Y" gives a contraindication. Arguments must have the semantic types
`ontology/predicate-types.tsv` allows. Hedging and negation come from `context`, qualifiers from
`qualifiers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans as spacy_filter_spans

from ldn_graph.model import Evidence, Qualifier, Relation
from ldn_graph.pipeline import context, qualifiers
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.frames.mentions import Mentions
from ldn_graph.pipeline.frames.sentence import Discourse
from ldn_graph.pipeline.frames.tokens import (
    CHANGE_PREDICATES,
    CONTRAINDICATION_VERBS,
    COPULAS,
    DRUG_CATEGORIES,
    EFFECT_NOUNS,
    NEGATIVE_RULE,
    NO_CHANGE_WORDS,
    PAIRED,
    PAIRED_OBJECTS,
    PERSONAL_PRONOUNS,
    WORDS,
    class_compatible,
    is_member_prep,
    is_to_infinitive,
    pobjs,
    unique,
    verb_lemma,
)
from ldn_graph.pipeline.rules import Rules, Trigger, load_rules

VERBLESS_MAX_TOKENS = 15  # a sentence parsed as one noun phrase is read as "X verbs Y" up to this length


class SentenceReader(Mentions):
    """Reads the relations of one sentence with the rules below."""

    # ---- emitting -----------------------------------------------------------------------------------

    def emit(
        self,
        subjects: Iterable[Span],
        predicate: str,
        objects: Iterable[Span],
        trigger: Token,
        rule: str,
        arguments: tuple[Token, ...] = (),
    ) -> int:
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
                self.found.append((s, predicate, o, trigger, rule, arguments))
                n += 1
                # A drug that lowers a symptom treats it, and one that relieves a symptom lowers it.
                paired = PAIRED.get(predicate)
                verbal = rule.endswith(("-verb", "-passive"))  # not nominal "treatment for X"
                if (
                    paired
                    and verbal
                    and s.label_ in DRUG_CATEGORIES
                    and o.label_ in PAIRED_OBJECTS[predicate]
                ):
                    self.found.append((s, paired, o, trigger, rule, arguments))
        return n

    def typed(self, predicate: str, spans: list[Span], role: str) -> list[Span]:
        types = (self.rules.subject_types if role == "subject" else self.rules.object_types).get(predicate)
        if not types or "*" in types:
            return spans
        return [s for s in spans if s.label_ in types]

    def read(self) -> None:
        # One walk finds the triggers and the sentence's words: the rules below that act only on a token
        # with one of their words are skipped when the sentence has none of them (most sentences), and
        # most tokens are no trigger word in any part of speech.
        lemmas: set[str] = set()
        lowers: set[str] = set()
        trigger_words = self.x.trigger_words
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
                if self.apply(trigger, token):
                    break
        if lemmas & COPULAS:
            self.copula_classes()
        if "as" in lowers or lowers & WORDS["member-prep"]:
            self.member_classes()
        self.parenthetical_parts()
        self.anatomical_parts()
        self.located_in()
        self.active_ingredient()
        if lemmas & WORDS["report-verb"]:
            self.side_effects()
        if lemmas & EFFECT_NOUNS:
            self.side_effect_lists()
        if lemmas & CONTRAINDICATION_VERBS:
            self.contraindications()
        if lemmas & WORDS["outcome-noun"]:
            self.outcomes()
        if lemmas & NO_CHANGE_WORDS:
            self.unchanged_outcomes()
        self.drug_for()
        self.verbless_clause()

    def verbless_clause(self) -> None:
        """ "Duloxetine treats fibromyalgia.": a short sentence parsed as one noun phrase, its verb taken for
        a modifier ("treats" NNS or VBZ, compound of "fibromyalgia"; the small model does this to many
        plain "X verbs Y" sentences). When the sentence's root is no verb and a word between entities is a
        verb trigger, the entities before it are its subjects and those after it its objects."""
        if self.sent.root.pos_ in ("VERB", "AUX") or len(self.tokens) > VERBLESS_MAX_TOKENS:
            return
        entities = self.sentence_entities()
        for token in self.tokens:
            if token.i in self.entity_at or token.pos_ not in ("NOUN", "PROPN", "ADJ", "VERB"):
                continue
            # A present-tense verb form: "-s" (treats, inhibits), or a bare form right after an entity (X and
            # Y treat Z); not a participle ("pain caused by X" is a noun phrase indeed).
            if token.tag_ in ("VBN", "VBD", "VBG") or token.lower_.endswith(("ed", "ing")):
                continue
            if not (token.lower_.endswith("s") or (token.i - 1) in self.entity_at):
                continue
            for lemma in dict.fromkeys((verb_lemma(token.lower_), token.lemma_.lower(), token.lower_)):
                triggers = self.rules.triggers_for(lemma, "VERB")
                if not triggers:
                    continue
                subjects = [e for e in entities if e.end <= token.i]
                objects = [e for e in entities if e.start > token.i]
                if subjects and objects:
                    self.emit(subjects, triggers[0].predicate, objects, token, "verbless-clause")
                return

    def misparsed_participle(self, trigger: Trigger, token: Token) -> bool:
        """ "X was tolerated and reduced pain" parsed with "reduced" as an adjective of "pain": read it as
        the verb it is when a coordinating word or a gerund shows it heads a clause of its own."""
        coordinated = any(c.dep_ == "cc" for c in token.children) or self.doc[token.i - 1].lower_ in (
            "and",
            ",",
        )
        if not (token.tag_ == "VBG" or (coordinated and token.tag_ in ("VBD", "VBN"))):
            return False
        noun = token.head
        objects = self.object_phrase(trigger, noun)
        clause = noun.head
        hops = 0
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i and hops < 4:
            clause, hops = clause.head, hops + 1
        subjects = (
            [e for t in self.subjects(clause) for e in self.phrase(t)]
            if clause.pos_ in ("VERB", "AUX")
            else []
        )
        n = self.emit(subjects, trigger.predicate, objects, token, "active-verb", (noun,))
        if n and trigger.predicate in ("decreases", "treats"):
            self.treats_population(subjects, [token, noun], token)
        return n > 0

    def apply(self, trigger: Trigger, token: Token) -> bool:
        if trigger.frame in ("active", "inverse") and token.dep_ == "amod" and token.pos_ == "VERB":
            return trigger.frame == "active" and self.misparsed_participle(trigger, token)
        if trigger.frame == "nominal":
            return self.nominal(trigger, token)
        if trigger.frame == "adjective":
            return self.adjective(trigger, token)
        if token.pos_ not in ("VERB", "AUX"):
            return False
        # A light verb over a nominal trigger ("causes an increase in X") leaves the relation to the noun.
        if token.lemma_.lower() in WORDS["light-verb"] and any(
            c.dep_ == "dobj" and self.rules.triggers_for(c.lemma_, "NOUN") and self.entity_of(c) is None
            for c in token.children
        ):
            return False
        obj_tokens = self.objects(trigger, token)
        if self.is_passive(token):
            patients = [c for c in token.children if c.dep_ == "nsubjpass"]
            if token.dep_ == "acl" and not patients:
                patients = [token.head]
            agents = self.agents(token)
            subj_tokens = agents
            if not agents and patients and token.dep_ in ("xcomp", "advcl", "conj"):
                return False
            obj_tokens = patients or obj_tokens
            if not agents:
                subj_tokens = self.subjects(token.head) if token.dep_ in ("xcomp",) else []
        else:
            subj_tokens = self.subjects(token)
        if trigger.frame == "inverse":
            subj_tokens, obj_tokens = obj_tokens, subj_tokens
        elif trigger.predicate in CHANGE_PREDICATES and not any(self.phrase(t) for t in subj_tokens):
            # "Morning stiffness was reduced by half", "her joint pain had improved": in a report about a
            # drug, an unattributed change is the drug's.
            intransitive = not self.is_passive(token) and not any(c.dep_ == "dobj" for c in token.children)
            if self.is_passive(token) or intransitive:
                drug = self.topic(window=2)
                if intransitive:
                    obj_tokens = [c for c in token.children if c.dep_ == "nsubj"]
                if drug is not None and obj_tokens:
                    objects = unique(o for t in obj_tokens for o in self.phrase(t))
                    objects = [o for o in objects if o.label_ in ("PhenotypicFeature", "Disease")]
                    return (
                        self.emit(
                            [drug],
                            trigger.predicate,
                            objects,
                            token,
                            "unattributed-change",
                            tuple(obj_tokens),
                        )
                        > 0
                    )
        subjects = unique(s for t in subj_tokens for s in self.phrase(t) + self.local_slot(t))
        objects = unique(o for t in obj_tokens for o in self.object_phrase(trigger, t) + self.local_slot(t))
        if trigger.predicate == "treats":  # "benefit ... patients with psoriasis"
            objects = unique(objects + [o for t in obj_tokens for o in self.population_conditions(t)])
        if trigger.object_categories:
            objects = [o for o in objects if o.label_ in trigger.object_categories]
            if not objects:
                return False
        if not subj_tokens and (token.tag_ == "VBG" or is_to_infinitive(token)):
            subjects = self.fallback_subject(trigger, token, objects)
        if not objects and trigger.predicate == "associatedWith":
            objects = [e for e in self.sentence_entities() if e.label_ == "Disease" and e not in subjects][:1]
        rule = f"{trigger.frame}-{'passive' if self.is_passive(token) else 'verb'}"
        n = self.emit(subjects, trigger.predicate, objects, token, rule, tuple(obj_tokens))
        if n and trigger.predicate in ("decreases", "treats"):
            self.treats_population(subjects, [token, *obj_tokens], token)
        return n > 0

    def treats_population(self, subjects: list[Span], holders: list[Token], trigger: Token) -> None:
        """ "reduced pain in women with fibromyalgia": the drug treats the population's condition."""
        conditions = [
            e
            for h in holders
            for c in h.children
            if c.dep_ == "prep" and c.lower_ in ("in", "among")
            for p in pobjs(c)
            # "in women with fibromyalgia", or "relapse in opioid dependence"
            for e in self.population_conditions(p) + [d for d in self.phrase(p) if d.label_ == "Disease"]
        ]
        drugs = [s for s in subjects if s.label_ in DRUG_CATEGORIES]
        self.emit(drugs, "treats", conditions, trigger, "in-population", tuple(holders[1:]))

    def object_phrase(self, trigger: Trigger, token: Token) -> list[Span]:
        """Entities of an object slot; an attachment the types reject is retried one phrase up."""
        spans = self.phrase(token)
        if trigger.predicate in ("decreases", "increases", "regulates"):
            for span in list(spans):
                if span.label_ in ("BiologicalProcess",):
                    for child in span.root.children:
                        if child.dep_ == "prep" and child.lower_ == "of":
                            spans += [s for p in pobjs(child) for s in self.phrase(p) if s.label_ == "Cell"]
        allowed = self.rules.object_types.get(trigger.predicate)
        if spans and allowed and not any(s.label_ in allowed for s in spans):
            up = token.head
            if up.dep_ == "prep" and up.head.pos_ in ("NOUN", "PROPN"):
                return self.phrase(up.head)
            if token.dep_ == "pobj" and token.head.dep_ == "prep":
                return self.phrase(token.head.head)
        return spans

    def fallback_subject(self, trigger: Trigger, token: Token, objects: list[Span]) -> list[Span]:
        """A participle or infinitive without a subject: the nearest earlier entity of the right type."""
        allowed = self.rules.subject_types.get(trigger.predicate, frozenset())
        for ent in sorted({e for i, e in self.entity_at.items() if i < token.i}, key=lambda e: -e.start):
            if ent.label_ in allowed and ent.label_ in DRUG_CATEGORIES and ent not in objects:
                return [ent]
        return []

    def nominal(self, trigger: Trigger, noun: Token) -> bool:
        """ "an increase in X" (subject from the governing clause), "LDN treatment in women with Z"."""
        if self.entity_of(noun) is not None:
            return False
        objects: list[Span] = []
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in trigger.preps:
                for p in pobjs(c):
                    objects.extend(self.phrase(p))
            if c.dep_ == "prep" and c.lower_ in ("in", "among", "for") and trigger.predicate == "treats":
                for p in pobjs(c):
                    objects.extend(self.population_conditions(p))
        if objects:  # "the release of cytokines such as IL-6, TNF and IL-1": a list hung on the noun
            objects += [e for c in noun.children if c.dep_ == "conj" for e in self.phrase(c)]
        objects = self.typed(trigger.predicate, unique(objects), "object")
        if not objects:
            return False
        subjects = [
            e
            for c in noun.lefts
            if c.dep_ in ("compound", "nmod", "amod", "poss") and self.entity_of(c) is not None
            for e in self.phrase(c)
        ]
        # "treatment with X", "a study of X in women with Y": the drug is the subject.
        subjects += [
            e
            for c in noun.children
            if c.dep_ == "prep" and c.lower_ in ("of", "with")
            for p in pobjs(c)
            for e in self.phrase(p)
            if e.label_ in DRUG_CATEGORIES
        ]
        subjects += self.instruments(noun)
        subjects = [s for s in unique(subjects) if s not in objects]
        if not subjects and noun.dep_ in ("dobj", "attr") and noun.head.lemma_.lower() in WORDS["light-verb"]:
            subjects = [e for t in self.subjects(noun.head) for e in self.phrase(t)]
        if (
            not subjects
            and noun.dep_ == "pobj"
            and noun.head.head.lemma_.lower() in WORDS["light-verb"]
            and noun.head.head.pos_ == "VERB"
        ):
            subjects = [
                e for t in self.subjects(noun.head.head) for e in self.phrase(t)
            ]  # "leads to an increase"
        if not subjects and noun.dep_ in ("appos", "ROOT", "attr"):
            head = noun.head if noun.dep_ == "appos" else None
            if noun.dep_ == "attr":
                subjects = [e for c in noun.head.children if c.dep_ == "nsubj" for e in self.phrase(c)]
            elif head is not None:
                subjects = self.phrase(head, members=False)
        if (
            not subjects
            and noun.dep_ == "pobj"
            and noun.head.lower_ == "as"
            and noun.head.head.pos_ == "VERB"
        ):
            # "X is recognised as a driver of Y", "X acts as an inhibitor of Y"
            subjects = [e for t in self.subjects(noun.head.head) for e in self.phrase(t)]
        if not subjects and noun.dep_ == "pobj" and noun.head.lower_ == "of":
            subjects = [e for e in self.phrase(noun.head.head) if e.label_ in DRUG_CATEGORIES]
        return (
            self.emit(
                self.typed(trigger.predicate, subjects, "subject"),
                trigger.predicate,
                objects,
                noun,
                "nominal",
            )
            > 0
        )

    def adjective(self, trigger: Trigger, adj: Token) -> bool:
        """ "LDN is helpful in cancer", "X is contraindicated in Y", "activation is involved"."""
        if adj.pos_ not in ("ADJ", "VERB"):
            return False
        # "contraindicated in patients taking X and in those with Y": coordinated prepositions too
        preps = [c for c in adj.children if c.dep_ == "prep" and c.lower_ in trigger.preps]
        preps += [d for c in preps for d in c.children if d.dep_ == "conj" and d.lower_ in trigger.preps]
        objects = [e for c in preps for p in pobjs(c) for e in self.phrase(p)]
        for c in preps:
            for p in pobjs(c):
                objects.extend(self.population_conditions(p))
                for pc in p.children:  # "helpful in treating X"
                    if pc.dep_ == "dobj":
                        objects.extend(self.phrase(pc))
            for pc in c.children:
                if pc.dep_ == "pcomp":
                    objects.extend(e for d in pc.children if d.dep_ == "dobj" for e in self.phrase(d))
        subj_tokens = self.subjects(adj) if adj.dep_ in ("acomp", "xcomp", "ROOT", "conj") else []
        if adj.dep_ == "amod":
            subj_tokens = [adj.head]
        subjects = unique(e for t in subj_tokens for e in self.phrase(t))
        if not objects and trigger.predicate == "associatedWith":
            objects = [e for e in self.sentence_entities() if e.label_ == "Disease" and e not in subjects][:1]
        return self.emit(subjects, trigger.predicate, unique(objects), adj, "adjective") > 0

    def copula_classes(self) -> None:
        """ "Naltrexone is an opioid antagonist", "Microglia are a type of glial cell"."""
        for token in self.tokens:
            if token.lemma_.lower() not in COPULAS:
                continue
            subj = [c for c in token.children if c.dep_ == "nsubj"]
            attrs = [c for c in token.children if c.dep_ == "attr"]
            if not subj or not attrs:
                continue
            if any(c.dep_ == "neg" for c in token.children):
                continue
            subjects = [e for s in subj for e in self.phrase(s)]
            for attr in attrs:
                if attr.lemma_.lower() in WORDS["class-head"]:
                    objects = [
                        e
                        for c in attr.children
                        if c.dep_ == "prep" and c.lower_ == "of"
                        for p in pobjs(c)
                        for e in self.phrase(p, members=False)
                    ]
                else:
                    ent = self.entity_of(attr) or self.local_entity(attr, named_generic=True)
                    objects = [ent] if ent is not None else []
                    if self.entity_of(attr) is None and attr.lemma_.lower() in self.rules.generic_nouns:
                        # "Fibromyalgia is a chronic pain disorder": a disorder of which pain is a feature.
                        features = [self.entity_at[c.i] for c in attr.lefts if c.i in self.entity_at]
                        self.emit(subjects, "associatedWith", unique(features), token, "copula-feature")
                self.emit(subjects, "subclassOf", objects, token, "copula-class")

    def member_classes(self) -> None:
        """ "autoimmune conditions such as MS, lupus" / "like psoriatic arthritis": members are subclasses."""
        for token in self.tokens:
            if not (token.dep_ == "prep" and is_member_prep(token)):
                continue
            head = token.head
            cls = self.entity_of(head)
            if cls is None:
                continue
            members = [e for p in pobjs(token) for e in self.phrase(p, stop_as_well=True)]
            self.emit(members, "subclassOf", [cls], token, "such-as")

    def parenthetical_parts(self) -> None:
        """ "the central nervous system (brain and spinal cord)": parts in parentheses."""
        for ent in set(self.entity_at.values()):
            if ent.label_ != "AnatomicalEntity":
                continue
            for child in ent.root.children:
                if child.dep_ != "appos" or child.i < ent.end:
                    continue
                if not (child.i > 0 and self.doc[child.left_edge.i - 1].text == "("):
                    continue
                parts = [
                    p for p in self.phrase(child) if p.label_ == "AnatomicalEntity" and p.kb_id_ != ent.kb_id_
                ]
                self.emit(parts, "partOf", [ent], child, "parenthetical-part")

    def anatomical_parts(self) -> None:
        """ "the dorsal horn of the spinal cord": a part of an anatomical structure."""
        for ent in set(self.entity_at.values()):
            if ent.label_ != "AnatomicalEntity":
                continue
            for child in ent.root.children:
                if child.dep_ != "prep" or child.lower_ not in ("of", "within") or child.i < ent.end:
                    continue
                wholes = [
                    w
                    for t in pobjs(child)
                    for w in self.phrase(t, members=False)
                    if w.label_ == "AnatomicalEntity" and w.kb_id_ != ent.kb_id_
                ]
                self.emit([ent], "partOf", wholes, child, "part-of-whole")

    def located_in(self) -> None:
        """ "glial cell of the CNS", "receptors in the gut": a cell or protein in an anatomical place."""
        for ent in set(self.entity_at.values()):
            if ent.label_ not in ("Cell", "Protein", "ProteinFamily"):
                continue
            # "TLR4 on microglia", "TLR4 (signalling|expressed) on microglia"
            preps = [c for c in ent.root.children if c.dep_ == "prep"] + [
                p for c in ent.root.children if c.dep_ == "acl" for p in c.children if p.dep_ == "prep"
            ]
            for child in preps:
                if child.lower_ not in ("of", "in", "within", "on"):
                    continue
                place_types = ("AnatomicalEntity", "Cell") if ent.label_ != "Cell" else ("AnatomicalEntity",)
                places = [
                    p for t in pobjs(child) for p in self.phrase(t, members=False) if p.label_ in place_types
                ]
                if not places:
                    continue
                holders = [ent]
                # "Microglia are a type of glial cell of the CNS", "... are the immune cells of the CNS":
                # the place is the subject's.
                node = ent.root
                if node.dep_ == "attr" and node.head.lemma_.lower() in COPULAS:
                    holders = [
                        e for c in node.head.children if c.dep_ == "nsubj" for e in self.phrase(c)
                    ] or holders
                if node.dep_ == "pobj" and node.head.head.lemma_.lower() in WORDS["class-head"]:
                    attr = node.head.head
                    if attr.dep_ == "attr":
                        holders = [e for c in attr.head.children if c.dep_ == "nsubj" for e in self.phrase(c)]
                self.emit(holders, "locatedIn", places, child, "located-in")

    def active_ingredient(self) -> None:
        """ "the dose of X ... 4.5 mg of Y": Y is the active ingredient of X."""
        if not self.doses():
            return
        for token in self.tokens:
            if token.lower_ != "of" or token.head.lower_ not in ("mg", "mcg", "µg", "g", "ml", "ug"):
                continue
            ingredients = [
                e for p in pobjs(token) for e in self.phrase(p, members=False) if e.label_ in DRUG_CATEGORIES
            ]
            if not ingredients:
                ingredients = [
                    self.entity_at[t.i]
                    for t in token.subtree
                    if t.i in self.entity_at and self.entity_at[t.i].label_ in DRUG_CATEGORIES
                ][:1]
            products = [
                e
                for t in self.tokens
                if t.lemma_.lower() in ("dose", "dosage", "formulation", "preparation", "tablet", "capsule")
                for c in t.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in pobjs(c)
                for e in self.phrase(p, members=False)
                if e.label_ == "Drug"
            ]
            self.emit(products, "hasActiveIngredient", ingredients, token, "dose-of")

    def side_effects(self) -> None:
        """ "Most people notice X", "X was reported by 14% of participants": patients on the drug under
        discussion report a side effect; "reported less X" is an improvement instead."""
        for token in self.tokens:
            if token.lemma_.lower() not in WORDS["report-verb"] or token.pos_ != "VERB":
                continue
            drug = self.topic(before=token.i)
            if drug is None:
                continue
            subj = [c for c in token.children if c.dep_ == "nsubj"]
            agents = [a for a in self.agents(token)]
            reporters = subj + [t for a in agents for t in a.subtree]
            people = any(self.is_population(t) for r in reporters for t in (r, *r.children))
            if not people and not any(r.lower_ in PERSONAL_PRONOUNS for r in subj):
                continue
            objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
            for obj in objects:
                effects = [e for e in self.phrase(obj) if e.label_ in ("PhenotypicFeature", "Disease")]
                less = any(t.lower_ in WORDS["less"] for t in obj.subtree if t.i < obj.i)
                if less:
                    self.emit([drug], "decreases", effects, token, "patient-report-less", (obj,))
                else:
                    self.emit([drug], "hasSideEffect", effects, token, "patient-report", (obj,))

    def side_effect_lists(self) -> None:
        """ "Its most common side effects are nausea and headache", "Adverse effects of X include Y"."""
        for token in self.tokens:
            if token.lemma_.lower() not in EFFECT_NOUNS or token.pos_ != "NOUN":
                continue
            mods = {c.lower_ for c in token.lefts}
            if not mods & {"side", "adverse", "undesirable", "unwanted"}:
                continue
            drugs = [
                e
                for c in token.children
                if (c.dep_ == "poss" and c.pos_ == "PRON")
                or (c.dep_ == "prep" and c.lower_ in ("of", "from"))
                for t in ([c] if c.dep_ == "poss" else pobjs(c))
                for e in (self.resolve_pronoun(t) if t.pos_ == "PRON" else self.phrase(t))
                if e.label_ in DRUG_CATEGORIES
            ]
            if not drugs and (topic := self.topic()) is not None:
                drugs = [topic]
            members = self.generic_members(token, 0) + [
                e
                for c in token.children
                if c.dep_ == "prep" and is_member_prep(c)
                for p in pobjs(c)
                for e in self.phrase(p)
            ]
            effects = [e for e in unique(members) if e.label_ in ("PhenotypicFeature", "Disease")]
            self.emit(drugs, "hasSideEffect", effects, token, "side-effect-list", (token,))

    def contraindications(self) -> None:
        """ "you cannot take X with Y", "X should not be combined with Y"."""
        for token in self.tokens:
            if token.lemma_.lower() not in CONTRAINDICATION_VERBS:
                continue
            chain = [token, token.head] if token.dep_ in ("xcomp",) else [token]
            negated = any(c.dep_ == "neg" for t in chain for c in t.children)
            modal = any(c.lower_ in ("can", "should", "must", "ca") for t in chain for c in t.children)
            if not (negated and modal):
                continue
            first = [e for c in token.children if c.dep_ in ("dobj", "nsubjpass") for e in self.phrase(c)]
            holders = [token] + [c for c in token.children if c.dep_ == "advmod" and c.lower_ == "together"]
            second = [
                e
                for h in holders
                for c in h.children
                if c.dep_ == "prep" and c.lower_ in ("with", "alongside")
                for p in pobjs(c)
                for e in self.phrase(p)
            ]
            # The drug under discussion (in earlier sentences) is the one with the contraindication.
            topic = self.discourse.topic_drug(self.number)
            if topic is not None and any(e.kb_id_ == topic.kb_id_ for e in first):
                first, second = second, first
            if self.emit(second, "contraindicatedWith", first, token, "cannot-take-with") == 0:
                self.emit(first, "contraindicatedWith", second, token, "cannot-take-with")

    def drug_for(self) -> None:
        """ "Low-dose naltrexone for pain and fatigue in fibromyalgia": a drug for a condition treats it."""
        for ent in self.sentence_entities():
            if ent.label_ not in DRUG_CATEGORIES:
                continue
            for child in ent.root.children:
                if child.dep_ != "prep" or child.lower_ not in ("for", "against") or child.i < ent.end:
                    continue
                objects: list[Span] = []
                for p in pobjs(child):
                    objects += self.phrase(p)
                    for pc in p.children:  # "for pain in fibromyalgia"
                        if pc.dep_ == "prep" and pc.lower_ in ("in", "among"):
                            objects += [
                                e for q in pobjs(pc) for e in self.phrase(q) + self.population_conditions(q)
                            ]
                    objects += self.population_conditions(p)
                self.emit([ent], "treats", unique(objects), child, "drug-for")

    def unchanged_outcomes(self) -> None:
        """ "X did not differ between groups", "no significant difference in X", "X remained unchanged":
        the drug under discussion did not change X. For a sentence with one of `NO_CHANGE_WORDS`."""
        drug = self.topic(window=2)
        if drug is None:
            return
        for token in self.tokens:
            lemma = token.lemma_.lower()
            if lemma == "differ" and token.pos_ == "VERB":
                targets = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            elif lemma == "difference" and token.pos_ == "NOUN":
                targets = [
                    p
                    for c in token.children
                    if c.dep_ == "prep" and c.lower_ in ("in", "of")
                    for p in pobjs(c)
                ]
            else:
                targets = []
            # Only a negative finding says something of the drug's effect (a difference has no direction).
            if targets and context.is_negated(self.rules, token, (token,)):
                objects = [e for t in targets for e in self.phrase(t)]
                self.emit([drug], "decreases", objects, token, "no-difference", (token,))
            elif lemma == "unchanged" and token.dep_ in ("acomp", "oprd", "xcomp"):
                targets = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                objects = [e for t in targets for e in self.phrase(t)]
                # "remained unchanged" says the drug did not change it: negated.
                self.emit([drug], "regulates", objects, token, NEGATIVE_RULE)

    def outcomes(self) -> None:
        """ "a response ... in patients with Crohn's disease": the drug under discussion treats it. For a
        sentence with an outcome noun."""
        if any(e.label_ in DRUG_CATEGORIES for e in self.entity_at.values()):
            return
        drug = self.discourse.topic_drug(self.number, window=2)
        if drug is None:
            return
        for token in self.tokens:
            for e in self.population_conditions(token):
                self.emit([drug], "treats", [e], token, "outcome-in-population")

    def relations(self) -> Iterator[Relation]:
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
        for s, predicate, o, trigger, rule, args in self.found:
            key = (s.kb_id_, predicate, o.kb_id_)
            if key in seen:
                continue
            seen.add(key)
            if rule == "cannot-take-with":
                negated = False  # the negation is part of what a contraindication says
            elif rule == NEGATIVE_RULE:
                negated = True
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
            if _takes_qualifiers(s, predicate):
                if sent_quals is None:
                    sent_quals = (
                        self.doses()
                        + qualifiers.effect_sizes(self.sent, self.text)
                        + qualifiers.years(self.sent, self.text)
                        + qualifiers.populations(self.sent, self.rules.populations, self.tokens)
                    )
                quals = tuple(q for q in sent_quals if _qualifies(q.kind, s, predicate))
            yield Relation(s.kb_id_, predicate, o.kb_id_, evidence, quals)

    def remember(self) -> None:
        """Update the discourse with this sentence's subjects and drugs."""
        # Only subjects that are entities themselves, not "X molecules" or "the increase in X".
        for i in sorted(i for i in self.entity_at if self.sent.start <= i < self.sent.end):
            token = self.token(i)
            if token.dep_ in ("nsubj", "nsubjpass"):
                self.discourse.subjects.append((self.entity_at[i], token.tag_ in ("NNS", "NNPS")))
        for e in self.sentence_entities():
            self.discourse.entities.append((self.number, e))
            if e.label_ == "Drug":
                self.discourse.drugs.append((self.number, e))


def _qualifies(kind: str, subject: Span, predicate: str) -> bool:
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
    if not _takes_qualifiers(subject, predicate):
        return ()
    text, tokens = sent.text, list(sent)
    found = (
        qualifiers.doses(sent, text)
        + qualifiers.effect_sizes(sent, text)
        + qualifiers.years(sent, text)
        + qualifiers.populations(sent, rules.populations, tokens)
    )
    return tuple(q for q in found if _qualifies(q.kind, subject, predicate))


def _takes_qualifiers(subject: Span, predicate: str) -> bool:
    """Whether a relation takes qualifiers of any kind (every kind but doses follows one rule)."""
    return _qualifies("dose", subject, predicate) or _qualifies("effect_size", subject, predicate)


class RelationExtractor:
    """spaCy component: sets `doc._.ldn_relations` to the relations of the doc, in text order."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.rules = load_rules()
        self.trigger_words = frozenset(lemma for lemma, _pos in self.rules.triggers)
        from ldn_graph.lexicon import default_lexicon

        # Asked whether a local concept's key is taken. The lexicon answers from its indexes; iterating it
        # would make a Concept object for each of its ~126,000 ontology rows and keep them all.
        self.lexicon = default_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        discourse = Discourse()
        relations: list[Relation] = []
        locals_: list[Span] = []
        if doc._.ldn_local_concepts is None:
            doc._.ldn_local_concepts = {}
        ents = doc.ents
        tokens = list(doc)
        doc_text = "".join(t.text_with_ws for t in tokens)  # == doc.text, from the tokens already made
        for number, sent in enumerate(doc.sents):
            text = doc_text[sent.start_char : sent.end_char]  # == sent.text, without walking its tokens
            if not text.strip():
                continue
            sent_tokens = tokens[sent.start : sent.end]
            reader = SentenceReader(self, doc, sent, number, discourse, ents, text, sent_tokens)
            reader.read()
            relations.extend(reader.relations())
            reader.remember()
            locals_ += reader.locals
        if locals_:
            used = {r.subject for r in relations} | {r.object for r in relations}
            keep = [e for e in locals_ if e.kb_id_ in used]
            # The concepts this component made and no relation took are dropped (the linker's stay).
            made = {e.kb_id_ for e in locals_}
            doc._.ldn_local_concepts = {
                k: c for k, c in doc._.ldn_local_concepts.items() if k in used or k not in made
            }
            doc.ents = spacy_filter_spans(list(doc.ents) + keep)
        doc._.ldn_relations = relations
        return doc


@Language.factory(
    "ldn_relation_extractor",
    default_config={},
    assigns=["doc._.ldn_relations"],
    requires=["doc.ents", "token.dep"],
)
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    """Factory of the `ldn_relation_extractor` component (rules from `ontology/`)."""
    return RelationExtractor(nlp, name)
