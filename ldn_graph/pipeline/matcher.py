"""The lexicon matcher: surface forms compared as sequences of normalised words (`lexicon.forms`), the
last word a regular plural, abbreviations and symbols case-sensitive, small typos forgiven for words that
are neither English nor in the lexicon, the longest match first. One matcher a pipeline and lexicon,
shared by the entity linker and the lexicon features.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ldn_graph.lexicon import Lexicon
from ldn_graph.lexicon.forms import form_key, key_variants, singulars, token_key
from ldn_graph.pipeline.rules import ontology_rows
from ldn_graph.pipeline.words import english_words

MAX_TERM_WORDS = 10
MAX_SYMBOL_TOKENS = 6  # "IL-1β" is one token, "TNF-α" may be three
MIN_FUZZY = 5  # words shorter than this are never corrected
MEMO_SIZE = 100_000  # remembered answers per kind of look-up (a few tens of MB at most)
K = TypeVar("K")
V = TypeVar("V")
LEADING_WORD = re.compile(r"\w+")
HYPHENS = frozenset("-‐‑")  # not slashes ("IBS/IBD") or dashes between clauses
SPELLING_VARIANTS = "spelling-variants.tsv"
MIN_COMPACT = 8  # a key shorter than this, its spaces dropped, is not looked up that way ("il 6")


@functools.cache
def _spellings() -> tuple[tuple[str, str], ...]:
    """(British, American) parts of `ontology/spelling-variants.tsv`, read once."""
    rows = ontology_rows(SPELLING_VARIANTS, ("british", "american"))
    return tuple((row["british"], row["american"]) for _n, row in rows)


def american(key: str) -> str:
    """A key with the British spellings of `ontology/spelling-variants.tsv` made American."""
    for british, american_ in _spellings():
        if british in key:
            key = key.replace(british, american_)
    return key


@functools.cache
def _prefixes() -> frozenset[str]:
    from ldn_graph.pipeline.rules import word_classes

    return word_classes()["joined-prefix"]


def join_prefixes(words: Sequence[str]) -> str:
    """The key of words with each prefix of `joined-prefix` (`ontology/word-classes.tsv`) joined to the word
    after it, spelled the American way: ("post", "exertional", "malaise") -> "postexertional malaise"."""
    prefixes = _prefixes()
    out: list[str] = []
    for word in words:
        if out and out[-1] in prefixes and word.isalpha():
            out[-1] += word
        else:
            out.append(word)
    return american(" ".join(out))


@functools.cache
def _directions() -> dict[str, tuple[str, ...]]:
    """Each word of `more-adjective` and `less-adjective` (`ontology/word-classes.tsv`) -> the others of
    its class."""
    from ldn_graph.pipeline.rules import word_classes

    out: dict[str, tuple[str, ...]] = {}
    for name in ("more-adjective", "less-adjective"):
        words = sorted(word_classes()[name])
        out.update((w, tuple(o for o in words if o != w)) for w in words)
    return out


def direction_variants(words: Sequence[str]) -> tuple[str, ...]:
    """Keys of words whose first says more or less of a measure, with each other word for it ("raised
    cholesterol" -> "elevated cholesterol", ...), and of words whose last names a class of drugs, with each
    other word for it ("platinum drugs" -> "platinum compounds", ...); () for other words."""
    if len(words) < 2:
        return ()
    rest = " ".join(words[1:])
    out = [f"{other} {rest}" for other in _directions().get(words[0], ())]
    head, last = " ".join(words[:-1]), words[-1]
    nouns = _drug_class_nouns()
    for number in ("", "s"):
        if last.endswith(number) and last[: len(last) - len(number)] in nouns:
            out.extend(f"{head} {noun}{number}" for noun in nouns if noun != last[: len(last) - len(number)])
            break
    return tuple(out)


@functools.cache
def _drug_class_nouns() -> tuple[str, ...]:
    from ldn_graph.pipeline.rules import word_classes

    return tuple(sorted(word_classes()["drug-class-noun"]))


def term_key(tokens: Iterable[Token]) -> tuple[str, ...]:
    """The normalised words of a surface form (dashes and possessive marks dropped)."""
    return tuple(k for t in tokens if not t.is_space and (k := token_key(t.text)))


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


def _remember(memo: dict[K, V], key: K, value: V) -> None:
    """Store an answer in a memo, emptying it first when it is full."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value


def _inside_compound(tokens: Sequence[Token], token: Token) -> bool:
    """Whether a token follows a dash joined to the word before it ("auto-immune", "non-cancer"): a term
    does not start in the middle of a compound word. `tokens`: the doc's."""
    if token.i < 2:
        return False
    dash, before = tokens[token.i - 1], tokens[token.i - 2]
    return dash.text in HYPHENS and not dash.whitespace_ and not before.whitespace_ and before.text.isalnum()


def symbol_names(
    symbols: dict[str, str], english: frozenset[str] | set[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The symbols of several words ("NMDA receptor antagonist", "TNF Inhibitors"), as texts write them:
    their plain words in any case, in the plural too. Those whose upper-case words spell no English word
    are matched as forms are: (form key, concept). The others ("ACE Inhibitors", "EAST syndrome") stay
    case-sensitive, written with their plain words in lower case as well: (symbol, concept)."""
    forms, cased = [], []
    for symbol, concept in symbols.items():
        words = symbol.split()
        if len(words) < 2:
            continue
        acronyms = [w for w in words if not w[1:].islower()]
        if any(w.lower() in english for w in acronyms if w.isalpha()):
            lowered = " ".join(w if w in acronyms else w.lower() for w in words)
            if lowered != symbol:
                cased.append((lowered, concept))
        elif key := form_key(symbol):
            forms.append((key, concept))
    return sorted(forms), sorted(cased)


def coordinated_variants(forms: dict[str, str]) -> list[tuple[str, str]]:
    """(variant key, concept) for forms that coordinate two words before a shared head ("serotonin and
    norepinephrine reuptake inhibitors"): texts join the two with a dash ("serotonin-norepinephrine
    reuptake inhibitors"), whose key drops the dash and the "and". A variant two concepts would share is
    left out."""
    found: dict[str, str | None] = {}
    for key, concept in forms.items():
        words = key.split(" ")
        if len(words) >= 4 and words[1] == "and" and words[0] != words[2]:
            variant = " ".join((words[0], *words[2:]))
            found[variant] = concept if found.get(variant, concept) == concept else None
    return sorted((v, c) for v, c in found.items() if c is not None)


def component_variants(forms: dict[str, str]) -> list[tuple[str, str]]:
    """(variant key, concept) for the proteins of a system named by their code ("complement c5",
    "complement c1q"; the systems are `component-system` in `ontology/word-classes.tsv`): texts write
    "complement component C5"."""
    from ldn_graph.pipeline.rules import word_classes

    systems = word_classes()["component-system"]
    found = []
    for key, concept in forms.items():
        words = key.split(" ")
        if len(words) == 2 and words[0] in systems and words[1][:1].isalpha() and words[1][1:2].isdigit():
            found.append((f"{words[0]} component {words[1]}", concept))
    return sorted(found)


class LexiconMatcher:
    """Finds lexicon concepts in a Doc; the matching logic, separate from the component.

    Forms are keyed by their normalised words joined by spaces (`ldn_graph.lexicon.forms`): the hand-made
    lexicon's through the model's tokenizer, the ontology lexicon's (hundreds of thousands) through the
    same cheap function the builder used. `reach` gives, for each first word, the most words a form that
    starts with it has, so most tokens cost one dictionary look-up. Typo correction only aims at words of
    the hand-made lexicon.
    """

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.english = english_words(nlp)
        onto_forms, onto_symbols = lexicon.ontology_index()
        hand_forms: dict[str, str] = {}
        hand_symbols: dict[str, str] = {}
        words: set[str] = set()
        for concept in sorted(lexicon.hand.values(), key=lambda c: c.key):
            for form in (concept.label, *concept.synonyms):
                parts = term_key(nlp.make_doc(form))
                if parts and len(parts) <= MAX_TERM_WORDS:
                    hand_forms.setdefault(" ".join(parts), concept.key)
                    words.update(w for p in parts for w in p.split())
            for abbr in concept.abbreviations:
                hand_symbols.setdefault(abbr.strip(), concept.key)
        # The hand-made lexicon wins every form it has; ontology symbols that spell an English word
        # ("CAT", "WAS", "IMPACT") are left out.
        self.forms: dict[str, str] = dict(onto_forms) if onto_forms else {}
        self.forms.update(hand_forms)
        self.abbrevs: dict[str, str] = {
            s: k for s, k in onto_symbols.items() if not (s.isalpha() and s.lower() in self.english)
        }
        named, cased = symbol_names(self.abbrevs, self.english)
        for form, key in named:
            self.forms.setdefault(form, key)
        for symbol, key in cased:
            self.abbrevs.setdefault(symbol, key)
        for variant, key in [*coordinated_variants(self.forms), *component_variants(self.forms)]:
            self.forms.setdefault(variant, key)
        self.abbrevs.update(hand_symbols)
        # Symbols by their leading word: how many space-separated words the longest has ("MEN 1": 2).
        self.symbol_reach: dict[str, int] = {}
        for symbol in self.abbrevs:
            lead = LEADING_WORD.match(symbol)
            head, n = (lead.group(0) if lead else symbol[:1]), symbol.count(" ") + 1
            if n > self.symbol_reach.get(head, 0):
                self.symbol_reach[head] = n
        self.reach: dict[str, int] = {}
        for key in self.forms:
            first, _, rest = key.partition(" ")
            n = rest.count(" ") + 2 if rest else 1
            if n > self.reach.get(first, 0):
                self.reach[first] = n
        self.words = frozenset(words)
        self.deletes: dict[str, set[str]] = defaultdict(set)
        for word in self.words:
            if len(word) >= MIN_FUZZY and word.isalpha():
                self.deletes[word].add(word)
                for d in edits1(word):
                    self.deletes[d].add(word)
        # Answers for words and word sequences already seen: texts repeat their words, and the same
        # question costs several dictionary look-ups and string operations each time. Plain dicts (not
        # lru_cache) so the component still pickles; emptied when they grow past MEMO_SIZE.
        self._corrections: dict[str, str | None] = {}
        self._lookups: dict[tuple[str, ...], str | None] = {}
        self._reaches: dict[str, int] = {}
        self._keys: dict[str, str] = {}
        self._starts: dict[str, tuple[int, int]] = {}
        self._compact: dict[str, str] | None = None  # `compact_lookup`'s index, made at first use

    def correct(self, word: str) -> str | None:
        """The hand-lexicon word one edit away from `word`, when `word` is not a word itself."""
        if word not in self._corrections:
            _remember(self._corrections, word, self._correct(word))
        return self._corrections[word]

    def _correct(self, word: str) -> str | None:
        if (
            len(word) < MIN_FUZZY
            or not word.isalpha()
            or word in self.words
            or word in self.english
            or word in self.reach
        ):
            return None
        candidates = set(self.deletes.get(word, ()))
        for d in edits1(word):
            candidates |= self.deletes.get(d, set())
        matches = sorted(c for c in candidates if within_one_edit(word, c))
        return matches[0] if len(matches) == 1 else None

    def lookup(self, words: tuple[str, ...]) -> str | None:
        """Concept key for a word sequence, trying singular forms of the last word, then the words spelled
        the American way ("sickness behaviour" is MeSH's "Sickness Behavior"), with prefixes joined to the
        word after them ("post-exertional malaise" is HPO's "postexertional malaise"), and with the other
        words for more or less of a measure ("raised cholesterol" is HPO's "elevated cholesterol")."""
        if not words:
            return None
        if words not in self._lookups:
            found = None
            joined = " ".join(words)
            spellings = (joined, american(joined), join_prefixes(words), *direction_variants(words))
            for spelled in dict.fromkeys(spellings):
                for key in key_variants(spelled):
                    found = self.forms.get(key)
                    if found is not None:
                        break
                if found is not None:
                    break
            _remember(self._lookups, words, found)
        return self._lookups[words]

    def compact_lookup(self, words: tuple[str, ...]) -> str | None:
        """Concept key for words a text splits or joins otherwise than the lexicon ("gamma-glutamyl
        transferase" is "gamma-Glutamyltransferase"): their letters without spaces, compared with the
        forms' so written, where one concept owns that spelling. For names the recogniser found."""
        compact = american("".join(words))
        if len(compact) < MIN_COMPACT:
            return None
        if self._compact is None:
            owners: dict[str, str | None] = {}
            for key, concept in self.forms.items():
                joined = key.replace(" ", "")
                if len(joined) >= MIN_COMPACT:
                    owners[joined] = concept if owners.get(joined, concept) == concept else None
            self._compact = {k: c for k, c in owners.items() if c is not None}
        for variant in singulars(compact):
            found = self._compact.get(variant)
            if found is not None:
                return found
        return None

    def reaches(self, text: str, key: str) -> tuple[int, int]:
        """(symbol reach, form reach) at a token of this text, whose key is `key`: how many words the
        longest symbol and the longest form (its key or its correction) starting there may have; (0, 0)
        for a token where nothing starts. Remembered by text."""
        found = self._starts.get(text)
        if found is None:
            lead = LEADING_WORD.match(text)
            found = (
                self.symbol_reach.get(lead.group(0) if lead else text[:1], 0),
                max(self._reach(key), self._reach(self.correct(key))),
            )
            _remember(self._starts, text, found)
        return found

    def _reach(self, word: str | None) -> int:
        if not word:
            return 0
        reach = self._reaches.get(word)
        if reach is None:
            head = word.partition(" ")[0]
            heads = {head, american(head), *_directions().get(head, ())}
            reach = max(self.reach.get(w, 0) for h in heads for w in singulars(h))
            _remember(self._reaches, word, reach)
        return reach

    def match(self, doc: Doc, text: str | None = None, tokens: Sequence[Token] | None = None) -> list[Span]:
        """Non-overlapping concept spans, longest first, in text order. `text` and `tokens`: `doc.text`
        and `list(doc)`, when the caller has them (spaCy rebuilds both at each access)."""
        # Content tokens, with None where a line break or sentence start cuts the text.
        seq: list[Token | None] = []
        plain: list[str] = []
        if tokens is None:
            tokens = list(doc)  # spaCy makes a new Token object at each doc[i]: walk a list instead
        for token in tokens:
            if token.is_space:
                if "\n" in token.text:
                    seq.append(None)
                    plain.append("\n")
                continue
            if token.is_sent_start and seq and seq[-1] is not None:
                seq.append(None)
                plain.append("\n")
            key = self._keys.get(token.text)
            if key is None:
                key = token_key(token.text)
                _remember(self._keys, token.text, key)
            if key:
                seq.append(token)
                plain.append(key)
        fixed = [self.correct(w) if t is not None else None for w, t in zip(plain, seq, strict=True)]
        reaches = [(0, 0) if t is None else self.reaches(t.text, w) for w, t in zip(plain, seq, strict=True)]
        text = doc.text if text is None else text
        # cut[k]: where the run of content tokens that k is in ends (no form spans a cut).
        cut = [len(seq)] * len(seq)
        for k in range(len(seq) - 2, -1, -1):
            cut[k] = k + 1 if seq[k + 1] is None else cut[k + 1]
        spans: list[Span] = []
        i = 0
        while i < len(seq):
            if reaches[i] == (0, 0):  # no form or symbol starts here
                i += 1
                continue
            span = self._match_at(doc, tokens, text, seq, plain, fixed, cut, i, reaches[i])
            if span is None:
                i += 1
                continue
            spans.append(span)
            while i < len(seq) and (seq[i] is None or seq[i].i < span.end):  # type: ignore[union-attr]
                i += 1
        return spans

    def _symbol_at(
        self, tokens: Sequence[Token], text: str, first: Token, reach: int
    ) -> tuple[int, str] | None:
        """The longest case-sensitive symbol starting at `first`, of at most `reach` space-separated words:
        (end token, concept); `tokens` and `text` are the doc's."""
        if not reach:
            return None
        found = None
        j, gaps = first.i, 0
        while j < len(tokens) and j - first.i < MAX_SYMBOL_TOKENS and not tokens[j].is_space:
            token = tokens[j]
            concept = self.abbrevs.get(text[first.idx : token.idx + len(token.text)])
            if concept is not None:
                found = (j + 1, concept)
            if token.whitespace_:
                gaps += 1
                if gaps >= reach or token.whitespace_ != " ":
                    break
            j += 1
        return found

    def _match_at(
        self,
        doc: Doc,
        tokens: Sequence[Token],
        text: str,
        seq: list[Token | None],
        plain: list[str],
        fixed: list[str | None],
        cut: list[int],
        i: int,
        reaches: tuple[int, int],
    ) -> Span | None:
        first = seq[i]
        if first is None:
            return None
        symbol_reach, reach = reaches
        best = self._symbol_at(tokens, text, first, symbol_reach)
        if (best is None and not reach) or _inside_compound(tokens, first):
            return None  # only a symbol could start here, and none does; or inside a compound word
        for n in range(min(reach, MAX_TERM_WORDS, cut[i] - i), 0, -1):
            last = seq[i + n - 1]
            assert last is not None  # windows stop at the cut
            if best is not None and last.i + 1 < best[0]:
                break  # a longer symbol already matched
            words = tuple(plain[i : i + n])
            concept = self.lookup(words)
            if concept is None and any(fixed[i : i + n]):
                corrected = tuple(f or p for f, p in zip(fixed[i : i + n], words, strict=True))
                longest = max(len(w) for w, f in zip(words, fixed[i : i + n], strict=True) if f)
                if n > 1 or longest >= 7:
                    concept = self.lookup(corrected)
            if concept is not None:
                # Longer wins; at equal length a hand-made concept beats an ontology symbol.
                if (
                    best is None
                    or last.i + 1 > best[0]
                    or (concept in self.lexicon.hand and best[1] not in self.lexicon.hand)
                ):
                    best = (last.i + 1, concept)
                break
        if best is None:
            return None
        end, concept = best
        return Span(doc, first.i, end, label=self.lexicon.category(concept), kb_id=concept)


# Per pipeline (held weakly: a pipeline that is gone takes its matchers with it), per lexicon.
_MATCHERS: weakref.WeakKeyDictionary[Language, dict[int, LexiconMatcher]] = weakref.WeakKeyDictionary()


def shared_matcher(nlp: Language, lexicon: Lexicon) -> LexiconMatcher:
    """The matcher of a pipeline and lexicon, made at first use and shared by the components that match.

    Made lazily: a pipeline loaded from disk builds its components before it loads their data, and the
    matcher reads the lemmatizer's word lists (`english_words`), which are only there after loading.
    """
    by_lexicon = _MATCHERS.setdefault(nlp, {})
    matcher = by_lexicon.get(id(lexicon))
    if matcher is None or matcher.lexicon is not lexicon:
        matcher = by_lexicon[id(lexicon)] = LexiconMatcher(nlp, lexicon)
    return matcher
