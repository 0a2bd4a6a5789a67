/* kbgen: typeset math with KaTeX and draw mermaid diagrams, from the site's own files.
 *
 * The kbgen MkDocs plugin adds katex.min.js / mermaid.min.js (vendored, no CDN) only
 * to pages that need them; this script runs on every page and does nothing elsewhere.
 */
(function () {
  "use strict";

  var DELIMITERS = [["\\(", "\\)", false], ["\\[", "\\]", true], ["$$", "$$", true], ["$", "$", false]];

  /* "\(x\)" -> ["x", false]; "\[x\]" -> ["x", true]; bare text is display math in a block. */
  function unwrap(text, isBlock) {
    var t = text.trim();
    for (var i = 0; i < DELIMITERS.length; i++) {
      var d = DELIMITERS[i];
      if (t.length >= d[0].length + d[1].length && t.indexOf(d[0]) === 0 &&
          t.slice(-d[1].length) === d[1]) {
        return [t.slice(d[0].length, t.length - d[1].length), d[2] || isBlock];
      }
    }
    return [t, isBlock];
  }

  function typesetMath(root) {
    if (!window.katex) return;
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.getAttribute("data-kbgen-math")) return;
      var isBlock = el.tagName === "DIV" || el.classList.contains("arithmatex-block");
      var parts = unwrap(el.textContent || "", isBlock);
      try {
        window.katex.render(parts[0], el, { displayMode: parts[1], throwOnError: false });
        el.setAttribute("data-kbgen-math", "done");
      } catch (error) {
        el.setAttribute("data-kbgen-math", "error");
        el.title = String(error && error.message || error);
      }
    });
  }

  function colorScheme() {
    var scheme = document.body && document.body.getAttribute("data-md-color-scheme");
    return scheme === "slate" ? "dark" : "default";
  }

  /* Each <pre class="kbgen-mermaid"><code>src</code></pre> gets a <div> sibling for the
   * drawing; the source stays in the page (hidden) so a theme switch can redraw. */
  function drawDiagrams() {
    if (!window.mermaid) return;
    var blocks = document.querySelectorAll("pre.kbgen-mermaid");
    if (!blocks.length) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: colorScheme() });
    var nodes = [];
    blocks.forEach(function (pre) {
      var box = pre.nextElementSibling;
      if (!box || !box.classList.contains("kbgen-mermaid-diagram")) {
        box = document.createElement("div");
        box.className = "kbgen-mermaid-diagram";
        pre.parentNode.insertBefore(box, pre.nextSibling);
      }
      box.removeAttribute("data-processed");
      box.textContent = pre.textContent;
      pre.hidden = true;
      nodes.push(box);
    });
    window.mermaid.run({ nodes: nodes, suppressErrors: true }).catch(function (error) {
      if (window.console) window.console.warn("kbgen: mermaid failed", error);
    });
  }

  function watchColorScheme() {
    if (!window.MutationObserver || !document.body) return;
    var last = colorScheme();
    new MutationObserver(function () {
      var now = colorScheme();
      if (now !== last) {
        last = now;
        drawDiagrams();
      }
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  function start() {
    typesetMath(document);
    drawDiagrams();
    watchColorScheme();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
