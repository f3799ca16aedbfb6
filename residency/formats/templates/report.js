// The report's findings and evidence, rendered from the embedded data a page at a time, with
// filtering, keyboard-accessible sorting (buttons in the headers, aria-sort) and paging.
// No network, no dependencies; every string is set with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var mapData = JSON.parse(document.getElementById("map-data").textContent);
  var S = data.strings, R = data.resources, F = data.findings;
  var STATUS = data.statuses, SEVERITY = data.severities, POLICY = data.policies;
  var SYMBOL = {violation: "\u2715", unverifiable: "?", exempt: "\u2298", compliant: "\u2713"};
  var SEVERITY_RANK = {critical: 0, high: 1, medium: 2, low: 3};
  var PAGE = 100, LOC = 65536;
  var text = document.getElementById("filter-text");
  var statusSelect = document.getElementById("filter-status");
  var policySelect = document.getElementById("filter-policy");
  var counter = document.getElementById("filter-count");

  function s(i) { return i < 0 ? null : S[i]; }
  function name(f) { return S[R[f[0]][0]]; }
  function resourceId(f) { var r = R[f[0]]; return typeof r[4] === "number" ? S[r[4]] + S[r[0]] : r[4]; }
  function account(f) { var r = R[f[0]]; return S[r[2]] + " " + S[r[1]]; }
  function message(f) { return S[f[5]].split("\u0001").join(name(f)); }
  function place(loc) {
    return S[loc[0]] + " " + (s(loc[1]) || "unknown region") + " (" + (s(loc[2]) || "unknown") + ")";
  }
  function where(f) { return f[8].map(place).join("; ") || "-"; }

  // Lower-case search text, built once on the first text filter: per finding, and per location
  // (an evidence row matches on its finding's fields and its own location only).
  var base = null, full = null;
  function buildHaystacks() {
    base = new Array(F.length); full = new Array(F.length);
    for (var i = 0; i < F.length; i++) {
      var f = F[i], locs = f[8], own = "";
      base[i] = [name(f), resourceId(f), account(f), POLICY[f[1]], S[f[2]], STATUS[f[3]]].join(" ").toLowerCase();
      for (var l = 0; l < locs.length; l++) { own += " " + placeText(locs[l]); }
      full[i] = base[i] + " " + message(f).toLowerCase() + own;
    }
  }
  var placeCache = {};
  function placeText(loc) {
    var key = loc.join(",");
    var found = placeCache[key];
    if (found === undefined) { found = placeCache[key] = (place(loc) + " " + S[loc[3]]).toLowerCase(); }
    return found;
  }

  function statusCell(f) {
    var td = document.createElement("td"), span = document.createElement("span");
    var status = STATUS[f[3]];
    span.className = "status " + status;
    span.textContent = SYMBOL[status] + " " + status;
    td.appendChild(span);
    if (f[7] === 1) { var badge = document.createElement("span"); badge.className = "badge"; badge.textContent = "new"; td.append(" ", badge); }
    return td;
  }
  function textCell(value, wrap) {
    var td = document.createElement("td");
    td.textContent = value;
    if (wrap) { td.className = "wrap"; }
    return td;
  }
  function resourceCell(f) {
    var td = textCell(name(f), true), code = document.createElement("code");
    code.textContent = resourceId(f);
    td.append(document.createElement("br"), code);
    return td;
  }
  function findingCell(f) {
    var td = textCell(message(f), true);
    if (STATUS[f[3]] !== "compliant") {
      var fix = document.createElement("span");
      fix.className = "muted"; fix.textContent = "Fix: " + S[f[6]];
      td.append(document.createElement("br"), fix);
    }
    return td;
  }

  var findingColumns = {
    status: {cell: statusCell, key: function (f) { return f[3]; }},
    severity: {cell: function (f) { return textCell(SEVERITY[f[4]]); }, key: function (f) { return SEVERITY_RANK[SEVERITY[f[4]]]; }},
    policy: {cell: function (f) { return textCell(POLICY[f[1]]); }, key: function (f) { return POLICY[f[1]]; }},
    rule: {cell: function (f) { return textCell(S[f[2]]); }, key: function (f) { return S[f[2]]; }},
    resource: {cell: resourceCell, key: function (f) { return name(f).toLowerCase(); }},
    account: {cell: function (f) { return textCell(account(f)); }, key: account},
    where: {cell: function (f) { return textCell(where(f), true); }, key: where},
    finding: {cell: findingCell, key: message}
  };
  function loc(row) { return F[Math.floor(row / LOC)][8][row % LOC]; }
  function fin(row) { return F[Math.floor(row / LOC)]; }
  var evidenceColumns = {
    resource: {cell: function (r) { return resourceCell(fin(r)); }, key: function (r) { return name(fin(r)).toLowerCase(); }},
    policy: {cell: function (r) { return textCell(POLICY[fin(r)[1]]); }, key: function (r) { return POLICY[fin(r)[1]]; }},
    rule: {cell: function (r) { return textCell(S[fin(r)[2]]); }, key: function (r) { return S[fin(r)[2]]; }},
    status: {cell: function (r) { return statusCell(fin(r)); }, key: function (r) { return fin(r)[3]; }},
    kind: {cell: function (r) { return textCell(S[loc(r)[0]]); }, key: function (r) { return S[loc(r)[0]]; }},
    region: {cell: function (r) { return textCell(s(loc(r)[1]) || "unknown"); }, key: function (r) { return s(loc(r)[1]) || ""; }},
    countries: {cell: function (r) { return textCell(s(loc(r)[2]) || "unknown"); }, key: function (r) { return s(loc(r)[2]) || ""; }},
    reason: {cell: function (r) { return textCell(S[loc(r)[3]], true); }, key: function (r) { return S[loc(r)[3]]; }}
  };

  function Table(id, columns) {
    this.el = document.getElementById(id);
    this.columns = columns;
    this.keys = Array.prototype.map.call(this.el.tHead.rows[0].cells, function (th) { return th.getAttribute("data-key"); });
    this.rows = []; this.page = 0; this.sortKey = null; this.ascending = true;
    this.pager = document.querySelector('.pager[data-for="' + id + '"]');
    var table = this;
    Array.prototype.forEach.call(this.el.tHead.rows[0].cells, function (th) {
      th.querySelector("button").addEventListener("click", function () { table.sortBy(th); });
    });
    this.pager.querySelector('[data-page="prev"]').addEventListener("click", function () { table.turn(-1); });
    this.pager.querySelector('[data-page="next"]').addEventListener("click", function () { table.turn(1); });
  }
  Table.prototype.sortBy = function (th) {
    var key = th.getAttribute("data-key");
    this.ascending = this.sortKey === key ? !this.ascending : true;
    this.sortKey = key;
    Array.prototype.forEach.call(this.el.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", this.ascending ? "ascending" : "descending");
    this.sort(); this.page = 0; this.render();
  };
  Table.prototype.sort = function () {
    if (!this.sortKey) { return; }
    var keyOf = this.columns[this.sortKey].key, rows = this.rows, sign = this.ascending ? 1 : -1;
    var keys = rows.map(function (row) { return keyOf(this.item(row)); }, this);
    var order = rows.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      return (x < y ? -1 : x > y ? 1 : a - b) * (x === y ? 1 : sign);
    });
    this.rows = order.map(function (i) { return rows[i]; });
  };
  Table.prototype.item = function (row) { return this.columns === findingColumns ? F[row] : row; };
  Table.prototype.turn = function (step) {
    var last = Math.max(0, Math.ceil(this.rows.length / PAGE) - 1);
    this.page = Math.min(last, Math.max(0, this.page + step));
    this.render();
  };
  Table.prototype.render = function () {
    var body = document.createElement("tbody"), start = this.page * PAGE;
    var rows = this.rows.slice(start, start + PAGE), columns = this.columns, keys = this.keys, table = this;
    rows.forEach(function (row) {
      var tr = document.createElement("tr"), item = table.item(row);
      keys.forEach(function (key) { tr.appendChild(columns[key].cell(item)); });
      body.appendChild(tr);
    });
    if (!rows.length) {
      var tr = document.createElement("tr");
      tr.appendChild(textCell("No rows match the filters."));
      tr.firstChild.colSpan = keys.length;
      body.appendChild(tr);
    }
    this.el.replaceChild(body, this.el.tBodies[0]);
    var end = start + rows.length;
    this.pager.querySelector(".page-info").textContent = this.rows.length ?
      "Rows " + (start + 1).toLocaleString() + "\u2013" + end.toLocaleString() + " of " + this.rows.length.toLocaleString() : "No rows";
    this.pager.querySelector('[data-page="prev"]').disabled = this.page === 0;
    this.pager.querySelector('[data-page="next"]').disabled = end >= this.rows.length;
  };

  var findings = new Table("findings-table", findingColumns);
  var evidence = new Table("evidence-table", evidenceColumns);
  var evidenceTotal = F.reduce(function (n, f) { return n + Math.min(f[8].length, LOC); }, 0);

  function applyFilters() {
    var query = text.value.trim().toLowerCase();
    var status = statusSelect.value ? STATUS.indexOf(statusSelect.value) : -1;
    var policy = policySelect.value ? POLICY.indexOf(policySelect.value) : -1;
    if (query && base === null) { buildHaystacks(); }
    var rows = [], evidenceRows = [];
    for (var i = 0; i < F.length; i++) {
      var f = F[i];
      if ((status >= 0 && f[3] !== status) || (policy >= 0 && f[1] !== policy)) { continue; }
      if (query && full[i].indexOf(query) === -1) { continue; }
      rows.push(i);
      var baseHit = query && base[i].indexOf(query) !== -1;
      for (var l = 0; l < f[8].length && l < LOC; l++) {
        if (!query || baseHit || placeText(f[8][l]).indexOf(query) !== -1) { evidenceRows.push(i * LOC + l); }
      }
    }
    findings.rows = rows; evidence.rows = evidenceRows;
    [findings, evidence].forEach(function (table) { table.sort(); table.page = 0; table.render(); });
    counter.textContent = rows.length.toLocaleString() + " of " + F.length.toLocaleString() + " findings, " +
      evidenceRows.length.toLocaleString() + " of " + evidenceTotal.toLocaleString() + " evidence rows shown";
  }

  var mapPolicy = document.getElementById("map-policy");
  function paintMap() {
    var states = mapData.states[mapPolicy ? mapPolicy.value : ""] || {};
    Array.prototype.forEach.call(document.querySelectorAll("#world-map [data-c]"), function (shape) {
      var state = states[shape.getAttribute("data-c")];
      shape.setAttribute("class", state ? "s-" + state : (shape.hasAttribute("data-marker") ? "hidden-marker" : ""));
      var title = shape.querySelector("title");
      title.textContent = title.textContent.split(":")[0] + (state ? ": " + mapData.labels[state] : "");
    });
  }
  if (mapPolicy) { mapPolicy.addEventListener("change", paintMap); }

  var summaryButton = document.getElementById("view-summary");
  function summaryOnly(on) {
    document.body.classList.toggle("summary-only", on);
    summaryButton.setAttribute("aria-pressed", on ? "true" : "false");
  }
  summaryButton.addEventListener("click", function () { summaryOnly(!document.body.classList.contains("summary-only")); });
  document.getElementById("print-summary").addEventListener("click", function () {
    var was = document.body.classList.contains("summary-only");
    summaryOnly(true);
    window.addEventListener("afterprint", function restore() { summaryOnly(was); window.removeEventListener("afterprint", restore); });
    window.print();
  });

  [text, statusSelect, policySelect].forEach(function (control) {
    control.addEventListener("input", applyFilters);
    control.addEventListener("change", applyFilters);
  });
  applyFilters();
  document.documentElement.setAttribute("data-ready", "true");
  if (window.performance && performance.mark) { performance.mark("residency-ready"); }
  // Build the search text once the page is up, so the first typed filter is as quick as the next.
  setTimeout(function () { if (base === null) { buildHaystacks(); } }, 0);
}());
