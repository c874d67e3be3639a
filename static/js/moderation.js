// Keyboard shortcuts for the moderation queue (progressive enhancement; every action is
// also a plain form button). j/k move, a approve, r reject, s spam, x select.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  if (!items.length) { return; }
  var current = -1;

  function focus(index) {
    if (index < 0 || index >= items.length) { return; }
    if (current >= 0) { items[current].classList.remove("is-current"); }
    current = index;
    items[current].classList.add("is-current");
    items[current].focus();
  }

  function submit(action) {
    if (current < 0) { return; }
    var button = items[current].querySelector(".queue-actions button[value='" + action + "']");
    if (!button) { return; }
    // requestSubmit(button) sends the button's action and runs the checks the button asks
    // for: a rejection asks for its reason first, approve and spam skip that check.
    if (button.form.requestSubmit) { button.form.requestSubmit(button); } else { button.click(); }
  }

  // The bulk bar's reason is needed for a rejection only: the browser asks for it then.
  var bulkAction = document.getElementById("bulk-action");
  var bulkReason = document.getElementById("bulk-reason");
  function reasonNeeded() { bulkReason.required = bulkAction.value === "reject"; }
  if (bulkAction && bulkReason) {
    bulkAction.addEventListener("change", reasonNeeded);
    reasonNeeded();
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    switch (event.key) {
      case "j": focus(current + 1); break;
      case "k": focus(current - 1); break;
      case "a": submit("approve"); break;
      case "r": submit("reject"); break;
      case "s": submit("spam"); break;
      case "x":
        if (current >= 0) {
          var box = items[current].querySelector("input[type=checkbox]");
          if (box) { box.checked = !box.checked; }
        }
        break;
      default: return;
    }
    event.preventDefault();
  });
})();
