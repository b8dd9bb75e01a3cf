"""MeSH records for the names the entity linker cannot link otherwise: the `MeshRecords` part of it.

The bundled table (`ontology/mesh-names.tsv.gz`, made by `ldn-graph lexicon`) holds MeSH descriptors'
entry terms and supplementary records that the lexicon does not match in running text ("ATP",
"valdecoxib"), each with the recogniser label its tree branch makes it (CHEMICAL, DISEASE). A record is
taken only when its label agrees with the span's.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

from spacy.tokens import Span

from ldn_graph.lexicon import NO_ONTOLOGY
from ldn_graph.lexicon.forms import form_key, key_variants, singulars
from ldn_graph.pipeline.matcher import american, term_key
from ldn_graph.pipeline.names import MESH_NAMES_FILE, Name, parse_name, read_name_index
from ldn_graph.pipeline.recogniser_spans import in_plain_words
from ldn_graph.pipeline.rules import load_rules, organ_adjectives, word_classes

HEAD_BACKOFF_LABELS = frozenset(("DISEASE",))  # `MeshRecords.mesh_head_name`
SALT_LABELS = frozenset(("CHEMICAL",))  # `MeshRecords.salt_record`
MIN_CHEMICAL_NAME = 7  # letters of a word a MeSH chemical record names, read as a name no model found


class MeshRecords:
    """The MeSH lookups of the entity linker (`mesh_names_path`: its table, "" the bundled one;
    `local_entity_heads`: its head-word rules, for the generic nouns)."""

    mesh_names_path: str
    local_entity_heads: str

    def mesh_name(self, span: Span) -> Name | None:
        """The MeSH record whose name these words are, when its branch agrees with the model's label
        (`ontology/mesh-names.tsv.gz`: entry terms and supplementary records the lexicon does not match
        in running text, such as "ATP", "valdecoxib"); British spellings are tried the American way
        ("ischaemia": `ontology/spelling-variants.tsv`); a chemical's name also as its salt's
        (`salt_record`)."""
        key = " ".join(term_key(span))
        found = self._mesh_record(key, span.label_)
        if found is None and span.label_ in SALT_LABELS:
            found = self.salt_record(key)
        if found is None and " " in key:
            found = self.compact_record(key, span.label_)
        return found

    def compact_record(self, key: str, label: str) -> Name | None:
        """The MeSH record of words a text splits otherwise than MeSH ("venous thrombo-embolism" is
        "Venous Thromboembolism", "puromycin amino-nucleoside" "Puromycin Aminonucleoside"): their letters
        without spaces, where one record of the label has that spelling."""
        index = load_compact_mesh_names(self.mesh_names_path)
        for spelled in dict.fromkeys((key, american(key))):
            for variant in singulars(spelled.replace(" ", "")):
                rest = index.get(variant)
                if rest:
                    name = parse_name(rest)
                    return name if name.label == label else None
        return None

    def salt_record(self, key: str) -> Name | None:
        """The MeSH chemical record of a drug's name written with or without its salt's counter-ion
        (`counter-ion` in `ontology/word-classes.tsv`), as MeSH heads one of the two: "fenoprofen calcium"
        and "sodium valproate" (the "-ate" of an acid as its "-ic acid") are the drugs' records, "vecuronium"
        the one record of its salts ("Vecuronium Bromide"). None where several salts have records."""
        ions = word_classes()["counter-ion"]
        words = key.split()
        if all(w in ions for w in words):
            return None  # "disodium", "sodium bromide": no drug named
        if len(words) > 1 and (words[0] in ions or words[-1] in ions):
            bare = " ".join(words[1:] if words[0] in ions else words[:-1])
            for form in _acid_forms(bare):
                found = self._mesh_record(form, "CHEMICAL")
                if found is not None:
                    return found
            return None
        records = {
            found.ids: found
            for form in (*(f"{key} {ion}" for ion in sorted(ions)), *_acid_forms(key)[1:])
            if (found := self._mesh_record(form, "CHEMICAL")) is not None
        }
        return next(iter(records.values())) if len(records) == 1 else None

    def mesh_head_name(self, span: Span, *, one_plain_word: bool = False) -> Name | None:
        """For a disease no record names whole, the MeSH record of its head phrase, its modifiers dropped
        from the left ("cerebral venous thrombosis": Venous Thrombosis), as the corpora's annotators
        link it; not a generic head ("glomerular disease" is not Disease), nor one plain word ("neuronal
        death" is not Death). Diseases only: on BC5CDR's development set the back-off was right for 35
        disease mentions and wrong for 20, and wrong more often than right for chemicals ("fenoprofen
        calcium": calcium)."""
        if span.label_ not in HEAD_BACKOFF_LABELS:
            return None
        # Whole words as written: "auto-immune disorders" drops "auto-immune", never "auto".
        words = span.text.split()
        generic = load_rules(local_entity_heads=self.local_entity_heads).generic_nouns
        # A name in plain words is not one word of it ("neuronal death" is not Death, "macular oedema" not
        # Edema): the one word is wider than what the text names; a symbol's head may be. The corpora's
        # readings take it (`one_plain_word`: BC5CDR writes "essential hypertension" Hypertension).
        last = len(words) - 1 if in_plain_words(span) and not one_plain_word else len(words)
        for start in range(1, last):
            head = form_key(" ".join(words[start:]))
            if any(v in generic for v in key_variants(head)):
                return None
            name = self._mesh_record(head, span.label_)
            if name is not None:
                return name
        return None

    def organ_disease(self, span: Span) -> Name | None:
        """For a disease named by where it is and a word for harm ("renal impairment", "pulmonary
        toxicity", "cerebral lesions"; `organ-finding-head` in `ontology/word-classes.tsv`), the MeSH
        heading of that organ's diseases ("Kidney Diseases"; `ontology/organ-adjectives.tsv`), as the
        corpora's annotators link such names. Diseases only; the organ's "Disorders" heading where it has
        no "Diseases" one ("visual deficits": Vision Disorders); named by where it is and a word for a
        tumour (`organ-neoplasm-head`), the organ's "Neoplasms" heading ("liver tumors": Liver Neoplasms).
        With the head back-off for the names
        the lexicon knows without a MeSH id (`corpora/predict.py`), BC5CDR's development disease
        concept-id F1 went from 0.813 to 0.822."""
        if span.label_ not in HEAD_BACKOFF_LABELS or len(span) < 2:
            return None
        classes = word_classes()
        head = key_variants(form_key(span[-1].text))
        if any(v in classes["organ-neoplasm-head"] for v in head):
            headings: tuple[str, ...] = ("neoplasms",)  # "liver tumors": Liver Neoplasms
        elif any(v in classes["organ-finding-head"] for v in head):
            headings = ("diseases", "disorders")
        else:
            return None
        organ = organ_adjectives().get(form_key(span[:-1].text))
        if organ is None:
            return None
        for heading in headings:
            name = self._mesh_record(form_key(f"{organ} {heading}"), span.label_)
            if name is not None:
                return name
        return None

    def names_a_chemical(self, word: str) -> bool:
        """Whether a word of at least `MIN_CHEMICAL_NAME` letters is the whole name of a MeSH chemical
        record ("ziconotide": a supplementary record no other source names)."""
        return len(word) >= MIN_CHEMICAL_NAME and self._mesh_record(form_key(word), "CHEMICAL") is not None

    def _mesh_record(self, key: str, label: str) -> Name | None:
        """The MeSH record of a key (or its singular, or its American spelling) if it is of a label's kind."""
        index = load_mesh_names(self.mesh_names_path)
        if not index:
            return None
        for spelled in dict.fromkeys((key, american(key))):
            for variant in key_variants(spelled):
                rest = index.get(variant)
                if rest is not None:
                    name = parse_name(rest)
                    return name if name.label == label else None
        return None


def _acid_forms(key: str) -> tuple[str, ...]:
    """A name, and for an anion's ("valproate") its acid's ("valproic acid")."""
    if key.endswith("ate") and " " not in key and len(key) > len("ate") + 2:
        return (key, f"{key[: -len('ate')]}ic acid")
    return (key,)


@functools.cache
def load_compact_mesh_names(path: str = "") -> dict[str, str]:
    """The MeSH names table keyed by its words without spaces ("" where two records' names are so
    written), made at first use."""
    index: dict[str, str] = {}
    for key, rest in load_mesh_names(path).items():
        compact = key.replace(" ", "")
        index[compact] = rest if index.get(compact, rest) == rest else ""
    return index


@functools.cache
def load_mesh_names(path: str = "") -> dict[str, str]:
    """The MeSH names table, read once per path on first use ("" the bundled one, "none" or a missing
    bundled file: none)."""
    if path == NO_ONTOLOGY:
        return {}
    if not path:
        source = files("ldn_graph.ontology").joinpath(MESH_NAMES_FILE)
        return read_name_index(Path(str(source))) if source.is_file() else {}
    return read_name_index(Path(path))
