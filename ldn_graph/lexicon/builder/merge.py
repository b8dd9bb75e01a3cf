"""One concept per real thing: terms of several ontologies merged by their cross-references.

- Terms are joined by the cross-references they state and by mapping tables; then, where no
  cross-reference says so, by an identical preferred label (ignoring case, dashes and a plural) between
  ontologies of the same kind of thing. Cross-references whose endpoints share a label are followed
  first. A join is refused when it would put two terms of one ontology (two MONDO diseases) in one concept,
  or a disease with a gene: cross-references are noisy, and a chain of them would otherwise merge unrelated
  things.
- A concept's category is that of its most authoritative term (PRECEDENCE); its identifier is the one
  its category prefers (MONDO for diseases, CL for cells, UBERON for anatomy, CHEBI for chemicals, GO for
  processes, HP for phenotypes, HGNC for genes); its label is that term's.
- A surface form that names several concepts goes to the one whose own label it is, else to the
  category first in the rules' priority; a form still between two concepts names neither.
- Keys are slugs of the labels; a slug taken by a concept that comes first (by identifier) gets the
  identifier appended. Everything is sorted, so the same terms always give the same concepts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ldn_graph.lexicon.builder.terms import Mapping, Rules, Term, is_symbol, looks_like_acronym
from ldn_graph.lexicon.forms import form_key, key_variants
from ldn_graph.model import slugify
from ldn_graph.pipeline.rules import drug_name_stems

# Which source decides a merged concept's category, most authoritative first.
PRECEDENCE = ("MONDO", "HP", "CL", "UBERON", "GO", "HGNC", "CHEBI", "DOID", "MESH", "PR")
# The identifier each category prefers, best first.
PREFERRED: dict[str, tuple[str, ...]] = {
    "Disease": ("MONDO", "DOID", "MESH", "HP"),
    "PhenotypicFeature": ("HP", "MESH", "MONDO", "DOID"),
    "Cell": ("CL", "MESH", "UBERON"),
    "AnatomicalEntity": ("UBERON", "MESH", "CL"),
    "BiologicalProcess": ("GO", "MESH"),
    "Drug": ("CHEBI", "MESH"),
    "ChemicalEntity": ("CHEBI", "MESH"),
    "MolecularEntity": ("CHEBI", "MESH"),
    "ChemicalRole": ("CHEBI", "MESH"),
    "Protein": ("HGNC", "PR", "MESH", "CHEBI"),
    "ProteinFamily": ("PR", "MESH", "HGNC"),
    "Population": ("MESH",),
}
# Kinds of thing that may be merged with each other.
GROUP = {
    "Disease": "disease",
    "PhenotypicFeature": "disease",
    "Cell": "anatomy",
    "AnatomicalEntity": "anatomy",
    "BiologicalProcess": "process",
    "Drug": "chemical",
    "ChemicalEntity": "chemical",
    "MolecularEntity": "chemical",
    "ChemicalRole": "chemical",
    "Protein": "chemical",
    "ProteinFamily": "chemical",
    "Population": "population",
}
# Prefixes of which a concept may hold several identifiers (MeSH splits what other ontologies lump).
MULTIPLE = frozenset({"MESH"})


@dataclass(frozen=True)
class BuiltConcept:
    """A row of the built lexicon."""

    key: str
    label: str
    category: str
    xrefs: tuple[str, ...]
    synonyms: tuple[str, ...]  # forms matched case-insensitively (the label among them when it matches)
    symbols: tuple[str, ...]  # forms matched case-sensitively


def _rank(prefix: str, order: tuple[str, ...]) -> int:
    return order.index(prefix) if prefix in order else len(order)


def _label_keys(term: Term) -> set[str]:
    return set(key_variants(form_key(term.label))) if form_key(term.label) else set()


class _Clusters:
    """Union-find over term ids, refusing joins of two ids of one prefix or of two kinds of thing."""

    def __init__(self, terms: dict[str, Term]) -> None:
        self.parent = {i: i for i in terms}
        self.ids: dict[str, dict[str, set[str]]] = {i: {t.prefix: {i}} for i, t in terms.items()}
        self.group = {i: GROUP[t.category] for i, t in terms.items()}

    def find(self, i: str) -> str:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.group[ra] != self.group[rb]:
            return False
        ia, ib = self.ids[ra], self.ids[rb]
        if any(p not in MULTIPLE and p in ia for p in ib):
            return False
        if rb < ra:
            ra, rb, ia, ib = rb, ra, ib, ia
        self.parent[rb] = ra
        for p, ids in ib.items():
            ia.setdefault(p, set()).update(ids)
        del self.ids[rb]
        return True


def merge_terms(terms: Iterable[Term], mappings: Iterable[Mapping], rules: Rules) -> list[BuiltConcept]:
    """Concepts from the terms of all sources, sorted by key."""
    by_id: dict[str, Term] = {}
    for term in terms:
        if term.id not in by_id:
            by_id[term.id] = term
    clusters = _Clusters(by_id)
    labels = {i: _label_keys(t) for i, t in by_id.items()}

    pairs: set[tuple[str, str]] = set()
    for term in by_id.values():
        for x in term.xrefs:
            if x in by_id and x != term.id:
                pairs.add((min(term.id, x), max(term.id, x)))
    for m in mappings:
        if m.a in by_id and m.b in by_id and m.a != m.b:
            pairs.add((min(m.a, m.b), max(m.a, m.b)))
    # Cross-references between terms of one name first: they decide where a contested id goes.
    for a, b in sorted(pairs, key=lambda p: (not (labels[p[0]] & labels[p[1]]), p)):
        clusters.join(a, b)

    named: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for i, t in by_id.items():
        for key in labels[i]:
            named[key][t.prefix].append(i)
    for key in sorted(named):
        unique = sorted(ids[0] for ids in named[key].values() if len(set(ids)) == 1)
        for other in unique[1:]:
            clusters.join(unique[0], other)

    members: dict[str, list[Term]] = defaultdict(list)
    for i in by_id:
        members[clusters.find(i)].append(by_id[i])
    drafts = [
        _draft(sorted(ms, key=lambda t: (_rank(t.prefix, PRECEDENCE), t.id)), by_id, rules)
        for ms in members.values()
    ]
    drafts.sort(key=lambda d: (_rank(d.xrefs[0].partition(":")[0], PRECEDENCE), d.xrefs[0]))
    _assign_forms(drafts, rules)
    _assign_keys(drafts)
    return sorted(
        (
            BuiltConcept(d.key, d.label, d.category, d.xrefs, tuple(d.synonyms), tuple(d.symbols))
            for d in drafts
            if d.synonyms or d.symbols
        ),
        key=lambda c: c.key,
    )


@dataclass
class _Draft:
    label: str
    category: str
    xrefs: tuple[str, ...]
    forms: list[tuple[str, bool]]  # (form, is a symbol), the label first
    synonyms: list[str]
    symbols: list[str]
    key: str = ""


def _draft(ms: list[Term], by_id: dict[str, Term], rules: Rules) -> _Draft:
    category = biologic_drug(ms[0].category, ms[0].label)
    order = PREFERRED[category]
    ranked = sorted(ms, key=lambda t: (_rank(t.prefix, order), _rank(t.prefix, PRECEDENCE), t.id))
    own = {t.id for t in ms}
    dangling = [x for t in ranked for x in t.xrefs if x not in by_id and x not in own]
    xrefs = tuple(dict.fromkeys([*(t.id for t in ranked), *dangling]))
    forms: list[tuple[str, bool]] = []
    for t in ranked:
        forms.append((t.label, is_symbol(t.label)))
        names = [t.label, *(s for s in t.synonyms if " " in s.strip())]
        forms.extend(
            (s, is_symbol(s))
            for s in t.synonyms
            if not looks_like_acronym(s, names) and not rules.adjective(s, category)
        )
        forms.extend((s, True) for s in t.symbols)
    return _Draft(ranked[0].label, category, xrefs, forms, [], [])


def biologic_drug(category: str, label: str) -> str:
    """A protein named with an INN stem (`ontology/drug-name-stems.tsv`: "infliximab", "etanercept",
    "anakinra") is a drug, a therapeutic antibody or fusion protein, whatever MeSH files it under (D12.776,
    proteins); other categories are kept."""
    if category == "Protein" and " " not in label.strip() and drug_name_stems().names_a_drug(label):
        return "Drug"
    return category


def usable_form(form: str, rules: Rules) -> bool:
    """A case-insensitive form worth matching: long enough, short enough, not a stopword or inverted."""
    words = form.split()
    return (
        rules.min_length <= len(form) <= rules.max_length
        and len(words) <= rules.max_words
        and ", " not in form
        and any(c.isalpha() for c in form)
        and form_key(form) not in rules.stoplist
    )


def usable_symbol(form: str, rules: Rules) -> bool:
    """A case-sensitive form worth matching: one word of a few characters with a letter, or a name of a
    few words with a symbol in it ("NMDA receptor antagonist", "TNF Inhibitors"; `symbol_name`)."""
    if any(c.isspace() for c in form):
        return symbol_name(form, rules) and form_key(form) not in rules.stoplist
    return (
        rules.min_symbol_length <= len(form) <= 20
        and any(c.isalpha() for c in form)
        and form_key(form) not in rules.stoplist
    )


ACRONYM = re.compile(r"[A-Z]{2,}(?:-?[0-9]{1,2}[A-Za-z]?)?")  # "NMDA", "TNF", "COX-2", "HIV", "5-HT2A" not
MAX_SYMBOL_NAME_WORDS = 4


def symbol_name(form: str, rules: Rules) -> bool:
    """Whether a form of a few words with an acronym in it is a name the matcher can take case-sensitively
    ("NMDA receptor antagonist", "TNF Inhibitors", "COX-2 inhibitors"): its words are acronyms or plain
    words, at least one a plain word of four letters or more, none a word that names a relation
    (`relation_words` of the rules: "MPTP Induced Parkinsonism"). "MEN 1", "T-cell ALL" and systematic
    names ("1-minute APGAR score of 0") are not."""
    words = form.split()
    plain = [w for w in words if w.isalpha() and (w[1:].islower() or w.islower())]
    acronyms = [w for w in words if ACRONYM.fullmatch(w)]
    return (
        2 <= len(words) <= MAX_SYMBOL_NAME_WORDS
        and bool(acronyms)
        and len(plain) + len(acronyms) == len(words)
        and any(len(w) >= 4 for w in plain)
        and not any(w.lower() in rules.relation_words for w in plain)
        and usable_form(form, rules)
    )


def _assign_forms(drafts: list[_Draft], rules: Rules) -> None:
    """Give each form to one concept (or none), then drop plurals of a concept's own singular forms."""
    claims: dict[tuple[str, bool], list[tuple[int, bool]]] = defaultdict(list)
    readable: dict[tuple[int, str, bool], str] = {}
    for n, d in enumerate(drafts):
        label_key = form_key(d.label)
        for form, symbol in d.forms:
            form = form.strip()
            if symbol:
                key = form
                if not usable_symbol(form, rules):
                    continue
            else:
                key = form_key(form)
                if not key or not usable_form(form, rules):
                    continue
            if (n, key, symbol) in readable:
                continue
            readable[(n, key, symbol)] = form
            claims[(key, symbol)].append((n, key == label_key or form == d.label))
    owner: dict[tuple[str, bool], int] = {}
    for (key, symbol), claimants in claims.items():
        winner = _winner(claimants, drafts, rules)
        if winner is not None:
            owner[(key, symbol)] = winner
    kept: dict[int, set[str]] = defaultdict(set)
    for (key, symbol), n in owner.items():
        if not symbol:
            kept[n].add(key)
    for (key, symbol), n in sorted(owner.items()):
        if not symbol and any(v != key and v in kept[n] for v in key_variants(key)):
            continue
        (drafts[n].symbols if symbol else drafts[n].synonyms).append(readable[(n, key, symbol)])
    for d in drafts:
        order = {f.strip(): i for i, (f, _s) in reversed(list(enumerate(d.forms)))}
        d.synonyms.sort(key=lambda f: (order.get(f, len(order)), f))
        d.symbols.sort(key=lambda f: (order.get(f, len(order)), f))


def _winner(claimants: list[tuple[int, bool]], drafts: list[_Draft], rules: Rules) -> int | None:
    if len(claimants) == 1:
        return claimants[0][0]
    labelled = [n for n, is_label in claimants if is_label]
    if len(labelled) == 1:
        return labelled[0]
    pool = labelled or [n for n, _ in claimants]
    best = min(rules.rank(drafts[n].category) for n in pool)
    top = [n for n in pool if rules.rank(drafts[n].category) == best]
    return top[0] if len(top) == 1 else None


def _assign_keys(drafts: list[_Draft]) -> None:
    """Readable, unique keys: the label's slug, with the identifier appended for later claimants."""
    taken: set[str] = set()
    for d in drafts:  # already in identifier order
        key = slugify(d.label)
        if key in taken:
            key = f"{key}-{slugify(d.xrefs[0])}"
        taken.add(key)
        d.key = key
