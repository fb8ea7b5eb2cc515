// The draft's live character count against the chosen account's platform limit.
// The server counts the same way (posts/limits.py) and refuses a draft over the limit.
(function () {
  "use strict";
  const text = document.querySelector("textarea[data-draft]");
  const count = document.getElementById("draft-count");
  if (!text || !count) return;
  const account = document.querySelector("select[data-draft-account]");

  function limit() {
    const option = account ? account.selectedOptions[0] : null;
    const found = option ? option.dataset.limit : text.dataset.limit;
    return found ? Number(found) : null;
  }

  function show() {
    // Code points, as Python's len() counts them: an emoji is one character.
    const length = Array.from(text.value).length;
    const most = limit();
    const over = most !== null && length > most;
    if (most === null) {
      count.textContent = `${length.toLocaleString()} characters; this platform has no limit.`;
    } else if (over) {
      count.textContent = `${length.toLocaleString()} of ${most.toLocaleString()} characters: cut ${(length - most).toLocaleString()}.`;
    } else {
      count.textContent = `${length.toLocaleString()} of ${most.toLocaleString()} characters.`;
    }
    count.classList.toggle("text-danger", over);
    count.classList.toggle("fw-semibold", over);
    text.classList.toggle("is-invalid", over);
  }

  text.addEventListener("input", show);
  if (account) account.addEventListener("change", show);
  show();
})();
