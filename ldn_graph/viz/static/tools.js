// The search box and the filters. Nodes carry `category` and `names` (label and synonyms), edges carry
// `predicate`; everything is read from the DataSets and written with textContent, never as markup.
(function () {
  var input = document.getElementById("ldn-search-input");
  var status = document.getElementById("ldn-search-status");
  var shown = document.getElementById("ldn-shown");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-ldn-filter]"));
  function normal(text) {
    return String(text).toLowerCase().replace(/[-_\s]+/g, " ").trim();
  }
  var list = document.getElementById("ldn-search-names");
  var listed = Object.create(null);
  nodes.get({order: "label"}).forEach(function (node) {
    (node.names || [node.label]).forEach(function (name) {
      if (listed[name]) { return; }
      listed[name] = true;
      var option = document.createElement("option");
      option.value = name;
      if (name !== node.label) { option.label = node.label; }
      list.appendChild(option);
    });
  });

  // After a filter changes, the view is fitted to what is left (`refit`), unless a search focuses a node.
  function applyFilters(refit) {
    var off = {category: {}, predicate: {}};
    boxes.forEach(function (box) {
      if (!box.checked) { off[box.getAttribute("data-ldn-filter")][box.value] = true; }
    });
    // An entity whose relations are all filtered out is hidden with them; one without any stays.
    var related = {}, kept = {};
    edges.forEach(function (edge) {
      related[edge.from] = related[edge.to] = true;
      if (!off.predicate[edge.predicate]) { kept[edge.from] = kept[edge.to] = true; }
    });
    var hidden = {}, nodeChanges = [], edgeChanges = [], visibleNodes = 0, visibleEdges = 0;
    nodes.forEach(function (node) {
      var hide = Boolean(off.category[node.category]) || (Boolean(related[node.id]) && !kept[node.id]);
      hidden[node.id] = hide;
      visibleNodes += hide ? 0 : 1;
      if (Boolean(node.hidden) !== hide) { nodeChanges.push({id: node.id, hidden: hide}); }
    });
    edges.forEach(function (edge) {
      var hide = Boolean(off.predicate[edge.predicate]) || hidden[edge.from] || hidden[edge.to];
      visibleEdges += hide ? 0 : 1;
      if (Boolean(edge.hidden) !== hide) { edgeChanges.push({id: edge.id, hidden: hide}); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    shown.textContent = visibleNodes === nodes.length && visibleEdges === edges.length ? "" :
      "Showing " + visibleNodes + " of " + nodes.length + " entities, " +
      visibleEdges + " of " + edges.length + " relations";
    if (refit && visibleNodes) {
      network.fit({animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    }
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () { applyFilters(true); });
  });

  function showAll() {
    boxes.forEach(function (box) { box.checked = true; });
    applyFilters(false);
  }
  document.getElementById("ldn-reset").addEventListener("click", function () {
    showAll();
    network.unselectAll();
    network.fit({animation: {duration: 400}});
    status.textContent = "";
  });

  // Best match first: a whole name, then a name starting with the query, then one containing it;
  // labels before synonyms at each level, then in alphabetical order.
  function matches(query) {
    var q = normal(query), found = [];
    if (!q) { return found; }
    nodes.get({order: "label"}).forEach(function (node) {
      var names = node.names || [node.label], best = null;
      names.forEach(function (name, index) {
        var n = normal(name);
        var level = n === q ? 0 : n.indexOf(q) === 0 ? 1 : n.indexOf(q) > 0 ? 2 : null;
        if (level === null) { return; }
        var score = level * 2 + (index === 0 ? 0 : 1);
        if (best === null || score < best) { best = score; }
      });
      if (best !== null) { found.push({node: node, score: best}); }
    });
    found.sort(function (a, b) { return a.score - b.score; });
    return found.map(function (m) { return m.node; });
  }

  function search() {
    var found = matches(input.value);
    status.className = "";
    if (!found.length) {
      status.className = "ldn-miss";
      var query = input.value.trim();
      status.textContent = query ? "No entity is called “" + query + "”" : "";
      return;
    }
    var node = found[0];
    var note = "";
    if (nodes.get(node.id).hidden) {
      showAll();
      note = " (filters cleared to show it)";
    }
    network.selectNodes([node.id]);
    if (window.ldnPanel) { window.ldnPanel.showNode(node.id, false); }
    network.focus(node.id, {scale: 1.2, animation: {duration: 500, easingFunction: "easeInOutQuad"}});
    var others = found.length - 1;
    var more = others ? "; " + others + " more match" + (others > 1 ? "es" : "") : "";
    status.textContent = node.label + more + note;
  }
  document.getElementById("ldn-tools").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", function (event) {
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) { search(); }
  });
})();
