// The dashboard's chart, drawn from data the page carries; the tables next to it say the same in text.
(function () {
  "use strict";
  document.querySelectorAll(".dash-table").forEach(function (table) {
    var bars = table.querySelectorAll(".bar");
    var top = 0;
    bars.forEach(function (bar) { top = Math.max(top, Number(bar.dataset.value)); });
    bars.forEach(function (bar) { bar.style.width = top ? (100 * Number(bar.dataset.value) / top) + "%" : "0"; });
  });

  var canvas = document.getElementById("volume-chart");
  var data = document.getElementById("volume-data");
  if (!canvas || !data || typeof Chart === "undefined") return;
  var volume = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: volume.labels,
      datasets: [
        { label: "Opened", data: volume.opened, borderColor: "#417690", backgroundColor: "rgba(65,118,144,.15)", fill: true, tension: 0.25, pointRadius: 0 },
        { label: "Resolved", data: volume.resolved, borderColor: "#2e7d32", backgroundColor: "rgba(46,125,50,0)", tension: 0.25, pointRadius: 0 }
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
