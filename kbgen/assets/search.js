/* kbgen search: material's search box (kbgen/theme/partials/search.html) over Pagefind.
 *
 * Pagefind's own API (REL + "_kbgen/pagefind/pagefind.js", written by
 * kbgen.search_index.index_site) is imported on the first focus of the box, so a page
 * view that never searches fetches nothing; a query then fetches only the index chunks
 * of its words and the fragments of the results shown.  URLs are made from the page's
 * root (data-kbgen-root), so the site works under a sub-path and with no network.
 *
 * Markup contract for indexed pages (kbgen's templates):
 *   note:      <article data-pagefind-body data-pagefind-filter="kind:note"
 *                        data-pagefind-meta="title[data-kbgen-title]" data-kbgen-title="TITLE">
 *   generated: the same with kind:page (or no data-pagefind-body: not indexed at all)
 *   aliases as text inside the article (tags are in its .kbgen-tags line already):
 *              <div class="kbgen-search-terms" hidden data-pagefind-weight="7">Alias · Other alias</div>
 *   Backlinks, Related notes, the graph: data-pagefind-ignore.
 * Notes are listed before generated pages: one Pagefind search per kind, notes first.
 * Container state for tests: data-kbgen-search-state = idle | loading | done | error.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10, SUB_RESULTS = 2, DEBOUNCE = 120;

  function start(box) {
    var root = box.getAttribute("data-kbgen-root") || "./";
    var bundle = box.getAttribute("data-kbgen-pagefind") || "_kbgen/pagefind/";
    var input = box.querySelector("input");
    var form = box.querySelector("form");
    var list = box.querySelector(".md-search-result__list");
    var meta = box.querySelector(".md-search-result__meta");
    var toggle = document.getElementById("__search");
    var placeholder = meta ? meta.textContent : "";
    var api = null, seq = 0, timer = 0, pending = [], shown = 0;

    function state(s) { box.setAttribute("data-kbgen-search-state", s); }
    state("idle");

    function load() {
      if (!api) {
        var url = new URL(root + bundle + "pagefind.js", document.baseURI).href;
        api = import(url).then(function (pf) {
          return Promise.resolve(pf.options({
            baseUrl: "/",
            excerptLength: 24,
          })).then(function () { return shards(pf, url); })
            .then(function () { return pf.init && pf.init(); })
            .then(function () { return pf.filters ? pf.filters() : {}; })
            .then(function (filters) { return { pf: pf, kinds: !!(filters && filters.kind) }; });
        });
        api.catch(function () { api = null; });
      }
      return api;
    }

    /* A large site's index comes in shards (kbgen/search_index.py): the main bundle lists
     * the others in shards.json, and each is merged into the one search. */
    function shards(pf, mainUrl) {
      return fetch(new URL("shards.json", mainUrl).href).then(function (r) {
        return r.ok ? r.json() : [];
      }).catch(function () { return []; }).then(function (list) {
        return list.reduce(function (done, path) {
          return done.then(function () { return pf.mergeIndex(new URL(path, mainUrl).href, {baseUrl: "/"}); });
        }, Promise.resolve());
      });
    }

    /* Pagefind's URLs are raw site paths ("/C# & Co/"): percent-encode each segment and
     * put the site's own root in front (the site may live under a sub-path). */
    var rootPath = new URL(root, document.baseURI).pathname;
    function href(raw, anchor) {
      var path = String(raw || "").replace(/^\//, "").split("/").map(encodeURIComponent).join("/");
      return rootPath + path + (anchor ? "#" + encodeURIComponent(anchor) : "");
    }

    function open(on) {
      if (toggle && toggle.checked !== on) {
        toggle.checked = on;
        toggle.dispatchEvent(new Event("change"));
      }
    }

    /* Pagefind's excerpt is text with <mark>; rebuild it from text nodes and marks only. */
    function excerptNode(html) {
      var p = document.createElement("p");
      var doc = new DOMParser().parseFromString("<div>" + (html || "") + "</div>", "text/html");
      doc.body.firstChild.childNodes.forEach(function (n) {
        if (n.nodeName === "MARK") {
          var m = document.createElement("mark");
          m.textContent = n.textContent;
          p.appendChild(m);
        } else {
          p.appendChild(document.createTextNode(n.textContent));
        }
      });
      return p;
    }

    function item(data, kind) {
      var li = document.createElement("li");
      li.className = "md-search-result__item kbgen-search-result__item";
      li.setAttribute("data-kbgen-kind", kind);
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = href(data.url);
      var art = document.createElement("article");
      art.className = "md-search-result__article md-typeset";
      var h = document.createElement("h1");
      var title = (data.meta && data.meta.title) || data.url;
      h.textContent = title;
      if (kind === "page") {
        var badge = document.createElement("span");
        badge.className = "kbgen-search-badge";
        badge.textContent = "page";
        h.appendChild(badge);
      }
      art.appendChild(h);
      art.appendChild(excerptNode(data.excerpt));
      a.appendChild(art);
      li.appendChild(a);
      (data.sub_results || []).filter(function (s) {
        return s.anchor && s.anchor.id && s.title && s.title !== title;
      }).slice(0, SUB_RESULTS).forEach(function (s) {
        var sa = document.createElement("a");
        sa.className = "md-search-result__link kbgen-search-sub";
        sa.href = href(data.url, s.anchor.id);
        var sart = document.createElement("article");
        sart.className = "md-search-result__article md-typeset";
        var sh = document.createElement("h2");
        sh.textContent = s.title;
        sart.appendChild(sh);
        sart.appendChild(excerptNode(s.excerpt));
        sa.appendChild(sart);
        li.appendChild(sa);
      });
      return li;
    }

    function showMore(my) {
      var batch = pending.slice(shown, shown + PAGE_SIZE);
      return Promise.all(batch.map(function (r) {
        return r.result.data().then(function (d) { return item(d, r.kind); });
      })).then(function (items) {
        if (my !== seq) return;
        var more = list.querySelector(".kbgen-search-more");
        if (more) more.remove();
        items.forEach(function (li) { list.appendChild(li); });
        shown += batch.length;
        if (shown < pending.length) {
          var li = document.createElement("li");
          li.className = "md-search-result__item kbgen-search-more";
          var b = document.createElement("button");
          b.type = "button";
          b.className = "md-search-result__more";
          b.textContent = "Show " + Math.min(PAGE_SIZE, pending.length - shown) + " more";
          b.addEventListener("click", function () { showMore(my); });
          li.appendChild(b);
          list.appendChild(li);
        }
      });
    }

    function run(query) {
      var my = ++seq;
      list.replaceChildren();
      pending = [];
      shown = 0;
      if (!query.trim()) {
        meta.textContent = placeholder;
        state("idle");
        return;
      }
      state("loading");
      load().then(function (x) {
        var searches = x.kinds
          ? [x.pf.search(query, { filters: { kind: "note" } }), x.pf.search(query, { filters: { kind: "page" } })]
          : [x.pf.search(query)];
        return Promise.all(searches);
      }).then(function (found) {
        if (my !== seq) return;
        var kinds = found.length === 2 ? ["note", "page"] : ["note"];
        found.forEach(function (f, i) {
          ((f && f.results) || []).forEach(function (r) { pending.push({ result: r, kind: kinds[i] }); });
        });
        meta.textContent = pending.length === 0 ? "No matching notes" :
          pending.length === 1 ? "1 matching page" : pending.length + " matching pages";
        return showMore(my).then(function () {
          if (my === seq) {
            box.setAttribute("data-kbgen-search-count", String(pending.length));
            state("done");
          }
        });
      }).catch(function (err) {
        if (my !== seq) return;
        meta.textContent = "Search is not available on this site.";
        state("error");
        if (window.console) console.error("kbgen search:", err);
      });
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link, button"));
    }

    input.addEventListener("focus", function () { open(true); load(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      seq++; // results of an earlier query must not land now
      state("pending");
      timer = setTimeout(function () { run(input.value); }, DEBOUNCE);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var first = list.querySelector("a.md-search-result__link");
      if (first) window.location.href = first.href;
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { run(""); input.focus(); }, 0);
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked && document.activeElement !== input) input.focus();
      });
    }
    box.addEventListener("keydown", function (ev) {
      var all = links(), i = all.indexOf(document.activeElement);
      if (ev.key === "Escape") {
        open(false);
        input.blur();
      } else if (ev.key === "ArrowDown" && all.length) {
        ev.preventDefault();
        all[Math.min(i + 1, all.length - 1)].focus();
      } else if (ev.key === "ArrowUp" && i >= 0) {
        ev.preventDefault();
        (i === 0 ? input : all[i - 1]).focus();
      }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var t = ev.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (!typing && (ev.key === "/" || ev.key === "s")) {
        ev.preventDefault();
        input.focus();
      }
    });
  }

  function init() {
    document.querySelectorAll("[data-kbgen-search]").forEach(function (box) {
      if (!box.kbgenSearch) {
        box.kbgenSearch = true;
        start(box);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
