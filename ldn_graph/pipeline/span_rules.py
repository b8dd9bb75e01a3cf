"""Adjustments of the entity linker's spans (`pipeline/entities.py`), each a general reading of how names
are written: an abbreviation defined in the text takes its long form's concept; coordinated modifiers that
share a head ("alcohol and opioid addiction") are linked when modifier + head is a lexicon term; a state
named by a noun ("activation of microglia"); a ligand's name before a receptor's symbol is part of the
receptor's name; a drug-class adjective before an effect noun is no agent ("the anxiolytic effect of
running"); a name glued to a stereo descriptor ("(+)-naloxone") is a chemical of its own; a recogniser
span whose head makes it a finding ("depressive symptoms") is linked as that finding; "N of the NAME" is
the lexicon's "NAME N" ("tumours of the cerebellopontine angle"); an enzyme family's name with a member's
code is the member ("cytochrome P450 2D6"); words with a drug's INN stem ("secukinumab") and a target
before a drug-class noun ("CYP2D6 inhibitors") are read as names the recogniser found; local names whose
words are a name, not a description, enter the graph without a relation (`named_locals`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from ldn_graph.lexicon import Lexicon
from ldn_graph.lexicon.forms import form_key, singulars, token_key
from ldn_graph.model import Concept, slugify
from ldn_graph.pipeline.extensions import abbreviations
from ldn_graph.pipeline.matcher import LexiconMatcher, term_key
from ldn_graph.pipeline.rules import DrugStems

STEREO_CATEGORY = "ChemicalEntity"  # an isomer the lexicon does not name (`link_stereoisomers`)
ROLE_LIKE_CATEGORIES = frozenset(("ChemicalRole", "ChemicalEntity", "Drug"))  # `drop_effect_adjectives`
GENE_CATEGORIES = frozenset(("Protein",))  # the categories whose concepts have gene symbols (HGNC)
FINDING_CATEGORIES = frozenset(("PhenotypicFeature", "Disease"))  # what a finding's head makes a span
ROLE_CATEGORY = "ChemicalRole"  # a drug class named by its target
PART_CATEGORIES = frozenset(("AnatomicalEntity", "Cell"))  # body parts and cells


def link_abbreviations(
    doc: Doc, spans: list[Span], tokens: Sequence[Token], *, whole: bool = False
) -> list[Span]:
    """Give short forms defined in the text the concept of their long form; they win over the lexicon.
    The long form's concept is that of the entity ending where it ends, inside it; with `whole`, only
    that of an entity that covers it all. `tokens`: the doc's."""
    defined = abbreviations(doc)
    if not defined:
        return spans
    by_end = {s.end: s for s in spans}
    concept_of: dict[str, Span] = {}
    defined_at: dict[str, int] = {}  # short form (or its other number) -> where it is defined
    for short_text, (short, long_) in defined.items():
        entity = by_end.get(long_.end)
        if entity is not None and (entity.start == long_.start if whole else entity.start >= long_.start):
            for form in (short_text, *other_numbers(short_text)):
                if form == short_text or form not in defined:
                    concept_of.setdefault(form, entity)
                    defined_at.setdefault(form, short.start)
    if not concept_of:
        return spans
    out = [s for s in spans if not (len(s) == 1 and s.text in concept_of)]
    for token in tokens:
        entity = concept_of.get(token.text)
        if entity is None or token.i < defined_at[token.text]:
            continue
        if any(s.start <= token.i < s.end for s in out):
            continue
        out.append(Span(doc, token.i, token.i + 1, label=entity.label_, kb_id=entity.kb_id_))
    return sorted(out, key=lambda s: s.start)


def other_numbers(short: str) -> tuple[str, ...]:
    """The other grammatical number of an abbreviation in capitals: "SSRIs" is used as "SSRI" too, and
    "NSAID" as "NSAIDs"; () for other short forms."""
    if len(short) >= 3 and short.endswith("s") and short[:-1].isupper():
        return (short[:-1],)
    if len(short) >= 2 and short.isupper() and short.isalpha():
        return (f"{short}s",)
    return ()


def link_shared_heads(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token]
) -> list[Span]:
    """ "alcohol and opioid addiction": link "alcohol" to the concept "alcohol addiction" names.
    `tokens`: the doc's."""
    out = list(spans)
    for span in spans:
        i = span.start - 1
        while i >= 0 and tokens[i].is_space:
            i -= 1
        if i < 1 or tokens[i].lower_ not in {"and", "or", "&"}:
            continue
        head_word = token_key(tokens[span.end - 1].text)
        for n in (1, 2):
            start = i - n
            if start < 0 or any(t.is_punct or t.is_space for t in tokens[start:i]):
                continue
            words = (*term_key(tokens[start:i]), head_word)
            concept = matcher.lookup(words)
            if concept is None or concept == span.kb_id_:
                continue
            out = [s for s in out if s.end <= start or s.start >= i]
            out.append(Span(doc, start, i, label=matcher.lexicon.category(concept), kb_id=concept))
            break
    return sorted(out, key=lambda s: s.start)


