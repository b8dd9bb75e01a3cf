"""Entity recognition and linking from the lexicon: the `ldn_entity_linker` component.

The lexicon's matches (`matcher.py`: normalised words, plurals, case-sensitive symbols, small typos, the
longest match) become entities, adjusted by the readings of `span_rules.py` (abbreviations defined in the
text take the concept of their long form, before the lexicon's; coordinated modifiers that share a head
are linked when modifier + head is a lexicon term; ...). The trained recogniser's spans are linked
through the lexicon, the names the corpora's annotators linked, a defined abbreviation's long form, else
a project-local entity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ldn_graph.corpora.labels import category_of_label
from ldn_graph.lexicon import Lexicon, load_lexicon
from ldn_graph.lexicon.forms import form_key, key_variants, singulars
from ldn_graph.model import Concept, slugify
from ldn_graph.pipeline.complexes import join_complex_nouns
from ldn_graph.pipeline.defined_names import link_defined_names
from ldn_graph.pipeline.extensions import abbreviations, register_extensions
from ldn_graph.pipeline.like_findings import link_like_findings
from ldn_graph.pipeline.list_findings import link_list_findings, list_finding_excluded
from ldn_graph.pipeline.marker_cells import link_marker_cells
from ldn_graph.pipeline.matcher import LexiconMatcher, shared_matcher, term_key
from ldn_graph.pipeline.mesh_records import MeshRecords
from ldn_graph.pipeline.model_spans import GENE_LABEL, link_model_spans, with_linked_roles
from ldn_graph.pipeline.names import (
    Name,
    curie,
    document_organism,
    read_names,
    species_key,
    write_names,
)
from ldn_graph.pipeline.recogniser_spans import (
    attributive_adjective,
    consistent_mentions,
    describes_population,
    drugs_named_by_class,
    in_plain_words,
    ligand_protein_names,
    touches,
)
from ldn_graph.pipeline.rules import (
    drug_name_stems,
    family_symbols,
    load_rules,
    organ_combining_forms,
    word_classes,
)
from ldn_graph.pipeline.span_rules import (
    GENE_CATEGORIES,
    PART_HEADS,
    drop_effect_adjectives,
    drug_name_spans,
    join_ligand_receptor_names,
    link_abbreviations,
    link_family_members,
    link_nominal_states,
    link_of_phrases,
    link_part_findings,
    link_shared_heads,
    link_stereoisomers,
    named_locals,
    role_spans,
    with_finding_head,
)
from ldn_graph.pipeline.substance_findings import link_substance_findings
from ldn_graph.pipeline.symbols import symbol_index, symbol_key

NAMES_FILE = "names.tsv"  # the names the corpora linked, saved with the component


SPECIES = "ldn_species"  # doc.user_data key: `EntityLinker.species_of`
SPECIES_LABEL = "SPECIES"  # the recogniser's label of organisms (ontology/corpus-entity-types.tsv)
DISEASE_LABEL = "DISEASE"  # the recogniser's label of diseases and phenotypes
MIN_SYMBOL_CHARS = 3  # a gene symbol in another case than its own is read from this length ("b2m")
# doc.spans key: the recogniser's chemicals read as genes or proteins ("NMDA" in "NMDA receptor", "L-FABP"
# linked to FABP1), kept for a corpus that annotates them as chemicals (BC5CDR: `corpora/predict.py`).
CHEMICAL_READINGS = "ldn_ner_chemicals"
DRUG_CATEGORY = "Drug"  # a name whose INN stem makes it a drug's (`ontology/drug-name-stems.tsv`)


class EntityLinker(MeshRecords):
    """spaCy component: sets `doc.ents` to lexicon concepts (label = category, kb_id = concept key).

    Where a trained entity recogniser ran before it (`bio_ner`), its spans are read again in their document
    (`recogniser_spans`), linked too (`link_model_spans`) and kept in `doc.spans["ldn_ner"]`, a chemical
    linked to a gene or protein relabelled a gene. The model's other named entities (dates,
    organisations...) are kept in `doc.spans["ner"]`.
    """

    def __init__(
        self, nlp: Language, name: str, lexicon: Lexicon, mesh_names: str = "", local_entity_heads: str = ""
    ) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.lexicon = lexicon
        self.names: dict[str, Name] = {}
        self.mesh_names_path = mesh_names
        self.local_entity_heads = local_entity_heads
        self._gene_symbols: dict[str, str] | None = None

    @property
    def matcher(self) -> LexiconMatcher:
        return shared_matcher(self.nlp, self.lexicon)

    @property
    def gene_symbols(self) -> dict[str, str]:
        """Symbol key -> concept key of the lexicon's gene and protein symbols (`pipeline/symbols`), made at
        first use."""
        if self._gene_symbols is None:
            lexicon = self.matcher.lexicon
            self._gene_symbols = symbol_index(
                (symbol, owner)
                for symbol, owner in lexicon.ontology_symbols()
                if lexicon.category(owner) in GENE_CATEGORIES
            )
        return self._gene_symbols

    def __call__(self, doc: Doc) -> Doc:
        tokens = list(doc)
        model_spans = self.recogniser_spans(doc, tokens) if doc.has_annotation("ENT_IOB") else []
        text = "".join(t.text_with_ws for t in tokens)  # == doc.text, from the tokens already made
        # The lexicon features component matched already where it ran (same matcher, same lexicon).
        spans = (
            list(doc.spans["ldn_lexicon"])
            if "ldn_lexicon" in doc.spans
            else self.matcher.match(doc, text, tokens)
        )
        spans = link_abbreviations(doc, spans, tokens)
        spans = link_defined_names(doc, spans, self.matcher, tokens)
        spans = link_shared_heads(doc, spans, self.matcher, tokens)
        spans = link_nominal_states(doc, spans, self.matcher, tokens)
        spans = link_of_phrases(doc, spans, self.matcher, tokens)
        spans = link_family_members(doc, spans, self.matcher, tokens, family_symbols())
        classes = word_classes()
        before = {(s.start, s.end) for s in spans}
        spans = link_part_findings(doc, spans, self.matcher, tokens, {c: classes[c] for c in PART_HEADS})
        spans = link_marker_cells(doc, spans, self.matcher, tokens)
        spans = join_complex_nouns(doc, spans, tokens, classes["complex-head"])
        # "oligodendrocyte apoptosis", "CD4-positive T cells": a part and its noun, a marker and its cell are
        # a name, whatever the parse.
        parts = {(s.start, s.end) for s in spans} - before
        if doc._.ldn_local_concepts is None:
            doc._.ldn_local_concepts = {}
        rules = load_rules(local_entity_heads=self.local_entity_heads)
        heads = rules.local_category
        extended = [with_finding_head(doc, s, tokens, heads) for s in model_spans]
        # "depressive symptoms": the recogniser's adjective with a finding noun is a name, not a description.
        findings = {(e.start, e.end) for e, s in zip(extended, model_spans, strict=True) if e.end != s.end}
        model_spans = [self.with_name_head(s, tokens) for s in extended]
        # Drugs' names, drug classes and gene symbols the recogniser missed ("secukinumab", "CYP2D6
        # inhibitors", "mmp2"), read as if it had found them.
        stems = drug_name_stems()
        missed = drug_name_spans(
            doc, tokens, [*spans, *model_spans], stems, self.matcher.english, self.names_a_chemical
        )
        missed += role_spans(doc, tokens, spans, [*model_spans, *missed], heads)
        missed += self.symbol_spans(doc, tokens, [*spans, *model_spans, *missed])
        model_spans += missed
        if model_spans:
            spans = link_model_spans(doc, spans, sorted(model_spans), self)
            # A long form the recogniser's span names whole ("gamma-glutamyl transferase", not the enzyme
            # class "transferase" the lexicon found in it) gives the short form its concept.
            spans = link_abbreviations(doc, spans, tokens, whole=True)
        spans = link_like_findings(doc, spans, self.matcher, tokens, classes["like-finding-head"])
        spans = link_substance_findings(doc, spans, self.matcher, tokens, classes["substance-finding-head"])
        spans, listed = link_list_findings(doc, spans, self.matcher, tokens, list_finding_excluded(rules))
        local = doc._.ldn_local_concepts
        spans = link_stereoisomers(doc, text, spans, self.matcher.lexicon)
        spans = join_ligand_receptor_names(doc, spans, self.matcher.lexicon)
        spans = drop_effect_adjectives(spans, tokens, word_classes()["role-effect-noun"])
        listed |= {s.kb_id_ for s in spans if (s.start, s.end) in findings | parts and s.kb_id_ in local}
        doc._.ldn_named_locals = named_locals(doc, spans, stems, self.matcher.english, heads) | listed
        doc.ents = spans
        doc.spans["ldn_entities"] = spans
        if "ldn_ner" in doc.spans:
            found = list(doc.spans["ldn_ner"])
            found = sorted([*found, *(m for m in missed if not touches(found, m.start, m.end))])
            read, genes = with_linked_roles(found, spans)
            doc.spans["ldn_ner"] = read
            doc.spans[CHEMICAL_READINGS] = sorted([*doc.spans[CHEMICAL_READINGS], *genes])
        return doc

    def recogniser_spans(self, doc: Doc, tokens: list[Token]) -> list[Span]:
        """The trained recogniser's spans of the graph's kinds, read again in their document
        (`recogniser_spans.py`), kept in `doc.spans["ldn_ner"]`; its other named entities (dates,
        organisations...) in `doc.spans["ner"]`, and the chemicals it found that are read as proteins
        ("NMDA" in "NMDA receptor") in `doc.spans[CHEMICAL_READINGS]`."""
        categories = category_of_label()
        found = [e for e in doc.ents if e.label_ in categories]
        doc.spans["ner"] = [e for e in doc.ents if e.label_ not in categories]
        classes = word_classes()
        heads, joiners = classes["ligand-protein-head"], classes["ligand-protein-joiner"]
        spans, ligands = ligand_protein_names(doc, found, tokens, heads, joiners)
        doc.spans[CHEMICAL_READINGS] = ligands
        spans = drugs_named_by_class(doc, spans, tokens, classes["drug-class-head"], self.matcher.english)
        spans = consistent_mentions(doc, spans, tokens)
        doc.spans["ldn_ner"] = spans
        return spans

    # -- linking a span the model found -------------------------------------------------------------------

    def with_name_head(self, span: Span, tokens: list[Token]) -> Span:
        """A recogniser's gene or protein span that nothing identifies, extended to the noun after it that is
        part of such names ("Gi/o proteins"; `gene-name-head` in `ontology/word-classes.tsv`); the span
        as it is otherwise ("TLR4 protein" is TLR4)."""
        if category_of_label().get(span.label_) not in GENE_CATEGORIES or span.end >= len(tokens):
            return span
        noun = tokens[span.end]
        if (noun.lemma_ or noun.lower_).lower() not in word_classes()["gene-name-head"]:
            return span
        words = term_key(span)
        if self.matcher.lookup(words) or self.matcher.abbrevs.get(span.text) or self.gene_symbol(span):
            return span
        if self.learned_name(span) is not None:
            return span
        return Span(span.doc, span.start, span.end + 1, label=span.label_)

    def learned_name(self, span: Span) -> Name | None:
        """What the training corpora called this span's words, if anything: as the documents about the
        organism this one names most call them, else as all documents do."""
        if not self.names:
            return None
        # A symbol that spells an everyday word ("CAT", "SET") is not linked by what the corpora called it
        # (catalase), as the lexicon's symbols that spell English words are not matched.
        if len(span) == 1 and span.text.isupper() and span.text.lower() in self.matcher.english:
            return None
        species = self.species_of(span.doc)
        words = term_key(span)
        for key in (" ".join(words), compound_name(words)):
            for variant in key_variants(key) if key else ():
                if species and (name := self.names.get(species_key(variant, species))) is not None:
                    return name
                if variant in self.names:
                    return self.names[variant]
        return None

    def species_of(self, doc: Doc) -> str:
        """The NCBI Taxonomy id of the organism the recogniser found named most often in a doc (first named
        on a tie; "" for none), as the corpora's names give it; kept in `doc.user_data`."""
        found = doc.user_data.get(SPECIES)
        if found is None:
            named = [
                name.ids[0]
                for s in doc.spans.get("ldn_ner", [])
                if s.label_ == SPECIES_LABEL
                and (name := self.names.get(" ".join(term_key(s)))) is not None
                and name.ids
            ]
            found = document_organism(named)
            doc.user_data[SPECIES] = found
        return str(found)

    def symbol_spans(self, doc: Doc, tokens: list[Token], taken: Iterable[Span]) -> list[Span]:
        """Gene symbols written in lower or mixed case that nothing found ("mmp2", "Ptpn22", "IGFbp3": the
        lexicon matches symbols in their own case), as spans the recogniser would have labelled genes: a
        word of letters and digits, at least `MIN_SYMBOL_CHARS` long, not English, that spells one lexicon
        gene's or protein's symbol (`pipeline/symbols.py`)."""
        covered = bytearray(len(tokens))
        for span in taken:
            covered[span.start : span.end] = b"\x01" * (span.end - span.start)
        out = []
        for token in tokens:
            word = token.text
            if covered[token.i] or len(word) < MIN_SYMBOL_CHARS or not word.isalnum() or word.isupper():
                continue
            if word.isalpha() or word.isdigit() or word.lower() in self.matcher.english:
                continue
            if self.gene_symbols.get(symbol_key(word)):
                out.append(Span(doc, token.i, token.i + 1, label=GENE_LABEL))
        return out

    def gene_symbol(self, span: Span) -> str | None:
        """The lexicon concept whose symbol these words spell another way ("Bcl-2": BCL2), for a span the
        recogniser calls a gene or protein."""
        if category_of_label().get(span.label_) not in GENE_CATEGORIES:
            return None
        if len(span) == 1 and span.text.isupper() and span.text.lower() in self.matcher.english:
            return None  # "CAT", "SET": as for the lexicon's own symbols
        key = symbol_key(span.text)
        return self.gene_symbols.get(key) if key else None

    def concept_of(
        self, doc: Doc, span: Span, linked: dict[int, str] | None = None, *, head_backoff: bool = True
    ) -> str | None:
        """The concept key of a span the model found: the lexicon's for its words, then the corpora's
        name (the lexicon concept with that identifier, or one made from the name), then that of the long
        form it abbreviates (`linked`: concept keys of the spans linked so far, by end token); a local
        concept of its words when nothing links it. None when the model's label has no category in the
        graph and nothing links it."""
        words = term_key(span)
        found = self.matcher.lookup(words) or self.matcher.abbrevs.get(span.text)
        if found:
            return found
        found = self.matcher.compact_lookup(words)
        if found:
            return found
        rules = load_rules(local_entity_heads=self.local_entity_heads)
        adjective = span.label_ == DISEASE_LABEL and attributive_adjective(span)
        people = adjective and describes_population(span, rules.populations)
        if adjective and not people:
            return None  # "inflammatory cytokines", "depressive behaviour": no disease is named
        # The corpora's annotators filed a disease written in plain words under the MeSH heading nearest
        # it, often a wider one ("swelling": Edema, "hepatotoxicity": drug-induced liver injury); the graph
        # names what the text names, so only a disease written as a symbol ("ALS") or an adjective of people
        # ("depressed patients") is linked by the names table here (the corpora's measures read it whole).
        plain = span.label_ == DISEASE_LABEL and in_plain_words(span) and not people
        name = None if plain else self.learned_name(span)
        if name is not None:
            return self.concept_from_name(doc, name, span.text)
        defined = abbreviations(doc).get(span.text)
        long_form = defined[1] if defined is not None else None
        if long_form is not None:
            found = (linked or {}).get(long_form.end) or self.matcher.lookup(term_key(long_form))
            if found:
                return found
            name = self.learned_name(long_form)
            if name is not None:
                return self.concept_from_name(doc, name, long_form.text)
        found = self.gene_symbol(span)
        if found:
            return found
        name, surface = self.mesh_name(span), span.text
        if name is None and long_form is not None:
            name, surface = (
                self.mesh_name(Span(doc, long_form.start, long_form.end, label=span.label_)),
                long_form.text,
            )
        if name is None and head_backoff:
            # The record of a part of the name: the words are no name of it.
            name, surface = self.mesh_head_name(span) or self.organ_disease(span), ""
        if name is not None:
            key = self.concept_from_name(doc, name, surface)
            if key is not None:
                return key
        category = category_of_label().get(span.label_)
        if not category or not words:
            return None
        # The head word types a name no lexicon knows where the rule data says how ("stiffness": a
        # phenotypic feature, `ontology/local-entity-heads.tsv`), as for the rules' own local entities.
        category = rules.local_category(span.root.lemma_ or span.root.text) or category
        if len(span) == 1 and drug_name_stems().names_a_drug(span.text):
            category = DRUG_CATEGORY  # "cebranopadol": its stem says it is a drug
        label = " ".join(t.lower_ if not t.is_upper else t.text for t in span)
        local = doc._.ldn_local_concepts
        key = slugify(label)
        # Another thing may have this key: a lexicon concept, or a name that slugs the same ("ZORP-1α"
        # and "ZORP-1β" both give "zorp-1"); then the label's own hash tells them apart.
        if key in self.matcher.lexicon or (key in local and local[key].label != label):
            key = f"{key}-{hashlib.sha256(label.encode('utf-8')).hexdigest()[:8]}"
        if key not in local:
            local[key] = Concept(
                key=key, label=label, category=category, synonyms=(span.text,), normalised=False
            )
        return key

    def concept_from_name(self, doc: Doc, name: Name, surface: str = "") -> str | None:
        """The lexicon's concept for the first of a name's ids it knows, or a concept made from the name;
        `surface`: the words that are the name in the text, kept as its synonym ("neridronate" for MeSH's
        "6-amino-1-hydroxyhexane-1,1-diphosphonate"), and a drug's by its INN stem."""
        xrefs = tuple(x for i in name.ids if (x := curie(i, name.label)))
        for x in xrefs:
            key = self.matcher.lexicon.by_xref(x)
            if key:
                return key
        category = category_of_label().get(name.label)
        if not category or not xrefs:
            return None
        local = doc._.ldn_local_concepts
        key = slugify(name.preferred)
        if key in self.matcher.lexicon or (key in local and local[key].xrefs != xrefs):
            key = f"{key}-{slugify(xrefs[0])}"
        synonyms = (surface,) if surface and form_key(surface) != form_key(name.preferred) else ()
        if surface and " " not in surface and drug_name_stems().names_a_drug(surface):
            category = DRUG_CATEGORY
        local.setdefault(
            key, Concept(key=key, label=name.preferred, category=category, synonyms=synonyms, xrefs=xrefs)
        )
        return key

    # -- serialisation: the learned names travel with the pipeline ----------------------------------------

    def set_names(self, names: dict[str, Name]) -> None:
        self.names = dict(names)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.names:
            write_names(self.names, path / NAMES_FILE)
        else:
            (path / NAMES_FILE).unlink(missing_ok=True)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        rows = [[k, n.label, list(n.ids), n.preferred, n.count] for k, n in sorted(self.names.items())]
        return srsly.msgpack_dumps({"names": rows})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> EntityLinker:
        rows = srsly.msgpack_loads(data).get("names", [])
        self.names = {
            k: Name(label, tuple(ids), preferred, count) for k, label, ids, preferred, count in rows
        }
        return self

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EntityLinker:
        names = Path(path) / NAMES_FILE
        self.names = read_names(names) if names.is_file() else {}
        return self


