// "Xem nhiều": tells the site this article was shown, once per page view. The page is cached and
// the same for every reader, so the URL carries only the article; no cookie is sent or set.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-beacon-url]");
  var url = script && script.getAttribute("data-beacon-url");
  if (!url) { return; }
  if (navigator.sendBeacon && navigator.sendBeacon(url)) { return; }
  if (window.fetch) {
    fetch(url, { method: "POST", credentials: "omit", cache: "no-store", keepalive: true })
      .catch(function () { /* an uncounted view is no reader's problem */ });
  }
})();
