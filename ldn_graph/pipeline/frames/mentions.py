"""Noun phrases: the entities a phrase denotes, through lists, appositions, pronouns and generic heads.

A slot of a frame is a token; `Mentions.phrase` turns it into the entities it stands for: the entity at
the token, its coordinated and listed members ("such as", "like", "including", "called"), the antecedent
of "it"/"they"/"which" and of "these cells", the members a text lists for a generic noun ("conditions ...
include A, B"), and the entities a transparent head passes on ("levels of X", "a type of X"). Where no
lexicon entity fills a slot, `local_entity` makes a project-local one typed by its head word.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Span, Token

from ldn_graph.model import Concept, slugify
from ldn_graph.pipeline.frames.definite import classed_antecedent, close_apposition, complex_protein
from ldn_graph.pipeline.frames.sentence import Discourse, SentenceState
from ldn_graph.pipeline.frames.tokens import (
    COPULAS,
    DEMONSTRATIVES,
    DRUG_CATEGORIES,
    MAX_DEPTH,
    PRONOUNS_PLURAL,
    PRONOUNS_SINGULAR,
    RELATIVE,
    WORDS,
    after_as_well_as,
    bare_plural,
    in_main_clause,
    is_event_relative,
    is_member_prep,
    is_plural,
    pobjs,
    unique,
)

INSTRUMENT_PROTEINS = frozenset(("Protein",))


class Mentions(SentenceState):
    """The noun-phrase reading of a sentence's slots."""

    def resolve_pronoun(self, token: Token, categories: Collection[str] | None = None) -> list[Span]:
        """Antecedent of it/they: nearest earlier entity in the sentence, else an earlier subject; with
        `categories`, the first of those of one of them (the possessor of "its side effects" is a drug:
        a subject of another kind in between is passed over, as a reader passes over it)."""
        plural = token.lower_ in PRONOUNS_PLURAL
        # not what an "unlike" phrase sets against the clause ("Unlike naloxone, it is ...")
        contrasted = {
            t.i
            for c in self.tokens
            if c.dep_ == "prep" and c.lower_ in WORDS["contrast-prep"] and c.i < token.i
            for t in c.subtree
        }
        earlier = list(
            dict.fromkeys(
                e for i, e in sorted(self.entity_at.items()) if e.end <= token.i and i not in contrasted
            )
        )[::-1]
        # The subject of an earlier clause is the preferred antecedent (centering), then the nearest entity.
        subjects = [(e, e.root) for e in earlier if e.root.dep_ in ("nsubj", "nsubjpass")]
        # A subject that is not an entity itself ("Activation of microglia ... and it leads to") counts too,
        # and so does an earlier pronoun subject, as what it stands for ("it does not cause flushing when
        # alcohol is drunk, and it is meant to be taken": the first "it", not alcohol).
        clause_subjects = [
            t
            for t in self.tokens
            if t.i < token.i and t.dep_ in ("nsubj", "nsubjpass") and t.i not in contrasted
        ][::-1]
        for t in clause_subjects:
            if self.entity_of(t) is not None:
                continue
            if t.pos_ == "PRON":
                named = self.resolve_pronoun(t) if t.lower_ in PRONOUNS_SINGULAR else []
            else:
                named = self.phrase(t, members=False)
            subjects += [(e, t) for e in named if e not in {s for s, _t in subjects}]
        # a main clause's subject before a relative or adverbial clause's ("when alcohol is drunk")
        subjects.sort(key=lambda pair: not in_main_clause(pair[1]))
        others = [e for e in earlier if e not in {s for s, _t in subjects}]
        number = [(e, is_plural(e)) for e, _t in subjects]
        rest = [(e, is_plural(e)) for e in others]
        # With no subject of its own sentence before it, the main-clause subject of the sentence just before
        # ("CRPS is a pain in which the pain is out of proportion. It follows a fracture": CRPS), then any.
        # Earlier sentences' subjects, the most salient first (Discourse.salience), then the latest.
        salience = self.discourse.salience(self.number)
        latest = sorted(self.discourse.subjects[::-1], key=lambda s: -salience[s[1].kb_id_])
        earlier_subjects = [(e, p) for _n, e, p, _main in latest]
        if not number:
            earlier_subjects = [
                (e, p) for n, e, p in self.discourse.main_subjects[::-1] if n == self.number - 1
            ][:1] + earlier_subjects
        for ent, ent_plural in number + earlier_subjects + rest:
            if categories is not None and ent.label_ not in categories:
                continue
            if ent_plural == plural or (plural and ent.root.lower_.endswith("ia")):
                return [ent]
            if plural and (group := self.coordinated(ent)):
                return group  # "Gabapentin and pregabalin ... they": the coordinated entities
        return []

    def coordinated(self, ent: Span) -> list[Span]:
        """An entity with the entities coordinated with it ("gabapentin and pregabalin"); [] if none."""
        doc = ent.doc
        group = [ent]
        for t in ent.root.conjuncts:
            other = next((e for e in self.ents if e.start <= t.i < e.end), None) if t.doc is doc else None
            if other is not None and other not in group:
                group.append(other)
        return sorted(group, key=lambda e: e.start) if len(group) > 1 else []

    def phrase(
        self, token: Token, *, members: bool = True, depth: int = 0, stop_as_well: bool = False
    ) -> list[Span]:
        """The entities a noun phrase headed by `token` denotes (with coordinated and listed members)."""
        if depth > MAX_DEPTH:
            return []
        out: list[Span] = []
        ent = self.entity_of(token)
        lower = token.lower_
        lemma = token.lemma_.lower()
        if ent is not None and lemma in WORDS["gene-change-noun"] and ent.root.i == token.i:
            # "caused by mutations in ATP2C1": the gene the change is in stands for it
            genes = [
                e
                for c in self.children(token)
                if c.dep_ == "prep" and c.lower_ in WORDS["transparent-prep"]
                for p in pobjs(c)
                for e in self.phrase(p, depth=depth + 1)
            ]
            if genes:
                out.extend(genes)
                ent = None
        named = ent
        if ent is not None and (protein := complex_protein(self, ent)) is not None:
            named = protein  # "the NLRP3 inflammasome": NLRP3
        if ent is not None and members and close_apposition(self, token, ent):
            named = None  # "the lysosomal protease cathepsin S": cathepsin S (a member, below), not the class
        if ent is not None:
            out.extend([named] if named is not None else [])
        elif lower in PRONOUNS_SINGULAR | PRONOUNS_PLURAL and token.pos_ == "PRON":
            out.extend(self.resolve_pronoun(token))
        elif lower == "which" and is_event_relative(token):
            # "X blocks the receptors, which leads to Y": the event, so its agent
            clause = token.head.head
            while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
                clause = clause.head
            out.extend(e for t in self.subjects(clause) for e in self.phrase(t, depth=depth + 1))
        elif lower in RELATIVE and token.head.dep_ in ("relcl", "acl") and token.head.head.i != token.head.i:
            out.extend(self.phrase(self.renamed(token.head.head), depth=depth + 1))
        elif lower in RELATIVE and token.dep_ == "pobj" and token.head.head.dep_ in ("relcl", "acl"):
            out.extend(self.phrase(token.head.head.head, depth=depth + 1))  # "the receptor to which it binds"
        elif (
            lemma in self.rules.generic_nouns
            and token.dep_ == "attr"
            and token.head.lemma_.lower() in COPULAS
            and any(c.dep_ == "nsubj" for c in token.head.children)
        ):
            # "Fibromyalgia is a (chronic pain) disorder characterized by ...": the disorder is the subject.
            for c in token.head.children:
                if c.dep_ == "nsubj":
                    out.extend(self.phrase(c, depth=depth + 1))
        elif self.names_topic_condition(token):
            # "vitamin E did not prevent the condition": the condition under discussion.
            condition = self.topic_condition()
            out.extend([condition] if condition is not None else [])
        elif lemma in self.rules.generic_nouns and any(
            c.dep_ == "det" and (c.lower_ in DEMONSTRATIVES or (c.lower_ == "the" and bare_plural(token)))
            for c in token.children
        ):
            # "these cells", "these mediators": the nearest earlier entity the noun can name.
            out.extend(self.demonstrative(token))
        elif (
            lemma in self.rules.generic_nouns
            and token.tag_ == "NN"
            and [c.lower_ for c in self.children(token) if c.i < token.i] == ["the"]
            and (antecedent := self.same_head_antecedent(token)) is not None
        ):
            # "the receptor": the entity with that head the text is about ("The kappa-opioid receptor is
            # ... Activation of the receptor produces analgesia").
            out.append(antecedent)
        elif (
            token.tag_ == "NN"
            and [c.lower_ for c in self.children(token)] == ["the"]
            and (antecedent := classed_antecedent(self, token)) is not None
        ):
            # "TRPV1 is a cation channel ... Mediators sensitise the channel": the entity the text called one
            out.append(antecedent)
        elif self.rules.triggers_for(lemma, "NOUN") and (agents := self.instruments(token)):
            # "inhibition of microglial activation with minocycline attenuates X": minocycline does.
            out.extend(agents)
        elif token.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM"):
            # Entity modifiers ("Endorphin and Enkephalin molecules", "psoriatic arthritis works").
            transparent = lemma in WORDS["transparent"] or lemma in self.rules.generic_nouns
            # "TNF inhibitors" are not TNF: a role noun's modifier is what it acts on
            role = self.rules.local_category(lemma) == "ChemicalRole"
            if lemma in WORDS["sample-noun"]:
                # "Serum interleukin-6 was unchanged" parsed with the sample as the head: what it holds
                out.extend(
                    e
                    for child in self.children(token)
                    if child.i > token.i and child.dep_ in ("nummod", "compound", "appos", "nmod", "npadvmod")
                    for e in self.phrase(child, depth=depth + 1)
                )
            for child in self.children(token):
                if child.i > token.i or role:
                    break  # the left children only
                if child.dep_ in ("det", "poss", "case"):
                    continue
                if self.entity_of(child) is not None:
                    if (
                        transparent
                        and child.pos_ == "ADJ"
                        and any(c.dep_ == "prep" and c.lower_ == "of" for c in self.children(token))
                    ):
                        continue  # "the pro-inflammatory activity of glia": glia, the adjective a kind of it
                    if child.dep_ in ("compound", "nmod", "amod") or transparent:
                        out.extend(self.phrase(child, depth=depth + 1))
                elif transparent and child.dep_ in ("compound", "nmod"):
                    out.extend(self.entities_in(child))  # "serum IL-6 concentrations"
            if lemma in WORDS["transparent"] or lemma in self.rules.generic_nouns:
                for child in self.children(token):
                    if child.dep_ == "prep" and child.lower_ in WORDS["transparent-prep"]:
                        for pobj in pobjs(child):
                            out.extend(self.phrase(pobj, depth=depth + 1))
            if not out and lemma in self.rules.generic_nouns:
                out.extend(self.generic_members(token, depth))
            if not out and (pair := self.both_drugs(token)):
                out.extend(pair)  # "Both drugs reduced pain": the two drugs the text compares
            if not out and self.refers_to_topic(token):
                topic = self.topic()  # "a tiny dose at bedtime blocks ...": of the drug under discussion
                out.extend([topic] if topic is not None else [])
        if ent is not None and token.tag_ in ("NNS", "NNPS") and members:
            # "Some of the inflammatory conditions ... include A, B": the class stands for its members too.
            out.extend(self.generic_members(token, depth, verbs=WORDS["enumerating-verb"]))
        heads = [self.token(i) for i in range(ent.start, ent.end)] if ent is not None else [token]
        if members:
            for head in heads:
                for child in self.children(head):
                    if ent is not None and ent.start <= child.i < ent.end:
                        continue
                    out.extend(self._members_via(child, depth, stop_as_well))
        return unique(out)

    def refers_to_topic(self, token: Token) -> bool:
        """Whether a generic noun stands for the drug under discussion: a dose noun ("a tiny dose at
        bedtime"), or a singular treatment noun that is not indefinite ("Pre-emptive treatment attenuated
        allodynia", "the therapy"; not "a therapy that ...", nor "other drugs")."""
        categories = self.rules.generic_categories.get(token.lemma_.lower(), frozenset())
        if categories == frozenset(("Drug",)):
            return True
        indefinite = WORDS["indefinite-determiner"]
        return (
            "Drug" in categories
            and token.tag_ == "NN"
            and not any(c.dep_ == "det" and c.lower_ in indefinite for c in token.children)
        )

    def both_drugs(self, token: Token) -> list[Span]:
        """ "Both drugs", "both treatments": the two latest drugs named before (in this sentence, then in
        earlier ones); [] when the noun is no plural drug noun with "both"."""
        if token.tag_ != "NNS" or "Drug" not in self.rules.generic_categories.get(token.lemma_.lower(), ()):
            return []
        if not any(c.lower_ in WORDS["both-determiner"] for c in self.children(token) if c.i < token.i):
            return []
        here = [e for e in self.sentence_entities() if e.label_ == "Drug" and e.end <= token.i]
        found: list[Span] = []
        for e in [*reversed(here), *(e for _n, e in reversed(self.discourse.drugs))]:
            if all(e.kb_id_ != f.kb_id_ for f in found):
                found.append(e)
            if len(found) == 2:
                return found
        return []

    def names_topic_condition(self, token: Token) -> bool:
        """ "the condition", "the disorder" (singular, "the" and nothing else naming it; a relative clause
        after a comma may follow), "resistant disease" (a stage of it and nothing else): the condition
        under discussion. Not "the disease of X", "the idiopathic
        disease", nor "X is the disease that ..."."""
        if token.lemma_.lower() not in WORDS["condition-noun"] or token.tag_ != "NN" or token.dep_ == "attr":
            return False
        dets = [c for c in self.children(token) if c.i < token.i]
        # "options for resistant disease": a stage of it, with no determiner
        stage = (
            dets[0].dep_ == "amod" and dets[0].lower_ in WORDS["disease-stage"] if len(dets) == 1 else False
        )
        if len(dets) != 1 or (not stage and (dets[0].dep_ != "det" or dets[0].lower_ != "the")):
            return False
        return all(
            c.dep_ in ("punct", "cc", "conj")
            or (c.dep_ == "relcl" and self.doc[c.left_edge.i - 1].text == ",")
            for c in self.children(token)
            if c.i > token.i
        )

    def demonstrative(self, token: Token) -> list[Span]:
        """Antecedent of "these cells", "this drug": the nearest earlier entity of a category it names."""
        categories = self.rules.generic_categories.get(token.lemma_.lower(), frozenset())
        plural = token.tag_ in ("NNS", "NNPS")
        earlier = [e for i, e in sorted(self.entity_at.items()) if e.end <= token.i]
        here = list(dict.fromkeys(earlier))[::-1]
        previous = [e for _, e in self.discourse.entities[::-1]]
        for ent in here + previous:
            if ent.label_ in categories:
                if plural:  # "these mediators": the list that entity was part of
                    return [e for e in self._list_of(ent) if e.label_ in categories] or [ent]
                return [ent]
        return []

    def same_head_antecedent(self, token: Token) -> Span | None:
        """Antecedent of a definite singular noun ("the receptor"): an earlier entity of this sentence with
        that head word, else the latest subject of an earlier sentence with it, else the latest entity."""
        lemma = token.lemma_.lower()
        here = [e for i, e in sorted(self.entity_at.items()) if e.end <= token.i][::-1]
        subjects = [e for _n, e, plural, _main in self.discourse.subjects[::-1] if not plural]
        previous = [e for _, e in self.discourse.entities[::-1]]
        for ent in here + subjects + previous:
            if ent.root.lemma_.lower() == lemma and not is_plural(ent):
                return ent
        return None

    def _list_of(self, ent: Span) -> list[Span]:
        """The coordinated list an entity belongs to, with the class a "such as" list hangs from."""
        tok = ent.root
        while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
            tok = tok.head
        reader = type(self)(self.x, self.doc, tok.sent, self.number - 1, Discourse(), self.ents)
        members = reader.phrase(tok)
        if tok.dep_ == "pobj" and is_member_prep(tok.head):
            members = reader.phrase(tok.head.head, members=False) + members
        return unique(members)

    def instruments(self, noun: Token) -> list[Span]:
        """The drug doing what a nominalised action says: "inhibition of X with D", "X, for example with D",
        "D treatment"."""
        out = []
        # an antibody the lexicon types Protein is a drug here too ("blockade of TNF with infliximab")
        agents = DRUG_CATEGORIES | INSTRUMENT_PROTEINS
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in WORDS["instrument-prep"]:
                out += [e for p in pobjs(c) for e in self.phrase(p) if e.label_ in agents]
            if c.dep_ == "prep" and c.lower_ == "for":  # "for example with D"
                for p in pobjs(c):
                    if p.lower_ in WORDS["example-noun"]:
                        out += self.instruments(p)
            if c.dep_ == "prep" and c.lower_ == "of":  # "inhibition of X with D": D attached to X
                for p in pobjs(c):
                    for pc in p.children:
                        if pc.dep_ == "prep" and pc.lower_ in WORDS["attached-instrument-prep"]:
                            out += [e for q in pobjs(pc) for e in self.phrase(q) if e.label_ in agents]
            if c.dep_ in ("compound", "nmod", "amod") and c.i < noun.i:
                ent = self.entity_of(c)
                if ent is not None and ent.label_ in DRUG_CATEGORIES:
                    out.append(ent)
        return unique(out)

    def local_slot(self, token: Token) -> list[Span]:
        """Local entities for the coordinated heads of a slot that name no lexicon entity."""
        out: list[Span] = []
        head: Token | None = token
        seen: set[int] = set()
        stack = [token]
        while stack:
            head = stack.pop()
            if head.i in seen:
                continue
            seen.add(head.i)
            if not self.phrase(head, members=False):
                # a role noun takes its modifiers in: "TNF inhibitors" is one class
                role = self.rules.local_category(head.lemma_) == "ChemicalRole"
                ent = self.local_entity(head, absorb=role)
                if ent is not None:
                    out.append(ent)
            stack.extend(c for c in head.children if c.dep_ == "conj")
        return out

    def local_entity(self, token: Token, named_generic: bool = False, absorb: bool = False) -> Span | None:
        """A project-local entity for a noun phrase no lexicon knows, typed by its head ("joint pain");
        `absorb`: its modifiers may be entities of their own, which it takes in ("a serotonin-norepinephrine
        reuptake inhibitor" is one class, not serotonin and norepinephrine)."""
        if token.pos_ not in ("NOUN", "PROPN") or token.i in self.entity_at:
            return None
        lemma = token.lemma_.lower()
        if lemma in WORDS["transparent"] or self.is_population(token):
            return None
        if lemma in self.rules.generic_nouns:
            # "immune cells" names a class; "cells" alone does not
            named = any(
                c.dep_ in ("amod", "compound")
                and c.i == token.i - 1
                and c.lower_ not in WORDS["non-naming"]
                and c.i not in self.entity_at
                for c in token.lefts
            )
            if not (named_generic and named):
                return None
        category = self.rules.local_category(lemma)
        if category is None:
            return None
        start = token.i
        for child in reversed(list(token.lefts)):
            if child.i != start - 1 or child.dep_ not in ("compound", "amod", "nmod"):
                break
            if child.pos_ not in ("NOUN", "PROPN", "ADJ") or child.lower_ in WORDS["non-naming"]:
                break
            if child.i in self.entity_at and not absorb:
                break
            start = child.i if not absorb else self.doc[child.i].left_edge.i
        span = self.doc[start : token.i + 1]
        words = [t.lower_ for t in span[:-1]] + [lemma]
        label = " ".join(words) if not absorb else (span[:-1].text.lower() + " " + lemma).strip()
        key = slugify(label)
        local = self.doc._.ldn_local_concepts
        if key not in self.x.lexicon and key not in local:
            local[key] = Concept(
                key=key, label=label, category=category, synonyms=(span.text,), normalised=False
            )
        concept = local.get(key)
        ent = Span(self.doc, start, token.i + 1, label=concept.category if concept else category, kb_id=key)
        for i in range(start, token.i + 1):
            self.entity_at[i] = ent
        self.locals.append(ent)
        return ent

    def _members_via(self, child: Token, depth: int, stop_as_well: bool) -> list[Span]:
        out: list[Span] = []
        if child.dep_ == "conj":
            if stop_as_well and after_as_well_as(child):
                return out
            if self.excluded_alternative(child):  # "X rather than Y", "X but not Y"
                return out
            out.extend(self.phrase(child, depth=depth + 1, stop_as_well=stop_as_well))
        elif child.dep_ == "appos" and any(
            c.dep_ == "det" and c.lower_ in WORDS["indefinite-determiner"] for c in self.children(child)
        ):
            pass  # "duloxetine, a serotonin-norepinephrine reuptake inhibitor, ...": a class, not a name
        elif child.dep_ == "appos" or (
            child.dep_ == "nmod" and self.entity_of(child) is not None and child.i > 0
        ):
            out.extend(self.phrase(child, depth=depth + 1))
        elif child.dep_ == "prep" and is_member_prep(child):
            for pobj in pobjs(child):
                out.extend(self.phrase(pobj, depth=depth + 1))
        elif child.dep_ == "acl" and child.lemma_.lower() in WORDS["alias-verb"]:
            for c in child.children:
                if c.dep_ in ("oprd", "attr", "dobj", "xcomp"):
                    out.extend(self.phrase(c, depth=depth + 1))
        return out

    def generic_members(
        self, token: Token, depth: int, verbs: frozenset[str] = WORDS["list-verb"]
    ) -> list[Span]:
        """Members a text lists for a generic noun: "conditions ... include A, B", "conditions ... are: A"."""
        node = token
        if (
            node.dep_ == "pobj"
            and node.head.lower_ == "of"
            and node.head.head.pos_ in ("PRON", "DET", "NUM", "ADJ")
        ):
            node = node.head.head  # "some of the conditions"
        if node.dep_ in ("nsubj", "nsubjpass") and node.head.lemma_.lower() in verbs:
            verb = node.head
            out: list[Span] = []
            for c in verb.children:
                if c.dep_ in ("dobj", "attr", "oprd", "appos", "acomp"):
                    # The whole object is the list, also where the parser left it flat.
                    out.extend(self.phrase(c, depth=depth + 1) + self.entities_in(c))
            return out
        if node.dep_ == "attr" and node.head.lemma_.lower() in COPULAS and verbs is WORDS["list-verb"]:
            for c in node.head.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return self.phrase(c, depth=depth + 1)
        return []

    def population_conditions(self, token: Token) -> list[Span]:
        """ "women with fibromyalgia" -> fibromyalgia; "patients taking opioids" -> opioids."""
        if not self.is_population(token):
            return []
        out = [
            e
            for c in token.children
            if c.dep_ == "prep" and c.lower_ in WORDS["population-prep"]
            for p in pobjs(c)
            for e in self.phrase(p)
        ]
        for c in token.children:  # "patients (currently) taking opioid analgesics"
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in WORDS["population-verb"]:
                out += [e for d in c.children if d.dep_ == "dobj" for e in self.phrase(d)]
            # "depressed patients", "fibromyalgia patients": a condition the modifier names
            if c.dep_ in ("amod", "compound") and c.i < token.i and c.i in self.entity_at:
                ent = self.entity_at[c.i]
                if ent.label_ == "Disease" and ent.end <= token.i:
                    out.append(ent)
        return out
