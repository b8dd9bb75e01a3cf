"""A malformed query in one line: where, what was expected in words, and what was found there.

Oxigraph's parser (rust-peg) reports the furthest position any rule reached and every token tried there,
which is a list of up to 600 characters mixing punctuation, keywords, character classes and SPARQL 1.2
tokens (`"{|"`, `"~"`). A keyword is matched by reading as many characters as it has, so a keyword tried
at column c fails at column c + its length: `SELECT ?x {} ORDER ?x` is reported at the end of the query,
"expected BY", though BY was wanted where `?x` stands. Here each token is placed where it was tried, only
the tokens tried furthest along are kept, and they are named in words: "expected a variable, an IRI or
'{', found '}'". When nothing but "any character" is left, the fault is placed where rdflib's parser
stopped, which then is the better guess (`{ ?x ?y ?z . . }`: the second `.`). A bracket that does not
pair up is said first, with where it was opened ("expected ')' to close the '(' at line 3, column 9"):
there a keyword tried inside the brackets would put Oxigraph's position past the fault.

`query_error` is the one translator of a query either engine refuses: SPARQL Update is refused as
read-only, an unknown prefix is named with the line that declares it, and a syntax fault is worded as
above, whichever parser found it; `run_error` words a failure while a query runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ldn_graph.errors import QueryError, ReadOnlyError
from ldn_graph.namespaces import PREFIXES

_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_RDFLIB_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix : (\S*)")
_PYPARSING_FOUND = re.compile(r"found (.+?)\s+\(at char \d+\)")
# One token of Oxigraph's list: a quoted literal, a character class, or a bare word or phrase.
_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[A-Za-z][A-Za-z0-9 ]*')
_ANY_CHARACTER = "[_]"
_DIGITS = "['0'..='9']"

# SPARQL's built-in calls: a list of them means an expression was wanted.
# fmt: off
_BUILTINS = frozenset(
    (
        "ABS", "AVG", "BNODE", "BOUND", "CEIL", "COALESCE", "CONCAT", "CONTAINS", "COUNT", "DATATYPE",
        "DAY", "ENCODE_FOR_URI", "EXISTS", "FLOOR", "GROUP_CONCAT", "HOURS", "IF", "IRI", "ISBLANK",
        "ISIRI", "ISLITERAL", "ISNUMERIC", "ISTRIPLE", "ISURI", "LANG", "LANGDIR", "LANGMATCHES",
        "LCASE", "MAX", "MD5", "MIN", "MINUTES", "MONTH", "NOT", "NOW", "OBJECT", "PREDICATE", "RAND",
        "REGEX", "REPLACE", "ROUND", "SAMETERM", "SAMPLE", "SECONDS", "SHA1", "SHA256", "SHA384",
        "SHA512", "STR", "STRAFTER", "STRBEFORE", "STRDT", "STRENDS", "STRLANG", "STRLEN", "STRSTARTS",
        "STRUUID", "SUBJECT", "SUBSTR", "SUM", "TIMEZONE", "TRIPLE", "TZ", "UCASE", "URI", "UUID",
        "YEAR",
    )
)
# fmt: on
# Tokens of SPARQL 1.2 and of Oxigraph's extensions that would only puzzle a reader.
_EXOTIC = frozenset({'"{|"', '"|}"', '"~"', '"<<"', '"<<("', '">>"', '")>>"', "LATERAL", "SERVICE"})
_GROUP_KEYWORDS = frozenset({"OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES", "GRAPH", "SERVICE", "LATERAL"})
_OPERATORS = frozenset({'"&&"', '"||"', '"*"', '"/"', '"+"', '"-"', '"="', '"!="', '"<="', '">="', '">"'})
# Literal tokens that stand for a kind of term, and the words for it.
_TERM_WORDS = {
    '"?"': "a variable",
    '"$"': "a variable",
    '"<"': "an IRI",
    '":"': "an IRI",
    '"_:"': "a blank node",
    '"["': "a blank node",
    '"\\""': "a literal",
    '"\'"': "a literal",
    '"\\"\\"\\""': "a literal",
    "\"'''\"": "a literal",
    '"true"': "a literal",
    '"false"': "a literal",
    _DIGITS: "a literal",
}
_ESCAPES = frozenset({'"\\\\"', '"\\\\u"', '"\\\\U"'})
# What may hold a bracket that is not one: comments, strings, IRIs.
_SKIP = re.compile(
    r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>'
)
# Tokens of the query as a reader sees them, to say what was found.
_TOKEN = re.compile(
    r'[?$][\w\u00B7\u00C0-\uFFFF]+|<[^<>"{}|^`\\\s]*>?|"""|\'\'\'|"[^"\n]*"?|\'[^\'\n]*\'?'
    r"|_:[\w.-]+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*|[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
    r"|[A-Za-z_][\w-]*|&&|\|\||!=|<=|>=|\^\^|\S"
)


