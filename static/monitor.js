// The event monitor: "load older" asks for the page before the oldest row shown, and hides itself
// when the server says nothing older is left.
"use strict";
(function () {
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "load-older") return;
    var rows = document.querySelectorAll("#event-rows tr.event[data-id]");
    var oldest = rows[rows.length - 1];
    event.detail.parameters.before = oldest ? oldest.dataset.id : "";
  });

  function showOlder(more) {
    var button = document.getElementById("load-older"), none = document.getElementById("no-older");
    if (button && none) { button.hidden = !more; none.hidden = more; }
  }
  document.addEventListener("older-exhausted", function () { showOlder(false); });
  // Rows trimmed off the end by the live monitor's bound can be loaded again.
  document.addEventListener("htmx:wsAfterMessage", function () {
    var rows = document.getElementById("event-rows");
    if (rows && rows.dataset.trimmed) showOlder(true);
  });
})();
