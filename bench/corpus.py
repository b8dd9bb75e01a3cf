"""A corpus of 2,000 documents made of real sentences, for the scale benchmarks (`make bench`).

The sentences of the bundled article and of the five unseen texts (tests/data/unseen/) are shuffled and
recombined, deterministically (a fixed seed), into abstract-sized documents: a heading of the sources as
title, then 6 to 12 sentences in paragraphs of 2 to 4. Written to bench/out/corpus/ (not committed) as
one .txt file per document; figures under "corpus" in bench/out/results.json.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

from _results import record

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CORPUS = OUT / "corpus"
SOURCES = [ROOT / "corpus" / "ldn-blog-2019.txt", *sorted((ROOT / "tests" / "data" / "unseen").glob("*.txt"))]
DOCUMENTS = 2000
SEED = 2019

CUT = frozenset(["at", "of", "in", "the", "and", "to", "from"])
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(“\"])")


def sentences_and_headings() -> tuple[list[str], list[str]]:
    """The sentences (prose ending in . ! ?) and the headings (short lines without) of the source texts."""
    sentences: list[str] = []
    headings: list[str] = []
    for path in SOURCES:
        for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            paragraph = " ".join(paragraph.split())
            if not paragraph:
                continue
            if not paragraph.endswith((".", "!", "?", ".)", ".”")):
                words = paragraph.lower().split()
                # A title, not a navigation crumb, a byline or a sentence cut before its link.
                if 2 <= len(words) <= 20 and words[0] not in ("by", "return") and words[-1] not in CUT:
                    headings.append(paragraph)
                continue
            sentences += [s for s in SENTENCE_END.split(paragraph) if len(s.split()) >= 4]
    return list(dict.fromkeys(sentences)), list(dict.fromkeys(headings))


def make_documents(n: int = DOCUMENTS, seed: int = SEED) -> list[tuple[str, str]]:
    """(file name, text) of `n` documents; the same for the same seed."""
    sentences, headings = sentences_and_headings()
    rng = random.Random(seed)
    width = len(str(n))
    documents = []
    for i in range(1, n + 1):
        picked = rng.sample(sentences, rng.randint(6, 12))
        paragraphs = []
        while picked:
            size = rng.randint(2, 4)
            paragraphs.append(" ".join(picked[:size]))
            picked = picked[size:]
        text = "\n\n".join([rng.choice(headings), *paragraphs]) + "\n"
        documents.append((f"doc-{i:0{width}d}.txt", text))
    return documents


def write_corpus(folder: Path = CORPUS, n: int = DOCUMENTS, seed: int = SEED) -> list[Path]:
    """Write the corpus into `folder` (replacing what was there); the paths written, in order."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    paths = []
    for name, text in make_documents(n, seed):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    sentences, headings = sentences_and_headings()
    documents = make_documents()
    write_corpus()
    words = sum(len(text.split()) for _, text in documents)
    results = {
        "documents": len(documents),
        "words": words,
        "words_per_document": round(words / len(documents), 1),
        "source_sentences": len(sentences),
        "source_headings": len(headings),
        "seed": SEED,
        "folder": str(CORPUS.relative_to(ROOT)),
    }
    print(
        f"corpus: {results['documents']:,} documents, {words:,} words ({results['words_per_document']} per "
        f"document) from {len(sentences)} sentences and {len(headings)} headings, seed {SEED}: {CORPUS}"
    )
    record("corpus", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
