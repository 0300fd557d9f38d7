(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var grid = document.getElementById("grid");
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var sorted = { key: null, dir: 1 };

  function bodies() {
    return Array.prototype.slice.call(grid.tBodies);
  }

  function setOpen(body, open) {
    body.classList.toggle("open", open);
    var toggle = body.querySelector(".toggle");
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) mark(body, null);
  }

  // Outlines one exercise, in the grid row and in the details.
  function mark(body, ex) {
    var marked = body.querySelectorAll(".focus");
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("focus");
    body.removeAttribute("data-focus");
    if (ex === null) return;
    body.setAttribute("data-focus", ex);
    var found = body.querySelectorAll('[data-ex="' + ex + '"]');
    for (var j = 0; j < found.length; j++) found[j].classList.add("focus");
    var item = body.querySelector('.detail [data-ex="' + ex + '"]');
    if (!item) return;
    var output = item.querySelector("details.output");
    if (output) output.open = true;
    if (item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
  }

  // What a submission sorts by: data-name or data-score, or for key "e<i>" the rank of its
  // verdict of exercise i, the i-th number of data-ranks.
  function value(body, key) {
    if (key.charAt(0) !== "e") return body.getAttribute("data-" + key);
    return body.getAttribute("data-ranks").split(" ")[Number(key.slice(1))];
  }

  function sortBy(button) {
    var key = button.getAttribute("data-sort");
    var th = button.parentNode;
    var dir = sorted.key === key ? -sorted.dir : (th.getAttribute("data-first") === "desc" ? -1 : 1);
    sorted = { key: key, dir: dir };
    var list = bodies();
    list.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      var order = key === "name" ? collator.compare(x, y) : Number(x) - Number(y);
      if (order === 0) order = key === "name" ? 0 : dir * collator.compare(a.getAttribute("data-name"), b.getAttribute("data-name"));
      if (order === 0) order = dir * (Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index")));
      return dir * order;
    });
    var end = grid.tFoot;
    list.forEach(function (body) { grid.insertBefore(body, end); });
    var heads = grid.tHead.querySelectorAll("th");
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  }

  grid.addEventListener("click", function (event) {
    var target = event.target;
    var sortButton = target.closest("thead [data-sort]");
    if (sortButton) {
      sortBy(sortButton);
      return;
    }
    var row = target.closest("tr.row");
    if (!row) return;
    var body = row.parentNode;
    var cell = target.closest("td[data-ex]");
    var ex = cell ? cell.getAttribute("data-ex") : null;
    var open = body.classList.contains("open");
    if (open && ex !== null && body.getAttribute("data-focus") !== ex) {
      mark(body, ex);
      return;
    }
    setOpen(body, !open);
    if (!open) mark(body, ex);
  });

  // report.html#s3 opens the fourth submission's details, scrolled to below the sticky header.
  var margin = (grid.tHead ? grid.tHead.offsetHeight : 0) + 8 + "px";
  bodies().forEach(function (body) { body.style.scrollMarginTop = margin; });
  function openFromHash() {
    var id = location.hash.slice(1);
    var body = id && document.getElementById(id);
    if (body && body.parentNode === grid) setOpen(body, true);
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  document.body.dataset.ready = "yes";
})();
