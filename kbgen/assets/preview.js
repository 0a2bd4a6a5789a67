/* kbgen hover previews: hovering (or keyboard-focusing) an internal link in the page
 * content shows a popover with the target page's article, scrolled to the heading or
 * block the link's #fragment names.
 *
 * Only the target page itself is fetched (same origin, its relative href), parsed once
 * with DOMParser and cached for the life of the page: no site-wide index.  Links to
 * notes not written yet (a.kbgen-missing) preview their "not written yet" page.
 * Escape closes; touch input (pointer: coarse / touchstart) never opens a popover, so
 * none can get stuck.  The popover is div.kbgen-preview, with data-kbgen-preview-url
 * (the fetched page) and data-kbgen-preview-target (the fragment it scrolled to, when
 * found), for tests.
 */
(function () {
  "use strict";

  var CONTENT = "[data-kbgen-preview-scope], article.md-content__inner, .md-content article";
  // Only kbgen's own pages are previewed: a page without one of these (a clipped .html
  // attachment, a foreign page on the same host) is not shown.
  var SOURCE_BODY = ["[data-kbgen-preview-body]", "article.md-content__inner"];
  var SITE_PAGE = "script#__config, script[data-kbgen-page]";
  var DROP = ["script", "style", "object", "embed", "form", "#backlinks", ".kbgen-backlinks", ".kbgen-related", ".kbgen-graph", ".kbgen-local-graph", ".kbgen-breadcrumbs",
    ".headerlink", ".md-content__button", ".md-source-file", "[data-kbgen-preview-drop]", "iframe"];
  var SKIP_LINKS = ".headerlink, .md-content__button, .footnote-ref, .footnote-backref, .kbgen-graph a";
  var OPEN_DELAY = 350, CLOSE_DELAY = 250, TOUCH_GRACE = 1500;
  var cache = new Map(); // page URL (no fragment) -> Promise<Element>
  var popover = null, current = null, openTimer = 0, closeTimer = 0, lastTouch = 0, seq = 0;

  function coarse() {
    return (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) ||
      Date.now() - lastTouch < TOUCH_GRACE;
  }

  /* The page a link leads to, or null when it is not a previewable internal page. */
  function targetOf(a) {
    if (!a || !a.getAttribute || a.closest(SKIP_LINKS) || a.closest(".kbgen-preview")) return null;
    if (!a.closest(CONTENT)) return null;
    var raw = a.getAttribute("href");
    if (!raw || raw.charAt(0) === "#" || a.hasAttribute("download")) return null;
    var url;
    try { url = new URL(raw, document.baseURI); } catch (e) { return null; }
    if (url.origin !== location.origin || !/^https?:$/.test(url.protocol)) return null;
    var last = url.pathname.split("/").pop();
    if (last && !/\.html?$/i.test(last)) return null; // an attachment (pdf, png...), not a page
    var page = url.href.split("#")[0];
    if (page === location.href.split("#")[0]) return null;
    return { page: page, fragment: url.hash ? url.hash.slice(1) : "" };
  }

  function decode(fragment) {
    try { return decodeURIComponent(fragment); } catch (e) { return fragment; }
  }

  /* Relative href/src in the fetched page are relative to that page, not to this one. */
  function absolutise(root, base) {
    root.querySelectorAll("[href], [src]").forEach(function (e) {
      ["href", "src"].forEach(function (attr) {
        var v = e.getAttribute(attr);
        if (v === null) return;
        try { e.setAttribute(attr, new URL(v, base).href); } catch (err) { /* leave as is */ }
      });
    });
    root.querySelectorAll("[srcset]").forEach(function (e) { e.removeAttribute("srcset"); });
  }

  /* kbgen's pages are sanitised already; drop handlers and script URLs all the same. */
  function inert(root) {
    [root].concat(Array.prototype.slice.call(root.querySelectorAll("*"))).forEach(function (e) {
      Array.prototype.slice.call(e.attributes).forEach(function (a) {
        if (/^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) &&
            /^\s*(javascript|vbscript|data):/i.test(a.value) && !/^\s*data:image\//i.test(a.value))) {
          e.removeAttribute(a.name);
        }
      });
    });
  }

  function loadPage(page) {
    if (!cache.has(page)) {
      cache.set(page, fetch(page, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + page);
        return r.text();
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var body = null;
        for (var i = 0; i < SOURCE_BODY.length && !body; i++) body = doc.querySelector(SOURCE_BODY[i]);
        // A <script> proves the page is the site's own: user HTML (clipped pages, raw HTML
        // in notes) is sanitised and can hold none, even if it copies kbgen's classes.
        if (!body || !doc.querySelector(SITE_PAGE)) throw new Error("not a page of this site: " + page);
        var clone = document.importNode(body, true);
        clone.querySelectorAll(DROP.join(",")).forEach(function (e) { e.remove(); });
        inert(clone);
        absolutise(clone, page);
        return clone;
      }));
      cache.get(page).catch(function () { cache.delete(page); });
    }
    return cache.get(page);
  }

  function ensurePopover() {
    if (popover) return popover;
    popover = document.createElement("div");
    popover.className = "kbgen-preview md-typeset";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-modal", "false");
    popover.hidden = true;
    popover.addEventListener("mouseenter", function () { clearTimeout(closeTimer); });
    popover.addEventListener("mouseleave", function () { scheduleClose(); });
    document.body.appendChild(popover);
    return popover;
  }

  function place(box, link) {
    var r = link.getBoundingClientRect();
    var width = Math.min(560, document.documentElement.clientWidth - 16);
    box.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
    var below = window.innerHeight - r.bottom, above = r.top;
    var height = Math.min(box.scrollHeight, 360);
    var top = below >= height + 12 || below >= above ? r.bottom + 6 : r.top - height - 6;
    box.style.left = left + window.scrollX + "px";
    box.style.top = Math.max(4, top) + window.scrollY + "px";
  }

  function scrollToFragment(box, content, fragment) {
    box.removeAttribute("data-kbgen-preview-target");
    var target = null;
    if (fragment) {
      var id = decode(fragment);
      target = content.querySelector('[id="' + id.replace(/["\\]/g, "\\$&") + '"]');
    }
    content.querySelectorAll("[id]").forEach(function (e) { // no duplicate ids in this page
      e.setAttribute("data-kbgen-id", e.id);
      e.removeAttribute("id");
    });
    if (target) {
      target.classList.add("kbgen-preview-target");
      box.setAttribute("data-kbgen-preview-target", decode(fragment));
      box.scrollTop = target.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
    } else {
      box.scrollTop = 0;
    }
  }

  function open(link, target) {
    var my = ++seq;
    current = link;
    loadPage(target.page).then(function (content) {
      if (my !== seq || current !== link) return;
      var box = ensurePopover();
      var copy = content.cloneNode(true);
      box.replaceChildren(copy);
      box.setAttribute("data-kbgen-preview-url", target.page);
      var title = copy.querySelector("h1");
      box.setAttribute("aria-label", "Preview: " + (title ? title.textContent.replace(/¶$/, "").trim() : link.textContent));
      box.hidden = false;
      place(box, link);
      scrollToFragment(box, copy, target.fragment);
      link.setAttribute("aria-expanded", "true");
    }).catch(function (err) {
      if (window.console) console.warn("kbgen preview:", err);
    });
  }

  function close() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    seq++;
    if (current) current.removeAttribute("aria-expanded");
    current = null;
    if (popover) {
      popover.hidden = true;
      popover.replaceChildren();
    }
  }

  function scheduleClose() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(close, CLOSE_DELAY);
  }

  function scheduleOpen(link, delay) {
    var target = targetOf(link);
    if (!target) return;
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (current === link && popover && !popover.hidden) return;
    openTimer = setTimeout(function () { open(link, target); }, delay);
  }

  document.addEventListener("touchstart", function () {
    lastTouch = Date.now();
    close();
  }, { passive: true, capture: true });

  document.addEventListener("mouseover", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || coarse()) return;
    scheduleOpen(a, OPEN_DELAY);
  });

  document.addEventListener("mouseout", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || (ev.relatedTarget && a.contains(ev.relatedTarget))) return;
    clearTimeout(openTimer);
    if (current === a) scheduleClose();
  });

  document.addEventListener("focusin", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (a && !coarse()) scheduleOpen(a, 150);
    else if (popover && !popover.contains(ev.target)) scheduleClose();
  });

  document.addEventListener("focusout", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (a && a === current && !(ev.relatedTarget && popover && popover.contains(ev.relatedTarget))) scheduleClose();
    else if (a) clearTimeout(openTimer);
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && popover && !popover.hidden) {
      var back = current, inside = popover.contains(document.activeElement);
      close();
      if (back && inside) back.focus();
    }
  });

  document.addEventListener("click", function (ev) {
    if (popover && !popover.hidden && !popover.contains(ev.target)) close();
  });

  window.addEventListener("pagehide", close);
})();
