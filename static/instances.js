// The instances page: the filter and the counts per state, relative times kept current, QR countdowns.
// Rows are re-rendered live (htmx over the WebSocket), so everything here is re-applied after each swap.
"use strict";
(function () {
  var STATES = ["open", "connecting", "close", "unknown"];

  function filterForm() { return document.querySelector("form.instance-filter"); }

  function applyFilter() {
    var form = filterForm();
    if (!form) return;
    var text = form.elements.q.value.trim().toLowerCase();
    var state = form.elements.state.value, mode = form.elements.mode.value;
    var counts = {}, shown = 0, rows = document.querySelectorAll("#instance-rows tr.instance");
    STATES.forEach(function (name) { counts[name] = 0; });
    rows.forEach(function (row) {
      var data = row.dataset;
      counts[data.state] = (counts[data.state] || 0) + 1;
      row.hidden = !((!text || data.name.indexOf(text) !== -1) && (!state || data.state === state) &&
                     (!mode || data.mode === mode));
      if (!row.hidden) shown += 1;
    });
    document.querySelectorAll("[data-count-state]").forEach(function (button) {
      button.querySelector("b").textContent = counts[button.dataset.countState] || 0;
      if (button.dataset.countState === state) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
    var note = document.getElementById("filter-shown");
    if (note) note.textContent = shown === rows.length ? "" : shown + " / " + rows.length;
  }

  // Clicking a count filters by that state; clicking it again shows every state.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-count-state]");
    if (!button) return;
    event.preventDefault();
    var select = filterForm().elements.state;
    select.value = select.value === button.dataset.countState ? "" : button.dataset.countState;
    applyFilter();
  });
  document.addEventListener("input", function (event) {
    if (event.target.form === filterForm()) applyFilter();
  });
  document.addEventListener("submit", function (event) {
    if (event.target === filterForm()) { event.preventDefault(); applyFilter(); }
  });

  // Same words as the server's gateway/web/times.py: Intl's numeric "always" style, "just now" under 10 s.
  var UNITS = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  function refreshTimes() {
    var format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "always" });
    document.querySelectorAll("time[data-relative]").forEach(function (time) {
      var seconds = Math.max(0, Math.floor((Date.now() - Date.parse(time.getAttribute("datetime"))) / 1000));
      if (seconds < 10) { time.textContent = time.dataset.relative; return; }
      var unit = UNITS.find(function (u) { return seconds >= u[0]; });
      time.textContent = format.format(-Math.floor(seconds / unit[0]), unit[1]);
    });
  }

  function refreshCountdowns() {
    document.querySelectorAll(".qr-countdown[data-expires]").forEach(function (countdown) {
      var left = Math.round((Date.parse(countdown.dataset.expires) - Date.now()) / 1000);
      countdown.textContent = left > 0 ? countdown.dataset.label.replace("{seconds}", left) : countdown.dataset.expired;
      countdown.classList.toggle("expired", left <= 0);
    });
  }

  function refresh() { applyFilter(); refreshTimes(); refreshCountdowns(); }
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("htmx:wsAfterMessage", refresh);
  setInterval(refreshCountdowns, 1000);
  setInterval(refreshTimes, 15000);
})();