# "an increase in dreaming" names what a lexicon may call "increased dreaming".
NOMINAL_STATES = {
    "increase": "increased",
    "rise": "increased",
    "elevation": "elevated",
    "decrease": "decreased",
    "reduction": "reduced",
    "loss": "loss of",
    "disruption": "disrupted",
    "impairment": "impaired",
}


def link_nominal_states(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token]
) -> list[Span]:
    """Re-link "increase in X" to the concept "increased X" when the lexicon has one. `tokens`: the doc's."""
    out = list(spans)
    for span in spans:
        i = span.start - 1
        if i < 1 or tokens[i].lower_ not in ("in", "of"):
            continue
        noun = tokens[i - 1]
        state = NOMINAL_STATES.get(noun.lemma_.lower()) or NOMINAL_STATES.get(noun.lower_)
        if state is None:
            continue
        concept = matcher.lookup((*state.split(), *term_key(tokens[span.start : span.end])))
        if concept is None:
            continue
        out = [s for s in out if s.start != span.start]
        out.append(Span(doc, noun.i, span.end, label=matcher.lexicon.category(concept), kb_id=concept))
    return sorted(out, key=lambda s: s.start)


MEMBER_CODE = re.compile(r"[0-9]+[A-Z]+[0-9]*|[0-9]+")  # "2D6", "3A4", "2C19", "1"


def link_family_members(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token], families: dict[str, str]
) -> list[Span]:
    """ "cytochrome P450 2D6" is CYP2D6: an enzyme family's name the lexicon found, with a member's code
    after it, is the member whose symbol is the family's prefix and the code (`families`:
    `ontology/family-symbols.tsv`), when the lexicon has that symbol. `tokens`: the doc's."""
    out = []
    for span in spans:
        prefix = families.get(form_key(span.text))
        code = tokens[span.end] if prefix and span.end < len(tokens) else None
        concept = (
            matcher.abbrevs.get(f"{prefix}{code.text}") if code and MEMBER_CODE.fullmatch(code.text) else None
        )
        if concept is None:
            out.append(span)
            continue
        out.append(
            Span(doc, span.start, span.end + 1, label=matcher.lexicon.category(concept), kb_id=concept)
        )
    return out


OF_PHRASE_CATEGORIES = frozenset(("Disease", "PhenotypicFeature", "ChemicalRole"))  # `link_of_phrases`
DETERMINERS = frozenset(("the", "a", "an"))


def link_of_phrases(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token]
) -> list[Span]:
    """ "tumours of the cerebellopontine angle", "infection of the urinary tract", "antagonists of the NMDA
    receptor": a noun with "of" and a name is the lexicon's term that writes the name before the noun
    ("cerebellopontine angle tumour"), when that term is a disease, a finding or a drug class (not a
    process: "release of dopamine" stays dopamine's). The whole phrase takes that term's concept and
    replaces the spans inside it. `tokens`: the doc's."""
    out = list(spans)
    for span in spans:
        i = span.start - 1
        if i >= 0 and tokens[i].lower_ in DETERMINERS:
            i -= 1
        if i < 1 or tokens[i].lower_ != "of" or tokens[i - 1].pos_ != "NOUN":
            continue
        noun = tokens[i - 1]
        concept = matcher.lookup((*term_key(tokens[span.start : span.end]), token_key(noun.text)))
        if concept is None or concept == span.kb_id_:
            continue
        if matcher.lexicon.category(concept) not in OF_PHRASE_CATEGORIES:
            continue
        out = [s for s in out if s.end <= noun.i or s.start >= span.end]
        out.append(Span(doc, noun.i, span.end, label=matcher.lexicon.category(concept), kb_id=concept))
    return sorted(out, key=lambda s: s.start)


LIGAND_CATEGORIES = frozenset(("ChemicalEntity", "Drug", "MolecularEntity"))
RECEPTOR_WORDS = frozenset(("receptor", "receptors"))


