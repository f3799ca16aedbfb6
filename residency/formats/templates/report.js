// Filtering and sorting for the report's tables. No network, no dependencies.
(function () {
  "use strict";
  var text = document.getElementById("filter-text");
  var status = document.getElementById("filter-status");
  var policy = document.getElementById("filter-policy");
  var counter = document.getElementById("filter-count");

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("table.filterable tbody tr"));
  }

  function applyFilters() {
    var query = text.value.trim().toLowerCase();
    var shown = 0;
    rows().forEach(function (row) {
      var visible = (!query || row.textContent.toLowerCase().indexOf(query) !== -1) &&
        (!status.value || row.getAttribute("data-status") === status.value) &&
        (!policy.value || row.getAttribute("data-policy") === policy.value);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    counter.textContent = shown + " of " + rows().length + " rows shown";
  }

  function sortKey(cell) {
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sortBy(header) {
    var table = header.closest("table");
    var column = Array.prototype.indexOf.call(header.parentNode.children, header);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var sorted = Array.prototype.slice.call(body.rows).sort(function (r1, r2) {
      var order = compare(sortKey(r1.cells[column]), sortKey(r2.cells[column]));
      return ascending ? order : -order;
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table.sortable th").forEach(function (header) {
    header.addEventListener("click", function () { sortBy(header); });
  });
  [text, status, policy].forEach(function (control) {
    control.addEventListener("input", applyFilters);
    control.addEventListener("change", applyFilters);
  });
  applyFilters();
}());
