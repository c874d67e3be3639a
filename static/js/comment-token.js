// A cached article page is shared by every reader, so it holds no reader's form token, only the
// page's shared one (accepted with a same-origin Origin / Sec-Fetch-Site: comments/form_token.py).
// This swaps it for one of this reader's own and a fresh form timestamp, so the too-fast check
// counts from when the reader opened the page, not from when the page was cached.
(function () {
  "use strict";
  var form = document.querySelector("form[data-token-url]");
  if (!form) { return; }
  fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
    .then(function (response) {
      if (response.ok) { return response.json(); }
      throw new Error(String(response.status));
    })
    .then(function (data) {
      form.querySelector("input[name=csrf_token]").value = data.csrf_token;
      form.querySelector("input[name=ts]").value = data.ts;
    })
    .catch(function () { /* the server shows the form again with a token if this failed */ });
})();
