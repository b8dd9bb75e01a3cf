"""MeSH ids as a corpus annotated with an older MeSH could write them.

The graph links to MeSH 2024 (the lexicon's and `ontology/mesh-names.tsv.gz`'s version). BC5CDR was
annotated with MeSH 2015 (`ontology/corpus-mesh.tsv`). A chemical descriptor MeSH made since was mostly a
supplementary record then ("lamotrigine": C047781 in the corpus, D000077213 now), whose id the 2024 tables
no longer hold; a disease descriptor made since split a heading of then, and the heading the annotators
chose is not reliably the new one's parent in the tree ("Mania" is under "Neurobehavioral Manifestations";
the corpus writes "bipolar mania" as Bipolar Disorder): on BC5CDR's development set reading new disease
descriptors as their first tree parent gained 2 ids and added 7 false ones. So an id newer than the
corpus's MeSH is one the corpus could not write, and is left out, as for a mention nothing identifies.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ldn_graph.errors import DataError
from ldn_graph.pipeline.rules import ontology_rows

CORPUS_MESH_FILE = "corpus-mesh.tsv"


@dataclass(frozen=True)
class MeshVersion:
    """The newest descriptor and supplementary record numbers a corpus's annotations could use."""

    descriptor: int
    supplementary: int

    def knows(self, mesh_id: str) -> bool:
        """Whether a MeSH id (D..., C...) existed in this version; ids of other schemes pass."""
        number = mesh_id[1:]
        if not number.isdigit() or mesh_id[:1] not in ("C", "D"):
            return True
        return int(number) <= (self.descriptor if mesh_id[0] == "D" else self.supplementary)


@functools.cache
def corpus_mesh_versions() -> dict[str, MeshVersion]:
    """Corpus -> the MeSH version its annotations use (`ontology/corpus-mesh.tsv`)."""
    out = {}
    for n, row in ontology_rows(CORPUS_MESH_FILE, ("corpus", "newest_descriptor", "newest_supplementary")):
        descriptor, supplementary = row["newest_descriptor"], row["newest_supplementary"]
        if not (
            descriptor[:1] == "D"
            and descriptor[1:].isdigit()
            and supplementary[:1] == "C"
            and supplementary[1:].isdigit()
        ):
            raise DataError(
                "expected a MeSH descriptor id (D...) and a supplementary id (C...)",
                where=f"{CORPUS_MESH_FILE}:{n}",
            )
        out[row["corpus"]] = MeshVersion(int(descriptor[1:]), int(supplementary[1:]))
    return out


def as_corpus_writes(ids: tuple[str, ...], corpus: str) -> tuple[str, ...]:
    """A mention's ids less the MeSH ids newer than its corpus's MeSH (all of them for a corpus of no
    older MeSH)."""
    version = corpus_mesh_versions().get(corpus)
    return ids if version is None else tuple(i for i in ids if version.knows(i))
