"use strict";
// Choosing an example loads it; Ctrl+Enter (Cmd+Enter) in the query box runs the query.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("example");
  if (select) {
    select.addEventListener("change", () => { if (select.value) select.form.submit(); });
    const load = document.getElementById("load-example");
    if (load) load.hidden = true;
  }
  const box = document.getElementById("query");
  if (box) {
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        box.form.requestSubmit();
      }
    });
  }
});
