(function () {
  "use strict";
  var table = document.getElementById("attention");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));
  var count = document.getElementById("count");
  var data = JSON.parse(document.getElementById("export-data").textContent);

  function matches(row) {
    return selects.every(function (select) {
      if (!select.value) return true;
      var values = (row.getAttribute("data-" + select.getAttribute("data-attr")) || "").split(" ");
      return values.indexOf(select.value) >= 0;
    });
  }
  function visibleRows() { return rows.filter(function (row) { return !row.hidden; }); }
  function apply() {
    rows.forEach(function (row) { row.hidden = !matches(row); });
    count.textContent = "Visar " + visibleRows().length + " av " + rows.length + " dokument.";
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
  document.getElementById("reset").addEventListener("click", function () {
    selects.forEach(function (select) { select.value = ""; });
    apply();
  });

  var collator = new Intl.Collator("sv");
  Array.prototype.forEach.call(table.querySelectorAll("th button[data-sort]"), function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode, key = button.getAttribute("data-sort");
      var numeric = button.getAttribute("data-type") === "num";
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.querySelectorAll("th"), function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
        var order = numeric ? Number(x) - Number(y) : collator.compare(x, y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (typeof value === "number") text = text.replace(".", ",");  // Swedish decimal comma, as in the --csv file
    return /[";\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  document.getElementById("csv").addEventListener("click", function () {
    var lines = [data.headers.map(csvCell).join(";")];
    visibleRows().forEach(function (row) { lines.push(data.rows[row.getAttribute("data-key")].map(csvCell).join(";")); });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "uppmarksamhetslista-vy.csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  });
})();
