// Runs right after pyvis's drawGraph(): stop the simulation once the layout has settled, so the drawing
// holds still, and mark the page so that a test (or a user's script) can tell the layout is done.
(function () {
  // pyvis's progress bar (over 100 nodes) is placed from the top of the page: put it over the drawing.
  var bar = document.getElementById("loadingBar");
  if (bar) {
    document.querySelector(".card").appendChild(bar);
  }
  function settled() {
    network.setOptions({physics: {enabled: false}});
    document.body.setAttribute("data-ldn-stabilized", "true");
  }
  if (nodes.length === 0) {
    settled();  // nothing to lay out: vis-network sends no event
  } else {
    network.once("stabilizationIterationsDone", settled);
  }
})();
