/* kbgen: filter and sort the Reading list table in place.  No network, no data file.
 *
 * The rows are server-rendered (the page reads and is searched without JS); each
 * <tr> carries data-level, data-kind, data-year, data-topic (topic paths, one per
 * line), data-text and data-title.  They are read once into plain objects, so an
 * input event is one pass over an array: a row's `hidden` is set only when it
 * changes, and sorting re-appends the rows through one DocumentFragment.
 *
 * The filter lives in the URL query (?level=cult&kind=book&sort=year-desc&text=…):
 * a filtered list can be shared and survives a reload.  The URL is replaced, not
 * pushed, on each change, so the back button leaves the page instead of replaying
 * every keystroke.
 */
(function () {
  "use strict";

  var TOPIC_SEP = " \u203a ";
  var DEBOUNCE_MS = 150;

  function checked(form, name) {
    var out = [];
    form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      if (box.checked) out.push(box.value);
    });
    return out;
  }

  function number(form, name) {
    var input = form.elements[name];
    var value = input ? parseInt(input.value, 10) : NaN;
    return isNaN(value) ? null : value;
  }

  function value(form, name) {
    var input = form.elements[name];
    return input ? input.value : "";
  }

  function readRows(tbody) {
    var rows = [];
    for (var i = 0; i < tbody.rows.length; i++) {
      var el = tbody.rows[i];
      var d = el.dataset;
      var year = parseInt(d.year, 10);
      rows.push({
        el: el, order: i, shown: !el.hidden,
        level: d.level || "none", kind: d.kind || "",
        year: isNaN(year) ? null : year,
        topics: d.topic ? d.topic.split("\n") : [],
        text: d.text || "", title: d.title || ""
      });
    }
    return rows;
  }

  function topicMatches(topics, wanted) {
    if (!wanted) return true;
    var prefix = wanted + TOPIC_SEP;
    for (var i = 0; i < topics.length; i++) {
      if (topics[i] === wanted || topics[i].indexOf(prefix) === 0) return true;
    }
    return false;
  }

  /* The current filter as one object, read from the form once per event. */
  function criteria(form) {
    var levels = checked(form, "level");
    var kinds = checked(form, "kind");
    var words = value(form, "text").toLowerCase().split(/\s+/).filter(Boolean);
    return {
      levels: levels.length ? levels : null,
      kinds: kinds.length ? kinds : null,
      from: number(form, "year-from"),
      to: number(form, "year-to"),
      topic: value(form, "topic"),
      words: words
    };
  }

  function passes(row, c) {
    if (c.levels && c.levels.indexOf(row.level) < 0) return false;
    if (c.kinds && c.kinds.indexOf(row.kind) < 0) return false;
    if (c.from !== null || c.to !== null) {
      if (row.year === null) return false;
      if (c.from !== null && row.year < c.from) return false;
      if (c.to !== null && row.year > c.to) return false;
    }
    if (!topicMatches(row.topics, c.topic)) return false;
    for (var i = 0; i < c.words.length; i++) {
      if (row.text.indexOf(c.words[i]) < 0) return false;
    }
    return true;
  }

  function comparator(sort) {
    var collator = window.Intl ? new Intl.Collator(undefined, { sensitivity: "base", numeric: true }) : null;
    var byTitle = function (a, b) {
      return (collator ? collator.compare(a.title, b.title) : (a.title < b.title ? -1 : a.title > b.title ? 1 : 0)) ||
        a.order - b.order;
    };
    var desc = /-desc$/.test(sort) ? -1 : 1;
    if (/^year/.test(sort)) {
      return function (a, b) {
        if (a.year === b.year) return byTitle(a, b);
        if (a.year === null) return 1; /* rows without a year go last either way */
        if (b.year === null) return -1;
        return desc * (a.year - b.year);
      };
    }
    if (/^title/.test(sort)) return function (a, b) { return desc * byTitle(a, b); };
    return function (a, b) { return a.order - b.order; };
  }

  var FIELDS = ["level", "kind", "year-from", "year-to", "topic", "text", "sort"];

  /* Set the form from the URL query: checkboxes listed there are checked, the others
   * cleared; every other field takes its value or empties (the URL wins over whatever
   * the browser restored). */
  function fromUrl(form) {
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      if (boxes.length) {
        var wanted = params.getAll(name);
        boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
        return;
      }
      var input = form.elements[name];
      if (!input) return;
      var given = params.get(name) || "";
      if (input.tagName === "SELECT" && given &&
          !Array.prototype.some.call(input.options, function (o) { return o.value === given; })) {
        given = ""; /* an option this list does not have (an old link): show everything */
      }
      input.value = given;
    });
  }

  /* Write the form into the URL query (other parameters and the #fragment are kept). */
  function toUrl(form) {
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) { params["delete"](name); });
    FIELDS.forEach(function (name) {
      var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      if (boxes.length) {
        boxes.forEach(function (box) { if (box.checked) params.append(name, box.value); });
      } else if (value(form, name)) {
        params.set(name, value(form, name));
      }
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function setUp(table) {
    var root = table.closest("article") || document;
    var form = root.querySelector("form.kbgen-readings-filters");
    var shownCount = root.querySelector(".kbgen-readings-count .kbgen-shown");
    var tbody = table.tBodies[0];
    if (!form || !tbody) return;
    var rows = readRows(tbody);
    var sorted = "";
    var timer = null;

    function apply() {
      timer = null;
      var c = criteria(form);
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var show = passes(row, c);
        if (show !== row.shown) {
          row.el.hidden = !show;
          row.shown = show;
        }
        if (show) shown++;
      }
      var sort = value(form, "sort");
      if (sort !== sorted) {
        sorted = sort;
        var fragment = document.createDocumentFragment();
        rows.slice().sort(comparator(sort)).forEach(function (row) { fragment.appendChild(row.el); });
        tbody.appendChild(fragment);
      }
      if (shownCount) shownCount.textContent = String(shown);
      toUrl(form);
      form.dispatchEvent(new CustomEvent("kbgen:filtered", { detail: { shown: shown, total: rows.length } }));
    }

    function later() {
      if (timer !== null) window.clearTimeout(timer);
      timer = window.setTimeout(apply, DEBOUNCE_MS);
    }

    form.addEventListener("change", function (event) {
      if (event.target && event.target.type === "search") return; /* typed: already scheduled */
      if (timer !== null) window.clearTimeout(timer);
      apply();
    });
    form.addEventListener("input", function (event) {
      var type = event.target && event.target.type;
      if (type === "search" || type === "number") later();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    fromUrl(form); /* a shared or reloaded link: the URL says what to show */
    apply();
  }

  function start() {
    document.querySelectorAll(".kbgen-readings table").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
