// Nothing typed is lost: the article or page form is saved server-side as an autosave (never a
// revision) 5 seconds after the last change, and when the tab is hidden or closed; a copy stays
// in this browser's localStorage until the server has it (offline, or the session expired).
(function () {
  "use strict";
  var form = document.getElementById("article-form");
  if (!form || !form.dataset.autosaveUrl) { return; }
  var data = form.dataset;
  var PAUSE_MS = 5000;
  var KEY = "newsportal-autosave:" + data.autosaveUrl;
  var timer = null;
  var pending = false;   // changed since the server last had it
  var status = document.createElement("p");
  status.className = "autosave-status";
  status.setAttribute("role", "status");
  var actions = form.querySelector(".actions");
  form.insertBefore(status, actions);

  function fields() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("action");
    return params;
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function keepLocally() {
    try {
      var copy = {};
      fields().forEach(function (value, name) { if (name !== "csrf_token") { copy[name] = value; } });
      window.localStorage.setItem(KEY, JSON.stringify({ at: Date.now(), fields: copy }));
    } catch (e) { /* storage full or off: the server copy is still tried */ }
  }

  function forgetLocally() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
  }

  function send() {
    timer = null;
    if (!pending) { return; }
    pending = false;
    fetch(data.autosaveUrl, {
      method: "POST",
      body: fields(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          if (!pending) { forgetLocally(); }
          say(data.msgSaved.replace("{time}", body.saved_label || ""));
        } else if (response.status === 401) {
          pending = true;
          say(data.msgSignedOut, true);
        } else {
          pending = true;
          say(body.error || data.msgOffline, true);
        }
      });
    }).catch(function () {
      pending = true;
      say(data.msgOffline, true);
    });
  }

  function changed() {
    pending = true;
    keepLocally();
    window.clearTimeout(timer);
    timer = window.setTimeout(send, PAUSE_MS);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    pending = false;
    forgetLocally();
  });

  // A hidden or closing tab cannot wait for fetch(): the beacon is sent even as the page goes.
  function flush() {
    if (!pending || !navigator.sendBeacon) { return; }
    window.clearTimeout(timer);
    if (navigator.sendBeacon(data.autosaveUrl, fields())) { pending = false; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });
  window.addEventListener("pagehide", flush);

  // A copy this browser kept and the server never got: offered back, like the server's.
  var offer = document.getElementById("local-copy-offer");
  var kept = null;
  try { kept = JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { kept = null; }
  if (!offer || !kept || !kept.fields) { return; }
  var differs = Object.keys(kept.fields).some(function (name) {
    var input = form.elements.namedItem(name);
    return input && input.type !== "checkbox" && input.value !== kept.fields[name];
  });
  if (!differs) {
    forgetLocally();
    return;
  }
  var when = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
    day: "2-digit", month: "2-digit", year: "numeric", hourCycle: "h23"
  }).formatToParts(new Date(kept.at)).reduce(function (parts, part) {
    parts[part.type] = part.value;
    return parts;
  }, {});
  var restore = document.getElementById("local-copy-restore");
  restore.textContent = restore.textContent.replace(
    "{time}", when.hour + ":" + when.minute + " - " + when.day + "/" + when.month + "/" + when.year);
  offer.hidden = false;
  restore.addEventListener("click", function () {
    Object.keys(kept.fields).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input || input.type === "file") { return; }
      if (input.type === "checkbox") {
        input.checked = kept.fields[name] !== "";
      } else {
        input.value = kept.fields[name];
        input.dispatchEvent(new Event("np:replaced"));
      }
    });
    offer.hidden = true;
    changed();
  });
  document.getElementById("local-copy-discard").addEventListener("click", function () {
    forgetLocally();
    offer.hidden = true;
  });
})();
