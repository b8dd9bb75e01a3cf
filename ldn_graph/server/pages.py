"""The server's HTML: the query page at `/` and the entity page at `/entity?iri=...`.

Every piece of text from the graph or the request goes through `esc` (html.escape, quotes included), and
every link to an IRI is `/entity?iri=<percent-encoded IRI>`; only http(s) identifiers link outside. The
pages load nothing from elsewhere: one stylesheet and one small script (static/ldn-graph.css and
ldn-graph.js, package data) and the SPARQL editor, all served by the server itself, and the
Content-Security-Policy the server sends allows nothing more.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from urllib.parse import quote, urlencode

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ldn_graph.namespaces import shorten
from ldn_graph.rdf.read import Evidence
from ldn_graph.server.entity import EntityView, Relation, document_title
from ldn_graph.sparql.formats import find_format, formats_for
from ldn_graph.sparql.library import LibraryQuery
from ldn_graph.sparql.query import QueryResult


def esc(text: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def entity_href(iri: str) -> str:
    """The entity page of an IRI (already escaped for an attribute)."""
    return esc("/entity?iri=" + quote(iri, safe=""))


def _external_href(iri: str) -> str | None:
    # Only web links leave the server: an IRI such as javascript:... is shown, never linked.
    return esc(iri) if iri.startswith(("http://", "https://")) else None


@dataclass
class Site:
    """What every page says about the server: the graph it serves."""

    graph_name: str
    statements: int
    timeout: float
    max_rows: int


def _table(table_id: str, title: str, headers: tuple[str, ...], rows: list[str]) -> str:
    """A titled results table of an entity page; `rows` are `<tr>` elements already escaped."""
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = "\n".join(rows)
    return (
        f'<h2>{title}</h2><div class="table-wrap"><table id="{table_id}" class="results">'
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>"
    )


def _term_row(*cells: tuple[Node | None, str]) -> str:
    """A table row of terms, each shown with its label."""
    return "<tr>" + "".join(f"<td>{term_html(t, {str(t): label})}</td>" for t, label in cells) + "</tr>"


def _page(site: Site, title: str, body: str, *, page_class: str = "", head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="/static/ldn-graph.css">
<link rel="icon" href="data:,">
<script src="/static/ldn-graph.js" defer></script>
{head}</head>
<body class="{esc(page_class)}">
<header>
<a class="home" href="/">ldn-graph</a>
<span class="graph">{esc(site.graph_name)} · {site.statements:,} statements</span>
<span class="endpoint">SPARQL endpoint: <code>/sparql</code></span>
</header>
<main>
{body}
</main>
</body>
</html>
"""