@dataclass(frozen=True)
class SyntaxFault:
    """Where a query stops parsing (1-based line and column, in characters) and what it says."""

    line: int
    column: int
    expected: str  # "a variable, an IRI or '{'", or "" when there is nothing worth saying
    found: str  # "'}'", "the end of the query"
    note: str = ""  # why what was found is out of place, when nothing in particular was expected

    def message(self) -> str:
        """`syntax error at line 2, column 8: expected ..., found '}'` (or `unexpected '}'`)."""
        what = f"unexpected {self.found}" + (f": {self.note}" if self.note else "")
        if self.expected:
            what = f"expected {self.expected}, found {self.found}"
        return f"syntax error at line {self.line}, column {self.column}: {what}"


def describe(oxigraph_message: str, text: str) -> SyntaxFault | None:
    """Oxigraph's `error at L:C: expected ...` for `text`, placed and put in words; None for another
    message (an unknown prefix, say, which the caller words itself)."""
    match = _ERROR.fullmatch(" ".join(oxigraph_message.split()))
    if match is None:
        return None
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3)
    if not detail.startswith("expected "):
        return None
    offsets = _line_offsets(text)
    position = _offset(offsets, line, column, len(text))
    items = _ITEM.findall(detail[len("expected ") :].removeprefix("one of "))
    items = [item.strip() for item in items if item.strip() not in ("one of",)]
    if any("Prefix not found" in item for item in items):
        return None
    if "IRI parsing failed" in items:  # reported after the IRI: point at the IRI itself
        start = text.rfind("<", 0, position)
        if start >= 0:
            fault = _fault(text, start, 'an IRI without spaces or any of <>"{}|^`\\ inside')
            end = text.find(">", start, position + 1)
            iri = text[start : end + 1] if end > 0 else text[start:position]
            return replace(fault, found=_shortened(iri))
    if _ESCAPES & set(items):  # reported at the end of the query: point at the string's opening quote
        start = max(text.rfind('"', 0, position), text.rfind("'", 0, position))
        if start >= 0:
            return _fault(text, start, "a closing quote for the string that starts here")
    unbalanced = _bracket_fault(text)
    if unbalanced is not None:  # a bracket left open or closed twice: said exactly, whatever Oxigraph tried
        return unbalanced
    dangling = re.search(r"\b(ORDER|GROUP)\s*$", text, re.IGNORECASE)
    if dangling and position >= dangling.start():  # Oxigraph lists what could follow `}` instead
        return _fault(text, len(text), f"BY after {dangling.group(1).upper()}")
    kept = _furthest(items, position, len(text))
    if kept is None:
        return _rdflib_fault(text) or _fault(text, position, "")
    start, tokens = kept
    fault = _fault(text, start, _words(tokens, at_end=start >= len(text.rstrip())))
    # rdflib's parser stops at the start of the construct it could not finish: everything before it
    # parsed. Past Oxigraph's place, it is the better one (`(COUNT(*) AS n)`: Oxigraph, having tried
    # COUNT(DISTINCT, says DISTINCT at the `*`; rdflib stops at the `n`).
    second = _rdflib_fault(text)
    if second is not None and (second.line, second.column) > (fault.line, fault.column):
        return second
    return fault


def _bracket_fault(text: str) -> SyntaxFault | None:
    """The first bracket that does not pair up, outside strings, IRIs and comments: a closing one that
    closes nothing or the wrong kind, or one left open at the end. None when they pair up (or a string
    is left open, which the caller says)."""
    pairs = {")": "(", "}": "{", "]": "["}
    opened: list[tuple[str, int]] = []
    offset = 0
    while offset < len(text):
        skip = _SKIP.match(text, offset)
        if skip is not None:
            offset = skip.end()
            continue
        character = text[offset]
        if character in "\"'":
            return None  # a string that is not closed
        if character in "({[":
            opened.append((character, offset))
        elif character in ")}]":
            if not opened:
                return _fault(text, offset, "", note=f"no '{pairs[character]}' is open here")
            bracket, start = opened.pop()
            if bracket != pairs[character]:
                return _fault(text, offset, _to_close(text, bracket, start))
        offset += 1
    if opened:
        bracket, start = opened[-1]
        return _fault(text, len(text), _to_close(text, bracket, start))
    return None


