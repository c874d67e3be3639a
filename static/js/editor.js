// Progressive enhancement for the article and page forms: live preview (the whole article as
// readers will see it, or a page's body) and an unsaved-changes warning.
// Without JavaScript the Preview button and plain form posts do the same jobs.
(function () {
  "use strict";
  var form = document.getElementById("article-form");
  if (!form) { return; }
  var target = document.getElementById("preview");
  var dirty = false;
  // Ask the server only once the editor pauses, and never with two requests on the way: a
  // hostile or huge body must not become one render per keystroke.
  var PAUSE_MS = 600;
  var timer = null;
  var inFlight = false;
  var again = false;

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, PAUSE_MS);
  }

  function refresh() {
    timer = null;
    if (inFlight) {
      again = true;  // sent when the answer in flight is back
      return;
    }
    inFlight = true;
    var body = new URLSearchParams(new FormData(form));
    body.delete("action");
    var text = body.toString();
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { return response.text(); }
      throw new Error(String(response.status));
    }).then(function (html) {
      // A stale answer (the text changed meanwhile) is dropped: the next request replaces it.
      // The server's markup.render_article() sanitised this HTML: the same as the saved page;
      // a body it refuses comes back as the reason, escaped by the template.
      if (new URLSearchParams(new FormData(form)).toString() === text) { target.innerHTML = html; }
    }).catch(function () { /* keep the last good preview */ }).then(function () {
      inFlight = false;
      if (again) {
        again = false;
        schedule();
      }
    });
  }

  form.addEventListener("input", function () {
    dirty = true;
    schedule();
  });
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
