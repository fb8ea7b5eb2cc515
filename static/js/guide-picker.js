// The desk's guide picker: "Insert link" puts the guide's Markdown link into the reply at the caret.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-link]");
    if (!button) return;
    var results = button.closest("[data-insert-into]");
    var box = results && document.querySelector(results.dataset.insertInto);
    if (!box) return;
    var link = button.dataset.insertLink;
    var start = box.selectionStart || 0;
    var end = box.selectionEnd || 0;
    var before = box.value.slice(0, start);
    var spacer = before && !/\s$/.test(before) ? " " : "";
    box.value = before + spacer + link + box.value.slice(end);
    var caret = start + spacer.length + link.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
