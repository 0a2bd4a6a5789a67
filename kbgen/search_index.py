"""Full-text search for a built site with Pagefind (PyPI ``pagefind[bin]`` ships its binary).

Pagefind splits the index into small chunks fetched per query word, so the first query
costs a few hundred kB whatever the size of the vault, unlike a whole-site lunr index.
It indexes what the pages mark (see the markup contract in ``kbgen/assets/search.js``):
only elements with ``data-pagefind-body``, minus ``data-pagefind-ignore`` and ``EXCLUDE``; the
``kind`` filter (``note`` / ``page``) lets the search box list notes first.

Only the files the search API needs are kept: Pagefind's ready-made UI bundles are
removed (kbgen's own ``search.js`` drives ``pagefind.js``).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from kbgen.cache.fingerprint import digest
from kbgen.cache.store import COMPLETE, CacheStore, link_or_copy

SEARCH_DIR = "_kbgen/pagefind"
SHARD_PAGES = 1000  # pages per Pagefind run: its memory grows with the index it holds
SIDE_BY_SIDE_PAGES = 2000  # pages of all the Pagefind runs at once (~360 MB), one run per core
# A smaller site still gets a few shards (of at least MIN_SHARD_PAGES pages): two run side
# by side on two cores, and an edit re-indexes a quarter of the site, not all of it.
SMALL_SITE_SHARDS = 4
MIN_SHARD_PAGES = 250
SHARD_PREFIX = "shard-"  # extra bundles live in the main one: _kbgen/pagefind/shard-1/
SHARDS_FILE = "shards.json"  # the main bundle lists them; search.js merges them
SCRATCH_PREFIX = "_kbgen-search-"  # no leading dot: MkDocs' next build clears a leftover one
TIMEOUT_SECONDS = 1800
CACHE_NAMESPACE = "search"
# Never note text, even when a template forgets data-pagefind-ignore: heading "¶" links,
# the Backlinks and Related sections, the graph view, material's "last update" footer.
EXCLUDE = (".headerlink", ".kbgen-backlinks", ".kbgen-related", ".kbgen-graph", ".md-source-file")
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
_PAGES = re.compile(r"Indexed (\d+) pages?")
_WORDS = re.compile(r"Indexed (\d+) words?")


@dataclass(frozen=True, slots=True)
class SearchIndexResult:
    """What a Pagefind run did; ``ok`` False keeps the site (search just finds nothing)."""

    ok: bool
    output_dir: Path
    pages: int
    words: int
    seconds: float
    message: str


def pagefind_binary() -> Path | None:
    """The Pagefind executable: ``$PAGEFIND_BINARY_PATH``, the ``pagefind_bin`` wheel, or PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:  # pagefind not installed: fall back on the bare binary package
        try:
            from pagefind_bin import get_executable  # type: ignore[no-redef]
        except ImportError:
            return None
    try:
        return get_executable()
    except FileNotFoundError:
        return None


def _last_count(pattern: re.Pattern[str], text: str) -> int:
    found = pattern.findall(text)
    return int(found[-1]) if found else 0


def index_site(site_dir: Path, output_subdir: str = SEARCH_DIR) -> SearchIndexResult:
    """Run Pagefind over ``site_dir``, writing its bundle to ``site_dir/output_subdir``."""
    site = Path(site_dir).resolve()
    out = site / output_subdir
    start = time.monotonic()
    process = _start(site, ["--output-subdir", output_subdir], out)
    if isinstance(process, SearchIndexResult):
        return process
    return _finish(process, out, start)