def _to_close(text: str, bracket: str, offset: int) -> str:
    """`')' to close the '(' at line 1, column 35`."""
    closer = {"(": ")", "{": "}", "[": "]"}[bracket]
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"'{closer}' to close the '{bracket}' at line {line}, column {column}"


def _line_offsets(text: str) -> list[int]:
    starts = [0]
    for number, character in enumerate(text):
        if character == "\n":
            starts.append(number + 1)
    return starts


def _offset(starts: list[int], line: int, column: int, end: int) -> int:
    if line - 1 >= len(starts):
        return end
    return min(starts[line - 1] + column - 1, end)


def _furthest(items: list[str], position: int, end: int) -> tuple[int, list[str]] | None:
    """The tokens tried furthest along, and where: a keyword tried at c is reported at c + its length
    (at the end of the query, at most there, so every keyword was tried at least its length back)."""
    placed: list[tuple[int, str]] = []
    keywords = [item for item in items if _is_keyword(item)]
    shortest = min((len(k) for k in keywords), default=0)
    for item in items:
        if item == _ANY_CHARACTER:
            continue  # the parser also tried to read on: says nothing about what belongs here
        if _is_keyword(item):
            back = shortest if position >= end else len(item)
            placed.append((max(position - back, 0), item))
        else:
            placed.append((position, item))
    if not placed:
        return None
    start = max(p for p, _ in placed)
    return start, [item for p, item in placed if p == start]


