/* kbgen: pan and zoom a JSON Canvas board.  No network, no library.
 *
 * The board is server-rendered at full size (cards absolutely placed, edges in SVG) and
 * scrolls without script.  Here the viewport gets a fixed height and the board a CSS
 * transform: drag to pan, wheel to pan (Ctrl/Cmd + wheel, or pinch, to zoom at the
 * pointer), the toolbar's + − Fit 1:1, and the keyboard (arrows, + − 0) when the board
 * has focus.  The board first fits in view.  Links inside cards still work: a press
 * that does not move is a click.
 */
(function () {
  "use strict";

  var MIN = 0.05;
  var MAX = 4;
  var STEP = 1.25;
  var DRAG_SLOP = 4; /* px a press may move and still be a click */

  function setUp(root) {
    var viewport = root.querySelector(".kbgen-canvas-viewport");
    var world = root.querySelector(".kbgen-canvas-world");
    var toolbar = root.querySelector(".kbgen-canvas-toolbar");
    var label = root.querySelector(".kbgen-canvas-zoom");
    var width = parseFloat(root.getAttribute("data-width")) || 1;
    var height = parseFloat(root.getAttribute("data-height")) || 1;
    var view = { x: 0, y: 0, scale: 1 };
    var pointers = {};
    var drag = null;

    function apply() {
      world.style.transform = "translate(" + view.x + "px, " + view.y + "px) scale(" + view.scale + ")";
      if (label) label.textContent = Math.round(view.scale * 100) + "%";
    }

    function clamp(value) {
      return Math.min(MAX, Math.max(MIN, value));
    }

    function zoomAt(factor, cx, cy) {
      var next = clamp(view.scale * factor);
      view.x = cx - (cx - view.x) * (next / view.scale);
      view.y = cy - (cy - view.y) * (next / view.scale);
      view.scale = next;
      apply();
    }

    function centre() {
      return { x: viewport.clientWidth / 2, y: viewport.clientHeight / 2 };
    }

    function fit() {
      var w = viewport.clientWidth || width;
      var h = viewport.clientHeight || height;
      view.scale = clamp(Math.min(w / width, h / height, 1));
      view.x = (w - width * view.scale) / 2;
      view.y = (h - height * view.scale) / 2;
      apply();
    }

    function local(event) {
      var box = viewport.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    viewport.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = local(event);
      if (event.ctrlKey || event.metaKey) {
        zoomAt(Math.exp(-event.deltaY * 0.002), at.x, at.y);
      } else {
        view.x -= event.deltaX;
        view.y -= event.deltaY;
        apply();
      }
    }, { passive: false });

    viewport.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 && event.pointerType === "mouse") return;
      pointers[event.pointerId] = local(event);
      var ids = Object.keys(pointers);
      if (ids.length === 1) {
        drag = { start: local(event), x: view.x, y: view.y, moved: false, id: event.pointerId };
      } else if (ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        drag = { pinch: Math.hypot(a.x - b.x, a.y - b.y), scale: view.scale, moved: true };
      }
    });

    viewport.addEventListener("pointermove", function (event) {
      if (!(event.pointerId in pointers) || !drag) return;
      pointers[event.pointerId] = local(event);
      var ids = Object.keys(pointers);
      if (drag.pinch && ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var distance = Math.hypot(a.x - b.x, a.y - b.y) || 1;
        zoomAt(clamp(drag.scale * distance / drag.pinch) / view.scale, (a.x + b.x) / 2, (a.y + b.y) / 2);
        return;
      }
      var at = local(event);
      var dx = at.x - drag.start.x, dy = at.y - drag.start.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < DRAG_SLOP) return;
      if (!drag.moved) {
        drag.moved = true;
        viewport.setPointerCapture(event.pointerId);
        viewport.classList.add("kbgen-canvas-dragging");
        var selection = window.getSelection && window.getSelection();
        if (selection) selection.removeAllRanges(); /* a drag pans; it does not select text */
      }
      view.x = drag.x + dx;
      view.y = drag.y + dy;
      apply();
    });

    function release(event) {
      delete pointers[event.pointerId];
      if (Object.keys(pointers).length === 0) {
        viewport.classList.remove("kbgen-canvas-dragging");
        if (drag && drag.moved) {
          /* a drag is not a click on the link under the pointer */
          viewport.addEventListener("click", function swallow(click) {
            click.preventDefault();
            click.stopPropagation();
          }, { capture: true, once: true });
          window.setTimeout(function () { drag = null; }, 0);
        } else {
          drag = null;
        }
      }
    }
    viewport.addEventListener("pointerup", release);
    viewport.addEventListener("pointercancel", release);

    viewport.addEventListener("keydown", function (event) {
      var c = centre();
      var keys = {
        "+": function () { zoomAt(STEP, c.x, c.y); },
        "=": function () { zoomAt(STEP, c.x, c.y); },
        "-": function () { zoomAt(1 / STEP, c.x, c.y); },
        "0": fit,
        ArrowLeft: function () { view.x += 40; apply(); },
        ArrowRight: function () { view.x -= 40; apply(); },
        ArrowUp: function () { view.y += 40; apply(); },
        ArrowDown: function () { view.y -= 40; apply(); }
      };
      if (event.target !== viewport || !(event.key in keys)) return;
      event.preventDefault();
      keys[event.key]();
    });

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-canvas]");
      if (!button) return;
      var c = centre();
      var action = button.getAttribute("data-canvas");
      if (action === "zoom-in") zoomAt(STEP, c.x, c.y);
      else if (action === "zoom-out") zoomAt(1 / STEP, c.x, c.y);
      else if (action === "fit") fit();
      else if (action === "actual") zoomAt(1 / view.scale, c.x, c.y);
    });

    root.classList.add("kbgen-canvas-live");
    toolbar.hidden = false;
    fit();
    root.kbgenCanvas = { view: view, fit: fit, zoomAt: zoomAt };
  }

  function start() {
    document.querySelectorAll(".kbgen-canvas").forEach(function (root) {
      if (!root.kbgenCanvas) setUp(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
