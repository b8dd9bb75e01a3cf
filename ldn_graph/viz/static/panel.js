// The side panel: a click on a node or an edge pins what is known about it (its `detail`, written by
// html.py) in #ldn-panel, where it stays, to be read, selected and copied, until another click or Close.
// Everything from the graph is written with textContent, and a link gets only an http(s) address, so no
// sentence or title can run as markup.
(function () {
  var panel = document.getElementById("ldn-panel");
  var body = document.getElementById("ldn-panel-body");
  var hint = document.getElementById("ldn-panel-hint");
  var closer = document.getElementById("ldn-panel-close");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function link(url, text) {
    if (!/^https?:\/\//i.test(String(url || ""))) { return element("span", null, text); }
    var anchor = element("a", null, text);
    anchor.href = url;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    return anchor;
  }

  // A name that opens the panel of its entity (or relation) when clicked.
  function jump(text, show, id, className) {
    var button = element("button", "ldn-jump" + (className ? " " + className : ""), text);
    button.type = "button";
    button.addEventListener("click", function () {
      network.unselectAll();
      show(id, true);
    });
    return button;
  }

  function facts(rows) {
    var list = element("dl", "ldn-facts");
    rows.forEach(function (row) {
      list.appendChild(element("dt", null, row[0]));
      var value = element("dd", null, row[1]);
      if (row[0] === "confidence") {  // a bar beside the number, full at 1
        var bar = element("span", "ldn-confidence");
        bar.setAttribute("aria-hidden", "true");
        var fill = element("span", null);
        fill.style.width = Math.max(0, Math.min(100, Math.round(Number(row[1]) * 100))) + "%";
        bar.appendChild(fill);
        value.appendChild(bar);
      }
      list.appendChild(value);
    });
    return list;
  }

  function section(title) {
    body.appendChild(element("h3", "", title));
  }

  function open(kind, id) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    hint.hidden = true;
    closer.hidden = false;
    panel.setAttribute("data-ldn-kind", kind);
    panel.setAttribute("data-ldn-id", id);
    panel.scrollTop = 0;
    if (panel.getBoundingClientRect().top >= window.innerHeight) {  // below the drawing, on a narrow screen
      panel.scrollIntoView({behavior: "smooth", block: "start"});
    }
  }

  function close() {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    hint.hidden = false;
    closer.hidden = true;
    panel.removeAttribute("data-ldn-kind");
    panel.removeAttribute("data-ldn-id");
    network.unselectAll();
  }

  function label(id) {
    var node = nodes.get(id);
    return node ? node.label : id;
  }

  function copyButton(text, target) {
    var button = element("button", "ldn-copy", "Copy");
    button.type = "button";
    button.title = "Copy the sentence with its source";
    button.addEventListener("click", function () {
      function done(message) {
        button.textContent = message;
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      }
      function select() {  // no clipboard here (a file page in some browsers): select it for Ctrl+C
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        done("Selected");
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done("Copied"); }, select);
      } else {
        select();
      }
    });
    return button;
  }

  function evidenceItem(ev) {
    var item = element("li", "ldn-evidence");
    var sentence = element("blockquote", "ldn-sentence", ev.sentence);
    item.appendChild(sentence);
    var source = element("div", "ldn-source");
    source.appendChild(link(ev.url, ev.document));
    var where = [];
    if (ev.start !== null && ev.end !== null) { where.push("characters " + ev.start + "\u2013" + ev.end); }
    if (ev.link) { where.push(ev.link); }
    if (where.length) { source.appendChild(element("span", "ldn-where", " \u00b7 " + where.join(" \u00b7 "))); }
    if (ev.hedged) { source.appendChild(element("span", "ldn-badge", "hedged")); }
    item.appendChild(source);
    if (ev.citation) { item.appendChild(element("div", "ldn-citation", ev.citation)); }
    var reference = [ev.citation || ev.document];
    if (ev.start !== null && ev.end !== null) { reference.push("characters " + ev.start + "-" + ev.end); }
    if (ev.url) { reference.push(ev.url); }
    item.appendChild(copyButton("\u201c" + ev.sentence + "\u201d (" + reference.join(", ") + ")", sentence));
    return item;
  }

  function showEdge(id, select) {
    var edge = edges.get(id);
    if (!edge || !edge.detail) { return; }
    var detail = edge.detail;
    open("relation", id);
    if (select) { network.selectEdges([id]); }
    body.appendChild(element("p", "ldn-kind", detail.negated ? "Relation, negated" : "Relation"));
    var title = element("h2", null);
    title.appendChild(jump(label(edge.from), showNode, edge.from));
    title.appendChild(element("span", detail.negated ? "ldn-phrase ldn-negated" : "ldn-phrase",
      " " + detail.phrase + " "));
    title.appendChild(jump(label(edge.to), showNode, edge.to));
    body.appendChild(title);
    body.appendChild(facts(detail.facts));
    if (detail.opposite && edges.get(detail.opposite)) {
      var other = element("p", "ldn-opposite");
      other.appendChild(jump(detail.negated ? "See where it is stated" : "See where it is negated",
        showEdge, detail.opposite));
      body.appendChild(other);
    }
    var count = detail.evidence.length + detail.more;
    section(count === 1 ? "Evidence: 1 sentence" : "Evidence: " + count + " sentences");
    if (!count) { body.appendChild(element("p", "ldn-note", "No sentence behind it is in this graph.")); }
    var list = element("ol", "ldn-evidence-list");
    detail.evidence.forEach(function (ev) { list.appendChild(evidenceItem(ev)); });
    body.appendChild(list);
    if (detail.more) {
      body.appendChild(element("p", "ldn-note", "\u2026 and " + detail.more + " more: `ldn-graph query -n evidence` lists them all."));
    }
  }

  function showNode(id, select) {
    var node = nodes.get(id);
    if (!node || !node.detail) { return; }
    var detail = node.detail;
    open("entity", id);
    if (select) { network.selectNodes([id]); }
    body.appendChild(element("p", "ldn-kind", "Entity"));
    body.appendChild(element("h2", "", detail.title));
    body.appendChild(facts(detail.facts));
    if (detail.identifiers.length) {
      section("Identifiers");
      var ids = element("ul", "ldn-identifiers");
      detail.identifiers.forEach(function (identifier) {
        var item = element("li", null);
        item.appendChild(link(identifier.url, identifier.text));
        ids.appendChild(item);
      });
      body.appendChild(ids);
    }
    var related = edges.get({
      filter: function (edge) { return edge.from === id || edge.to === id; },
    });
    related.sort(function (a, b) {
      var ka = (a.from === id ? "0" : "1") + a.label + label(a.from === id ? a.to : a.from);
      var kb = (b.from === id ? "0" : "1") + b.label + label(b.from === id ? b.to : b.from);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    section(related.length === 1 ? "1 relation" : related.length + " relations");
    var list = element("ul", "ldn-relations");
    related.forEach(function (edge) {
      var item = element("li", edge.detail && edge.detail.negated ? "ldn-negated" : null);
      var phrase = edge.detail ? edge.detail.phrase : edge.label;
      var text = edge.from === id ? "\u2192 " + phrase + " " + label(edge.to) :
        "\u2190 " + label(edge.from) + " " + phrase;
      item.appendChild(jump(text, showEdge, edge.id));
      var support = edge.detail ? edge.detail.support : "";
      if (support) { item.appendChild(element("span", "ldn-count", " " + support)); }
      list.appendChild(item);
    });
    body.appendChild(list);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0], false);
    } else if (params.edges.length) {
      showEdge(params.edges[0], false);
    }
  });
  closer.addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !closer.hidden) { close(); }
  });
  window.ldnPanel = {showNode: showNode, showEdge: showEdge, close: close};
})();
