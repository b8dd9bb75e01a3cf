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

Each construction family is a frame in a module of `ldn_graph.pipeline.frames`, registered in spaCy's
`ldn_frames` registry; this component's `frames` config key lists the frames it runs, in order
(`docs/extraction.md`).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans as spacy_filter_spans

from ldn_graph.lexicon import Lexicon, default_lexicon, load_lexicon
from ldn_graph.model import Relation
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.frames.reader import SentenceReader, qualifies, sentence_qualifiers, takes_qualifiers
from ldn_graph.pipeline.frames.registry import DEFAULT_FRAMES, load_frames
from ldn_graph.pipeline.frames.sentence import Discourse
from ldn_graph.pipeline.rules import RULE_FILES, Rules, load_rules

# `sentence_qualifiers` is the relation classifier's; the other two keep their names of before the frames
# moved out of this module.
_qualifies, _takes_qualifiers = qualifies, takes_qualifiers
__all__ = ["RelationExtractor", "make_relation_extractor", "sentence_qualifiers"]


class RelationExtractor:
    """spaCy component: sets `doc._.ldn_relations` to the relations of the doc, in text order."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        frames: Sequence[str] = DEFAULT_FRAMES,
        *,
        rules: Rules | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        register_extensions()
        self.name = name
        self.rules = load_rules() if rules is None else rules
        self.frames = load_frames(frames)
        self.trigger_words = frozenset(lemma for lemma, _pos in self.rules.triggers)
        # Asked whether a local concept's key is taken. The lexicon answers from its indexes; iterating it
        # would make a Concept object for each of its ~126,000 ontology rows and keep them all.
        self.lexicon = default_lexicon() if lexicon is None else lexicon

    def __call__(self, doc: Doc) -> Doc:
        discourse = Discourse()
        relations: list[Relation] = []
        declined: set[tuple[int, frozenset[str]]] = set()
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
            declined.update((sent.start_char, pair) for pair in reader.declined)
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
        doc._.ldn_declined = declined
        return doc


@Language.factory(
    "ldn_relation_extractor",
    default_config={
        "frames": list(DEFAULT_FRAMES),
        **{key: "" for key in RULE_FILES},
        "lexicon": "",
        "ontology_lexicon": "",
    },
    assigns=["doc._.ldn_relations"],
    requires=["doc.ents", "token.dep"],
)
def make_relation_extractor(
    nlp: Language,
    name: str,
    frames: list[str],
    triggers: str,
    cues: str,
    predicate_types: str,
    generic_nouns: str,
    local_entity_heads: str,
    populations: str,
    lexicon: str,
    ontology_lexicon: str,
) -> RelationExtractor:
    """Factory of the `ldn_relation_extractor` component: the frames it runs, in order (names registered
    in spaCy's `ldn_frames` registry; `ldn_graph.pipeline.frames`); the rule files (`rules.RULE_FILES`)
    and the lexicon (the entity linker's keys), each "" for the bundled one under `ontology/`."""
    rules = load_rules(
        triggers=triggers,
        cues=cues,
        predicate_types=predicate_types,
        generic_nouns=generic_nouns,
        local_entity_heads=local_entity_heads,
        populations=populations,
    )
    return RelationExtractor(nlp, name, frames, rules=rules, lexicon=load_lexicon(lexicon, ontology_lexicon))