def compound_name(words: tuple[str, ...]) -> str:
    """An organ's adjective and a noun of harm as the one word texts also write ("hepatic toxicity":
    "hepatotoxicity"; `combining_form` in `ontology/organ-adjectives.tsv`, `organ-compound-head` in
    `ontology/word-classes.tsv`); "" for other words."""
    if len(words) < 2:
        return ""
    form = organ_combining_forms().get(" ".join(words[:-1]))
    heads = word_classes()["organ-compound-head"]
    head = next((h for h in singulars(words[-1]) if h in heads), None)
    return f"{form}{head}" if form and head else ""


@Language.factory(
    "ldn_entity_linker",
    default_config={"lexicon": "", "ontology_lexicon": "", "mesh_names": "", "local_entity_heads": ""},
    assigns=["doc.ents", "token.ent_kb_id", "doc.spans"],
)
def make_entity_linker(
    nlp: Language, name: str, lexicon: str, ontology_lexicon: str, mesh_names: str, local_entity_heads: str
) -> EntityLinker:
    """Factory of the `ldn_entity_linker` component. `lexicon`: a hand lexicon TSV, `ontology_lexicon`: a
    built ontology lexicon, `mesh_names`: the MeSH names table for the recogniser's spans ("none" for none
    of either), `local_entity_heads`: the head words that type a project-local entity (the relation
    extractor's key); "" for the bundled ones."""
    load_rules(local_entity_heads=local_entity_heads)  # a bad file fails here, not at the first document
    return EntityLinker(nlp, name, load_lexicon(lexicon, ontology_lexicon), mesh_names, local_entity_heads)
