"""Pages laid out on every core: the theme renders in a forked process too.

MkDocs lays pages out one after another, on one core.  When its page loop starts (every
plugin's ``on_env`` has run), kbgen forks ``cores - 1`` workers; they and this process
each lay out a share of the pages exactly as MkDocs' ``_build_page`` does up to the
theme's ``render`` (context, ``on_page_context``, template).  MkDocs' own loop then writes
every page through the one-line template of the layout cache, which returns that HTML,
running every plugin's ``on_post_page`` here as for any page.

Only for a build (not ``serve``), only when kbgen is the one plugin with an
``on_page_context`` hook (another plugin's hook could keep state a worker would not give
back), and only for sites of ``PARALLEL_FROM`` to ``PARALLEL_UP_TO`` pages: below, a fork
costs more than it saves; above, Pagefind already keeps the other core busy while pages
are laid out, and a worker copies the pages it reads (memory).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from kbgen.mkdocs_layout_cache import CONTEXT_KEY, TEMPLATE
from kbgen.pipeline import collector_paused

PARALLEL_FROM = 300  # pages
PARALLEL_UP_TO = 4000
CHUNK = 24

# What a forked worker lays out from: set just before the pool forks, cleared after.
_inherited: tuple[list[Page], MkDocsConfig, Any, list[Any], Any] | None = None


class ParallelLayout:
    """One build's pages laid out ahead of MkDocs' loop; ``context`` hands each its HTML."""

    def __init__(self, owner: object) -> None:
        self.owner = owner  # the kbgen plugin: the one allowed ``on_page_context`` hook
        self._env: Any = None
        self._files: Files | None = None
        self._html: dict[str, str] = {}
        self._started = False

    def prepare(self, env: Any, files: Files, enabled: bool) -> None:
        """``on_env``: this build's template environment and files (``enabled``: not serving)."""
        self._env, self._files = (env, files) if enabled else (None, None)
        self._html, self._started = {}, False

    def context(self, page: Page, context: dict[str, Any], config: MkDocsConfig, nav: Any) -> None:
        """``on_page_context``: the first page's call lays out the others; each later call
        hands the page its HTML."""
        if not self._started:
            self._started = True
            self._lay_out_ahead(page, config, nav)
        html = self._html.pop(page.file.src_uri, None)
        if html is not None:
            context[CONTEXT_KEY] = html

    def _lay_out_ahead(self, first: Page, config: MkDocsConfig, nav: Any) -> None:
        if self._files is None or "fork" not in multiprocessing.get_all_start_methods():
            return
        workers = os.cpu_count() or 1
        hooks = config.plugins.events.get("page_context", [])
        doc_files = self._files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = [f.page for f in doc_files if f.page is not None and f.page is not first
                 and f.page.meta.get("template", "main.html") != TEMPLATE]  # not a stored layout
        if (workers < 2 or not PARALLEL_FROM <= len(pages) <= PARALLEL_UP_TO
                or any(getattr(hook, "__self__", None) is not self.owner for hook in hooks)):
            return
        for page, html in _laid_out(pages, config, nav, doc_files, self._env, workers):
            self._html[page.file.src_uri] = html
            page.meta["template"] = TEMPLATE


def _laid_out(pages: list[Page], config: MkDocsConfig, nav: Any, doc_files: list[Any], env: Any,
              workers: int) -> Iterator[tuple[Page, str]]:
    """``workers - 1`` forked processes take chunks from the front while this process lays
    out chunks from the back until they meet (as kbgen renders bodies)."""
    global _inherited
    chunks = [list(range(i, min(i + CHUNK, len(pages)))) for i in range(0, len(pages), CHUNK)]
    _inherited = (pages, config, nav, doc_files, env)
    try:
        with collector_paused(), ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_lay_out_chunk, chunk) for chunk in chunks]
            for position in reversed(range(len(chunks))):
                if not futures[position].cancel():  # a worker has it: the rest is theirs
                    break
                yield from ((pages[i], html) for i, html in zip(chunks[position], _lay_out_chunk(chunks[position])))
            for chunk, future in zip(chunks, futures):
                if not future.cancelled():
                    yield from ((pages[i], html) for i, html in zip(chunk, future.result()))
    finally:
        _inherited = None


def _lay_out_chunk(indices: list[int]) -> list[str]:
    assert _inherited is not None, "workers are forked from _laid_out"
    pages, config, nav, doc_files, env = _inherited
    return [_layout(pages[i], config, nav, doc_files, env) for i in indices]


def _layout(page: Page, config: MkDocsConfig, nav: Any, doc_files: list[Any], env: Any) -> str:
    """What MkDocs' ``_build_page`` renders for ``page`` before ``on_post_page``."""
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)
    finally:
        page.active = False
        config._current_page = None
