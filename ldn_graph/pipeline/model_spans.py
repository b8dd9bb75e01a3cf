"""The trained recogniser's spans merged with the lexicon's, once the linker has linked them.

- **Longest span wins** (`link_model_spans`): a recogniser's span that covers lexicon spans replaces them
  when it links as a whole ("end-stage renal disease" over "renal disease"), unless the whole is only a
  local concept and the lexicon identifies its parts, except for a drug class named by its target ("TLR4
  antagonists"), a finding of a body part no lexicon names whole ("nerve injury") and a member of a
  protein family named by the family and a code ("orexin receptor 2"); one that crosses a
  lexicon span's edge gives way to it; one that overlaps none is added.
- **Genes the recogniser called chemicals** (`with_linked_roles`): a chemical span the linker linked to a
  gene or protein is read as a gene.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from ldn_graph.corpora.labels import roles
from ldn_graph.lexicon import Lexicon
from ldn_graph.pipeline.span_rules import FINDING_CATEGORIES, PART_CATEGORIES, ROLE_CATEGORY

if TYPE_CHECKING:
    from ldn_graph.pipeline.entities import EntityLinker

CHEMICAL_LABEL, GENE_LABEL = "CHEMICAL", "GENE"  # the recogniser's labels
MEMBER_CODE = re.compile(r"[A-Z]|[0-9]{1,2}[A-Za-z]?")  # a family member's code: "2", "A", "1B"
MEMBER_CATEGORIES = frozenset(("Protein", "ProteinFamily"))  # `_names_a_member`


def link_model_spans(
    doc: Doc, spans: list[Span], model_spans: list[Span], linker: EntityLinker
) -> list[Span]:
    """The lexicon's spans and the model's, linked: a model span that covers lexicon spans replaces them
    when it links as a whole ("end-stage renal disease" over "renal disease"); one that crosses a lexicon
    span's edge gives way to it; one that overlaps none is added."""
    out = list(spans)
    linked = {s.end: s.kb_id_ for s in spans}
    for span in model_spans:
        inside = [s for s in out if s.start < span.end and span.start < s.end]
        if any(s.start < span.start or s.end > span.end for s in inside):
            continue  # crosses a lexicon span: the lexicon's boundary stands
        if inside and all((s.start, s.end) == (span.start, span.end) for s in inside):
            continue  # the same span: the lexicon's link stands
        # The head back-off names a part, not the whole: it never replaces the lexicon's spans inside.
        key = linker.concept_of(doc, span, linked, head_backoff=not inside)
        if key is None:
            continue
        linked[span.end] = key
        if (
            inside
            and _is_local(doc, key)
            and not _names_a_role(doc, span, inside, key)
            and not _names_a_finding_of_a_part(doc, span, inside, key, linker.matcher.lexicon)
            and not _names_a_member(doc, span, inside, linker.matcher.lexicon)
        ):
            continue  # the lexicon identifies the parts; a local concept for the whole would lose that
        category = _category(doc, linker.matcher.lexicon, key)
        out = [s for s in out if s not in inside]
        out.append(Span(doc, span.start, span.end, label=category, kb_id=key))
    return sorted(out)


def _names_a_role(doc: Doc, span: Span, inside: list[Span], key: str) -> bool:
    """Whether a recogniser's span is a drug class named by its target ("cyclin-dependent kinase
    inhibitors", "TLR4 antagonists"): its head word, after the lexicon's spans, makes it a chemical role
    (`ontology/local-entity-heads.tsv`). The target is not the class: the whole replaces it."""
    concept = doc._.ldn_local_concepts.get(key)
    return concept is not None and concept.category == ROLE_CATEGORY and all(s.end < span.end for s in inside)


def _names_a_finding_of_a_part(doc: Doc, span: Span, inside: list[Span], key: str, lexicon: Lexicon) -> bool:
    """Whether a recogniser's span is a finding of a body part no lexicon names whole ("nerve injury",
    "knee stiffness"): its head word makes it a phenotype or disease (`ontology/local-entity-heads.tsv`),
    and the lexicon found in it only body parts and cells, and perhaps the bare head word. The part is
    not the finding: the whole replaces them."""
    concept = doc._.ldn_local_concepts.get(key)
    if concept is None or concept.category not in FINDING_CATEGORIES:
        return False
    head = span[-1].i
    for part in inside:
        if part.end == span.end:
            if part.start != head:
                return False  # the lexicon names more than the head word at the end
        elif _category(doc, lexicon, part.kb_id_) not in PART_CATEGORIES:
            return False
    return True


def _names_a_member(doc: Doc, span: Span, inside: list[Span], lexicon: Lexicon) -> bool:
    """Whether a recogniser's span is a member of the protein family the lexicon found in it, named by the
    family's name and a member's code ("orexin receptor 2", "IL-17 receptor A", "TNF receptor 1"): the
    family is not the member, whose own name is the whole."""
    if len(inside) != 1 or (inside[0].start, inside[0].end) != (span.start, span.end - 1):
        return False
    return (
        bool(MEMBER_CODE.fullmatch(span[-1].text))
        and _category(doc, lexicon, inside[0].kb_id_) in MEMBER_CATEGORIES
    )


def _is_local(doc: Doc, key: str) -> bool:
    concept = doc._.ldn_local_concepts.get(key)
    return concept is not None and not concept.normalised


def _category(doc: Doc, lexicon: Lexicon, key: str) -> str:
    local = doc._.ldn_local_concepts.get(key)
    return local.category if local is not None else lexicon.category(key)


def with_linked_roles(model_spans: list[Span], linked: Iterable[Span]) -> tuple[list[Span], list[Span]]:
    """The recogniser's spans, a chemical linked to a gene or protein read as a gene ("L-FABP" labelled a
    chemical and linked to the gene FABP1), and the chemical spans so read: the linker reads the words
    against the ontologies, the recogniser against their neighbours only. Not the other way: the lexicon
    files MeSH's enzymes ("nitric oxide synthase") with the chemicals."""
    role_of = roles()
    by_bounds = {(e.start, e.end): e for e in linked}
    out, genes = [], []
    for span in model_spans:
        entity = by_bounds.get((span.start, span.end))
        if span.label_ == CHEMICAL_LABEL and entity is not None and role_of.get(entity.label_) == GENE_LABEL:
            genes.append(span)
            span = Span(span.doc, span.start, span.end, label=GENE_LABEL)
        out.append(span)
    return out, genes
