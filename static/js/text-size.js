// The reader's text size, kept in this browser only (localStorage, never a cookie, so every page
// stays the same cached page for everyone). Loaded in <head>: the size is set before the body
// is drawn; the A− A A+ buttons are shown only once this script runs.
(function () {
  "use strict";
  var KEY = "text-size", MIN = -1, MAX = 2, root = document.documentElement;
  function read() {
    try { var n = parseInt(localStorage.getItem(KEY), 10); return n >= MIN && n <= MAX ? n : 0; }
    catch (e) { return 0; }
  }
  function apply(n) {
    if (n) root.setAttribute("data-text-size", n); else root.removeAttribute("data-text-size");
  }
  apply(read());
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".text-size");
    if (!box) return;
    var buttons = box.querySelectorAll("button[data-text-step]");
    function update(n) {
      apply(n);
      for (var i = 0; i < buttons.length; i++) {
        var step = +buttons[i].getAttribute("data-text-step");
        buttons[i].disabled = step ? (n + step < MIN || n + step > MAX) : n === 0;
      }
    }
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var step = +this.getAttribute("data-text-step");
        var n = step ? Math.min(MAX, Math.max(MIN, read() + step)) : 0;
        try { if (n) localStorage.setItem(KEY, n); else localStorage.removeItem(KEY); } catch (e) {}
        update(n);
      });
    }
    update(read());
    box.hidden = false;
  });
})();
