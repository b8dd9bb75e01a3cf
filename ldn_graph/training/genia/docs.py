"""Converted GENIA abstracts -> spaCy training Docs (one per abstract, sentences kept), the held-out split,
and the `.spacy` files `spacy train` reads.

Tokenisation: spaCy splits some words GENIA keeps whole ("tartrate-resistant" -> tartrate - resistant,
"NF-kappaB" -> NF - kappaB). The gold is retokenised the way en_core_web_sm analyses such words, so that
training sees spaCy's own tokens one to one: each GENIA word is run through spaCy's tokenizer; its last
piece that is not punctuation takes the word's tag, head and label; the hyphen (or slash...) is `punct` of
the next word piece, and an earlier word piece is the next one's `compound` (in a noun, or before a piece
other than the last) or `npadvmod` (before the last piece of an adjective, participle or adverb:
"tartrate-resistant"). GENIA gives no tag to a piece: an earlier word piece is a number (CD) or has its
tag left missing (spaCy's tagger does not learn from it), a punctuation piece is HYPH (or SYM...).
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.errors import DataError
from ldn_graph.training.genia.deps import Rules, convert_sentence, load_rules
from ldn_graph.training.genia.trees import Abstract, Word, read_archive

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

ARCHIVE = Path("genia-deps/GENIA_treebank_v1_train_xml.tar.gz")  # under the corpora folder
EXCLUDE = Path("EXCLUDE_PMIDS.tsv")
DEV_FRACTION = 0.1
SECTION_EVERY = 5  # one training abstract in five gets structured-abstract labels ("RESULTS:")
# Tags of the punctuation pieces spaCy splits off inside a GENIA word.
PIECE_TAGS = {"-": "HYPH", "–": "HYPH", "‐": "HYPH", ",": ",", ":": ":", ".": ".", "(": "-LRB-", ")": "-RRB-"}


@dataclass
class Report:
    """What a conversion produced, for the log."""

    abstracts: int = 0
    sentences: int = 0
    words: int = 0
    tokens: int = 0
    split_words: int = 0
    unparsed: int = 0  # sentences GENIA left without a parse, left out
    section_labels: int = 0  # structured-abstract labels written into training abstracts
    labels_split: int = 0  # GENIA's own labels split off their sentences
    labels: Counter[str] = field(default_factory=Counter)


def split_pmids(pmids: Iterable[str], fraction: float = DEV_FRACTION) -> tuple[list[str], list[str]]:
    """(train, held-out) PMIDs: the held-out part is the `fraction` with the smallest SHA-256 of the PMID,
    so the split depends on nothing but the PMIDs."""
    ranked = sorted(set(pmids), key=lambda p: (hashlib.sha256(p.encode()).hexdigest(), p))
    n = round(len(ranked) * fraction)
    return sorted(ranked[n:]), sorted(ranked[:n])


def excluded_pmids(corpora: Path) -> frozenset[str]:
    """The PMIDs `EXCLUDE_PMIDS.tsv` lists (none when the file is absent), read as the corpora's readers
    read it (`corpora.pubtator.read_exclusions`: a malformed row is a one-line error)."""
    from ldn_graph.corpora.pubtator import read_exclusions

    path = corpora / EXCLUDE
    return read_exclusions(path) if path.exists() else frozenset()


def _punctuation(text: str) -> bool:
    return bool(text) and all(unicodedata.category(c)[0] in "PS" for c in text)


def retokenise(words: list[Word], nlp: Language) -> list[Word]:
    """The sentence's converted words split as spaCy's tokenizer splits them (see the module doc)."""
    out: list[Word] = []
    head_piece: list[int] = []  # GENIA word -> index of its head piece in `out`
    for word in words:
        pieces = nlp.tokenizer(word.text)
        start = len(out)
        if len(pieces) <= 1:
            head_piece.append(start)
            out.append(Word(start, word.text, word.tag, word.space, word.head, word.dep))
            continue
        content = [t.i for t in pieces if not _punctuation(t.text)] or [len(pieces) - 1]
        head = content[-1]
        head_piece.append(start + head)
        noun = word.tag.startswith(("NN", "FW", "CD", "SYM"))
        for t in pieces:
            space = bool(t.whitespace_) if t.i < len(pieces) - 1 else word.space
            if t.i == head:  # keeps the GENIA word's head (a word index, mapped below)
                out.append(Word(start + t.i, t.text, word.tag, space, word.head, word.dep))
                continue
            # Other pieces hang off the next word piece ("NF - AT - regulated": NF -> AT -> regulated).
            target = next((c for c in content if c > t.i), head)
            if _punctuation(t.text):
                tag, dep = PIECE_TAGS.get(t.text, "SYM"), "punct"
            else:
                tag = "CD" if t.like_num else ""  # "low" of "low-dose": its tag is unknown, left missing
                dep = "dep" if t.i > head else "compound" if noun or target != head else "npadvmod"
            out.append(Word(start + t.i, t.text, tag, space, -2 - (start + target), dep))
    for piece in out:
        if piece.head <= -2:  # a piece of a split word: its target piece, already an index in `out`
            piece.head = -2 - piece.head
        elif piece.head >= 0:
            piece.head = head_piece[piece.head]
    return out


def section_labels(pmid: str, sentences: int, labels: list[str]) -> dict[int, str]:
    """Where a structured abstract's labels go in a training abstract, fixed by the PMID's hash: in one
    abstract of `SECTION_EVERY`, before the first sentence after the title and before the sentences at
    two fifths and seven tenths of it; each label taken from `labels`, upper case or capitalised."""
    digest = int(hashlib.sha256(pmid.encode()).hexdigest(), 16)
    if not labels or digest % SECTION_EVERY or sentences < 4:
        return {}
    places = sorted({1, round(sentences * 0.4), round(sentences * 0.7)} - {0})
    out = {}
    for k, place in enumerate(places):
        word = labels[(digest >> (8 * k)) % len(labels)]
        out[place] = word.upper() if (digest >> (8 * k + 4)) % 2 else word.capitalize()
    return out


def split_label(tokens: list[Word], labels: frozenset[str]) -> bool:
    """Make a structured abstract's label at the start of a sentence ("RESULTS: Platelets were ...") a
    sentence of its own, in place: GENIA keeps it in the sentence, often as the root with the clause under
    it, where the shipped pipeline's clean-up splits it off. The label's head word becomes one root, the
    clause's head (its own root, or the largest subtree that hung on the label) the other. False, and
    nothing changed, when the sentence starts with no label."""
    k = next((k for k in range(1, 5) if len(tokens) > k + 1 and tokens[k].text == ":"), 0)
    if not k or "_".join(t.text.lower() for t in tokens[:k]) not in labels:
        return False
    prefix = range(k + 1)
    inside = [t for t in tokens[: k + 1] if t.head < 0 or t.head > k]
    root = next((t for t in inside if t.head < 0), None) or next(t for t in inside if not t.is_punct)
    for t in inside:
        t.head, t.dep = (-1, "ROOT") if t is root else (root.index, t.dep)
    hanging = [t for t in tokens[k + 1 :] if t.head < 0 or t.head in prefix]
    if not hanging:
        return True
    size = Counter[int]()
    for t in tokens[k + 1 :]:  # subtree sizes, by walking each token up to the rest's top
        node = t
        while node.head > k and node not in hanging:
            node = tokens[node.head]
        size[node.index] += 1
    top = next((t for t in hanging if t.head < 0), None) or max(
        hanging, key=lambda t: (size[t.index], -t.index)
    )
    for t in hanging:
        t.head, t.dep = (-1, "ROOT") if t is top else (top.index, t.dep)
    return True


def abstract_doc(
    nlp: Language,
    abstract: Abstract,
    rules: Rules,
    report: Report | None = None,
    section_labels: dict[int, str] | None = None,
    labels: frozenset[str] = frozenset(),
) -> Doc:
    """One training Doc for an abstract: words, spaces, tags, heads and labels, one tree per sentence.
    `section_labels`: sentence index -> a structured abstract's label written before it ("RESULTS:"), as
    a sentence of its own (the label the root, the colon its punct). `labels`: the labels (words joined by
    '_') split off the start of a sentence that has one (`split_label`)."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    heads: list[int] = []
    deps: list[str] = []
    sentences = [s for s in abstract.sentences if s.annotated]
    if report is not None:
        report.unparsed += len(abstract.sentences) - len(sentences)
    for n, sentence in enumerate(sentences):
        label = (section_labels or {}).get(n)
        if label:
            heads += [len(words), len(words)]
            words += [label, ":"]
            spaces += [False, True]
            tags += ["", ":"]  # the label's tag (NN, NNS, NNP?) is left missing
            deps += ["ROOT", "punct"]
        converted = convert_sentence(sentence, rules)
        tokens = retokenise(converted, nlp)
        if labels and split_label(tokens, labels) and report is not None:
            report.labels_split += 1
        offset = len(words)
        for token in tokens:
            words.append(token.text)
            spaces.append(token.space)
            tags.append(token.tag)
            heads.append(offset + (token.index if token.head < 0 else token.head))
            deps.append(token.dep)
        spaces[-1] = n < len(sentences) - 1
        if report is not None:
            report.sentences += 1
            report.words += len(converted)
            report.tokens += len(tokens)
            report.split_words += sum(1 for w in converted if len(nlp.tokenizer(w.text)) > 1)
            report.labels.update(t.dep for t in tokens)
    try:
        doc = Doc(nlp.vocab, words=words, spaces=spaces, tags=tags, heads=heads, deps=deps)
    except ValueError as err:
        raise DataError(f"cannot build the training doc: {err}", where=f"GENIA {abstract.pmid}") from None
    if report is not None:
        report.abstracts += 1
    return doc


