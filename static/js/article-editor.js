// The visual editor (vendored Toast UI Editor) on the body of the article and page forms, and
// pictures put into the body where the cursor is: pasted, dropped, uploaded or picked from the
// library, each with its description. Progressive: the textarea stays the form's field; the
// editor writes its Markdown there only once the editor has really changed something, so an
// article opened and saved untouched keeps its body byte for byte (the editor would otherwise
// re-spell it: spacing, list markers, escapes).
(function () {
  "use strict";
  var form = document.getElementById("article-form");
  var textarea = form && form.querySelector("textarea[data-visual-editor]");
  if (!textarea || !window.toastui || !window.toastui.Editor) { return; }
  var data = form.dataset;
  var token = form.querySelector("input[name=csrf_token]");
  var field = textarea.closest(".field");
  var mount = document.createElement("div");
  mount.className = "visual-editor";
  textarea.insertAdjacentElement("afterend", mount);

  var pictureButton = document.createElement("button");
  pictureButton.type = "button";
  pictureButton.className = "toastui-editor-toolbar-icons image";
  pictureButton.setAttribute("aria-label", data.msgPicture);

  var original = textarea.value;
  var edited = false;
  var editor = new window.toastui.Editor({
    el: mount,
    initialValue: original,
    initialEditType: "wysiwyg",
    previewStyle: "tab",
    height: "520px",
    language: document.documentElement.lang === "vi" ? "vi" : "en-US",
    usageStatistics: false,  // it would load Google Analytics: refused by the CSP, and private
    autofocus: false,
    toolbarItems: [
      ["heading", "bold", "italic", "strike"],
      ["hr", "quote"],
      ["ul", "ol", "indent", "outdent"],
      ["table", { name: "picture", tooltip: data.msgPicture, el: pictureButton }, "link"]
    ],
    hooks: {
      // A picture pasted or dropped: uploaded, described, then inserted (never as a blob URL).
      addImageBlobHook: function (blob) {
        openDialog();
        upload(blob);
      }
    }
  });
  var baseline = editor.getMarkdown();
  field.classList.add("has-visual-editor");

  function labelEditables() {
    mount.querySelectorAll("[contenteditable=true]").forEach(function (el) {
      el.setAttribute("role", "textbox");
      el.setAttribute("aria-multiline", "true");
      el.setAttribute("aria-label", data.msgEditor);
    });
  }
  labelEditables();
  editor.on("changeMode", labelEditables);
  var label = field.querySelector("label[for='" + textarea.id + "']");
  if (label) { label.addEventListener("click", function () { editor.focus(); }); }

  // What counts as the editor's own change: typing (not moving around), pasting, dropping,
  // cutting, a toolbar or table command. Switching modes or clicking into the text is none.
  var QUIET_KEYS = /^(Arrow|Page|Home|End|Shift|Control|Alt|Meta|Escape|Tab|CapsLock|F\d)/;
  mount.addEventListener("keydown", function (event) {
    if (!QUIET_KEYS.test(event.key) && !((event.ctrlKey || event.metaKey) && /^[ac]$/i.test(event.key))) {
      edited = true;
    }
  }, true);
  ["paste", "drop", "cut"].forEach(function (name) {
    mount.addEventListener(name, function () { edited = true; }, true);
  });
  mount.addEventListener("click", function (event) {
    if (event.target.closest(".toastui-editor-popup, .toastui-editor-context-menu, .toastui-editor-toolbar-icons")) {
      edited = true;
    }
  }, true);

  editor.on("change", function () {
    var markdown = editor.getMarkdown();
    var next = edited && markdown !== baseline ? markdown : original;
    if (textarea.value !== next) {
      textarea.value = next;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  // autosave.js put another text into the textarea (a copy kept on this computer).
  textarea.addEventListener("np:replaced", function () {
    original = textarea.value;
    edited = false;
    editor.setMarkdown(original, false);
    baseline = editor.getMarkdown();
  });

  // ---- pictures -------------------------------------------------------------------------
  var dialog = document.getElementById("picture-dialog");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var pictureForm = document.getElementById("picture-form");
  var status = document.getElementById("picture-status");
  var fileInput = document.getElementById("picture-file");
  var library = document.getElementById("picture-library");
  var more = document.getElementById("picture-more");
  var chosen = document.getElementById("picture-chosen");
  var chosenImg = document.getElementById("picture-chosen-img");
  var alt = document.getElementById("picture-alt");
  var altError = document.getElementById("picture-alt-error");
  var noneError = document.getElementById("picture-none-error");
  var picked = null;
  var nextPage = 1;

  function say(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("is-error", !!isError);
  }

  function openDialog() {
    picked = null;
    pictureForm.reset();
    chosen.hidden = true;
    altError.hidden = true;
    noneError.hidden = true;
    alt.removeAttribute("aria-invalid");
    alt.setAttribute("aria-describedby", "picture-alt-hint");
    fileInput.removeAttribute("aria-describedby");
    say("");
    library.querySelectorAll("[aria-pressed]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    if (!dialog.open) { dialog.showModal(); }
    if (nextPage === 1) { loadLibrary(); }
  }
  pictureButton.addEventListener("click", openDialog);

  function choose(image, button) {
    picked = image;
    chosenImg.src = image.thumb;
    chosen.hidden = false;
    noneError.hidden = true;
    library.querySelectorAll("[aria-pressed]").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    alt.focus();
  }

  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (response.status === 401) { throw new Error(data.msgSignedOut); }
      if (!response.ok) { throw new Error(body.error || data.msgUploadFailed); }
      return body;
    });
  }

  function upload(file) {
    say(data.msgUploading);
    var body = new FormData();
    body.set("csrf_token", token ? token.value : "");
    body.set("file", file, file.name || "anh.png");
    fetch(data.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" }
    }).then(answer).then(function (result) {
      say("");
      addChoice(result.image, true);
    }).catch(function (error) {
      say(error.message || data.msgUploadFailed, true);
    });
  }
  fileInput.addEventListener("change", function () {
    if (fileInput.files && fileInput.files[0]) { upload(fileInput.files[0]); }
  });

  function addChoice(image, first) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-label", (image.name || "") + " " + image.width + "×" + image.height);
    var img = document.createElement("img");
    img.src = image.thumb;
    img.alt = "";
    img.loading = "lazy";
    button.appendChild(img);
    button.addEventListener("click", function () { choose(image, button); });
    item.appendChild(button);
    if (first) {
      library.insertBefore(item, library.firstChild);
      choose(image, button);
    } else {
      library.appendChild(item);
    }
  }

  function loadLibrary() {
    if (!nextPage) { return; }
    fetch(data.libraryUrl + "?page=" + nextPage, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(answer).then(function (result) {
      result.images.forEach(function (image) { addChoice(image, false); });
      nextPage = result.next;
      more.hidden = !nextPage;
    }).catch(function (error) { say(error.message, true); });
  }
  more.addEventListener("click", loadLibrary);

  // Enter in the description or the Insert button; never a real submit (the page's form is
  // the article's).
  pictureForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = alt.value.trim();
    noneError.hidden = !!picked;
    altError.hidden = !!text;
    if (!picked || !text) {
      if (!text) {
        alt.setAttribute("aria-invalid", "true");
        alt.setAttribute("aria-describedby", "picture-alt-hint picture-alt-error");
      }
      if (picked) {
        fileInput.removeAttribute("aria-describedby");
      } else {
        fileInput.setAttribute("aria-describedby", "picture-none-error");
      }
      (picked ? alt : fileInput).focus();
      return;
    }
    edited = true;
    editor.exec("addImage", { imageUrl: picked.url, altText: text });
    dialog.close();
  });
  document.getElementById("picture-cancel").addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("close", function () { editor.focus(); });
})();
