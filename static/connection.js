// The connection modal's behaviours htmx attributes cannot express: focus back to the opener, the
// switch in flight, toasts that leave, event groups that stay open, and copying the webhook URL.
"use strict";
(function () {
  var opener = null;  // the button that opened the modal (each has an id: a re-rendered row has its twin)

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "modal-body") opener = event.detail.elt;
    // A state poll must not overwrite the switch in flight.
    if (event.detail.elt.closest(".connection.switching .current-state")) event.preventDefault();
  });

  // Esc or the close button: the modal's content goes (its polls with it) and focus returns to the
  // opener, or to its twin when a live update re-rendered the row meanwhile.
  document.addEventListener("close", function (event) {
    if (event.target.id !== "modal") return;
    document.getElementById("modal-body").replaceChildren();
    if (!opener) return;
    var element = opener.isConnected ? opener : document.getElementById(opener.id);
    if (element) element.focus();
  }, true);

  // A main switch turned on turns the other off at once, and the old notice goes: the modal shows
  // the target of the request in flight, never both on. Capture: before htmx reads the form.
  document.addEventListener("change", function (event) {
    var control = event.target, connection = control.closest(".connection");
    if (!connection) return;
    connection.querySelectorAll(".toasts, .alert.error").forEach(function (old) { old.remove(); });
    if (!control.hasAttribute("data-channel")) return;
    control.form.querySelectorAll("[data-channel]").forEach(function (other) {
      if (other !== control && control.checked) other.checked = false;
      other.closest(".channel").classList.toggle("on", other.checked);
    });
    connection.classList.add("switching");
    control.classList.add("pending");
    var box = connection.querySelector(".current-state");
    box.querySelectorAll(".status").forEach(function (line) { line.remove(); });
    var line = document.createElement("p");
    line.className = "status neutral pending";
    line.textContent = control.checked ? control.dataset.pendingOn : control.dataset.pendingOff;
    box.appendChild(line);
  }, true);

  // Toasts leave on their own after the time they carry.
  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-toast]").forEach(function (toast) {
      setTimeout(function () {
        toast.classList.add("leaving");
        setTimeout(function () { toast.remove(); }, 400);
      }, Number(toast.dataset.toast));
    });
  });

  // Event groups the user opened stay open across re-renders (every change re-renders the modal).
  var open = new Set();
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details[id]")) return;
    if (details.open) open.add(details.id); else open.delete(details.id);
  }, true);
  htmx.onLoad(function (root) {
    open.forEach(function (id) {
      var details = root.querySelector("#" + CSS.escape(id));
      if (details) details.open = true;
    });
  });

  // The full webhook URL is fetched on demand for operators, so the page itself never carries the secret.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-url]");
    if (!button) return;
    var label = button.textContent;
    var token = document.querySelector("meta[name=csrf-token]").content;
    fetch(button.dataset.copyUrl, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin" })
      .then(function (answer) {
        if (!answer.ok) throw new Error(answer.status);
        return answer.json();
      })
      .then(function (body) { return copyText(body.url, button.parentNode); })
      .then(function () { button.textContent = button.dataset.copied; },
            function () { button.textContent = button.dataset.copyFailed; })
      .then(function () { setTimeout(function () { button.textContent = label; }, 2000); });
  });
})();
