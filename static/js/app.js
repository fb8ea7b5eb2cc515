// Small behaviours: problem-type help on the request form, ticking and bulk actions on the desk.
(function () {
  "use strict";

  function showProblemHelp() {
    var select = document.getElementById("id_problem_type");
    var box = document.getElementById("problem-help");
    var data = document.getElementById("problem-help-data");
    if (!select || !box || !data) return;
    var help = JSON.parse(data.textContent);
    function update() {
      var text = help[select.value] || "";
      box.textContent = text;
      box.classList.toggle("d-none", !text);
    }
    select.addEventListener("change", update);
    update();
  }

  function wireBulk(root) {
    var all = root.querySelector("[data-check-all]");
    if (all) {
      all.addEventListener("change", function () {
        root.querySelectorAll("input[name=tickets]").forEach(function (box) { box.checked = all.checked; });
      });
    }
    var action = root.querySelector("[data-bulk-action]");
    if (action) {
      action.addEventListener("change", function () {
        root.querySelectorAll("[data-bulk-for]").forEach(function (field) {
          field.classList.toggle("d-none", field.dataset.bulkFor !== action.value);
        });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    showProblemHelp();
    wireBulk(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) { wireBulk(event.detail.target); });
})();
