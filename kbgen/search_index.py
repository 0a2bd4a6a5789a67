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

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SEARCH_DIR = "_kbgen/pagefind"
TIMEOUT_SECONDS = 1800
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
    binary = pagefind_binary()
    if binary is None:
        return SearchIndexResult(False, out, 0, 0, 0.0,
                                 "search index not built: the pagefind binary is missing "
                                 "(pip install 'pagefind[bin]')")
    argv = [str(binary), "--site", str(site), "--output-subdir", output_subdir,
            "--exclude-selectors", ", ".join(EXCLUDE)]
    try:
        run = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return SearchIndexResult(False, out, 0, 0, time.monotonic() - start, f"pagefind failed: {error}")
    seconds = time.monotonic() - start
    text = run.stdout + run.stderr
    if run.returncode != 0:
        tail = " ".join(text.split()[-40:])
        return SearchIndexResult(False, out, 0, 0, seconds, f"pagefind exited {run.returncode}: {tail}")
    for name in _UNUSED:
        (out / name).unlink(missing_ok=True)
    pages = _last_count(_PAGES, text)  # the "Total:" block comes last
    words = _last_count(_WORDS, text)
    return SearchIndexResult(True, out, pages, words, seconds, f"search index: {pages} pages, {words} words")