def term_html(term: Node | None, labels: Mapping[str, str]) -> str:
    """A result cell: an IRI as a link to its entity page (its label as text), a literal as text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        text = labels.get(iri) or shorten(iri)
        return f'<a class="iri" href="{entity_href(iri)}" title="{esc(iri)}">{esc(text)}</a>'
    if isinstance(term, BNode):
        return f'<span class="bnode">_:{esc(term)}</span>'
    assert isinstance(term, Literal)
    out = f'<span class="literal">{esc(term)}</span>'
    if term.language:
        out += f'<span class="lang">@{esc(term.language)}</span>'
    return out


def _results_html(
    result: QueryResult, labels: Mapping[str, str], downloads: Sequence[tuple[str, str]], max_rows: int
) -> str:
    links = " ".join(
        f'<a href="{esc(href)}" download="result.{_extension(result, name)}">{esc(name)}</a>'
        for name, href in downloads
    )
    if result.kind == "ASK":
        answer = "true" if result.boolean else "false"
        return f'<p class="summary">ASK: <strong id="ask-answer">{answer}</strong></p>'
    if result.graph is not None:
        header = ["subject", "predicate", "object"]
        rows: list[tuple[Node | None, ...]] = sorted(result.graph, key=lambda t: tuple(map(str, t)))
        noun = "triple"
    else:
        header, rows, noun = result.variables, result.rows, "row"
    count = len(rows)
    summary = f"{count:,} {noun}{'' if count == 1 else 's'}"
    if result.truncated:
        summary = (
            f"the first {count:,} {noun}s; the result has more (the server's limit is {max_rows:,}: "
            "add LIMIT and OFFSET to page through it)"
        )
    head = "".join(f"<th>{esc(name)}</th>" for name in header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{term_html(term, labels)}</td>" for term in row) + "</tr>" for row in rows
    )
    return (
        f'<p class="summary"><span id="row-count">{esc(summary)}</span>'
        + (f' <span class="downloads">download: {links}</span>' if links else "")
        + "</p>\n"
        + f'<div class="table-wrap"><table id="results-table" class="results">'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>"
    )


def query_page(
    site: Site,
    examples: Sequence[LibraryQuery],
    *,
    query: str,
    selected: str | None,
    header: LibraryQuery | None,
    values: Mapping[str, str],
    result: QueryResult | None = None,
    labels: Mapping[str, str] | None = None,
    error: str | None = None,
    downloads: Sequence[tuple[str, str]] = (),
    elapsed: float | None = None,
) -> str:
    """The query page: examples, the query box with its parameters, and the result or the error."""
    options = "\n".join(
        f'<option value="{esc(q.name)}"{" selected" if q.name == selected else ""} '
        f'title="{esc(q.description)}">{esc(q.name)} — {esc(q.description)}</option>'
        for q in examples
    )
    params = ""
    if header is not None and header.params:
        fields = "\n".join(
            f'<label><span class="name">{esc(p.name)}</span> '
            f'<input name="param.{esc(p.name)}" value="{esc(values.get(p.name, p.default or ""))}">'
            + (f" <small>{esc(p.help)}</small>" if p.help else "")
            + "</label>"
            for p in header.params
        )
        params = f'<fieldset id="params"><legend>Parameters</legend>\n{fields}\n</fieldset>'
    description = ""
    if header is not None and header.description:
        details = " ".join(header.details)
        description = f'<p class="description">{esc(header.description)} {esc(details)}</p>'
    outcome = ""
    if error is not None:
        outcome = f'<p class="error" id="error" role="alert">{esc(error)}</p>'
    elif result is not None:
        outcome = _results_html(result, labels or {}, downloads, site.max_rows)
        if elapsed is not None:
            outcome += f'\n<p class="timing">answered in {elapsed * 1000:.0f} ms</p>'
    body = f"""<section id="editor">
<form id="examples" method="get" action="/">
<label>Example queries <select name="example" id="example">
<option value="">(choose one)</option>
{options}
</select></label>
<button type="submit" id="load-example">Load</button>
</form>
{description}
<form id="query-form" method="get" action="/">
<p class="editor-tools"><label>Add a prefix <select id="prefix">
<option value="">(choose one)</option>
{_prefix_options()}
</select></label></p>
<div class="editor"><pre aria-hidden="true"><code id="query-highlight"></code></pre>
<textarea name="query" id="query" rows="16" spellcheck="false"
 aria-label="SPARQL query">{esc(query)}</textarea></div>
{params}
<p class="actions"><button type="submit" id="run">Run query</button>
<span class="hint">Ctrl+Enter runs it. Prefixes ldn:, ent:, rdf:, rdfs:, skos:, oa:, prov:,
dcterms:, schema:, biolink:, xsd: are declared. Time limit {site.timeout:g} s,
at most {site.max_rows:,} rows.</span></p>
</form>
</section>
<section id="results">
{outcome}
</section>"""
    head = (
        '<link rel="stylesheet" href="/static/editor.css">\n'
        '<script src="/static/prefixes.js" defer></script>\n<script src="/static/editor.js" defer></script>\n'
    )
    return _page(site, "ldn-graph: SPARQL", body, page_class="query-page", head=head)


def _prefix_options() -> str:
    """The prefixes a query may use, as options that add their PREFIX line (declaring them is optional);
    their IRIs come with the editor's script (/static/prefixes.js), so the page names no other site."""
    from ldn_graph.namespaces import PREFIXES

    return "\n".join(f'<option value="{esc(prefix)}">{esc(prefix)}:</option>' for prefix in sorted(PREFIXES))