def genia_abstracts(corpora: Path) -> list[Abstract]:
    """The GENIA treebank abstracts under `corpora`, less those in `EXCLUDE_PMIDS.tsv`."""
    archive = corpora / ARCHIVE
    if not archive.exists():
        raise DataError("the GENIA treebank tarball is missing", where=str(archive))
    excluded = excluded_pmids(corpora)
    return [a for a in read_archive(archive) if a.pmid not in excluded]


def label_words() -> list[str]:
    """The one-word structured-abstract labels of `ontology/word-classes.tsv` (`abstract-section-label`)."""
    from ldn_graph.pipeline.rules import word_classes

    return sorted(w for w in word_classes().get("abstract-section-label", ()) if "_" not in w)


def write_splits(corpora: Path, workdir: Path) -> tuple[Path, Path]:
    """Convert the treebank and write `genia-train.spacy` and `genia-heldout.spacy` under `workdir`. Only
    the training abstracts get structured-abstract labels: the held-out ones stay GENIA's own text."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    report = Report()
    rules = load_rules()
    abstracts = {a.pmid: a for a in genia_abstracts(corpora)}
    train, heldout = split_pmids(abstracts)
    labels = label_words()
    from ldn_graph.pipeline.rules import word_classes

    all_labels = frozenset(word_classes().get("abstract-section-label", ()))
    paths = []
    for name, pmids in (("genia-train", train), ("genia-heldout", heldout)):
        docbin = DocBin(attrs=["ORTH", "SPACY", "TAG", "HEAD", "DEP", "SENT_START"])
        for pmid in pmids:
            abstract = abstracts[pmid]
            kept = sum(s.annotated for s in abstract.sentences)
            places = section_labels(pmid, kept, labels) if name == "genia-train" else {}
            report.section_labels += len(places)
            docbin.add(abstract_doc(nlp, abstract, rules, report, places, all_labels))
        path = workdir / f"{name}.spacy"
        path.parent.mkdir(parents=True, exist_ok=True)
        docbin.to_disk(path)
        paths.append(path)
        print(f"{name}: {len(pmids)} abstracts -> {path}", file=sys.stderr)
    print(
        f"GENIA: {report.abstracts} abstracts, {report.sentences} sentences, {report.words} words -> "
        f"{report.tokens} spaCy tokens ({report.split_words} words split); {report.unparsed} unparsed "
        f"sentences left out; {report.labels_split} structured-abstract labels split off their sentences, "
        f"{report.section_labels} added to training abstracts",
        file=sys.stderr,
    )
    return paths[0], paths[1]
