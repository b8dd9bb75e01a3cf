"""Text clean-up that keeps the text byte for byte: offsets stay valid in the document as read.

- Typographic characters (curly quotes, non-breaking spaces) get a plain `norm_`, which the model's
  features and the lexicon matcher read.
- A line break after a title-like line or closing punctuation starts a sentence: web pages and plain-text
  articles put headings on lines of their own, and the parser would otherwise run them into the next sentence.
- A structured abstract's section label ("Conclusions: LDN reduced pain ...", "RESULTS: ...":
  `abstract-section-label` in `ontology/word-classes.tsv`) is a sentence of its own: the parser would
  otherwise make the label the root and the clause after it a noun phrase in apposition.
- Words fused where HTML links were stripped ("fibromyalgiamultiple sclerosisCrohn's") are split into
  tokens (without adding characters) when the pieces are words of the lexicon or of English.
- A name glued to a genotype or marker sign ("L-FABP(+/-)", "CD4(+)CD25(+)", "AT1a(-/-)-DOCA") is split
  from the signs, which spaCy's English tokenizer leaves on the name: the name is then a token of its
  own. (A suspended hyphen, "kappa- and delta-opioid receptors", stays on its word: the shared-head
  reading of `span_rules.py` reads it so.)

Runs first, before the model's tok2vec.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Token

from ldn_graph.lexicon import Lexicon, load_lexicon
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.rules import word_classes
from ldn_graph.pipeline.words import APOSTROPHES, english_words, norm

MAX_LABEL_WORDS = 4  # "materials and methods", "main outcome measures"
MIN_FUSED = 8  # shorter tokens are never split
MIN_PIECE = 3
# A genotype or marker sign after a name: "(+)", "(-)", "(+/-)", "(-/-)", "(+/+)", the ")" perhaps cut off.
MARKER = re.compile(r"(?<=[A-Za-z0-9])(\()([+-](?:/[+-])?)(\)?)")


def lexicon_word_sets(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first words, last words, all words) of the lexicon's multi-case surface forms, normalised.

    First and last words come from the hand-made concepts, whose terms texts fuse; all words include the
    ontology lexicon's, so that none of its words is ever split.
    """
    first: set[str] = set()
    last: set[str] = set()
    every: set[str] = set()
    for concept in lexicon.hand.values():
        for form in (concept.label, *concept.synonyms):
            words = [w.strip("'’()") for w in norm(form).replace("-", " ").split()]
            words = [w[:-2] if w.endswith("'s") else w for w in words if w]
            if not words:
                continue
            first.add(words[0])
            last.add(words[-1])
            every.update(words)
    for key in lexicon.ontology_index()[0]:
        every.update(key.split())
    return frozenset(first), frozenset(last), frozenset(every)


def fused_split(
    word: str, first: frozenset[str], last: frozenset[str], known: frozenset[str]
) -> list[str] | None:
    """Pieces of a fused word, or None when it should stay whole.

    A split point must join the end of a lexicon term to the start of another (or be a lower-to-upper case
    boundary between two known words); the right part may itself be fused, so it is split again.
    """
    if len(word) < MIN_FUSED or not word.isalpha():  # most tokens, without normalising them
        return None
    low = norm(word)
    if low in known or low in first or low in last:
        return None
    for i in range(len(word) - MIN_PIECE, MIN_PIECE - 1, -1):
        left, right = word[:i], word[i:]
        lleft, lright = low[:i], low[i:]
        camel = left[-1].islower() and right[0].isupper()
        joins_terms = lleft in last and (lright in first or lright in known)
        joins_words = camel and (lleft in known or lleft in last) and (lright in known or lright in first)
        if joins_terms or joins_words:
            rest = fused_split(right, first, last, known) if len(right) >= MIN_FUSED else None
            return [left, *(rest or [right])]
    return None


def marker_split(word: str) -> list[str] | None:
    """Pieces of a word with genotype or marker signs glued to a name ("FABP(+/-" -> "FABP", "(", "+/-");
    None when there is nothing to split."""
    if "(" in word and (found := MARKER.search(word)) is not None:
        rest = word[found.end() :]
        pieces = [word[: found.start()], *(g for g in found.groups() if g)]
        if rest.startswith("-") and len(rest) > 1:
            pieces.append("-")
            rest = rest[1:]
        if rest:
            pieces += marker_split(rest) or [rest]
        return pieces
    return None