def prefixes_script() -> str:
    """/static/prefixes.js: the declared prefixes and their IRIs, for the editor."""
    import json

    from ldn_graph.namespaces import PREFIXES

    table = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    return f'"use strict";\nwindow.LDN_PREFIXES = {json.dumps(table, indent=1)};\n'


def _evidence_html(evidence: Iterable[Evidence], certainty: Mapping[str, str]) -> str:
    items = []
    for ev in evidence:
        title = document_title(ev)
        if ev.document is not None and isinstance(ev.document.iri, URIRef):
            where = f'<a href="{entity_href(str(ev.document.iri))}">{esc(title)}</a>'
        else:
            where = esc(title)
        span = f", characters {ev.start}–{ev.end}" if ev.start is not None else ""
        reading = esc(certainty.get(str(ev.certainty), "")) + (", negated" if ev.negated else "")
        items.append(
            f'<li><q class="sentence">{esc(ev.sentence)}</q> '
            f'<span class="source">{where}{esc(span)} ({reading})</span></li>'
        )
    return f'<ol class="evidence">{"".join(items)}</ol>' if items else ""


def _relation_row(view: EntityView, relation: Relation) -> str:
    me = f'<span class="self">{esc(view.label)}</span>'
    predicate = term_html(relation.predicate, {str(relation.predicate): relation.predicate_label})
    other = term_html(relation.other, {str(relation.other): relation.other_label})
    subject, obj = (me, other) if relation.direction == "out" else (other, me)
    classes = ["relation", relation.direction]
    if relation.negated:
        classes.append("negated")
    if relation.certainty.lower() == "hedged":
        classes.append("hedged")
    negation = "not " if relation.negated else ""
    claim = f'{subject} <span class="predicate">{esc(negation)}{predicate}</span> {obj}'
    qualifiers = "".join(f'<span class="qualifier">{esc(q)}</span>' for q in relation.qualifiers)
    contradiction = ""
    if relation.contradicted:
        classes.append("contradicted")
        side = "stated" if relation.negated else "negated"
        contradiction = f'<span class="contradiction">{side} in another document</span>'

    assertion = f'<a class="assertion" href="{entity_href(str(relation.assertion))}">assertion</a>'
    return (
        f'<tr class="{" ".join(classes)}"><td>{claim} {qualifiers}{contradiction}<br>{assertion}</td>'
        f"<td>{esc(relation.certainty)}</td><td>{'yes' if relation.negated else 'no'}</td>"
        f"<td>{'' if relation.support is None else relation.support}</td>"
        f"<td>{_evidence_html(relation.evidence, relation.evidence_certainty)}</td></tr>"
    )


