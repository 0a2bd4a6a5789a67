#!/usr/bin/env python3
"""What the graph view, hover previews and search cost a reader, on a built site.

    python benchmarks/bench_browse.py --size 1000            # synthetic vault, built
    python benchmarks/bench_browse.py --site path/to/site    # a site that already has the markup
    python benchmarks/bench_browse.py --size 1000 --synthetic-graph 10000

Prints: graph data bytes (total; fetched by one note page at depth 1 and depth 2), note
page bytes, preview bytes per hover (the target page, fetched once), search bytes
fetched by a first query (counted by the test server in headless Chromium), and the
time until the global graph has drawn and has settled.  ``--synthetic-graph N`` also
times the global graph on a random graph of N nodes (no notes are built for it).
Figures, not a timed test: nothing here passes or fails.

``--size`` generates a synthetic vault and builds it with ``kbgen build`` (the site plan
emits the graph, preview and search markup itself).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from bench_check import DEFAULT_OUT, ensure_vault  # noqa: E402

from kbgen.site.graph_data import FORMAT_VERSION, assign_ids  # noqa: E402

GRAPH_DIR = "_kbgen/graph"
QUERY_TIMEOUT = 60
DEFAULT_QUERY = "consectetur"  # a word of the generator's lorem ipsum


def load_browser_harness() -> Any:
    """tests/browser/conftest.py: the same offline headless Chromium the tests use."""
    spec = importlib.util.spec_from_file_location("browse_harness", REPO / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, quiet, recording (path, bytes) of every file served."""

    served: list[tuple[str, int]]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        super().do_GET()
        if os.path.isfile(path):
            self.served.append((self.path, os.path.getsize(path)))