def join_ligand_receptor_names(doc: Doc, spans: list[Span], lexicon: Lexicon | None = None) -> list[Span]:
    """ "cannabinoid CB1 receptor", "histamine H1 receptor": a ligand's name written before a receptor's
    symbol is part of the receptor's name, as the lexicon's "dopamine D2 receptor" is; the receptor's
    span takes it in, and the ligand is no entity of its own there. So too before a receptor's symbol
    alone, the head noun shared with what follows ("serotonin 5-HT2A and dopamine D4 receptors"): a
    symbol the `lexicon` labels a receptor."""
    out: list[Span] = []
    for span in spans:
        before = out[-1] if out else None
        if (
            before is not None
            and before.end == span.start
            and len(before) == 1
            and before.label_ in LIGAND_CATEGORIES
            and span.label_ in GENE_CATEGORIES
            and (span[-1].lower_ in RECEPTOR_WORDS or _labelled_receptor(span, lexicon))
            and any(c.isdigit() or c.isupper() for c in span[0].text)
        ):
            out[-1] = Span(doc, before.start, span.end, label=span.label_, kb_id=span.kb_id_)
            continue
        out.append(span)
    return out


def _labelled_receptor(span: Span, lexicon: Lexicon | None) -> bool:
    """Whether a span is one symbol ("5-HT2A") of a concept the lexicon labels a receptor."""
    concept = lexicon.get(span.kb_id_) if lexicon is not None and " " not in span.text else None
    return concept is not None and any(w in RECEPTOR_WORDS for w in concept.label.lower().split())


def drop_effect_adjectives(
    spans: list[Span], tokens: Sequence[Token], effect_nouns: frozenset[str]
) -> list[Span]:
    """ "the anxiolytic effect of running", "its analgesic action": a drug class written as the adjective
    of an effect describes the effect; no agent is named. `tokens`: the doc's; `effect_nouns`: the
    `role-effect-noun` words of `ontology/word-classes.tsv`."""
    out = []
    for span in spans:
        after = tokens[span.end] if span.end < len(tokens) else None
        if (
            len(span) == 1
            and span[0].pos_ == "ADJ"
            and span.label_ in ROLE_LIKE_CATEGORIES
            and after is not None
            and (after.lemma_.lower() in effect_nouns or after.lower_ in effect_nouns)
        ):
            continue
        out.append(span)
    return out


STEREO_PREFIX = re.compile(r"(?:\([+\-−±]\)|\b[dDlL]|\b[RS]|\brac)-$")


def is_stereoisomer(text: str, span: Span) -> bool:
    """ "(+)-naloxone" is not naloxone: a name glued to a stereo descriptor is not linked.

    `text` is the doc's text, passed in because spaCy rebuilds `doc.text` (and `span.text`) at each
    access."""
    name = text[span.start_char : span.end_char]  # == span.text
    name_start = span.start_char + len(name) - len(name.lstrip("-‐‑"))
    if text[name_start - 1 : name_start] != "-":
        return False  # most names: STEREO_PREFIX ends with a hyphen glued to the name
    before = text[max(0, name_start - 6) : name_start]
    return bool(STEREO_PREFIX.search(before)) and not before.endswith(" ")


ADJECTIVE_POS = frozenset(("ADJ", "VERB"))  # "psychiatric symptoms" parsed as a verb and its object


def with_finding_head(
    doc: Doc, span: Span, tokens: Sequence[Token], category_of: Callable[[str], str | None]
) -> Span:
    """A recogniser's span that is an adjective alone, before the noun it modifies when that noun makes
    the phrase a finding ("depressive symptoms", `ontology/local-entity-heads.tsv`), extended to the noun:
    the adjective names no concept by itself. `tokens`: the doc's; `category_of`: the head words'."""
    if len(span) != 1 or span[0].pos_ not in ADJECTIVE_POS or span.end >= len(tokens):
        return span
    noun = tokens[span.end]
    if noun.pos_ != "NOUN" or (span[0].head.i != noun.i and noun.head.i != span[0].i):
        return span  # (the parser may hang the noun on the adjective it took for a verb)
    if category_of(noun.lemma_ or noun.text) not in FINDING_CATEGORIES:
        return span
    return Span(doc, span.start, span.end + 1, label=span.label_)


