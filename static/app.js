// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Confirm destructive actions before their form is sent.
  document.addEventListener("submit", function (e) {
    var msg = e.submitter && e.submitter.getAttribute("data-confirm") || e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  // Triage: select all, and j/k/x keyboard moves.
  document.addEventListener("change", function (e) {
    if (!e.target.matches("[data-select-all]")) { return; }
    document.querySelectorAll("input[name='" + e.target.getAttribute("data-select-all") + "']").forEach(function (cb) {
      cb.checked = e.target.checked;
    });
  });
  document.addEventListener("keydown", function (e) {
    var list = document.querySelector("[data-keyboard-list]");
    if (!list || e.target.matches("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var rows = Array.prototype.slice.call(list.querySelectorAll("[data-row]"));
    if (!rows.length) { return; }
    var i = rows.indexOf(document.activeElement.closest("[data-row]"));
    if (e.key === "j" || e.key === "k") {
      i = e.key === "j" ? Math.min(i + 1, rows.length - 1) : Math.max(i - 1, 0);
      rows[i].focus();
      e.preventDefault();
    } else if (e.key === "x" && i >= 0) {
      var cb = rows[i].querySelector("input[type=checkbox]");
      if (cb) { cb.checked = !cb.checked; }
      e.preventDefault();
    }
  });
})();
