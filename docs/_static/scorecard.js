// The scorecard page: each row coloured by its status, and filters by paper, data, split and status.
// Without JavaScript the table reads the same, unfiltered.
document.addEventListener("DOMContentLoaded", function () {
  var table = document.querySelector("table.scorecard");
  if (!table) { return; }
  var headers = Array.from(table.querySelectorAll("thead th")).map(function (th) {
    return th.textContent.trim(); });
  var rows = Array.from(table.querySelectorAll("tbody tr"));
  var cell = function (tr, column) { return tr.cells[headers.indexOf(column)].textContent.trim(); };
  rows.forEach(function (tr) {
    tr.classList.add("status-" + cell(tr, "status").replace(/\s+/g, "-"));
    tr.cells[headers.indexOf("status")].classList.add("status");
  });
  var filters = document.createElement("div");
  filters.className = "scorecard-filters";
  var chosen = {};
  ["paper", "data", "split", "status"].forEach(function (column) {
    var values = Array.from(new Set(rows.map(function (tr) { return cell(tr, column); }))).sort();
    var select = document.createElement("select");
    select.add(new Option("all", ""));
    values.forEach(function (v) { select.add(new Option(v, v)); });
    select.addEventListener("change", function () {
      chosen[column] = select.value;
      rows.forEach(function (tr) {
        var shown = Object.keys(chosen).every(function (c) { return !chosen[c] || cell(tr, c) === chosen[c]; });
        tr.style.display = shown ? "" : "none";
      });
    });
    var label = document.createElement("label");
    label.append(column + " ", select);
    filters.appendChild(label);
  });
  table.parentNode.insertBefore(filters, table);
});
