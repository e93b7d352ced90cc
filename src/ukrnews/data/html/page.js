(function () {
  "use strict";
  var root = document.documentElement;
  var hushed = null;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var hovered = document.querySelectorAll(".att:hover");
      hushed = hovered.length ? hovered[hovered.length - 1] : null;
      root.classList.add("tips-off");
    }
  });
  document.addEventListener("focusin", function () {
    root.classList.remove("tips-off");
  });
  document.addEventListener("mouseover", function (event) {
    var target = event.target instanceof Element ? event.target.closest(".att") : null;
    if (target !== hushed) {
      root.classList.remove("tips-off");
    }
  });
  var mentions = document.querySelectorAll("[data-mention]");
  function highlight(id, on) {
    for (var i = 0; i < mentions.length; i += 1) {
      if (mentions[i].getAttribute("data-mention") === id) {
        mentions[i].classList.toggle("hl", on);
      }
    }
  }
  var rows = document.querySelectorAll("tr[data-entity]");
  Array.prototype.forEach.call(rows, function (row) {
    var id = row.getAttribute("data-entity");
    row.tabIndex = 0;
    row.addEventListener("mouseenter", function () { highlight(id, true); });
    row.addEventListener("mouseleave", function () { highlight(id, false); });
    row.addEventListener("focus", function () { highlight(id, true); });
    row.addEventListener("blur", function () { highlight(id, false); });
  });
  root.setAttribute("data-js", "ready");
}());
