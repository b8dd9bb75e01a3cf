"""The trained recogniser's spans read again in their document, before they are linked.

**One reading per name.**
A transition-based recogniser labels each occurrence of a name on its own, so a document can have "Paget
disease of bone (PDB)" a disease and, three sentences on, "PDB" a chemical, or "calcium-sensing receptor
(CaSR)" a gene and the later "CaSR" nothing at all. Corpora are annotated the other way: a short form
defined in the text is what its long form is, everywhere, and a name is one thing throughout an abstract.
Two readings, in order:

- **Defined abbreviations** (`doc._.ldn_abbreviations`, Schwartz-Hearst): where the recogniser found the
  long form (a span ending where the long form ends), every occurrence of the short form takes the long
  form's label: relabelled where the recogniser gave it another, added where it found nothing there.
- **Repeated names**: a name the recogniser found (of at least `MIN_REPEAT_CHARS` characters) is found at
  its other occurrences in the document that no span of the recogniser touches, with the label it was
  given most often.

Occurrences are whole words: a name inside a longer word ("AR" in "ARKO") or joined to one by a hyphen
("opioid-related", "post-COVID-19") is not one.

**Drugs named by their class.** A word the recogniser left alone that an indefinite apposition classes as a
drug ("Anakinra, a recombinant IL-1 receptor antagonist, ...", "Tapentadol, an opioid analgesic with ...":
`drug-class-head` in `ontology/word-classes.tsv`) is a chemical: the writer has just said so. Only a word
that is no English word and is not inside a name the recogniser found; its other occurrences are then
found as repeated names.

**Proteins named after their ligand.** A chemical's name followed by a noun that makes the whole a
protein's name ("NMDA receptor", "glycine transporter-1", "calcium sensing receptor", "nitric oxide
synthase": `ligand-protein-head` and `ligand-protein-joiner` in `ontology/word-classes.tsv`) is the
protein, not the chemical: the recogniser, which learned both, often stops at the chemical.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Set

from spacy.tokens import Doc, Span, Token

MIN_REPEAT_CHARS = 3  # shorter names repeat by chance ("IL" in one sense and another)
CHEMICAL, GENE = "CHEMICAL", "GENE"  # the recogniser's labels (ontology/corpus-entity-types.tsv)
# A member's code after a protein's head noun: "transporter-1", "receptor 2B", "dehydrogenase A1".
MEMBER_CODE = re.compile(r"[A-Za-z]?\d{1,2}[A-Za-z]?")
MAX_JOINERS = 3  # "ATP - gated channel"
MIN_DRUG_NAME_CHARS = 5  # a drug's name classed by an apposition: not a short symbol


def consistent_mentions(doc: Doc, spans: list[Span], tokens: list[Token] | None = None) -> list[Span]:
    """The recogniser's `spans`, with defined abbreviations read as their long forms and repeated names
    found at each occurrence, in text order."""
    tokens = list(doc) if tokens is None else tokens
    label_of_short = _long_form_labels(doc, spans)
    spans = _abbreviations_as_long_forms(doc, spans, tokens, label_of_short)
    unnamed = {short for short in doc._.ldn_abbreviations or {} if short not in label_of_short}
    return _repeated_names(doc, spans, tokens, unnamed)


def _long_form_labels(doc: Doc, spans: list[Span]) -> dict[str, str]:
    """Short form -> the label of the recogniser's span of its long form, for the short forms defined in
    the doc whose long form the recogniser found (a span ending where it ends, starting in it)."""
    label_of_short: dict[str, str] = {}
    ends = {s.end_char: s for s in spans}
    for short, (_short_span, long_span) in (doc._.ldn_abbreviations or {}).items():
        found = ends.get(long_span.end_char)
        if found is not None and found.start_char >= long_span.start_char - 1:
            label_of_short[short] = found.label_
    return label_of_short


def _abbreviations_as_long_forms(
    doc: Doc, spans: list[Span], tokens: list[Token], label_of_short: dict[str, str]
) -> list[Span]:
    if not label_of_short:
        return spans
    by_bounds = {(s.start, s.end): s for s in spans}
    for i, token in enumerate(tokens):
        label = label_of_short.get(token.text)
        if label is None:
            continue
        here = by_bounds.get((i, i + 1))
        relabel = here is not None and here.label_ != label
        if relabel or (here is None and not touches(by_bounds.values(), i, i + 1)):
            by_bounds[(i, i + 1)] = Span(doc, i, i + 1, label=label)
    return sorted(by_bounds.values())


def _repeated_names(doc: Doc, spans: list[Span], tokens: list[Token], unnamed: set[str]) -> list[Span]:
    labels: dict[tuple[str, ...], Counter[str]] = {}
    for s in spans:
        if len(s.text) >= MIN_REPEAT_CHARS and s.text not in unnamed:
            labels.setdefault(tuple(t.text for t in tokens[s.start : s.end]), Counter())[s.label_] += 1
    if not labels:
        return spans
    first_words: dict[str, list[tuple[str, ...]]] = {}
    for words in labels:
        first_words.setdefault(words[0], []).append(words)
    taken = bytearray(len(tokens))
    for s in spans:
        taken[s.start : s.end] = b"\x01" * (s.end - s.start)
    added: list[Span] = []
    for i, token in enumerate(tokens):
        for words in sorted(first_words.get(token.text, ()), key=len, reverse=True):
            end = i + len(words)
            if end > len(tokens) or any(taken[i:end]):
                continue
            if tuple(t.text for t in tokens[i:end]) != words or _in_compound(tokens, i, end):
                continue
            label = _commonest(labels[words])
            added.append(Span(doc, i, end, label=label))
            taken[i:end] = b"\x01" * (end - i)
            break
    return sorted([*spans, *added]) if added else spans


def _in_compound(tokens: list[Token], start: int, end: int) -> bool:
    """Whether tokens start..end are joined by a hyphen to the word before or after ("post-COVID-19
    condition", "opioid-related death"): part of a longer word, whose reading is not the name's."""
    before = start > 0 and tokens[start - 1].text == "-" and not tokens[start - 1].whitespace_
    after = end < len(tokens) and tokens[end].text == "-" and not tokens[end - 1].whitespace_
    return before or after


def _commonest(counts: Counter[str]) -> str:
    """The label given most often; on a tie, the first in alphabetical order (the same for every run)."""
    return min(counts, key=lambda label: (-counts[label], label))


def touches(spans: Iterable[Span], start: int, end: int) -> bool:
    """Whether any of `spans` overlaps tokens start..end."""
    return any(s.start < end and start < s.end for s in spans)


def drugs_named_by_class(
    doc: Doc, spans: list[Span], tokens: list[Token], class_heads: Set[str], english: Set[str]
) -> list[Span]:
    """The recogniser's `spans` with a chemical's span for each word an indefinite apposition headed by one
    of `class_heads` names a drug ("Anakinra, a recombinant IL-1 receptor antagonist"), in text order."""
    added = []
    for token in tokens:
        # any part of speech: the small parser often makes an unknown name opening a sentence a verb
        if not token.is_alpha or len(token) < MIN_DRUG_NAME_CHARS:
            continue
        if token.lower_ in english or touches(spans, token.i, token.i + 1):
            continue
        if token.i + 1 >= len(tokens) or tokens[token.i + 1].text != ",":
            continue  # "Anakinra, an antagonist": the apposition follows the name itself
        if any(_classes_as_drug(child, class_heads) for child in token.children if child.dep_ == "appos"):
            added.append(Span(doc, token.i, token.i + 1, label=CHEMICAL))
    return sorted([*spans, *added]) if added else spans


def _classes_as_drug(appositive: Token, class_heads: Set[str]) -> bool:
    """Whether an apposition is an indefinite noun phrase headed by a drug class's noun ("a recombinant
    IL-1 receptor antagonist", "an oral JAK inhibitor")."""
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in appositive.children)
    return indefinite and (appositive.lemma_ or appositive.lower_).lower() in class_heads