def _is_keyword(item: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", item))


def _words(tokens: list[str], *, at_end: bool) -> str:
    """The tokens in words: kinds of term first, then punctuation and keywords, in a fixed order."""
    keywords = {t.upper() for t in tokens if _is_keyword(t)}
    if keywords and keywords <= _GROUP_KEYWORDS and all(_is_keyword(t) for t in tokens):
        # Only the keywords a group may start a pattern with: the pattern before them did not parse.
        return "a triple (subject, predicate, object) or a keyword such as OPTIONAL or FILTER"
    tokens = [t for t in tokens if t not in _EXOTIC]
    if tokens == ["CONSTRUCT"]:  # the last query form tried: any of them would do
        return "SELECT, CONSTRUCT, ASK or DESCRIBE"
    if '":"' in tokens and '"<"' not in tokens:
        return "':'"  # a prefix declaration: the name, then ':'
    phrases: list[str] = []
    if any(t.upper() in _BUILTINS for t in tokens if _is_keyword(t)):
        phrases.append("an expression")
        tokens = [t for t in tokens if not (_is_keyword(t) and t.upper() in _BUILTINS)]
    operators = [t for t in tokens if t in _OPERATORS]
    if len(operators) >= 3:
        tokens = [t for t in tokens if t not in _OPERATORS]
    for token in tokens:
        word = _TERM_WORDS.get(token)
        if token == _DIGITS and not any(
            t.startswith('"') and _TERM_WORDS.get(t) == "a literal" for t in tokens
        ):
            word = "a number"
        if word and word not in phrases:
            phrases.append(word)
    if "a literal" in phrases:  # '+', '-' and '.' begin or continue a number
        tokens = [t for t in tokens if t not in ('"+"', '"-"')]
    order = ["an expression", "a variable", "an IRI", "a blank node", "a literal", "a number"]
    phrases.sort(key=order.index)
    if phrases[:4] == order[1:5]:
        phrases[:4] = ["a variable or an RDF term"]
    if len(operators) >= 3:
        phrases.append("an operator")
    phrases += [_quoted(t) for t in tokens if t.startswith('"') and t not in _TERM_WORDS]
    named = sorted(t.upper() for t in tokens if _is_keyword(t))
    phrases += named if len(named) <= 4 else ["a keyword such as " + ", ".join(named[:3])]
    if not phrases and any(t.startswith("[") for t in tokens):
        phrases.append("a name")  # the characters of a name, and nothing else: say so, else leave out
    if not phrases and at_end:
        phrases.append("more of the query")
    if len(phrases) < 2:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _quoted(token: str) -> str:
    inner = token[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return f"'{inner}'"


def _fault(text: str, offset: int, expected: str, *, note: str = "") -> SyntaxFault:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return SyntaxFault(line, column, expected, _found(text, offset), note)


def _found(text: str, offset: int) -> str:
    match = _TOKEN.match(text, offset)
    if match is None:
        return "the end of the query"
    return _shortened(match.group(0))


def _shortened(token: str) -> str:
    if len(token) > 40:
        token = token[:39] + "\u2026"
    return f"'{token}'"


def _rdflib_fault(text: str) -> SyntaxFault | None:
    """Where rdflib's parser stops (the start of the construct it could not finish), or None."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    try:
        parser.parseQuery(text)
    except ParseBaseException as err:
        return _fault(text, min(max(int(getattr(err, "loc", 0) or 0), 0), len(text)), "")
    except Exception:
        return None
    return None


def oxigraph_fault(text: str) -> SyntaxFault | None:
    """How Oxigraph's parser, with the project prefixes declared, faults `text` (None when it parses): for
    a query rdflib refused, so a malformed query reads the same whichever engine runs it."""
    import pyoxigraph

    prefixes = initial_namespaces()
    if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
        return None  # an empty store would still call the service: not worth it for a message
    try:
        pyoxigraph.Store().query(text, prefixes=prefixes)
    except SyntaxError as err:
        return describe(str(err), text)
    except Exception:
        return None
    return None


def initial_namespaces() -> dict[str, str]:
    """The prefixes every query may use without declaring them."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


# Update operations as rdflib's parser names them, and as SPARQL spells them.
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


def update_operation(text: str) -> str | None:
    """The first operation's name when `text` parses as SPARQL Update, else None."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:
        return None
    requests = getattr(parsed, "request", None) or []
    name = getattr(requests[0], "name", "") if requests else ""
    return _UPDATE_NAMES.get(name, name or "an update")


def read_only_error(operation: str | None = None, *, where: str | None = None) -> ReadOnlyError:
    """The refusal of SPARQL Update (`operation`: the update's first operation, when known), wherever
    one is sent: as a query, in a form's `update`, as application/sparql-update."""
    what = f"{operation} (a SPARQL Update)" if operation else "SPARQL Update"
    return ReadOnlyError(f"queries are read-only: {what} is refused; the graph is unchanged", where=where)


def _unknown_prefix(name: str, where: str) -> QueryError:
    return QueryError(f"unknown prefix '{name}:'; declare it with PREFIX {name}: <...>", where=where)


def query_error(text: str, err: Exception, *, where: str = "query") -> QueryError:
    """The one-line error for a query a parser refused: Oxigraph's SyntaxError (`error at L:C: ...`),
    rdflib's pyparsing error, or the plain Exception rdflib raises for an unknown prefix. An update is
    refused as read-only (ReadOnlyError); a syntax fault reads the same whichever parser found it."""
    operation = update_operation(text)
    if operation is not None:
        return read_only_error(operation, where=where)
    message = " ".join(str(err).split()) or type(err).__name__
    unknown = _RDFLIB_UNKNOWN_PREFIX.fullmatch(message)
    if unknown:
        return _unknown_prefix(unknown.group(1), where)
    oxigraph = _ERROR.fullmatch(message)
    if oxigraph:
        line, column, detail = oxigraph.groups()
        if "Prefix not found" in detail:
            lines = text.splitlines()
            before = lines[int(line) - 1][: int(column) - 1] if int(line) <= len(lines) else ""
            prefix = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
            if prefix:
                return _unknown_prefix(prefix.group(1) or "", where)
        fault = describe(message, text)
        if fault is not None:
            return QueryError(fault.message(), where=where)
        return QueryError(f"syntax error at line {line}, column {column}: {detail}", where=where)
    from pyparsing import ParseBaseException

    if isinstance(err, ParseBaseException):
        fault = oxigraph_fault(text)  # the words and place Oxigraph gives, whichever engine runs it
        if fault is not None:
            return QueryError(fault.message(), where=where)
        detail = str(getattr(err, "msg", "") or err)
        found = _PYPARSING_FOUND.search(str(err))
        if found and "found" not in detail:
            detail += f", found {found.group(1)}"
        detail = " ".join(detail.split())
        return QueryError(f"syntax error at line {err.lineno}, column {err.col}: {detail}", where=where)
    if isinstance(err, SyntaxError):
        return QueryError(f"syntax error: {message}", where=where)
    return QueryError(message, where=where)


def run_error(err: Exception, *, where: str = "query") -> QueryError:
    """The one-line error for a query that parsed and failed while it ran."""
    return QueryError(f"cannot run: {' '.join(str(err).split()) or type(err).__name__}", where=where)
