"""Entity recognition and linking from the lexicon.

Surface forms are compared as sequences of normalised words: case-folded, straight apostrophes, hyphens
and possessive 's dropped, so "Low-dose naltrexone", "low dose naltrexone" and "Crohn’s Disease" /
"Crohn disease" meet. The last word may be a regular plural. Abbreviations match case-sensitively. Small
typos ("opiod antagonist") are forgiven for words that are neither English nor in the lexicon. The longest
match wins. Abbreviations defined in the text take the concept of their long form, before the lexicon's.
Coordinated modifiers that share a head ("alcohol and opioid addiction") are linked when modifier + head
is a lexicon term.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ldn_graph.lexicon import Lexicon, default_lexicon
from ldn_graph.pipeline.extensions import abbreviations, register_extensions
from ldn_graph.pipeline.words import DASHES, english_words, norm, singulars

MAX_TERM_WORDS = 10
MIN_FUZZY = 5  # words shorter than this are never corrected
SKIP = frozenset(("'s", "'", "s'"))


def _is_skipped(token: Token) -> bool:
    return token.text in DASHES or norm(token.text) in SKIP


def term_key(tokens: Iterable[Token]) -> tuple[str, ...]:
    """The normalised words of a surface form."""
    return tuple(norm(t.text) for t in tokens if not _is_skipped(t) and not t.is_space)


def edits1(word: str) -> set[str]:
    """Deletions of one character (the symmetric-delete index of SymSpell)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


