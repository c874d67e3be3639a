// Tag suggestions for a comma-separated field. The browser's <datalist> matches the whole value,
// so once one tag is typed it suggests nothing; this rewrites each suggestion as the tags already
// typed plus one more. Without JavaScript the list still suggests the first tag.
(function () {
  "use strict";
  document.querySelectorAll("input[data-tag-input][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    var names = Array.prototype.map.call(list.options, function (option) {
      return option.value;
    });
    function refresh() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      var head = cut < 0 ? "" : value.slice(0, cut + 1) + " ";
      var typed = head.split(",").map(function (name) {
        return name.trim().toLocaleLowerCase("vi");
      });
      list.textContent = "";
      names.forEach(function (name) {
        if (typed.indexOf(name.toLocaleLowerCase("vi")) >= 0) {
          return;
        }
        var option = document.createElement("option");
        option.value = head + name;
        list.appendChild(option);
      });
    }
    input.addEventListener("input", refresh);
    refresh();
  });
})();