def ligand_protein_names(
    doc: Doc, spans: list[Span], tokens: list[Token], heads: Set[str], joiners: Set[str]
) -> tuple[list[Span], list[Span]]:
    """The recogniser's `spans`, a chemical's name that starts a protein's name ("NMDA receptor") read as
    that protein, and the chemicals' names so read ("NMDA"): `heads` are the nouns that make the name
    (`ligand-protein-head`), `joiners` the words that may stand between (`ligand-protein-joiner`)."""
    out: list[Span] = []
    ligands: list[Span] = []
    taken_until = 0
    for span in spans:
        if span.start < taken_until:
            continue  # inside the protein's name just read
        if span.label_ != CHEMICAL:
            out.append(span)
            continue
        if len(span) > 1 and _is_head(tokens[span.end - 1], heads):
            # The recogniser took the head in but labelled the whole a chemical ("nitric oxide synthase").
            out.append(Span(doc, span.start, span.end, label=GENE))
            ligand_end = span.end - 1
            while ligand_end > span.start and tokens[ligand_end - 1].lower_ in joiners:
                ligand_end -= 1
            if ligand_end > span.start:
                ligands.append(Span(doc, span.start, ligand_end, label=CHEMICAL))
            continue
        end = _protein_name_end(span, tokens, heads, joiners)
        if end is None:
            out.append(span)
            continue
        out = [s for s in out if s.end <= span.start]
        out.append(Span(doc, span.start, end, label=GENE))
        ligands.append(span)
        taken_until = end
    return out, ligands


