#!/usr/bin/env python3
"""Time the Reading list's filters and sorts on 5,000 readings in headless Chromium.

    python benchmarks/bench_readings.py [--readings 5000] [--repeat 5] [--widths 1280,400]

Builds a synthetic vault (50 notes of 100 reading bullets, each a distinct work) with
``kbgen build`` into ``benchmarks/out/site-readings-<n>/``, serves it on 127.0.0.1 and
drives Debian's ``/usr/bin/chromium`` through selenium.  Per window width (desktop
table, phone cards) it prints the median and the worst of ``--repeat`` runs, in ms:

* ``load``: navigation start to the end of the load event (the script reads every row);
* ``level``/``kind``: one checkbox click, the script's pass plus the style and layout
  it causes;
* ``text``: typing a word, from the input event to the list being filtered (the
  150 ms debounce left out);
* ``sort title``/``sort year``: one sort change with its layout;
* ``reset``: back to the full list.

Figures only, no pass/fail: timings depend on the machine (the tests check behaviour).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import random
import statistics
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = HERE / "out"
KINDS = ("book", "paper", "blog", "video", "course")
PER_NOTE = 100

# One measured action, in the page: returns milliseconds (script + forced layout).
CLICK_JS = """
var el = document.querySelector(arguments[0]);
var t0 = performance.now(); el.click(); document.body.offsetHeight;
return performance.now() - t0;
"""
SORT_JS = """
var sort = document.querySelector('select[name="sort"]');
var t0 = performance.now(); sort.value = arguments[0];
sort.dispatchEvent(new Event('change', {bubbles: true})); document.body.offsetHeight;
return performance.now() - t0;
"""
RESET_JS = """
var form = document.querySelector('form.kbgen-readings-filters');
var done = arguments[arguments.length - 1];
form.addEventListener('kbgen:filtered', function () { document.body.offsetHeight;
  done(performance.now() - t0); }, {once: true});
var t0 = performance.now(); form.reset();
"""
TEXT_JS = """
var box = document.querySelector('input[name="text"]');
var form = box.form, done = arguments[arguments.length - 1], t0;
form.addEventListener('kbgen:filtered', function () { document.body.offsetHeight;
  done(performance.now() - t0 - 150); }, {once: true});
box.value = arguments[0]; t0 = performance.now();
box.dispatchEvent(new Event('input', {bubbles: true}));
"""
LOAD_JS = "var n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;"


def write_reading_vault(folder: Path, readings: int = 5000, seed: int = 7) -> int:
    """``readings // 100`` notes of 100 reading bullets (4 sections), each a distinct work.

    Deterministic for a seed; returns the number of reading bullets written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    n = 0
    for note in range(max(1, readings // PER_NOTE)):
        lines = [f"# Topic {note}", ""]
        for section in range(4):
            lines += [f"## Section {section}", ""]
            for _ in range(PER_NOTE // 4):
                level = rng.choice(["*cult*: ", "*introductionary*: ", "", ""])
                kind, year = rng.choice(KINDS), rng.randint(1950, 2024)
                topic = rng.choice(["graphs", "nets", "proofs"])
                lines.append(f'- {level}"Work number {n} on {topic}" '
                             f"[Author {n % 97}; {kind}; {year}](https://example.org/w/{n})")
                n += 1
            lines.append("")
        (folder / f"Topic {note}.md").write_text("\n".join(lines), encoding="utf-8")
    return n


def build(readings: int, out: Path) -> Path:
    """The site of a fresh synthetic vault, built with the repository's mkdocs.yml."""
    from kbgen.site_build import build_site

    site = out / f"site-readings-{readings}"
    with tempfile.TemporaryDirectory() as tmp:
        written = write_reading_vault(Path(tmp) / "vault", readings)
        result = build_site(Path(tmp) / "vault", site, REPO / "mkdocs.yml", False)
    if not result.ok:
        sys.exit(f"build failed: {result.message}")
    print(f"built {written} readings into {site}")
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/_kbgen/readings/"


def chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                f"--user-data-dir={profile}", "--window-size=1280,900"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=opts)
    driver.set_script_timeout(30)
    return driver


def measure(driver, url: str, width: int, repeat: int) -> dict[str, list[float]]:
    """Each action ``repeat`` times on a freshly loaded page at ``width`` CSS pixels."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    times: dict[str, list[float]] = {}
    for _ in range(repeat):
        driver.get(url)
        add = lambda name, value: times.setdefault(name, []).append(float(value))  # noqa: E731
        add("load", driver.execute_script(LOAD_JS))
        add("level", driver.execute_script(CLICK_JS, 'input[name="level"][value="cult"]'))
        add("kind", driver.execute_script(CLICK_JS, 'input[name="kind"][value="book"]'))
        add("sort title", driver.execute_script(SORT_JS, "title-asc"))
        add("sort year", driver.execute_script(SORT_JS, "year-desc"))
        add("reset", driver.execute_async_script(RESET_JS))
        add("text", driver.execute_async_script(TEXT_JS, "proofs"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--widths", default="1280,400", help="CSS pixel widths, comma separated")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = build(args.readings, args.out)
    server, url = serve(site)
    with tempfile.TemporaryDirectory() as profile:
        driver = chromium(Path(profile))
        try:
            for width in (int(w) for w in args.widths.split(",")):
                times = measure(driver, url, width, args.repeat)
                print(f"\n{args.readings} readings at {width} px ({args.repeat} runs): median / worst ms")
                for name, values in times.items():
                    print(f"  {name:<11} {statistics.median(values):8.1f} {max(values):8.1f}")
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
