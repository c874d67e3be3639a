// Share buttons for the article page: shown only where the browser can do what they offer.
(function () {
  "use strict";
  var box = document.querySelector(".share[data-share-url]");
  if (!box) return;
  var url = box.getAttribute("data-share-url");
  var title = box.getAttribute("data-share-title");
  var status = box.querySelector(".share-status");
  var native = box.querySelector(".share-native");
  var copy = box.querySelector(".share-copy");
  if (native && navigator.share) {
    native.hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ title: title, url: url }).catch(function () {});
    });
  }
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(url).then(function () {
        status.textContent = status.getAttribute("data-copied");
      }, function () {});
    });
  }
})();
