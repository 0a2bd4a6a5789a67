/* kbgen folder explorer: draws the vault's folders and notes in the sidebar from
 * _kbgen/tree.json (one file for the whole site, fetched once per page from the
 * browser's cache) instead of every page carrying the whole navigation.
 * Folders open lazily; the current note's folders start open, the note is marked. */
(function () {
  "use strict";
  var box = document.querySelector(".kbgen-explorer");
  if (!box || !window.fetch) return;
  var root = new URL(box.getAttribute("data-kbgen-root") || "./", document.baseURI);
  var here = location.href.split("#")[0].split("?")[0];

  function abs(url) { return new URL(url, root).href; }
  function same(url) {
    var a = abs(url), b = here;
    if (a === b) return true;
    return a.replace(/index\.html$/, "") === b.replace(/index\.html$/, "");
  }
  function contains(node) {
    if (node.u !== undefined && same(node.u)) return true;
    for (var i = 0; i < node.f.length; i++) if (same(node.f[i][1])) return true;
    for (var j = 0; j < node.d.length; j++) if (contains(node.d[j])) return true;
    return false;
  }
  function link(text, url, cls) {
    var a = document.createElement("a");
    a.href = abs(url);
    a.textContent = text;
    a.className = "kbgen-explorer__link" + (cls ? " " + cls : "");
    if (same(url)) { a.setAttribute("aria-current", "page"); a.classList.add("kbgen-explorer__link--active"); }
    return a;
  }
  function fill(list, node) {
    node.d.forEach(function (sub) { list.appendChild(folder(sub)); });
    node.f.forEach(function (note) {
      var li = document.createElement("li");
      li.className = "kbgen-explorer__note";
      li.appendChild(link(note[0], note[1]));
      list.appendChild(li);
    });
  }
  function folder(node) {
    var li = document.createElement("li");
    li.className = "kbgen-explorer__folder";
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.appendChild(document.createTextNode(node.n + " "));
    var count = document.createElement("span");
    count.className = "kbgen-count";
    count.textContent = String(node.f.length);
    summary.appendChild(count);
    details.appendChild(summary);
    var list = document.createElement("ul");
    details.appendChild(list);
    var filled = false;
    function open() {
      if (filled) return;
      filled = true;
      var li2 = document.createElement("li");
      li2.className = "kbgen-explorer__folder-page";
      li2.appendChild(link("Folder page", node.u, "kbgen-explorer__folder-link"));
      list.appendChild(li2);
      fill(list, node);
    }
    details.addEventListener("toggle", function () { if (details.open) open(); });
    if (contains(node)) { details.open = true; open(); }
    li.appendChild(details);
    return li;
  }
  fetch(new URL("_kbgen/tree.json", root).href).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (tree) {
    var title = document.createElement("p");
    title.className = "kbgen-explorer__title";
    title.textContent = "Notes";
    var list = document.createElement("ul");
    list.className = "kbgen-explorer__list";
    fill(list, tree);
    box.textContent = "";
    box.appendChild(title);
    box.appendChild(list);
  }).catch(function () { /* the nav above and the folder pages still lead everywhere */ });
})();