def link_stereoisomers(doc: Doc, text: str, spans: list[Span], lexicon: Lexicon) -> list[Span]:
    """The spans glued to a stereo descriptor (`is_stereoisomer`) as the isomers they name: "(+)-naloxone",
    a chemical of its own (a local entity: no lexicon form names it), not naloxone. `text`: the doc's."""
    kept = [s for s in spans if not is_stereoisomer(text, s)]
    wholes: dict[tuple[int, int], Span] = {}
    for span in spans:
        if not is_stereoisomer(text, span):
            continue
        name = text[span.start_char : span.end_char].lstrip("-‐‑")
        end = span.end_char
        before = text[max(0, end - len(name) - 7) : end - len(name)]
        match = STEREO_PREFIX.search(before)
        if match is None:
            continue
        start = end - len(name) - len(before) + match.start()
        whole = doc.char_span(start, end, alignment_mode="expand")
        if whole is None or any(s.start < whole.end and whole.start < s.end for s in kept):
            continue
        descriptor = text[whole.start_char : end - len(name)]
        label = descriptor + (name if name.isupper() else name.lower())
        key = local_concept(doc, lexicon, label, STEREO_CATEGORY, whole.text)
        wholes.setdefault(
            (whole.start, whole.end), Span(doc, whole.start, whole.end, STEREO_CATEGORY, kb_id=key)
        )
    return sorted([*kept, *wholes.values()])


DRUG_NAME_LABEL = "CHEMICAL"  # the recogniser's label a name found by a rule here is read as


def drug_name_spans(
    doc: Doc,
    tokens: Sequence[Token],
    taken: Sequence[Span],
    stems: DrugStems,
    english: frozenset[str],
    names_a_chemical: Callable[[str], bool] = lambda _word: False,
) -> list[Span]:
    """Words that are drugs' names by their INN stem ("secukinumab", "naldemedine";
    `ontology/drug-name-stems.tsv`), or chemicals' by a record that names them (`names_a_chemical`:
    "ziconotide", a MeSH supplementary record), where neither the lexicon nor the recogniser found
    anything, as spans the recogniser would have labelled chemicals: a plain word (letters only, not all
    capitals), no English word. `tokens`: the doc's; `taken`: the spans found already."""
    covered = {i for s in taken for i in range(s.start, s.end)}
    out = []
    for token in tokens:
        text = token.text
        if (
            token.i in covered
            or not text.isalpha()
            or text.isupper()
            or not text[1:].islower()
            or text.lower() in english
            or token.lemma_.lower() in english  # "enzymes", "peptides": MeSH's class names, plural
            or not (stems.names_a_drug(text) or names_a_chemical(text))
        ):
            continue
        out.append(Span(doc, token.i, token.i + 1, label=DRUG_NAME_LABEL))
    return out


TARGET_CATEGORIES = frozenset(("Protein", "ProteinFamily"))  # what a drug class is named by (`role_spans`)


def role_spans(
    doc: Doc,
    tokens: Sequence[Token],
    spans: Sequence[Span],
    taken: Sequence[Span],
    category_of: Callable[[str], str | None],
) -> list[Span]:
    """ "CYP2D6 inhibitors", "NOP antagonists": a protein the lexicon found, followed by a noun that makes
    a drug class (`word:inhibitor` and the like in `ontology/local-entity-heads.tsv`), as a span the
    recogniser would have labelled a chemical, where it found nothing else there; linked, it replaces the
    target as the recogniser's drug classes do. `tokens`: the doc's; `spans`: the lexicon's; `taken`: the
    recogniser's; `category_of`: the head words'."""
    out = []
    for span in spans:
        if span.label_ not in TARGET_CATEGORIES or span.end >= len(tokens):
            continue
        noun = tokens[span.end]
        if noun.pos_ != "NOUN" or category_of(noun.lemma_ or noun.text) != ROLE_CATEGORY:
            continue
        # The recogniser's own span stands, unless it is the target alone.
        if any(
            t.start <= noun.i and span.start < t.end and (t.start, t.end) != (span.start, span.end)
            for t in taken
        ):
            continue
        out.append(Span(doc, span.start, noun.i + 1, label=DRUG_NAME_LABEL))
    return out


NAME_POS = frozenset(("NOUN", "PROPN"))  # the part of speech a name's head word has (`named_locals`)


def named_locals(
    doc: Doc,
    spans: Iterable[Span],
    stems: DrugStems,
    english: frozenset[str],
    category_of: Callable[[str], str | None],
) -> frozenset[str]:
    """The local concepts (`doc._.ldn_local_concepts`, not normalised) of spans whose words are a name, not
    a description: one word whose INN stem makes it a drug's ("secukinumab", `ontology/drug-name-stems.tsv`),
    one word that is no English word ("oliceridine", "PZM21"), or words that end in a noun ("nerve injury",
    "postoperative ileus"); not an adjective ("psychotomimetic"), nor adjectives before a word that only
    says what kind of thing it is ("potent inhibitor"; `category_of`: the head words of
    `ontology/local-entity-heads.tsv`). Nothing identifies them, but the name says what they are, so they
    enter the graph as other entities do, not only as a relation's argument."""
    local = doc._.ldn_local_concepts or {}
    out = set()
    for s in spans:
        concept = local.get(s.kb_id_)
        if concept is None or concept.normalised:
            continue
        if len(s) == 1:
            if stems.names_a_drug(s.text) or (s.root.pos_ in NAME_POS and s.text.lower() not in english):
                out.add(s.kb_id_)
        elif (root := _name_root(s)).pos_ in NAME_POS and not (
            all(t.pos_ == "ADJ" for t in s if t.i != root.i) and category_of(root.lemma_ or root.text)
        ):
            out.add(s.kb_id_)
    return frozenset(out)


