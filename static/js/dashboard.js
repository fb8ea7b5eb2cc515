// The dashboard's chart, drawn from data the page carries; the tables next to it say the same in text.
(function () {
  "use strict";
  document.querySelectorAll(".dash-table").forEach(function (table) {
    var bars = table.querySelectorAll(".bar");
    var top = 0;
    bars.forEach(function (bar) { top = Math.max(top, Number(bar.dataset.value)); });
    bars.forEach(function (bar) { bar.style.width = top ? (100 * Number(bar.dataset.value) / top) + "%" : "0"; });
  });

  // The date fields matter only for a custom range.
  var range = document.getElementById("id_range");
  function showDates() {
    document.querySelectorAll(".dash-dates").forEach(function (field) {
      field.hidden = range.value !== "custom";
    });
  }
  if (range) {
    range.addEventListener("change", showDates);
    showDates();
  }

  var canvas = document.getElementById("volume-chart");
  var data = document.getElementById("volume-data");
  if (!canvas || !data || typeof Chart === "undefined") return;
  var volume = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: volume.labels,
      datasets: [
        { label: "Opened", data: volume.opened, borderColor: "#417690", backgroundColor: "rgba(65,118,144,.15)", fill: true, pointRadius: 0 },
        { label: "Resolved", data: volume.resolved, borderColor: "#2e7d32", backgroundColor: "rgba(46,125,50,0)", pointRadius: 0 }
      ]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxTicksLimit: 12 } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