def serve(root: Path, harness: Any) -> tuple[http.server.ThreadingHTTPServer, list[tuple[str, int]]]:
    served: list[tuple[str, int]] = []
    handler = type("Handler", (CountingHandler,), {"served": served,
                                                   "extensions_map": {**CountingHandler.extensions_map,
                                                                      **harness.MIME_TYPES}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, served


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB"


def note_pages(site: Path) -> list[Path]:
    """Pages carrying a local graph container: the note (and missing/tag) pages."""
    return [p for p in site.rglob("index.html") if b'data-kbgen-node="' in p.read_bytes()]


def graph_figures(site: Path) -> dict[str, Any]:
    files = [p for p in (site / GRAPH_DIR).rglob("*.json")]
    total = sum(p.stat().st_size for p in files)
    glob = site / GRAPH_DIR / "global.json"
    local = sorted((site / GRAPH_DIR / "local").glob("*.json"), key=lambda p: p.stem)
    sizes = [p.stat().st_size for p in local]
    depth2 = []
    for p in local[:: max(1, len(local) // 200)]:  # a sample: depth 2 = own file + neighbours' files
        data = json.loads(p.read_bytes())
        ids = [n[0] for n in data["nodes"][1:] if data["kinds"][n[3]] in ("note", "missing")]
        depth2.append(p.stat().st_size + sum((site / GRAPH_DIR / "local" / f"{i}.json").stat().st_size for i in ids))
    lib = REPO / "kbgen" / "assets" / "vendor" / "force-graph" / "force-graph.min.js"
    return {
        "graph_files": len(files), "graph_total_bytes": total,
        "global_bytes": glob.stat().st_size, "global_gzip_bytes": gz(glob.read_bytes()),
        "local_median_bytes": statistics.median(sizes), "local_max_bytes": max(sizes),
        "depth2_median_bytes": statistics.median(depth2), "depth2_max_bytes": max(depth2),
        "force_graph_lib_bytes": lib.stat().st_size, "force_graph_lib_gzip_bytes": gz(lib.read_bytes()),
    }


def page_figures(site: Path) -> dict[str, Any]:
    pages = note_pages(site)
    sizes = [p.stat().st_size for p in pages]
    gzs = [gz(p.read_bytes()) for p in pages[:: max(1, len(pages) // 200)]]
    return {"note_pages": len(pages), "page_median_bytes": statistics.median(sizes), "page_max_bytes": max(sizes),
            "page_median_gzip_bytes": statistics.median(gzs)}


def browser_figures(site: Path, query: str, harness: Any) -> dict[str, Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    os.environ["SE_OFFLINE"] = "true"
    server, served = serve(site, harness)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as profile:
        driver = webdriver.Chrome(service=Service(str(harness.CHROMEDRIVER)),
                                  options=harness.chrome_options(Path(profile)))
        try:
            wait = WebDriverWait(driver, QUERY_TIMEOUT)
            page = sorted(note_pages(site))[len(note_pages(site)) // 2]
            url = base + page.parent.relative_to(site).as_posix() + "/"
            driver.get(url)
            served.clear()
            driver.execute_script("""var i = document.querySelector('[data-kbgen-search] input');
                i.focus(); i.value = arguments[0]; i.dispatchEvent(new Event('input', {bubbles: true}));""", query)
            wait.until(lambda d: d.find_element("css selector", "[data-kbgen-search]")
                       .get_attribute("data-kbgen-search-state") in ("done", "error"))
            box = driver.find_element("css selector", "[data-kbgen-search]")
            out["search_state"] = box.get_attribute("data-kbgen-search-state")
            out["search_results"] = int(box.get_attribute("data-kbgen-search-count") or 0)
            pf = [(p, n) for p, n in served if "/pagefind/" in p]
            out["search_first_query_bytes"] = sum(n for _, n in pf)
            out["search_first_query_requests"] = len(pf)

            served.clear()
            driver.get(base + GRAPH_DIR + "/")
            wait.until(lambda d: d.find_element("css selector", ".kbgen-graph-global")
                       .get_attribute("data-kbgen-state") in ("settled", "error"))
            g = driver.find_element("css selector", ".kbgen-graph-global")
            out["global_state"] = g.get_attribute("data-kbgen-state")
            out["global_nodes"] = int(g.get_attribute("data-kbgen-count") or 0)
            out["global_drawn_ms"] = int(g.get_attribute("data-kbgen-drawn-ms"))
            out["global_settled_ms"] = int(g.get_attribute("data-kbgen-settled-ms"))
            out["global_redraw_ms"] = redraw_ms(driver, g)
            out["global_wheel_frame_ms"] = wheel_frame_ms(driver, g)
        finally:
            driver.quit()
            server.shutdown()
    return out


def redraw_ms(driver: Any, graph_box: Any) -> int:
    """Time for one zoom step to be painted once the simulation has stopped (interactivity)."""
    driver.set_script_timeout(30)
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1], g = arguments[0].kbgenGraph.graph;
        var t0 = performance.now(); g.zoom(g.zoom() * 1.3);
        requestAnimationFrame(function () { requestAnimationFrame(function () {
          done(Math.round(performance.now() - t0)); }); });""", graph_box)


def wheel_frame_ms(driver: Any, graph_box: Any) -> float:
    """Mean time between painted frames while the reader zooms with the wheel for 1.5 s."""
    driver.set_script_timeout(30)
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1], c = arguments[0].querySelector('canvas');
        var r = c.getBoundingClientRect(), frames = 0, t0 = performance.now(), stop = false;
        function count() { frames++; if (!stop) requestAnimationFrame(count); }
        requestAnimationFrame(count);
        var i = 0, timer = setInterval(function () {
          c.dispatchEvent(new WheelEvent('wheel', {bubbles: true, cancelable: true, deltaY: i++ % 20 < 10 ? -40 : 40,
            clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));
        }, 16);
        setTimeout(function () {
          clearInterval(timer); stop = true;
          done(Math.round(10 * (performance.now() - t0) / Math.max(frames, 1)) / 10);
        }, 1500);""", graph_box)


def synthetic_graph(n: int, seed: int = 0) -> bytes:
    """A random graph shaped like a vault: ~6 links a node, preferential attachment, 3% missing."""
    rng = random.Random(seed)
    kinds = ["note", "missing", "tag", "reading"]
    nodes, targets, edges = [], [], set()
    ids = assign_ids(f"note:n/{i}.md" for i in range(n))
    for i in range(n):
        kind = 1 if rng.random() < 0.03 else 0
        nodes.append([ids[f"note:n/{i}.md"], f"Note {i}", f"n/{i}/", kind, 0])
        for _ in range(rng.randint(3, 9) if i else 0):
            j = rng.choice(targets) if targets and rng.random() < 0.7 else rng.randrange(i)
            if j != i:
                edges.add((min(i, j), max(i, j)))
                targets.append(j)
        targets.append(i)
    for a, b in edges:
        nodes[b][4] += 1
    flat = [x for e in sorted(edges) for x in e]
    data = {"v": FORMAT_VERSION, "kinds": kinds, "nodes": nodes, "edges": flat}
    return json.dumps(data, separators=(",", ":")).encode()


def synthetic_figures(site: Path, n: int, harness: Any) -> dict[str, Any]:
    """The global graph page of ``site`` with a random graph of ``n`` nodes in place of its data."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        for rel in ("assets", "_kbgen/assets"):
            shutil.copytree(site / rel, copy / rel)
        (copy / GRAPH_DIR).mkdir(parents=True)
        shutil.copy(site / GRAPH_DIR / "index.html", copy / GRAPH_DIR / "index.html")
        blob = synthetic_graph(n)
        (copy / GRAPH_DIR / "global.json").write_bytes(blob)
        figures = browser_global_only(copy, harness)
        figures.update({"synthetic_nodes": n, "synthetic_global_bytes": len(blob),
                        "synthetic_global_gzip_bytes": gz(blob)})
        return figures


def browser_global_only(site: Path, harness: Any) -> dict[str, Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    server, _ = serve(site, harness)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with tempfile.TemporaryDirectory() as profile:
        driver = webdriver.Chrome(service=Service(str(harness.CHROMEDRIVER)),
                                  options=harness.chrome_options(Path(profile)))
        try:
            driver.get(base + GRAPH_DIR + "/")
            WebDriverWait(driver, 120).until(lambda d: d.find_element("css selector", ".kbgen-graph-global")
                                             .get_attribute("data-kbgen-state") in ("settled", "error"))
            g = driver.find_element("css selector", ".kbgen-graph-global")
            return {"synthetic_state": g.get_attribute("data-kbgen-state"),
                    "synthetic_drawn_ms": int(g.get_attribute("data-kbgen-drawn-ms")),
                    "synthetic_settled_ms": int(g.get_attribute("data-kbgen-settled-ms")),
                    "synthetic_redraw_ms": redraw_ms(driver, g),
                    "synthetic_wheel_frame_ms": wheel_frame_ms(driver, g)}
        finally:
            driver.quit()
            server.shutdown()


def build(size: int, out_dir: Path) -> Path:
    from browse_site import build_browse_site

    vault, _ = ensure_vault(out_dir, size)
    site, work = out_dir / f"browse-site-{size}", out_dir / f"browse-work-{size}"
    shutil.rmtree(site, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    result = build_browse_site(vault, site, work)
    print(f"built {size} notes in {time.monotonic() - start:.1f} s: {result.message}", file=sys.stderr)
    return site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--site", type=Path, help="a built site carrying the graph/preview/search markup")
    group.add_argument("--size", type=int, help="build a synthetic vault of this many notes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the first search query")
    parser.add_argument("--synthetic-graph", type=int, default=0, metavar="N",
                        help="also time the global graph on a random graph of N nodes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    site = args.site.resolve() if args.site else build(args.size, args.out)
    harness = load_browser_harness()
    figures: dict[str, Any] = {"site": str(site)}
    figures.update(graph_figures(site))
    figures.update(page_figures(site))
    figures.update(browser_figures(site, args.query, harness))
    if args.synthetic_graph:
        figures.update(synthetic_figures(site, args.synthetic_graph, harness))
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    f = figures
    rows = [
        ("note pages", f"{f['note_pages']}"),
        ("graph data, total", f"{kib(f['graph_total_bytes'])} in {f['graph_files']} files"),
        ("global.json", f"{kib(f['global_bytes'])} ({kib(f['global_gzip_bytes'])} gzip)"),
        ("one note page fetches (depth 1)", f"median {kib(f['local_median_bytes'])}, max {kib(f['local_max_bytes'])}"),
        ("... with depth 2", f"median {kib(f['depth2_median_bytes'])}, max {kib(f['depth2_max_bytes'])}"),
        ("force-graph library (once, cached)", f"{kib(f['force_graph_lib_bytes'])} "
                                               f"({kib(f['force_graph_lib_gzip_bytes'])} gzip)"),
        ("note page HTML", f"median {kib(f['page_median_bytes'])} ({kib(f['page_median_gzip_bytes'])} gzip), "
                           f"max {kib(f['page_max_bytes'])}"),
        ("preview per hover = the target page", f"median {kib(f['page_median_bytes'])}, fetched once per target"),
        ("search, first query", f"{kib(f['search_first_query_bytes'])} in {f['search_first_query_requests']} "
                                f"requests, {f['search_results']} results ({f['search_state']})"),
        ("global graph drawn / settled", f"{f['global_drawn_ms']} ms / {f['global_settled_ms']} ms after navigation, "
                                         f"{f['global_nodes']} nodes; zoom repaint {f['global_redraw_ms']} ms, "
                                         f"{f['global_wheel_frame_ms']} ms a frame while wheel-zooming"),
    ]
    if args.synthetic_graph:
        rows.append((f"synthetic graph, {f['synthetic_nodes']} nodes",
                     f"{kib(f['synthetic_global_bytes'])} ({kib(f['synthetic_global_gzip_bytes'])} gzip); drawn "
                     f"{f['synthetic_drawn_ms']} ms, settled {f['synthetic_settled_ms']} ms; "
                     f"zoom repaint {f['synthetic_redraw_ms']} ms, "
                     f"{f['synthetic_wheel_frame_ms']} ms a frame while wheel-zooming"))
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
