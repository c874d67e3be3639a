// Progressive enhancement for the article form: live preview and an unsaved-changes warning.
// Without JavaScript the Preview button and plain form posts do the same jobs.
(function () {
  "use strict";
  var form = document.getElementById("article-form");
  if (!form) { return; }
  var source = form.querySelector("[data-preview-source]");
  var target = document.getElementById("preview");
  var token = form.querySelector("input[name=csrf_token]");
  var dirty = false;
  var timer = null;

  function refresh() {
    var body = new URLSearchParams();
    body.set("csrf_token", token ? token.value : "");
    body.set("body", source.value);
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { return response.text(); }
      throw new Error(String(response.status));
    }).then(function (html) {
      // The server's markup.render_article() sanitised this HTML: the same as the saved page.
      target.innerHTML = html;
    }).catch(function () { /* keep the last good preview */ });
  }

  form.addEventListener("input", function (event) {
    dirty = true;
    if (event.target === source) {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    }
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
