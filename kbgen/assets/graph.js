/* kbgen graph view: a local graph on note pages and the global graph page.
 *
 * Containers (written by kbgen's templates; REL is the relative URL from the page to the
 * site root, e.g. "../../"):
 *   <div class="kbgen-graph" data-kbgen-node="ID" data-kbgen-root="REL"></div>       local
 *   <div class="kbgen-graph kbgen-graph-global" data-kbgen-root="REL"></div>          global
 * Data: REL + "_kbgen/graph/global.json" and REL + "_kbgen/graph/local/ID.json"
 * (format in kbgen/site/graph_data.py).  A node's ID is a short string that depends on the
 * node's key only; every node row is [id, title, url, kind, backlinks] and edges are pairs
 * of indexes into the file's own node list.  The vendored force-graph (canvas + d3-force) is
 * loaded only once a container comes near the viewport, so a note page that is never
 * scrolled to its graph fetches neither the library nor the data.  The simulation stops
 * once settled (cooldown), after which the canvas is redrawn only on interaction.
 *
 * State for tests and the benchmark: the container's data-kbgen-state goes
 * "loading" -> "drawn" (first frame painted) -> "settled" (simulation stopped), or
 * "error" (data-kbgen-drawn-ms / data-kbgen-settled-ms: performance.now() at those
 * moments); data-kbgen-count is the number of nodes drawn; element.kbgenGraph exposes
 * {graph, nodes} (the ForceGraph instance and the drawn node objects).
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript && document.currentScript.src;
  var LIB = SCRIPT ? new URL("vendor/force-graph/force-graph.min.js", SCRIPT).href : null;
  var KIND = ["note", "missing", "tag", "reading"];
  var LOCAL_MAX_NODES = 500; // depth 2 keeps the most linked nodes past this
  var MAX_FIT_ZOOM = 3;
  var LABEL_SCALE = { local: 0.6, global: 2.2 }; // zoom from which every label is drawn
  var libPromise = null;
  var dataCache = new Map();

  function loadLibrary() {
    if (window.ForceGraph) return Promise.resolve(window.ForceGraph);
    if (!libPromise) {
      libPromise = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = LIB;
        s.async = true;
        s.onload = function () { resolve(window.ForceGraph); };
        s.onerror = function () { reject(new Error("cannot load " + LIB)); };
        document.head.appendChild(s);
      });
    }
    return libPromise;
  }

  function fetchJson(url) {
    if (!dataCache.has(url)) {
      dataCache.set(url, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      }));
    }
    return dataCache.get(url);
  }

  function siteUrl(root, path) {
    return new URL(root + path, document.baseURI).href;
  }

  /* Colours come from CSS custom properties on the container (graph.css), so material's
   * light and dark (slate) palettes both apply; re-read when the scheme changes. */
  function readColors(el) {
    var cs = getComputedStyle(el);
    function v(name, fallback) { return (cs.getPropertyValue(name) || "").trim() || fallback; }
    return {
      note: v("--kbgen-graph-note", "#3f51b5"),
      missing: v("--kbgen-graph-missing", "#c62828"),
      tag: v("--kbgen-graph-tag", "#2e7d32"),
      reading: v("--kbgen-graph-reading", "#ef6c00"),
      link: v("--kbgen-graph-link", "rgba(0,0,0,0.2)"),
      linkHi: v("--kbgen-graph-link-hi", "rgba(0,0,0,0.7)"),
      linkFaint: v("--kbgen-graph-link-faint", "rgba(0,0,0,0.06)"),
      text: v("--kbgen-graph-text", "#222"),
      current: v("--kbgen-graph-current", "#ff4081"),
      bg: v("--kbgen-graph-bg", "#fff"),
    };
  }

  function radius(node) {
    return 2.5 + Math.min(12, Math.sqrt(node.backlinks) * 1.6);
  }

  /* Pulls every node gently to the centre, so notes without links stay in view. */
  function gravity(strength) {
    var nodes = [];
    function force(alpha) {
      for (var i = 0; i < nodes.length; i++) {
        nodes[i].vx -= nodes[i].x * strength * alpha;
        nodes[i].vy -= nodes[i].y * strength * alpha;
      }
    }
    force.initialize = function (ns) { nodes = ns; };
    return force;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function checkbox(bar, name, label, checked) {
    var lab = el("label", { class: "kbgen-graph-toggle" });
    var box = el("input", { type: "checkbox", name: name });
    box.checked = checked;
    lab.appendChild(box);
    lab.appendChild(document.createTextNode(" " + label));
    bar.appendChild(lab);
    return box;
  }

  /* One graph view in one container. */
  function GraphView(container) {
    this.container = container;
    this.root = container.getAttribute("data-kbgen-root") || "./";
    this.global = container.classList.contains("kbgen-graph-global");
    var center = container.getAttribute("data-kbgen-node");
    this.center = center === null || center === "" ? null : center;
    this.nodes = new Map(); // id -> node object (kept across redraws: positions stay)
    this.edges = new Map(); // "a b" (ids, a < b) -> [a, b]
    this.depth = new Map(); // id -> distance from the centre (local graph)
    this.highlight = null; // Set of ids near the hovered node
    this.hovered = null;
  }

  GraphView.prototype.start = function () {
    var self = this, c = this.container;
    c.setAttribute("data-kbgen-state", "loading");
    c.setAttribute("role", "figure");
    c.setAttribute("aria-label", this.global ? "Graph of all notes" : "Graph of this note's links");
    var bar = el("div", { class: "kbgen-graph-bar" });
    if (!this.global) this.depthBox = checkbox(bar, "depth2", "depth 2", false);
    this.tagBox = checkbox(bar, "tags", "tags", false);
    this.readingBox = checkbox(bar, "readings", "readings", false);
    this.status = el("span", { class: "kbgen-graph-status", "aria-live": "polite" });
    bar.appendChild(this.status);
    this.canvasBox = el("div", { class: "kbgen-graph-canvas" });
    c.appendChild(bar);
    c.appendChild(this.canvasBox);
    bar.addEventListener("change", function () { self.refresh(); });

    var data = this.global
      ? fetchJson(siteUrl(this.root, "_kbgen/graph/global.json")).then(function (d) { self.addGlobal(d); })
      : this.fetchLocal(this.center, 1);
    return Promise.all([loadLibrary(), data]).then(function (res) {
      self.draw(res[0]);
    }).catch(function (err) {
      c.setAttribute("data-kbgen-state", "error");
      self.status.textContent = "graph unavailable";
      if (window.console) console.error("kbgen graph:", err);
    });
  };

  /* rec: one node row of a data file, [id, title, url, kind, backlinks]. */
  GraphView.prototype.addNode = function (rec, depth) {
    var id = String(rec[0]), n = this.nodes.get(id);
    if (!n) {
      n = { id: id, title: rec[1], url: rec[2], kind: KIND[rec[3]] || "note", backlinks: rec[4] };
      this.nodes.set(id, n);
    }
    if (depth !== undefined && !(this.depth.get(id) <= depth)) this.depth.set(id, depth);
    return n;
  };

  /* flat: index pairs into rows (the file's node list); an edge is kept once, by ids. */
  GraphView.prototype.addEdges = function (flat, rows) {
    for (var i = 0; i + 1 < flat.length; i += 2) {
      var a = String(rows[flat[i]][0]), b = String(rows[flat[i + 1]][0]);
      if (b < a) { var t = a; a = b; b = t; }
      this.edges.set(a + " " + b, [a, b]);
    }
  };

  GraphView.prototype.addGlobal = function (data) {
    for (var i = 0; i < data.nodes.length; i++) this.addNode(data.nodes[i]);
    this.addEdges(data.edges, data.nodes);
  };

  /* A node's neighbourhood file; ``depth`` is the depth its neighbours get. */
  GraphView.prototype.fetchLocal = function (id, depth) {
    var self = this;
    return fetchJson(siteUrl(this.root, "_kbgen/graph/local/" + encodeURIComponent(id) + ".json")).then(function (d) {
      d.nodes.forEach(function (rec, i) {
        self.addNode(rec, i === 0 ? depth - 1 : depth);
      });
      self.addEdges(d.edges, d.nodes);
      if (String(d.center) === self.center) self.omitted = d.omitted || 0; // the centre's own neighbours
    });
  };

  GraphView.prototype.kindShown = function (kind) {
    if (kind === "tag") return this.tagBox.checked;
    if (kind === "reading") return this.readingBox.checked;
    return true;
  };

  /* The nodes and links to draw under the current toggles. */
  GraphView.prototype.visible = function () {
    var self = this, maxDepth = this.global ? Infinity : (this.depthBox.checked ? 2 : 1);
    var nodes = [];
    this.nodes.forEach(function (n) {
      var d = self.global ? 0 : self.depth.get(n.id);
      if (n.id === self.center || (d !== undefined && d <= maxDepth && self.kindShown(n.kind))) nodes.push(n);
    });
    if (!this.global && nodes.length > LOCAL_MAX_NODES) {
      nodes.sort(function (a, b) {
        return (self.depth.get(a.id) - self.depth.get(b.id)) || (b.backlinks - a.backlinks) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      });
      nodes = nodes.slice(0, LOCAL_MAX_NODES);
    }
    var shown = new Set(nodes.map(function (n) { return n.id; }));
    var links = [];
    this.adjacency = new Map();
    this.edges.forEach(function (e) {
      if (!shown.has(e[0]) || !shown.has(e[1])) return;
      links.push({ source: e[0], target: e[1] });
      [[e[0], e[1]], [e[1], e[0]]].forEach(function (p) {
        if (!self.adjacency.has(p[0])) self.adjacency.set(p[0], new Set());
        self.adjacency.get(p[0]).add(p[1]);
      });
    });
    return { nodes: nodes, links: links };
  };

  GraphView.prototype.refresh = function () {
    var self = this;
    var need = [];
    if (!this.global && this.depthBox.checked) {
      this.nodes.forEach(function (n) {
        if (self.depth.get(n.id) === 1 && self.kindShown(n.kind) && !n.expanded) {
          n.expanded = true;
          need.push(self.fetchLocal(n.id, 2));
        }
      });
    }
    Promise.all(need).then(function () { self.setData(); }).catch(function (err) {
      if (window.console) console.error("kbgen graph:", err);
      self.setData();
    });
  };

  GraphView.prototype.setData = function () {
    if (!this.graph) return;
    var data = this.visible();
    this.container.setAttribute("data-kbgen-count", String(data.nodes.length));
    clearTimeout(this.settleTimer);
    this.container.setAttribute("data-kbgen-state", "loading");
    this.drawnOnce = false;
    this.status.textContent = data.nodes.length + " nodes" +
      (this.omitted ? " (" + this.omitted + " neighbours left out)" : "");
    this.highlight = null;
    this.graph.cooldownTime(this.cooldown(data.nodes.length)).graphData(data);
  };

  GraphView.prototype.cooldown = function (n) {
    return n > 2000 ? 6000 : n > 300 ? 4000 : 2500;
  };

  GraphView.prototype.draw = function (ForceGraph) {
    var self = this, box = this.canvasBox;
    this.colors = readColors(this.container);
    var data = this.visible();
    var big = data.nodes.length > 2000;
    var graph = ForceGraph()(box)
      .width(box.clientWidth || 300)
      .height(box.clientHeight || 300)
      .backgroundColor("rgba(0,0,0,0)")
      .nodeId("id")
      .nodeRelSize(1)
      .nodeVal(function (n) { var r = radius(n); return r * r; })
      .nodeLabel(function (n) { return self.global || big ? n.title : ""; })
      .nodeCanvasObjectMode(function () { return "replace"; })
      .nodeCanvasObject(function (n, ctx, scale) { self.paintNode(n, ctx, scale); })
      .linkColor(function (l) { return self.linkColor(l); })
      .linkPointerAreaPaint(function () {}) // links are not hoverable: keep them off the hit canvas
      .linkWidth(function (l) { return self.isHighLink(l) ? 1.5 : 0.6; })
      .d3AlphaDecay(big ? 0.05 : 0.0228)
      .warmupTicks(this.global ? 0 : 15)
      .cooldownTime(this.cooldown(data.nodes.length))
      .onNodeHover(function (n) { self.hover(n); })
      .onNodeClick(function (n, ev) { self.open(n, ev); })
      .onEngineStop(function () {
        var ms = self.userMoved ? 0 : 300;
        if (ms) self.fit(ms);
        clearTimeout(self.settleTimer);
        self.settleTimer = setTimeout(function () {
          self.container.setAttribute("data-kbgen-state", "settled");
          self.container.setAttribute("data-kbgen-settled-ms", String(Math.round(performance.now())));
        }, ms + 50);
      })
      // Large graphs drop their links while zooming or panning (as sigma's hideEdgesOnMove):
      // a 10,000-node frame then costs the nodes only; the links come back at the gesture's end.
      .onZoom(function () {
        if (big && !self.moving) { self.moving = true; graph.linkVisibility(false); }
      })
      .onZoomEnd(function () {
        if (self.moving) { self.moving = false; graph.linkVisibility(true); }
      })
      .onRenderFramePost(function () {
        if (!self.drawnOnce) {
          self.drawnOnce = true;
          if (self.container.getAttribute("data-kbgen-state") === "loading") {
            self.container.setAttribute("data-kbgen-state", "drawn");
            self.container.setAttribute("data-kbgen-drawn-ms", String(Math.round(performance.now())));
          }
        }
      });
    if (big) graph.d3Force("charge").theta(0.95).distanceMax(400);
    graph.d3Force("gravity", gravity(big ? 0.04 : 0.1));
    graph.d3Force("link").distance(this.global ? 36 : 45);
    if (!big) graph.d3Force("charge").strength(-70);
    this.graph = graph;
    ["wheel", "pointerdown", "touchstart"].forEach(function (type) {
      box.addEventListener(type, function () { self.userMoved = true; }, { passive: true });
    });
    this.container.kbgenGraph = { graph: graph, nodes: function () { return graph.graphData().nodes; } };
    this.setData();
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        graph.width(box.clientWidth || 300).height(box.clientHeight || 300);
      }).observe(box);
    }
    var body = document.body;
    new MutationObserver(function () {
      self.colors = readColors(self.container);
      self.redraw();
    }).observe(body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  };

  /* Zoom to show every node, with room for labels, but never magnify a small graph much. */
  GraphView.prototype.fit = function (ms) {
    var box = this.graph.getGraphBbox();
    if (!box) return;
    var pad = 28, w = this.canvasBox.clientWidth || 300, h = this.canvasBox.clientHeight || 300;
    var dx = Math.max(box.x[1] - box.x[0], 1), dy = Math.max(box.y[1] - box.y[0], 1);
    var k = Math.min((w - 2 * pad) / dx, (h - 2 * pad) / dy, MAX_FIT_ZOOM);
    this.graph.centerAt((box.x[0] + box.x[1]) / 2, (box.y[0] + box.y[1]) / 2 + 4 / k, ms);
    this.graph.zoom(Math.max(k, 0.05), ms);
  };

  /* Restyling without touching the data: a new accessor makes force-graph repaint once. */
  GraphView.prototype.redraw = function () {
    var self = this;
    this.graph.linkWidth(function (l) { return self.isHighLink(l) ? 1.5 : 0.6; });
  };

  GraphView.prototype.isHighLink = function (l) {
    if (!this.hovered) return false;
    var s = typeof l.source === "object" ? l.source.id : l.source;
    var t = typeof l.target === "object" ? l.target.id : l.target;
    return s === this.hovered.id || t === this.hovered.id;
  };

  GraphView.prototype.linkColor = function (l) {
    if (this.isHighLink(l)) return this.colors.linkHi;
    return this.nodes.size > 2000 ? this.colors.linkFaint : this.colors.link;
  };

  GraphView.prototype.paintNode = function (n, ctx, scale) {
    var c = this.colors, r = radius(n);
    var dim = this.highlight && !this.highlight.has(n.id);
    ctx.globalAlpha = dim ? 0.15 : 1;
    ctx.beginPath();
    ctx.arc(n.x, n.y, r, 0, 2 * Math.PI);
    if (n.kind === "missing") {
      ctx.fillStyle = c.bg;
      ctx.fill();
      ctx.setLineDash([2 / scale * 1.5, 2 / scale]);
      ctx.strokeStyle = c.missing;
      ctx.lineWidth = 1.2 / Math.max(scale, 0.5);
      ctx.stroke();
      ctx.setLineDash([]);
    } else {
      ctx.fillStyle = c[n.kind] || c.note;
      ctx.fill();
    }
    if (n.id === this.center) {
      ctx.beginPath();
      ctx.arc(n.x, n.y, r + 3 / Math.max(scale, 0.5), 0, 2 * Math.PI);
      ctx.strokeStyle = c.current;
      ctx.lineWidth = 2 / Math.max(scale, 0.5);
      ctx.stroke();
    }
    var labelled = n.id === this.center || (this.hovered && this.highlight && this.highlight.has(n.id)) ||
      scale >= (this.global ? LABEL_SCALE.global : LABEL_SCALE.local);
    if (labelled && !dim) {
      var size = 10 / scale;
      ctx.font = (n.id === this.center ? "bold " : "") + size + "px sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillStyle = n.kind === "missing" ? c.missing : c.text;
      ctx.fillText(n.title, n.x, n.y + r + 1.5 / scale);
    }
    ctx.globalAlpha = 1;
  };

  GraphView.prototype.hover = function (n) {
    this.hovered = n || null;
    if (n) {
      var near = new Set(this.adjacency.get(n.id) || []);
      near.add(n.id);
      this.highlight = near;
    } else {
      this.highlight = null;
    }
    this.container.setAttribute("data-kbgen-hover", n ? String(n.id) : "");
    this.redraw();
  };

  GraphView.prototype.open = function (n, ev) {
    var href = siteUrl(this.root, n.url);
    if (ev && (ev.ctrlKey || ev.metaKey || ev.shiftKey)) window.open(href, "_blank", "noopener");
    else window.location.href = href;
  };

  function startWhenNear(container) {
    if (container.kbgenStarted) return;
    var go = function () {
      if (container.kbgenStarted) return;
      container.kbgenStarted = true;
      new GraphView(container).start();
    };
    if (container.classList.contains("kbgen-graph-global") || !window.IntersectionObserver) return go();
    var io = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); go(); }
    }, { rootMargin: "300px" });
    io.observe(container);
  }

  function init() {
    document.querySelectorAll(".kbgen-graph").forEach(startWhenNear);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
