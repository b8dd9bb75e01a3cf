"""Run the pipeline over a corpus's texts and read what it found back in the corpus's own terms.

Mentions are the trained recogniser's spans (`doc.spans["ldn_ner"]`) with the corpus's type names and the
ids of the concept each was linked to (MeSH, NCBI Gene, NCBI Taxonomy: the schemes the corpora use), or
the ids the training corpora gave the same words. Relations are document-level: for each label and pair of
concept ids, the best score of any pair of their mentions (`doc._.ldn_pair_scores`); a pair is predicted
when it reaches the label's threshold.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from spacy.tokens import Span

from ldn_graph.corpora.coordinated import coordinated_ids, shared_head_range
from ldn_graph.corpora.labels import CORPUS_RELATION_TYPES, corpus_types, entity_types, roles
from ldn_graph.corpora.mesh_version import as_corpus_writes
from ldn_graph.corpora.pubtator import AnnotatedDocument, Annotation, PairRelation
from ldn_graph.corpora.variants import variant_id
from ldn_graph.lexicon import Lexicon, default_lexicon
from ldn_graph.model import Concept
from ldn_graph.pipeline.classifier import PAIR_SPANS, RULE_NAME
from ldn_graph.pipeline.entities import CHEMICAL_READINGS
from ldn_graph.pipeline.extensions import abbreviations
from ldn_graph.pipeline.rules import word_classes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ldn_graph.pipeline.entities import EntityLinker

# Prefixes of the identifier schemes the corpora use, as the graph writes them.
CORPUS_SCHEMES = ("MESH:", "NCBIGene:", "NCBITaxon:")
SCHEME_OF_ROLE = {"CHEMICAL": ("MESH:",), "DISEASE": ("MESH:",), "GENE": ("NCBIGene:",)}


@dataclass(frozen=True)
class Thresholds:
    """The score from which each label is predicted for a pair of concepts: `within` when its best mention
    pair is in one sentence, `across` when its best mention pair spans sentences (evidence across
    sentences is weaker: on the development sets it is right less often at the same score). A label
    missing from `across` takes its `within` threshold, and one missing from both 0.5."""

    within: dict[str, float] = field(default_factory=dict)
    across: dict[str, float] = field(default_factory=dict)

    def of(self, label: str, *, across: bool = False) -> float:
        same = self.within.get(label, DEFAULT_THRESHOLD)
        return self.across.get(label, same) if across else same


DEFAULT_THRESHOLD = 0.5
# The roles whose defined short forms are read as their long forms: a gene's symbol is read as written, by
# the organism the document is about (`EntityLinker.learned_name`); on BioRED's development set reading
# genes' long forms lost 0.003 pair F1.
LONG_FORM_ROLES = frozenset(("CHEMICAL", "DISEASE"))


def guess_corpus(gold: list[AnnotatedDocument]) -> str:
    """ "bc5cdr" when the gold uses its types only (Chemical, Disease), else "biored"."""
    known = entity_types()
    corpora = {known[a.type].corpus for d in gold for a in d.annotations if a.type in known}
    return "bc5cdr" if corpora == {"bc5cdr"} else "biored"


def corpus_ids(concept: Concept | None, role: str | None = None) -> tuple[str, ...]:
    """The ids of a concept in the scheme the corpora use for its role (MeSH for chemicals and diseases,
    NCBI Gene for genes), without prefix; any of their schemes when the role is not known."""
    if concept is None:
        return ()
    schemes = SCHEME_OF_ROLE.get(role or "", CORPUS_SCHEMES)
    return tuple(x.split(":", 1)[1] for x in concept.xrefs if x.startswith(schemes))


def predict(
    nlp: Language,
    gold: list[AnnotatedDocument],
    corpus: str,
    *,
    thresholds: Thresholds | None = None,
    lexicon: Lexicon | None = None,
) -> list[AnnotatedDocument]:
    """The pipeline's reading of each gold document's text, as an annotated document."""
    lexicon = lexicon or default_lexicon()
    linker = (
        cast("EntityLinker", nlp.get_pipe("ldn_entity_linker"))
        if "ldn_entity_linker" in nlp.pipe_names
        else None
    )
    thresholds = thresholds if thresholds is not None else pipeline_thresholds(nlp)
    docs = nlp.pipe(d.text for d in gold)
    return [read_doc(doc, g, corpus, lexicon, thresholds, linker) for doc, g in zip(docs, gold, strict=True)]


def pipeline_thresholds(nlp: Language) -> Thresholds:
    """The relation classifier's thresholds for each of its labels (none without a classifier)."""
    if RULE_NAME not in nlp.pipe_names:
        return Thresholds()
    classifier = nlp.get_pipe(RULE_NAME)
    labels: tuple[str, ...] = classifier.labels  # type: ignore[attr-defined]
    return Thresholds(
        {label: classifier.threshold_of(label) for label in labels},  # type: ignore[attr-defined]
        {label: classifier.threshold_of(label, across=True) for label in labels},  # type: ignore[attr-defined]
    )


