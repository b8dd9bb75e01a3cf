// An overview of a graph too large to draw whole (ldn_graph/viz/overview.py): the search box looks through
// every entity of the graph (`ldnIndex`), not only the drawn ones, and opens the neighbourhood of the one
// found (a focus view) in place of the overview, built from the index; a double-click on a node opens its
// neighbourhood too, and "Back to the overview" puts the overview back where it was laid out. The search
// box's own handlers (tools.js) only know the drawn nodes: this script takes its events first. Text from
// the graph goes into DataSet items (vis-network shows it as text) or is written with textContent.
(function () {
  var index = ldnIndex;
  var entityPrefix = index.prefixes[0], claimPrefix = index.prefixes[1];
  var relations = index.relations, styles = index.styles, limits = index.limits;
  var input = document.getElementById("ldn-search-input");
  var form = document.getElementById("ldn-tools");
  var status = document.getElementById("ldn-search-status");
  var shown = document.getElementById("ldn-shown");
  var back = document.getElementById("ldn-back");
  var list = document.getElementById("ldn-search-names");
  var overviewNote = document.getElementById("ldn-overview-note");
  var focusNote = document.getElementById("ldn-focus-note");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-ldn-filter]"));

  var entities = index.entities.map(function (row, i) {
    return {i: i, id: entityPrefix + row[0], label: row[1], names: [row[1]].concat(row[3]), row: row, claims: []};
  });
  var byId = Object.create(null);
  entities.forEach(function (entity) { byId[entity.id] = entity; });
  relations.forEach(function (row, k) {
    entities[row[1]].claims.push(k);
    if (row[2] !== row[1]) { entities[row[2]].claims.push(k); }
  });
  var byLabel = entities.slice().sort(function (a, b) {
    return a.label < b.label ? -1 : a.label > b.label ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });

  // The overview as drawn, to come back to, and its items, which carry all their detail.
  var overview = {nodes: nodes.get(), edges: edges.get(), positions: null};
  var drawnNodes = Object.create(null), drawnEdges = Object.create(null);
  overview.nodes.forEach(function (node) { drawnNodes[node.id] = node; });
  overview.edges.forEach(function (edge) { drawnEdges[edge.id] = edge; });
  var current = "overview", layout = null;
  document.body.setAttribute("data-ldn-view", "overview");

  function fact(k) { return index.facts[k]; }
  function plural(count, noun) { return count + " " + noun + (count === 1 ? "" : "s"); }
  function copy(item) {
    var result = Object.assign({}, item);
    delete result.hidden; delete result.x; delete result.y; delete result.smooth;
    return result;
  }

  // --- the focus view -------------------------------------------------------------------------------
  function stronger(a, b) {
    var ra = relations[a], rb = relations[b];
    return rb[6] - ra[6] || rb[5] - ra[5] || (ra[0] < rb[0] ? -1 : ra[0] > rb[0] ? 1 : 0);
  }

  // The entity, its most strongly linked neighbours (at most limits.neighbours), its relations with them
  // and the strongest relations among them, at most limits.relations in all.
  function neighbourhood(entity) {
    var own = entity.claims.slice().sort(stronger);
    var kept = {}, order = [entity.i], everyone = {};
    kept[entity.i] = true;
    own.forEach(function (k) {
      var other = relations[k][1] === entity.i ? relations[k][2] : relations[k][1];
      everyone[other] = true;
      if (!kept[other] && order.length <= limits.neighbours) { kept[other] = true; order.push(other); }
    });
    var chosen = own.filter(function (k) { return kept[relations[k][1]] && kept[relations[k][2]]; });
    chosen = chosen.slice(0, limits.relations);
    var taken = {};
    chosen.forEach(function (k) { taken[k] = true; });
    var among = [];
    order.slice(1).forEach(function (n) {
      entities[n].claims.forEach(function (k) {
        if (!taken[k] && kept[relations[k][1]] && kept[relations[k][2]]) { taken[k] = true; among.push(k); }
      });
    });
    among.sort(stronger);
    var drawn = chosen.concat(among.slice(0, Math.max(0, limits.relations - chosen.length)));
    drawn.sort(function (a, b) { return a - b; });  // the graph's order, as the overview's
    return {
      entities: order, relations: drawn, own: own.length, ownDrawn: chosen.length,
      neighbours: Object.keys(everyone).length - (everyone[entity.i] ? 1 : 0),
    };
  }

  function nodeItem(n, focused, x, y) {
    var entity = entities[n], item;
    if (drawnNodes[entity.id]) {
      item = copy(drawnNodes[entity.id]);
    } else {
      var style = styles.categories[entity.row[2]] || styles.categories.Other;
      var facts = entity.row[4].map(fact), identifiers = entity.row[5];
      var lines = [entity.label].concat(facts.map(function (f) { return f[0] + ": " + f[1]; }));
      lines.push("identifiers: " + (identifiers.length ? identifiers.map(function (i) { return i[0]; }).join(", ") : "none"));
      item = {
        id: entity.id, label: entity.label, shape: style[1], color: style[0], title: lines.join("\n"),
        category: entity.row[2], names: entity.names,
        detail: {title: entity.label, facts: facts, identifiers: identifiers.map(function (i) {
          return {text: i[0], url: i.length > 1 ? i[1] : i[0]};
        })},
      };
    }
    if (focused) { item.size = 26; item.borderWidth = 4; item.font = {size: 20}; }
    item.x = x; item.y = y;
    return item;
  }

  function width(support) {
    return Math.round(Math.min(9, 1.5 + 2 * Math.log2(Math.max(support, 1))) * 100) / 100;
  }

  function edgeItem(k) {
    var row = relations[k], id = claimPrefix + row[0];
    if (drawnEdges[id]) { return copy(drawnEdges[id]); }
    var predicate = index.predicates[row[3]], negated = Boolean(row[4] & 1), hedged = Boolean(row[4] & 2);
    var phrase = (negated ? "NOT " : "") + predicate[0];
    var evidence = row[8].map(function (ev) {
      var doc = index.documents[ev[1]];
      return {sentence: ev[0], document: doc[0], citation: doc[1], url: doc[2], link: doc[3],
        start: ev[2], end: ev[3], hedged: Boolean(ev[4])};
    });
    var facts = row[7].map(fact);
    var lines = [entities[row[1]].label + " " + phrase + " " + entities[row[2]].label];
    facts.forEach(function (f) { lines.push(f[0] + ": " + f[1]); });
    if (evidence.length) {
      lines.push("evidence:");
      evidence.forEach(function (ev) {
        var where = (ev.citation || ev.document) +
          (ev.start !== null && ev.end !== null ? ", characters " + ev.start + "-" + ev.end : "");
        lines.push("\u2022 \u201c" + ev.sentence + "\u201d (" + where + ")");
      });
      if (row[9]) { lines.push("\u2026 and " + row[9] + " more"); }
    }
    var item = {
      id: id, from: entities[row[1]].id, to: entities[row[2]].id, label: predicate[0], title: lines.join("\n"),
      width: width(row[5]), predicate: predicate[1], arrows: "to",
      detail: {phrase: phrase, negated: negated, support: plural(row[5], "sentence"), facts: facts,
        evidence: evidence, more: row[9], opposite: row[10] === null ? null : claimPrefix + row[10]},
    };
    if (negated) {
      item.dashes = styles.negatedDashes;
      item.color = {color: styles.negated, highlight: "#a50f15", hover: "#a50f15"};
      item.font = {color: styles.negated};
    } else if (hedged) {
      item.dashes = styles.hedgedDashes;
    }
    return item;
  }

  // Edges between the same two nodes fan out, as html.py's _parallel_smoothing draws them.
  function smooth(items) {
    function pair(e) { return e.from < e.to ? e.from + "\u0000" + e.to : e.to + "\u0000" + e.from; }
    var sizes = {}, seen = {};
    items.forEach(function (e) { sizes[pair(e)] = (sizes[pair(e)] || 0) + 1; });
    items.forEach(function (e) {
      var key = pair(e), offset = (seen[key] || 0) - (sizes[key] - 1) / 2;
      seen[key] = (seen[key] || 0) + 1;
      if (offset === 0) { return; }
      var clockwise = (offset > 0) === (e.from <= e.to);
      e.smooth = {enabled: true, type: clockwise ? "curvedCW" : "curvedCCW",
        roundness: Math.round((0.1 + 0.25 * Math.abs(offset)) * 1000) / 1000};
    });
    return items;
  }

  function swap(nodeItems, edgeItems) {
    boxes.forEach(function (box) { box.checked = true; });
    shown.textContent = "";
    if (window.ldnPanel) { window.ldnPanel.close(); }
    network.unselectAll();
    edges.clear();
    nodes.clear();
    nodes.add(nodeItems);
    edges.add(edgeItems);
  }

  function lay(view) {
    layout = view;
    document.body.setAttribute("data-ldn-view", "laying out");
    network.setOptions({physics: {enabled: true}});
    network.stabilize();
  }

  function openFocus(entity) {
    var hood = neighbourhood(entity), count = hood.entities.length - 1;
    var items = hood.entities.map(function (n, j) {
      if (j === 0) { return nodeItem(n, true, 0, 0); }
      var angle = 2 * Math.PI * (j - 1) / count, radius = 200 + 12 * count;
      return nodeItem(n, false, Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle)));
    });
    swap(items, smooth(hood.relations.map(edgeItem)));
    current = entity.id;
    back.hidden = false;
    overviewNote.hidden = true;
    var who = count < hood.neighbours ?
      "its " + count + " most strongly linked neighbours (of " + hood.neighbours + ")" :
      plural(count, "neighbour");
    var what = hood.ownDrawn < hood.own ?
      hood.ownDrawn + " of its " + hood.own + " relations (those with them)" : "its " + plural(hood.own, "relation");
    focusNote.textContent = "The neighbourhood of " + entity.label + ": " + who + ", " + what + ", and " +
      plural(hood.relations.length - hood.ownDrawn, "relation") + " among them. Double-click a node to open " +
      "its neighbourhood; Back to the overview returns to the most connected entities.";
    focusNote.hidden = false;
    if (window.ldnPanel) { window.ldnPanel.showNode(entity.id, false); }  // not selected: its edges stay grey
    lay(entity.id);
  }

  function showOverview() {
    var positions = overview.positions;
    var items = overview.nodes.map(function (node) {
      var item = copy(node);
      if (positions && positions[node.id]) { item.x = positions[node.id].x; item.y = positions[node.id].y; }
      return item;
    });
    swap(items, overview.edges.map(function (edge) { return Object.assign({}, edge); }));
    current = "overview";
    back.hidden = true;
    focusNote.hidden = true;
    overviewNote.hidden = false;
    if (positions) {
      network.fit();
      document.body.setAttribute("data-ldn-view", "overview");
    } else {
      lay("overview");
    }
  }

  network.on("stabilizationIterationsDone", function () {
    if (layout === null) {  // the overview's first layout (settle.js stops it)
      if (current === "overview" && !overview.positions) { overview.positions = network.getPositions(); }
      return;
    }
    var view = layout;
    layout = null;
    network.setOptions({physics: {enabled: false}});
    var bar = document.getElementById("loadingBar");  // pyvis's progress bar shows again while laying out
    if (bar) { bar.style.display = "none"; }
    network.fit();
    document.body.setAttribute("data-ldn-view", view === "overview" ? "overview" : "focus");
    document.body.setAttribute("data-ldn-focus", view === "overview" ? "" : view);
  });
  back.addEventListener("click", showOverview);
  network.on("doubleClick", function (params) {
    if (params.nodes.length && byId[params.nodes[0]]) { openFocus(byId[params.nodes[0]]); }
  });

  // --- the search box, over every entity -------------------------------------------------------------
  function normal(text) {
    return String(text).toLowerCase().replace(/[-_\s]+/g, " ").trim();
  }

  // As tools.js ranks them: a whole name, then a name starting with the query, then one containing it;
  // labels before synonyms at each level, then in alphabetical order.
  function matches(query, most) {
    var q = normal(query), found = [];
    if (!q) { return found; }
    byLabel.forEach(function (entity) {
      var best = null, name = null;
      entity.names.forEach(function (text, position) {
        var n = normal(text);
        var level = n === q ? 0 : n.indexOf(q) === 0 ? 1 : n.indexOf(q) > 0 ? 2 : null;
        if (level === null) { return; }
        var score = level * 2 + (position === 0 ? 0 : 1);
        if (best === null || score < best) { best = score; name = text; }
      });
      if (best !== null) { found.push({entity: entity, score: best, name: name}); }
    });
    found.sort(function (a, b) { return a.score - b.score; });
    return most ? found.slice(0, most) : found;
  }

  function suggest() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    matches(input.value, 30).forEach(function (match) {
      var option = document.createElement("option");
      option.value = match.name;
      if (match.name !== match.entity.label) { option.label = match.entity.label; }
      list.appendChild(option);
    });
  }

  function search() {
    var found = matches(input.value);
    status.className = "";
    if (!found.length) {
      status.className = "ldn-miss";
      var query = input.value.trim();
      status.textContent = query ? "No entity is called \u201c" + query + "\u201d" : "";
      return;
    }
    var others = found.length - 1;
    openFocus(found[0].entity);
    status.textContent = found[0].entity.label + (others ? "; " + others + " more match" + (others > 1 ? "es" : "") : "");
  }

  // Captured on the document, before tools.js's handlers on the form and the box see them.
  document.addEventListener("submit", function (event) {
    if (event.target !== form) { return; }
    event.preventDefault();
    event.stopPropagation();
    search();
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target !== input) { return; }
    event.stopPropagation();
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) {
      search();
    } else {
      suggest();
    }
  }, true);
  window.ldnOverview = {open: function (id) { if (byId[id]) { openFocus(byId[id]); } }, back: showOverview};
})();