class SearchIndexJob:
    """Pagefind indexing the planned pages while the layout engine writes the site.

    The searchable part of a page is kbgen's own body (``data-pagefind-body``), known as
    soon as bodies are rendered: each is written to a scratch folder at its output path (so
    Pagefind derives the same URL) and Pagefind runs there, in its own process, in parallel
    with the rest of the build.  Pagefind holds a whole index in memory (2.2 GB for 10,000
    notes in one run), so pages are indexed in shards of ``shard_pages``, one after another;
    the first shard is the main bundle, the others are listed in its ``shards.json`` and
    merged in the browser (``search.js``).  ``finish`` puts the bundles into the site.
    """

    def __init__(self, pages: Iterable[tuple[str, str]], lang: str = "en",
                 shard_pages: int | None = None, scratch_in: Path | None = None,
                 cache: CacheStore | None = None) -> None:
        """``scratch_in``: the folder to work in (the site being built, so a killed build's
        leftovers go with it); the system's temporary folder by default.  ``cache`` keeps
        each shard's bundle, keyed by the pages in it: an edit re-indexes one shard."""
        shard_pages = shard_pages or SHARD_PAGES
        if scratch_in is not None:
            scratch_in.mkdir(parents=True, exist_ok=True)
        self._scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=scratch_in))
        self._start = time.monotonic()
        self._results: list[SearchIndexResult] = []
        self._running: list[subprocess.Popen[str]] = []
        self._stopped = False
        self._stopped_early = False
        self._finisher: threading.Thread | None = None
        self._head = f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8"></head><body>'
        self._lang = lang
        self._cache = cache
        self._keys: list[str] = []
        self._stored: dict[int, Path] = {}
        self._pages_of: dict[int, list[tuple[str, str]]] = {}
        self._shards = 0
        self._side_by_side = 1
        # Which pages go in which shard, and which shards the cache holds, is worked out in
        # the indexing thread too: keying the shards hashes every page (0.2 s at 10k pages),
        # time a build spends laying pages out and a serve save reloading the browser.
        self._thread = threading.Thread(target=self._plan_and_index, args=(list(pages), shard_pages),
                                        name="kbgen search index", daemon=True)
        self._thread.start()

    def _plan_and_index(self, pages: list[tuple[str, str]], shard_pages: int) -> None:
        self._plan_shards(pages, shard_pages)
        if not self._stopped:
            self._index_shards()

    def _plan_shards(self, pages: list[tuple[str, str]], shard_pages: int) -> None:
        searchable = [(output, body) for output, body in pages if "data-pagefind-body" in body]
        shards = shard_pages_of(searchable, shard_pages)
        # Pagefind runs at once: one per core, as many as fit in SIDE_BY_SIDE_PAGES
        largest = max(map(len, shards), default=1) or 1
        self._side_by_side = max(1, min(os.cpu_count() or 1, SIDE_BY_SIDE_PAGES // largest))
        for number, shard in enumerate(shards):
            if self._stopped:  # cancelled: the pages are not hashed any further
                return
            self._keys.append(_shard_key(number, len(shards), self._lang, shard))
        for number in range(len(shards)):
            stored = self._cache.folder(CACHE_NAMESPACE, self._keys[number]) if self._cache is not None else None
            if stored is not None:
                self._stored[number] = stored
        self._pages_of = {number: shard for number, shard in enumerate(shards) if number not in self._stored}
        self._shards = len(shards)

    def _index_shards(self) -> None:
        running: list[tuple[int, subprocess.Popen[str], Path, float]] = []
        for number in range(self._shards):
            out = self._scratch / f"out-{number}"
            if number in self._stored:
                shutil.copytree(self._stored[number], out, ignore=shutil.ignore_patterns(COMPLETE),
                                copy_function=link_or_copy)
                self._results.append(SearchIndexResult(True, out, 0, 0, 0.0, "search shard from the cache"))
                continue
            source = self._write_shard(number)  # while the shards started before are indexed
            while len(running) >= self._side_by_side:
                if not self._collect(*running.pop(0)):
                    return
            if self._stopped:
                return
            process = _start(source, ["--output-path", str(out)], out)
            if isinstance(process, SearchIndexResult):
                self._results.append(process)
                return
            self._running.append(process)
            if self._stopped:
                process.kill()
            running.append((number, process, out, time.monotonic()))
        for item in running:
            if not self._collect(*item):
                return

    def _collect(self, number: int, process: subprocess.Popen[str], out: Path, started: float) -> bool:
        """Wait for one Pagefind run; keep its bundle.  False: stop indexing."""
        self._results.append(_finish(process, out, started))
        if self._stopped or not self._results[-1].ok:
            return False
        if self._cache is not None:
            self._cache.put_folder(CACHE_NAMESPACE, self._keys[number], out)
        return True

    def _write_shard(self, number: int) -> Path:
        """The shard's pages as files for Pagefind: written here, in the indexing thread, so
        the build goes on laying pages out meanwhile; each shard is written while Pagefind
        indexes the ones before."""
        source = self._scratch / f"site-{number}"
        source.mkdir()
        for output, body in self._pages_of.pop(number):
            if self._stopped:
                break
            target = source / output
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self._head + body + "</body></html>\n", encoding="utf-8")
        return source

    def finish(self, site_dir: Path, output_subdir: str = SEARCH_DIR) -> SearchIndexResult:
        """Wait for Pagefind and move its bundles to ``site_dir/output_subdir``."""
        try:
            self._thread.join()
            failed = next((r for r in self._results if not r.ok), None)
            if failed is not None or len(self._results) < self._shards or self._stopped:
                return failed or SearchIndexResult(False, self._scratch, 0, 0, 0.0, "search index not built")
            target = Path(site_dir) / output_subdir
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(self._scratch / "out-0"), target)
            extra = [f"{SHARD_PREFIX}{n}/" for n in range(1, self._shards)]
            for number, folder in enumerate(extra, start=1):
                shutil.move(str(self._scratch / f"out-{number}"), target / folder)
            (target / SHARDS_FILE).write_text(json.dumps(extra) + "\n", encoding="utf-8")
            pages = sum(r.pages for r in self._results)
            words = sum(r.words for r in self._results)
            return SearchIndexResult(True, target, pages, words, time.monotonic() - self._start,
                                     f"search index: {pages} pages, {words} words, {self._shards} shard(s)")
        finally:
            self.cancel()

    def finish_in_background(self, site_dir: Path, done: Callable[[SearchIndexResult], None]) -> SearchIndexJob:
        """``finish`` in a thread (``kbgen serve`` reloads the browser without waiting);
        ``done`` gets the result unless the job is cancelled first.  Returns the job."""
        def run() -> None:
            result = self.finish(site_dir)
            if not self._stopped_early:
                done(result)
        self._stopped_early = False
        self._finisher = threading.Thread(target=run, name="kbgen search bundle", daemon=True)
        self._finisher.start()
        return self

    def wait(self) -> None:
        """Until a job finishing in the background is done."""
        if self._finisher is not None:
            self._finisher.join()

    def cancel(self, wait: bool = True) -> None:
        """Stop Pagefind (a failed build, or a newer one in ``kbgen serve``) and remove the
        scratch folder; without ``wait``, the threads wind down and clean up on their own
        (serve: the save that cancels does not wait for them; a cancelled job never
        moves its bundle into the site)."""
        if self._finisher is not None and self._finisher is not threading.current_thread():
            self._stopped_early = True
            finisher, self._finisher = self._finisher, None
            if not wait:
                self._stopped = True
                self._kill()
                return  # the finisher joins the indexing thread and removes the scratch folder
            self._stop()
            finisher.join()
            return
        self._stop()

    def _kill(self) -> None:
        for process in list(self._running):
            if process.poll() is None:
                process.kill()

    def _stop(self) -> None:
        self._stopped = True
        self._kill()
        self._thread.join()
        shutil.rmtree(self._scratch, ignore_errors=True)


