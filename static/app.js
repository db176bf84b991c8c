// The few behaviours htmx attributes cannot express: the modal, event selection, the monitor's length.
"use strict";
(function () {
  var MONITOR_ROWS = 300;

  document.addEventListener("htmx:afterSwap", function (event) {
    var modal = document.getElementById("modal");
    if (modal && event.detail.target.id === "modal-body" && !modal.open) {
      modal.showModal();
    }
  });

  // Select all / none, in one group or in all of them, then submit once as if one box had changed.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select-events]");
    if (!button) return;
    var scope = button.closest("[data-event-scope]");
    var on = button.dataset.selectEvents === "all";
    scope.querySelectorAll("input[name=events]").forEach(function (box) { box.checked = on; });
    scope.closest("form").dispatchEvent(new Event("change", { bubbles: true }));
  });

  // Keep the monitor bounded: the server sends newest first, the oldest rows fall off the end.
  document.addEventListener("htmx:wsAfterMessage", function () {
    var rows = document.getElementById("event-rows");
    while (rows && rows.children.length > MONITOR_ROWS) {
      rows.lastElementChild.remove();
      rows.dataset.trimmed = "true";  // static/monitor.js offers them again under "load older"
    }
  });

  // An open modal follows a mode changed elsewhere (another tab, the API, a sync): when the table's
  // chip no longer says what the modal shows, the modal fetches itself again. Not while its own
  // request runs: that answer brings the new mode, with its notice.
  document.addEventListener("htmx:wsAfterMessage", function () {
    var shown = document.querySelector("#modal[open] .connection[data-mode]");
    if (!shown || shown.querySelector(".htmx-request")) return;
    var chip = document.querySelector("#instance-" + shown.dataset.instanceId + " [data-mode]");
    if (chip && chip.dataset.mode !== shown.dataset.mode) htmx.trigger(shown, "refresh");
  });

  // A token shown once is selected whole as soon as it gets focus, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("input[data-select-on-focus]")) event.target.select();
  });

  document.addEventListener("htmx:wsOpen", function () { document.body.classList.add("live"); });
  document.addEventListener("htmx:wsClose", function () { document.body.classList.remove("live"); });
})();

// A keyboard user keeps their place: after a component is re-rendered, focus returns to the same control
// (the control itself was blurred when its fieldset was disabled during the request), by id, else by name.
// Live updates count too: a row re-rendered over the WebSocket replaces the button that had focus.
(function () {
  var focused = null;
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    focused = target.id ? "#" + CSS.escape(target.id)
      : target.name ? "[name='" + CSS.escape(target.name) + "']:not([type=hidden])" : null;
  });
  // A click elsewhere is the user's own move: no control is to get focus back after it.
  document.addEventListener("mousedown", function () { focused = null; }, true);
  function restore(scope) {
    if (!focused || (document.activeElement && document.activeElement !== document.body)) return;
    var again = scope.querySelector(focused);
    if (again) again.focus();
  }
  document.addEventListener("htmx:afterSettle", function (event) { restore(event.detail.elt); });
  // Out-of-band swaps from the WebSocket fire no afterSettle where the page listens.
  document.addEventListener("htmx:wsAfterMessage", function () { restore(document); });
})();

// A field with a naming rule says the rule in the browser's bubble, not "Please match the requested format".
(function () {
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (field.dataset && field.dataset.rule && field.validity.patternMismatch) field.setCustomValidity(field.dataset.rule);
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.rule) event.target.setCustomValidity("");
  });
})();

// Copy text to the clipboard; a promise. Shared by the copy buttons here and in connection.js.
function copyText(text, near) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Plain http on another host has no clipboard API: the old way, through a hidden field placed
  // beside the button (outside an open modal dialog the page is inert and cannot be selected).
  var field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.className = "visually-hidden";
  near.appendChild(field);
  field.select();
  var done = document.execCommand("copy");
  field.remove();
  return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

// Copy buttons: data-copy names the field whose value goes to the clipboard (the new API token).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  copyText(document.querySelector(button.dataset.copy).value, button.parentNode)
    .then(function () { button.textContent = button.dataset.copied; },
          function () { button.textContent = button.dataset.copyFailed; });
});