def read_doc(
    doc: Doc,
    gold: AnnotatedDocument,
    corpus: str,
    lexicon: Lexicon,
    thresholds: Thresholds,
    linker: EntityLinker | None = None,
) -> AnnotatedDocument:
    """One processed doc in the corpus's terms."""
    types = corpus_types(corpus)
    local: dict[str, Concept] = doc._.ldn_local_concepts or {}
    by_bounds = {(e.start, e.end): e for e in doc.ents}
    ions = word_classes()["counter-ion"]

    def concept_ids(key: str, role: str) -> tuple[str, ...]:
        """A concept's ids as a mention of a role: none for a concept of another kind ("hepatitis B", which
        the recogniser calls a chemical in "hepatitis B vaccine", is not the disease; "abdomen" is no
        disease; a drug class, such as "calcineurin inhibitors", no chemical)."""
        concept = lexicon.get(key) or local.get(key)
        if concept is None or roles().get(concept.category) != role:
            return ()
        return corpus_ids(concept, role)

    def ids_of(span: Span, role: str | None = None) -> tuple[str, ...]:
        """The corpus ids of a span as a mention of a role (its own label's by default): the first of its
        readings that gives ids the corpus could write (`corpora/mesh_version.py`)."""
        for ids in readings(span, role or roles().get(span.label_, "")):
            kept = as_corpus_writes(ids, corpus)
            if kept:
                return kept
        return ()

    def readings(span: Span, role: str) -> Iterator[tuple[str, ...]]:
        # A short form the text defines means its long form: "HT" defined as "hormone therapy" is not the
        # hypertension the corpora's names call "HT" elsewhere.
        defined = abbreviations(doc).get(span.text) if role in LONG_FORM_ROLES else None
        if defined is not None and not (defined[1].start < span.end and span.start < defined[1].end):
            long_form = defined[1]
            linked = by_bounds.get((long_form.start, long_form.end))
            yield from own_readings(linked if linked is not None else long_form, role)
            # Its own reading only where the recogniser found a name of the same kind in the long form,
            # which nothing identifies.
            if not any(
                roles().get(s.label_) == role and s.start < long_form.end and long_form.start < s.end
                for s in doc.spans.get("ldn_ner", [])
            ):
                return
        yield from own_readings(span, role)

    def own_readings(span: Span, role: str) -> Iterator[tuple[str, ...]]:
        # The corpora's own reading of these words first: where it and the lexicon both know a name, they
        # often pick different MeSH headings ("dyskinesias": Dyskinesias vs Dyskinesia, Drug-Induced), and
        # the annotators' choice is what the corpus scores. Not a name of a kind the corpus does not
        # annotate: "iNOS" the corpora call a gene (BioRED) is no chemical's reading in BC5CDR.
        name = linker.learned_name(span) if linker is not None else None
        if name is not None and (name.label == role or name.label in types):
            yield name.ids
        if span.label_ == "VARIANT":
            variant = variant_id(span.text)
            yield (variant,) if variant else ()
            return
        if span.kb_id_:
            yield concept_ids(span.kb_id_, role)
        if linker is None:
            return
        # A concept with no id the corpus could write (valdecoxib is a ChEBI drug in the lexicon, a MeSH
        # supplementary record in BC5CDR; "essential hypertension" a descriptor of 2018): the MeSH record
        # of its words, if one is of its kind. Words that coordinate names sharing a head or a modifier
        # ("renal or hepatic toxicity") are read as those names. For a disease, the record of its head
        # phrase or of its organ's diseases, as for a name the lexicon does not know ("symptomatic heart
        # failure" is a MONDO disease with no MeSH id; "essential hypertension" is Hypertension in BC5CDR).
        role_span = Span(doc, span.start, span.end, label=role)
        name = linker.mesh_name(role_span)
        if name is not None:
            yield name.ids
        yield coordinated_ids(linker, concept_ids, role_span)
        name = linker.organ_disease(role_span)
        if name is not None:
            yield name.ids
        name = linker.mesh_head_name(role_span, one_plain_word=True)
        if name is not None:
            yield name.ids

    read: list[tuple[Span, tuple[str, ...]]] = []
    mentions = list(doc.spans.get("ldn_ner", []))
    if corpus == "bc5cdr":
        # BC5CDR annotates the chemical in a protein's name ("NMDA" in "NMDA receptor") and a peptide
        # that is also a gene's product as a chemical: the recogniser's readings before they became genes.
        mentions += doc.spans.get(CHEMICAL_READINGS, [])
    for span in mentions:
        if span.label_ not in types:
            continue
        linked = by_bounds.get((span.start, span.end))
        # A salt's counter-ion inside a longer name ("heparin sodium", "penicillin-G potassium") is no
        # mention of its own: the name is read whole, as its drug's record (`MeshRecords.salt_record`).
        inside = [
            e
            for e in doc.ents
            if span.start <= e.start
            and e.end <= span.end
            and not (len(e) < len(span) and e.text.lower() in ions)
        ]
        role = roles().get(span.label_, "")
        ids = (
            ids_of(linked, role) if linked is not None else tuple(i for e in inside for i in ids_of(e, role))
        )
        read.append((span, ids or ids_of(span)))
    annotations = []
    for span, ids in read:
        if linker is not None:
            # A name the recogniser found whose modifier or head the words next to it share ("renal and
            # hepatic toxicity" where it found "hepatic toxicity"): the mention names those names too.
            bounds = shared_head_range(span, read)
            if bounds is not None:
                role = roles().get(span.label_, "")
                more = coordinated_ids(linker, concept_ids, Span(doc, *bounds, label=role))
                ids = tuple(dict.fromkeys((*ids, *as_corpus_writes(more, corpus))))
        annotations.append(Annotation(span.start_char, span.end_char, span.text, types[span.label_], ids))
    relations = sorted(_relations(doc, corpus, ids_of, thresholds))
    return AnnotatedDocument(gold.pmid, gold.title, gold.abstract, sorted(set(annotations)), relations)