def shard_pages_of(pages: list[tuple[str, str]], shard_pages: int) -> list[list[tuple[str, str]]]:
    """Pages split into shards of at most about ``shard_pages`` (a small site into up to
    ``SMALL_SITE_SHARDS`` of ``MIN_SHARD_PAGES`` or more); a page's shard depends on its
    output path only (and on how many shards there are), so an edit changes one shard."""
    count = max(1, -(-len(pages) // shard_pages), min(SMALL_SITE_SHARDS, len(pages) // MIN_SHARD_PAGES))
    shards: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    for output, body in pages:
        shards[int(hashlib.blake2b(output.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest(), 16)
               % count].append((output, body))
    return shards


def _shard_key(number: int, count: int, lang: str, shard: list[tuple[str, str]]) -> str:
    """The shard's settings and pages, hashed page by page (one pickle of a whole shard
    would hold ~25 MB at once, six times over for 10k pages)."""
    h = hashlib.sha256(digest((number, count, lang, EXCLUDE, _UNUSED, _pagefind_version())))
    for output, body in sorted(shard):
        for text in (output, body):
            data = text.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def _pagefind_version() -> str:
    for package in ("pagefind", "pagefind_bin"):
        try:
            return f"{package} {metadata.version(package)}"
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def _start(site: Path, output: list[str], out: Path) -> subprocess.Popen[str] | SearchIndexResult:
    binary = pagefind_binary()
    if binary is None:
        return SearchIndexResult(False, out, 0, 0, 0.0,
                                 "search index not built: the pagefind binary is missing "
                                 "(pip install 'pagefind[bin]')")
    argv = [str(binary), "--site", str(site), *output, "--exclude-selectors", ", ".join(EXCLUDE)]
    try:
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as error:
        return SearchIndexResult(False, out, 0, 0, 0.0, f"pagefind failed: {error}")


def _finish(process: subprocess.Popen[str], out: Path, start: float) -> SearchIndexResult:
    try:
        text, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        process.kill()
        process.wait()
        return SearchIndexResult(False, out, 0, 0, time.monotonic() - start, f"pagefind failed: {error}")
    seconds = time.monotonic() - start
    if process.returncode != 0:
        tail = " ".join(text.split()[-40:])
        return SearchIndexResult(False, out, 0, 0, seconds, f"pagefind exited {process.returncode}: {tail}")
    for name in _UNUSED:
        (out / name).unlink(missing_ok=True)
    pages = _last_count(_PAGES, text)  # the "Total:" block comes last
    words = _last_count(_WORDS, text)
    return SearchIndexResult(True, out, pages, words, seconds, f"search index: {pages} pages, {words} words")