class LexiconMatcher:
    """Finds lexicon concepts in a Doc; the matching logic, separate from the component."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.forms: dict[tuple[str, ...], str] = {}
        self.abbrevs: dict[tuple[str, ...], str] = {}
        self.max_words = 1
        words: set[str] = set()
        for concept in sorted(lexicon, key=lambda c: c.key):
            for form in (concept.label, *concept.synonyms):
                key = term_key(nlp.make_doc(form))
                if key and len(key) <= MAX_TERM_WORDS:
                    self.forms.setdefault(key, concept.key)
                    self.max_words = max(self.max_words, len(key))
                    words.update(key)
            for abbr in concept.abbreviations:
                key = tuple(t.text for t in nlp.make_doc(abbr) if not t.is_space)
                self.abbrevs.setdefault(key, concept.key)
        self.words = frozenset(words)
        self.english = english_words(nlp)
        self.deletes: dict[str, set[str]] = defaultdict(set)
        for word in self.words:
            if len(word) >= MIN_FUZZY and word.isalpha():
                self.deletes[word].add(word)
                for d in edits1(word):
                    self.deletes[d].add(word)

    def correct(self, word: str) -> str | None:
        """The lexicon word one edit away from `word`, when `word` is not a word itself."""
        if len(word) < MIN_FUZZY or not word.isalpha() or word in self.words or word in self.english:
            return None
        candidates = set(self.deletes.get(word, ()))
        for d in edits1(word):
            candidates |= self.deletes.get(d, set())
        matches = sorted(c for c in candidates if within_one_edit(word, c))
        return matches[0] if len(matches) == 1 else None

    def lookup(self, words: tuple[str, ...]) -> str | None:
        """Concept key for a word sequence, trying singular forms of the last word."""
        for last in singulars(words[-1]):
            concept = self.forms.get((*words[:-1], last))
            if concept is not None:
                return concept
        return None

    def match(self, doc: Doc) -> list[Span]:
        """Non-overlapping concept spans, longest first, in text order."""
        # Content tokens, with None where a line break or sentence start cuts the text.
        seq: list[Token | None] = []
        for token in doc:
            if token.is_space:
                if "\n" in token.text:
                    seq.append(None)
                continue
            if token.is_sent_start and seq and seq[-1] is not None:
                seq.append(None)
            if not _is_skipped(token):
                seq.append(token)
        plain = [norm(t.text) if t is not None else "\n" for t in seq]
        fixed = [self.correct(w) if t is not None else None for w, t in zip(plain, seq, strict=True)]
        spans: list[Span] = []
        i = 0
        while i < len(seq):
            found = self._match_at(doc, seq, plain, fixed, i)
            if found is None:
                i += 1
                continue
            span, n = found
            spans.append(span)
            i += n
        return spans

    def _match_at(
        self, doc: Doc, seq: list[Token | None], plain: list[str], fixed: list[str | None], i: int
    ) -> tuple[Span, int] | None:
        first = seq[i]
        if first is None:
            return None
        for n in range(min(self.max_words, len(seq) - i), 0, -1):
            window = seq[i : i + n]
            if any(t is None for t in window):
                continue
            tokens = [t for t in window if t is not None]
            texts = tuple(t.text for t in tokens)
            start, end = tokens[0].i, tokens[-1].i + 1
            concept = self.abbrevs.get(texts)
            if concept is None:
                concept = self.lookup(tuple(plain[i : i + n]))
            if concept is None and any(fixed[i : i + n]):
                corrected = tuple(f or p for f, p in zip(fixed[i : i + n], plain[i : i + n], strict=True))
                longest = max(len(w) for w, f in zip(plain[i : i + n], fixed[i : i + n], strict=True) if f)
                if n > 1 or longest >= 7:
                    concept = self.lookup(corrected)
            if concept is not None:
                category = self.lexicon[concept].category
                return Span(doc, start, end, label=category, kb_id=concept), n
        return None


def link_abbreviations(doc: Doc, spans: list[Span]) -> list[Span]:
    """Give short forms defined in the text the concept of their long form; they win over the lexicon."""
    defined = abbreviations(doc)
    if not defined:
        return spans
    by_end = {s.end: s for s in spans}
    concept_of: dict[str, Span] = {}
    for short_text, (_short, long_) in defined.items():
        entity = by_end.get(long_.end)
        if entity is not None and entity.start >= long_.start:
            concept_of[short_text] = entity
    if not concept_of:
        return spans
    out = [s for s in spans if not (len(s) == 1 and s.text in concept_of)]
    for token in doc:
        entity = concept_of.get(token.text)
        if entity is None or token.i < defined[token.text][0].start:
            continue
        if any(s.start <= token.i < s.end for s in out):
            continue
        out.append(Span(doc, token.i, token.i + 1, label=entity.label_, kb_id=entity.kb_id_))
    return sorted(out, key=lambda s: s.start)


def link_shared_heads(doc: Doc, spans: list[Span], matcher: LexiconMatcher) -> list[Span]:
    """ "alcohol and opioid addiction": link "alcohol" to the concept "alcohol addiction" names."""
    out = list(spans)
    for span in spans:
        head_word = norm(span[-1].text)
        i = span.start - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 1 or doc[i].lower_ not in {"and", "or", "&"}:
            continue
        for n in (1, 2):
            start = i - n
            if start < 0 or any(t.is_punct or t.is_space for t in doc[start:i]):
                continue
            words = (*term_key(doc[start:i]), head_word)
            concept = matcher.lookup(words)
            if concept is None or concept == span.kb_id_:
                continue
            out = [s for s in out if s.end <= start or s.start >= i]
            out.append(Span(doc, start, i, label=matcher.lexicon[concept].category, kb_id=concept))
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


def link_nominal_states(doc: Doc, spans: list[Span], matcher: LexiconMatcher) -> list[Span]:
    """Re-link "increase in X" to the concept "increased X" when the lexicon has one."""
    out = list(spans)
    for span in spans:
        i = span.start - 1
        if i < 1 or doc[i].lower_ not in ("in", "of"):
            continue
        noun = doc[i - 1]
        state = NOMINAL_STATES.get(noun.lemma_.lower()) or NOMINAL_STATES.get(noun.lower_)
        if state is None:
            continue
        concept = matcher.lookup((*state.split(), *term_key(span)))
        if concept is None:
            continue
        out = [s for s in out if s.start != span.start]
        out.append(Span(doc, noun.i, span.end, label=matcher.lexicon[concept].category, kb_id=concept))
    return sorted(out, key=lambda s: s.start)


class EntityLinker:
    """spaCy component: sets `doc.ents` to lexicon concepts (label = category, kb_id = concept key).

    The model's own named entities (dates, organisations...) are kept in `doc.spans["ner"]`.
    """

    def __init__(self, nlp: Language, name: str, lexicon: Lexicon) -> None:
        register_extensions()
        self.name = name
        self.matcher = LexiconMatcher(nlp, lexicon)

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_annotation("ENT_IOB"):
            doc.spans["ner"] = list(doc.ents)
        spans = self.matcher.match(doc)
        spans = link_abbreviations(doc, spans)
        spans = link_shared_heads(doc, spans, self.matcher)
        spans = link_nominal_states(doc, spans, self.matcher)
        doc.ents = spans
        doc.spans["ldn_entities"] = spans
        if doc._.ldn_local_concepts is None:
            doc._.ldn_local_concepts = {}
        return doc


@Language.factory(
    "ldn_entity_linker",
    default_config={},
    assigns=["doc.ents", "token.ent_kb_id", "doc.spans"],
)
def make_entity_linker(nlp: Language, name: str) -> EntityLinker:
    """Factory of the `ldn_entity_linker` component (uses the bundled lexicon)."""
    return EntityLinker(nlp, name, default_lexicon())
