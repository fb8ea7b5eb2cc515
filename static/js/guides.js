// A guide's page reports that it was read with a POST once it has loaded: reading with GET
// changes nothing, so link scanners and prefetching count no views.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("guide-viewed");
    if (!form || !window.fetch) return;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  });
})();
