"use strict";
// The query page's SPARQL editor, offline: highlighting under the query box (a <pre> kept in step with
// the textarea, which stays the form field), Tab indents, and a prefix list that adds a PREFIX line.
(() => {
  const KEYWORDS = new Set(("SELECT ASK CONSTRUCT DESCRIBE WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED " +
    "ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING OPTIONAL UNION MINUS FILTER BIND VALUES GRAPH SERVICE " +
    "SILENT AS EXISTS NOT IN UNDEF A TRUE FALSE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR " +
    "STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE " +
    "LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES " +
    "SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT " +
    "SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE").split(" "));
  // One alternative per token class, tried in this order at each position.
  const TOKENS = new RegExp([
    "(#[^\\n]*)",                                              // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                                // 3 IRI
    "([?$][A-Za-z0-9_\\u00B7\\u00C0-\\uFFFF]+)",               // 4 variable
    "([A-Za-z][\\w.-]*)?:([\\w.%-]*)",                          // 5, 6 prefixed name
    "([+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+))",        // 7 number
    "([A-Za-z_]+)",                                           // 8 word
  ].join("|"), "gy");
  const esc = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const span = (cls, text) => `<span class="${cls}">${esc(text)}</span>`;

  function highlight(text) {
    let out = "";
    let at = 0;
    while (at < text.length) {
      TOKENS.lastIndex = at;
      const m = TOKENS.exec(text);
      if (!m || m[0] === "") { out += esc(text[at]); at += 1; continue; }
      const t = m[0];
      if (m[1]) out += span("tok-comment", t);
      else if (m[2]) out += span("tok-string", t);
      else if (m[3]) out += span("tok-iri", t);
      else if (m[4]) out += span("tok-var", t);
      else if (m[7]) out += span("tok-number", t);
      else if (m[8]) out += KEYWORDS.has(t.toUpperCase()) ? span("tok-keyword", t) : esc(t);
      else out += span("tok-pname", t);
      at += t.length;
    }
    return out + "\n";
  }

  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("query");
    const code = document.getElementById("query-highlight");
    if (!box || !code) return;
    const pre = code.parentElement;
    const render = () => { code.innerHTML = highlight(box.value); pre.scrollTop = box.scrollTop; };
    box.addEventListener("input", render);
    box.addEventListener("scroll", () => { pre.scrollTop = box.scrollTop; pre.scrollLeft = box.scrollLeft; });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        box.setRangeText("  ", box.selectionStart, box.selectionEnd, "end");
        render();
      }
    });
    box.classList.add("highlighted");
    render();
    const prefixes = document.getElementById("prefix");
    if (prefixes) {
      prefixes.addEventListener("change", () => {
        const option = prefixes.selectedOptions[0];
        if (!option || !option.value) return;
        const iri = (window.LDN_PREFIXES || {})[option.value];
        if (!iri) return;
        const line = `PREFIX ${option.value}: <${iri}>`;
        if (!box.value.includes(line)) box.value = line + "\n" + box.value;
        prefixes.value = "";
        render();
        box.focus();
      });
    }
  });
})();
