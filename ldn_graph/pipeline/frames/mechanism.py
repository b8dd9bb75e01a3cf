"""Mechanisms stated with a production noun: "the release of IL-6 and TNF from macrophages", "the
microglial release of TNF", "keratinocyte expression of interleukin-8": the cell makes the molecule."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.model import slugify
from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import COPULAS, WORDS, pobjs, unique

# What a production noun's modifier or producer preposition must name to be the producer: a cell or a
# tissue ("the release of histamine by morphine" is morphine causing it, not making it).
PRODUCER_CATEGORIES = frozenset(("Cell", "AnatomicalEntity"))


def read_producers(reader: SentenceReader) -> None:
    """ "the release of X from Y", "production of X by Y", "Y release of X", "Y X release": Y produces X,
    where Y names a cell or tissue."""
    for noun in reader.tokens:
        if noun.pos_ not in ("NOUN", "PROPN") or noun.i in reader.entity_at:
            continue
        if noun.lemma_.lower() not in WORDS["production-noun"]:
            continue
        products = [
            e
            for c in reader.children(noun)
            if c.dep_ == "prep" and c.lower_ == "of"
            for p in pobjs(c)
            for e in named(reader, p)
        ]
        producers = [
            e
            for c in reader.children(noun)
            if c.dep_ == "prep" and c.lower_ in WORDS["producer-prep"]
            for p in pobjs(c)
            for e in reader.phrase(p, members=True)
            if e.label_ in PRODUCER_CATEGORIES
        ]
        modified: list[Span] = []
        for c in reader.children(noun):
            if c.i > noun.i or c.dep_ not in ("amod", "compound", "nmod"):
                continue
            ent = reader.entity_of(c) or cell_adjective(reader, c)
            if ent is None:
                continue
            if ent.label_ in PRODUCER_CATEGORIES:
                producers.append(ent)
            else:
                modified.extend(reader.phrase(c))  # "TNF release from microglia"
        if not products:
            # "activated microglia release the protease cathepsin S" parsed as a noun: its object
            products = [e for c in reader.children(noun) if c.dep_ == "dobj" for e in named(reader, c)]
        if not products:
            products = modified
        if producers and products:
            reader.emit(unique(producers), "produces", unique(products), noun, "producer-of")


def read_metabolites(reader: SentenceReader) -> None:
    """ "its main metabolite, EDDP", "morphine and its metabolite M3G", "Norketamine is a metabolite of
    ketamine": the parent drug produces the metabolite."""
    for noun in reader.tokens:
        if noun.lemma_.lower() not in WORDS["metabolite-noun"] or noun.i in reader.entity_at:
            continue
        children = reader.children(noun)
        parents = [
            e
            for c in children
            if (c.dep_ == "prep" and c.lower_ == "of") or c.dep_ == "poss"
            for p in (pobjs(c) if c.dep_ == "prep" else [c])
            for e in reader.phrase(p)
        ]
        products = [e for c in children if c.dep_ == "appos" for e in reader.phrase(c)]
        after = reader.entity_at.get(noun.i + 1)
        if not products and after is not None and after.start == noun.i + 1:
            products = [after]  # "its active metabolite O-desmethyltramadol" parsed flat
        if not products and noun.dep_ == "attr" and noun.head.lemma_.lower() in COPULAS:
            products = [e for c in reader.children(noun.head) if c.dep_ == "nsubj" for e in reader.phrase(c)]
        products = [p for p in unique(products) if all(p.kb_id_ != q.kb_id_ for q in parents)]
        reader.emit(unique(parents), "produces", products, noun, "metabolite-of")


def released_from(reader: SentenceReader, verb: Token) -> list[Span]:
    """The cells a production verb says its product comes from ("AM1241 releases beta-endorphin from
    keratinocytes", "IL-6 released from macrophages"): they produce it."""
    return unique(
        e
        for c in reader.children(verb)
        if c.dep_ == "prep" and c.lower_ in WORDS["producer-prep"] and c.lower_ != "by"
        for p in pobjs(c)
        for e in reader.phrase(p)
        if e.label_ in PRODUCER_CATEGORIES
    )


def cleaved_into(reader: SentenceReader, verb: Token) -> bool:
    """ "Caspase-1 cleaves pro-IL-1 beta into its active form", "cathepsin S cleaves fractalkine from the
    membrane": a cleavage that yields (or frees) something raises it: the subject increases what the "into"
    phrase names, else the object. A bare "X cleaves Y" may as well degrade Y: nothing."""
    objects = [c for c in reader.children(verb) if c.dep_ == "dobj"]
    preps = [
        c
        for h in (verb, *objects)  # "cleaves pro-IL-1 beta into ..." with "into" hung on the object
        for c in reader.children(h)
        if c.dep_ == "prep" and c.lower_ in WORDS["yield-prep"] and (h is verb or c.lower_ == "into")
    ]
    if not preps:
        return False
    products = [e for c in preps if c.lower_ == "into" for p in pobjs(c) for e in reader.phrase(p)]
    if not products:
        products = [e for c in objects for e in reader.phrase(c)]
    subjects = [e for t in reader.subjects(verb) for e in reader.phrase(t)]
    return reader.emit(subjects, "increases", unique(products), verb, "cleaved-into") > 0


def named(reader: SentenceReader, token: Token) -> list[Span]:
    """The entities of a noun phrase, the name only where a definite class noun has one in apposition
    ("the lysosomal protease cathepsin S": cathepsin S)."""
    spans = reader.phrase(token)
    if any(c.dep_ == "det" and c.lower_ == "the" for c in reader.children(token)):
        names = [e for c in reader.children(token) if c.dep_ == "appos" for e in reader.phrase(c)]
        if names:
            return names
    return spans


def cell_adjective(reader: SentenceReader, token: Token) -> Span | None:
    """The cell an adjective names when the lexicon has "<adjective> cell" as a cell ("microglial
    release": microglial cells), as a mention of that cell; None otherwise."""
    if token.pos_ != "ADJ" or token.i in reader.entity_at:
        return None
    key = slugify(f"{token.lower_} cell")
    concept = reader.x.lexicon.get(key)
    if concept is None or concept.category != "Cell":
        return None
    ent = Span(reader.doc, token.i, token.i + 1, label="Cell", kb_id=key)
    reader.entity_at[token.i] = ent
    reader.locals.append(ent)
    return ent


@FRAMES.register("ldn.frame.producer-of.v1")
def producer_of_frame() -> Frame:
    """Production nouns with the cell that makes their object."""
    return Frame("producer-of", read=read_producers, lemmas=WORDS["production-noun"])


@FRAMES.register("ldn.frame.metabolite-of.v1")
def metabolite_of_frame() -> Frame:
    """Metabolite nouns with the drug they come from."""
    return Frame("metabolite-of", read=read_metabolites, lemmas=WORDS["metabolite-noun"])
