// A cached article page is shared by every reader, so it holds no reader's form token. This
// fetches one for this reader (and a fresh form timestamp) before they send a comment. Without
// JavaScript the first send is refused with the text kept and a token filled in; the second
// send goes through.
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