def _relations(
    doc: Doc, corpus: str, ids_of: Callable[[Span], tuple[str, ...]], thresholds: Thresholds
) -> Iterator[PairRelation]:
    """Document-level relations: per label and concept pair, the best score of their mention pairs in one
    sentence and across sentences, each held to its threshold."""
    labels = CORPUS_RELATION_TYPES[corpus]
    role_of = roles()
    best: dict[tuple[str, str, str, bool], float] = {}
    ents = list(doc.spans[PAIR_SPANS]) if PAIR_SPANS in doc.spans else []
    sentence_of = _sentence_starts(doc)
    for s in doc._.ldn_pair_scores or []:
        if s.label not in labels:
            continue
        first, second = ents[s.first], ents[s.second]
        across = sentence_of(first.start) != sentence_of(second.start)
        if corpus == "bc5cdr" and role_of.get(first.label_) == "DISEASE":
            first, second = second, first  # CID pairs are (chemical, disease)
        for a in ids_of(first):
            for b in ids_of(second):
                if a == b:
                    continue
                key = (s.label, a, b, across) if corpus == "bc5cdr" else (s.label, *sorted((a, b)), across)
                best[key] = max(best.get(key, 0.0), s.score)
    passed: dict[tuple[str, str, str], float] = {}
    for (label, a, b, across), score in best.items():
        if score >= thresholds.of(label, across=across):
            passed[(label, a, b)] = max(passed.get((label, a, b), 0.0), score)
    if corpus == "bc5cdr":
        for label, a, b in passed:
            yield PairRelation(label, a, b)
        return
    # BioRED gives each pair one type: the best-scoring label that reaches its threshold.
    by_pair: dict[tuple[str, str], tuple[float, str]] = {}
    for (label, a, b), score in passed.items():
        if score > by_pair.get((a, b), (0.0, ""))[0]:
            by_pair[(a, b)] = (score, label)
    for (a, b), (_score, label) in by_pair.items():
        yield PairRelation(label, a, b)


def _sentence_starts(doc: Doc) -> Callable[[int], int]:
    """A token index -> the index of its sentence's first token (0 for every token of a doc without
    sentence boundaries)."""
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return lambda _i: 0
    starts = [s.start for s in doc.sents]
    return lambda i: starts[bisect_right(starts, i) - 1]