def _name_root(span: Span) -> Token:
    """The word a name is about: its root, or the word before a number that ends it ("TNF receptor 1",
    whose parse may make the number the root)."""
    root = span.root
    if root.pos_ == "NUM" and root.i == span.end - 1:
        return span[-2]
    return root


def local_concept(doc: Doc, lexicon: Lexicon, label: str, category: str, surface: str) -> str:
    """The key of the project-local concept of a label (made, if new, in `doc._.ldn_local_concepts`); a key
    the lexicon or another label has already gets the label's hash."""
    local = doc._.ldn_local_concepts
    if local is None:
        local = doc._.ldn_local_concepts = {}
    key = slugify(label)
    if key in lexicon or (key in local and local[key].label != label):
        key = f"{key}-{hashlib.sha256(label.encode('utf-8')).hexdigest()[:8]}"
    local.setdefault(
        key, Concept(key=key, label=label, category=category, synonyms=(surface,), normalised=False)
    )
    return key


PART_HEADS = {"part-finding-head": "PhenotypicFeature", "part-process-head": "BiologicalProcess"}


def link_part_findings(
    doc: Doc,
    spans: list[Span],
    matcher: LexiconMatcher,
    tokens: Sequence[Token],
    heads: dict[str, frozenset[str]],
) -> list[Span]:
    """ "synapse loss", "bone erosion", "synapse formation": a body part or cell the lexicon found, with a
    noun after it that makes the two a finding or a process (`heads`: class name of `PART_HEADS` -> words,
    `ontology/word-classes.tsv`), is that finding or process, not the part: the lexicon's concept for the
    words when it has one, else a local one of the class's category. The noun may come first, with "of"
    ("loss of dopaminergic neurons", "pruning of synapses": the lexicon's "synapse pruning"), the words
    between it and the part too ("death of the oligodendrocytes"). `tokens`: the doc's."""
    out: list[Span] = []
    for span in spans:
        if out and span.start < out[-1].end:
            continue  # the noun after a part ("oligodendrocyte apoptosis"): inside the finding or process
        if span.label_ not in PART_CATEGORIES:
            out.append(span)
            continue
        noun = tokens[span.end] if span.end < len(tokens) else None
        category = _part_head(noun, heads)
        start, end, words = span.start, span.end + 1, term_key(tokens[span.start : span.end + 1])
        if category is None:
            noun = _head_before_of(span, tokens)
            category = _part_head(noun, heads)
            if noun is None or category is None:
                out.append(span)
                continue
            start, end = noun.i, span.end
            part = term_key(tokens[span.start : span.end])
            words = (*part[:-1], singulars(part[-1])[-1], token_key(noun.text))
        concept = matcher.lookup(words)
        if concept is not None:
            category = matcher.lexicon.category(concept)
        else:
            label = " ".join(t.lower_ if not t.is_upper else t.text for t in tokens[start:end])
            concept = local_concept(doc, matcher.lexicon, label, category, doc[start:end].text)
        out = [s for s in out if s.end <= start]
        out.append(Span(doc, start, end, label=category, kb_id=concept))
    return out


def _part_head(noun: Token | None, heads: dict[str, frozenset[str]]) -> str | None:
    """The category of `PART_HEADS` a noun's lemma makes a body part's finding or process, if any."""
    if noun is None or noun.pos_ not in NAME_POS:
        return None
    lemma = (noun.lemma_ or noun.text).lower()
    return next((PART_HEADS[name] for name, words in heads.items() if lemma in words), None)


def _head_before_of(span: Span, tokens: Sequence[Token]) -> Token | None:
    """The noun before "of" and a span, with a determiner and adjectives between ("loss of the small nerve
    fibres": "loss"), if any."""
    i = span.start - 1
    while i >= 0 and (tokens[i].pos_ == "ADJ" or tokens[i].lower_ in DETERMINERS):
        i -= 1
    if i < 1 or tokens[i].lower_ != "of":
        return None
    return tokens[i - 1]