def _line_starts_sentence(tokens: Sequence[Token], i: int, text: str) -> bool:
    """Whether token i, the first after a line break, starts a sentence. `tokens` and `text`: the doc's
    (spaCy rebuilds `doc.text` at each access)."""
    space = tokens[i - 1]
    if not space.is_space or "\n" not in space.text:
        return False
    if space.text.count("\n") >= 2:
        return True
    prev = tokens[i - 2] if i >= 2 else None
    if prev is None:
        return True
    if prev.text in {".", "!", "?", ":", ";"}:
        return True
    # A short line without final punctuation is a heading; hard-wrapped prose has long lines.
    line_start = text.rfind("\n", 0, prev.idx) + 1
    return prev.idx + len(prev.text) - line_start < 60


def _ends_section_label(tokens: Sequence[Token], colon: int) -> bool:
    """Whether the colon at `colon` ends a structured abstract's section label ("Conclusions:", "MATERIALS
    AND METHODS:") that opens the text, a line or a sentence."""
    start = colon
    while start > 0 and colon - start < MAX_LABEL_WORDS and tokens[start - 1].is_alpha:
        start -= 1
    if start == colon or (
        start > 0 and not tokens[start - 1].is_space and tokens[start - 1].text not in ".!?"
    ):
        return False
    if start > 0 and tokens[start - 1].is_space and "\n" not in tokens[start - 1].text:
        return False
    label = "_".join(t.lower_ for t in tokens[start:colon])  # the word class joins words with "_"
    return label in word_classes()["abstract-section-label"]


class TextCleanup:
    """spaCy component: typographic norms, line-based sentence starts, fused-word splitting."""

    def __init__(self, nlp: Language, name: str, lexicon: Lexicon, split_fused: bool = True) -> None:
        register_extensions()
        self.name = name
        self.split_fused = split_fused
        self.first, self.last, lex_words = lexicon_word_sets(lexicon)
        self.known = lex_words | english_words(nlp)

    def __call__(self, doc: Doc) -> Doc:
        tokens = list(doc)  # spaCy makes a new Token object at each doc[i]: walk a list instead
        if self.split_fused and self._split(doc, tokens):
            tokens = list(doc)
        text = "".join(t.text_with_ws for t in tokens)  # == doc.text, from the tokens already made
        for token in tokens:
            word = token.text
            if word.isascii() and "`" not in word:
                continue  # most tokens: no typographic character
            straight = word.translate(APOSTROPHES)
            if straight != word:
                token.norm_ = straight.lower()
        for i in range(1, len(tokens)):
            # Only whitespace tokens hold line breaks: most tokens are passed over on the first test.
            after_break = "\n" in tokens[i - 1].text and not tokens[i].is_space
            if after_break and _line_starts_sentence(tokens, i, text):
                tokens[i].is_sent_start = True
            elif tokens[i].text == ":" and i + 1 < len(tokens) and _ends_section_label(tokens, i):
                tokens[i + 1].is_sent_start = True
        return doc

    def _split(self, doc: Doc, tokens: Sequence[Token]) -> bool:
        """Split the fused words among `tokens` (the doc's); whether there were any."""
        plans: list[tuple[Token, list[str]]] = []
        for token in tokens:
            word = token.text
            if "(" in word:
                pieces = marker_split(word)
            elif len(word) < MIN_FUSED:
                continue  # most tokens; `fused_split` would say so too
            else:
                pieces = fused_split(word, self.first, self.last, self.known)
            if pieces:
                plans.append((token, pieces))
        if not plans:
            return False
        with doc.retokenize() as retokenizer:
            for token, pieces in plans:
                heads: list[Token | tuple[Token, int]] = [(token, 0) for _ in pieces]
                retokenizer.split(token, pieces, heads=heads)
        return True


def split_points(pieces: Iterable[str]) -> list[int]:
    """Character offsets where pieces join (for tests and debugging)."""
    out, pos = [], 0
    for piece in list(pieces)[:-1]:
        pos += len(piece)
        out.append(pos)
    return out


@Language.factory(
    "ldn_text_cleanup",
    default_config={"split_fused": True, "lexicon": "", "ontology_lexicon": ""},
    assigns=["token.norm", "token.is_sent_start"],
)
def make_text_cleanup(
    nlp: Language, name: str, split_fused: bool, lexicon: str, ontology_lexicon: str
) -> TextCleanup:
    """Factory of the `ldn_text_cleanup` component. `lexicon` and `ontology_lexicon` are the entity
    linker's keys (the words never split): "" for the bundled files."""
    return TextCleanup(nlp, name, load_lexicon(lexicon, ontology_lexicon), split_fused=split_fused)