def _protein_name_end(span: Span, tokens: list[Token], heads: Set[str], joiners: Set[str]) -> int | None:
    """Where the protein's name that `span` starts ends (after its head noun and a member's code), or None
    when no head noun follows it."""
    i = span.end
    while i < len(tokens) and i - span.end < MAX_JOINERS and tokens[i].lower_ in joiners:
        i += 1
    if i >= len(tokens):
        return None
    if not _is_head(tokens[i], heads):
        return None
    dash = "-" in tokens[i].text
    i += 1
    if i < len(tokens) and not dash:
        code_token = tokens[i]
        attached = not tokens[i - 1].whitespace_
        if MEMBER_CODE.fullmatch(code_token.text.lstrip("-")) and (attached or not code_token.is_digit):
            i += 1
    return i


def _is_head(token: Token, heads: Set[str]) -> bool:
    """Whether a token is one of `heads`, in the plural or with a member's code ("transporter-1"), not
    another word made with it ("receptor-mediated")."""
    head, dash, code = token.lower_.partition("-")
    if dash and not MEMBER_CODE.fullmatch(code):
        return False
    return bool({head, head.removesuffix("s"), token.lemma_.lower()} & heads)


def attributive_adjective(span: Span) -> bool:
    """Whether a span is one adjective before the noun it modifies ("inflammatory" in "inflammatory
    cytokines")."""
    return len(span) == 1 and span.root.pos_ == "ADJ" and span.root.dep_ == "amod"


def describes_population(span: Span, populations: frozenset[str]) -> bool:
    """Whether a span is one adjective before a noun of `populations` ("depressed patients", "diabetic
    mice"): it names the condition those people or animals have."""
    if not attributive_adjective(span):
        return False
    noun = span.root.head
    return noun.lower_ in populations or (noun.lemma_ or noun.text).lower() in populations


def in_plain_words(span: Span) -> bool:
    """Whether a span is written in plain words, lower case or capitalised as a sentence's first word
    ("swelling", "Hepatotoxicity"), not as a symbol or an abbreviation ("ALS", "COVID-19", "HIV")."""
    words = [t for t in span if not t.is_punct]
    return all(t.is_alpha and (t.is_lower or (t.is_title and bool(t.is_sent_start))) for t in words)