def entity_page(site: Site, view: EntityView) -> str:
    """The page of one IRI: labels, identifiers, types, relations with evidence, other statements."""
    if not view.found:
        body = (
            f'<h1>Not in the graph</h1><p class="error" id="error">No statement of this graph mentions '
            f"<code>{esc(view.iri)}</code>.</p>"
        )
        return _page(site, "ldn-graph: not found", body, page_class="entity-page")
    facts = []
    if view.labels:
        facts.append(("Label", ", ".join(esc(label) for label in view.labels)))
    if view.alt_labels:
        facts.append(("Synonyms", ", ".join(esc(label) for label in view.alt_labels)))
    if view.definitions:
        facts.append(("Definition", " ".join(esc(d) for d in view.definitions)))
    if view.types:
        facts.append(("Type", ", ".join(term_html(t, {str(t): label}) for t, label in view.types)))
    if view.identifiers:
        links = []
        for curie, iri in view.identifiers:
            href = _external_href(str(iri))
            title = f'title="{esc(iri)}"'
            links.append(
                f'<a class="identifier" href="{href}" rel="noopener noreferrer" {title}>{esc(curie)}</a>'
                if href
                else f'<span class="identifier" {title}>{esc(curie)}</span>'
            )
        facts.append(("Identifiers", ", ".join(links)))
    if view.links:
        links = [
            f'<a class="external" href="{href}" rel="noopener noreferrer">{esc(name)}</a>'
            for name, url in view.links
            if (href := _external_href(url))
        ]
        facts.append(("Read it at", ", ".join(links)))
    if view.normalised is not None:
        standard = "yes" if view.identifiers else "none"
        facts.append(("Standard identifier", standard if view.normalised else "none (project-local entity)"))
    dl = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    sections = [
        f'<h1 id="entity-label">{esc(view.label)}</h1>',
        f'<p class="iri"><code>{esc(view.iri)}</code></p>',
        f'<dl class="facts">{dl}</dl>' if dl else "",
    ]
    if view.truncated:
        sections.append(
            f'<p class="notice">Only the first {view.limit:,} relations and statements are shown.</p>'
        )
    if view.relations:
        sections.append(
            _table(
                "relations",
                f"Relations ({len(view.relations)})",
                ("claim", "certainty", "negated", "sentences", "evidence"),
                [_relation_row(view, r) for r in view.relations],
            )
        )
    if view.text is not None:
        sections.append(
            f'<details id="document-text"><summary>Text read ({len(view.text):,} characters; evidence '
            f"offsets count into it)</summary><pre>{esc(view.text)}</pre></details>"
        )
    if view.statements:
        rows = [_term_row((p, pl), (o, ol)) for p, pl, o, ol in view.statements]
        sections.append(_table("statements", "Statements", ("property", "value"), rows))
    if view.mentions:
        rows = [_term_row((s, sl), (p, pl)) for s, sl, p, pl in view.mentions]
        sections.append(_table("mentions", "Mentioned by", ("subject", "property"), rows))
    return _page(
        site, f"ldn-graph: {view.label}", "\n".join(s for s in sections if s), page_class="entity-page"
    )


def error_page(site: Site, title: str, message: str) -> str:
    """A page that says what went wrong."""
    body = f'<h1>{esc(title)}</h1><p class="error" id="error" role="alert">{esc(message)}</p>'
    return _page(site, f"ldn-graph: {title}", body)


def download_links(query: str, params: Mapping[str, str], result: QueryResult) -> list[tuple[str, str]]:
    """Links to the same query at /sparql in each format the endpoint serves its result in."""
    extra = [(f"param.{k}", v) for k, v in params.items()]
    return [
        (fmt.name, "/sparql?" + urlencode([("query", query), *extra, ("format", fmt.name)]))
        for fmt in formats_for(result, served=True)
    ]


def _extension(result: QueryResult, name: str) -> str:
    """The file extension of the format `name` of `result`'s kind."""
    fmt = find_format(result, name)
    return fmt.extension if fmt is not None else name


def package_file(name: str) -> bytes:
    """A file of ldn_graph/server/static (package data: the editor is served offline)."""
    return files("ldn_graph.server").joinpath("static", name).read_bytes()


# What /static/ serves: path -> (content type, bytes).
STATIC = {
    "/static/ldn-graph.css": ("text/css; charset=utf-8", package_file("ldn-graph.css")),
    "/static/ldn-graph.js": ("text/javascript; charset=utf-8", package_file("ldn-graph.js")),
    "/static/editor.css": ("text/css; charset=utf-8", package_file("editor.css")),
    "/static/editor.js": ("text/javascript; charset=utf-8", package_file("editor.js")),
    "/static/prefixes.js": ("text/javascript; charset=utf-8", prefixes_script().encode("utf-8")),
}
