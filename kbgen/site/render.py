"""Render every planned page's body, in worker processes when the site is large.

Workers are forked after planning, so they inherit the vault, graph and plan as they
are (nothing is pickled on the way in); each returns only its pages' bodies.  Where
fork is not available (or for small sites) pages render in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from kbgen.site.context import SiteContext
from kbgen.site.model import PageBody, SitePlan
from kbgen.site.plan import RENDERERS

PARALLEL_FROM = 300  # pages; below this a pool costs more than it saves
CHUNK = 64
BATCH = 40  # chunks per pool (2,560 pages)

# The plan and context a forked worker renders from: set in the parent just before the
# pool forks, read only inside workers, cleared when the pool is done.
_inherited: tuple[SitePlan, SiteContext] | None = None


def render_pages(plan: SitePlan, site: SiteContext, jobs: int | None = None) -> None:
    """Fill ``page.body`` for every page of ``plan``."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or not fork or len(plan.pages) < PARALLEL_FROM:
        for page in plan.pages:
            page.body = RENDERERS[page.kind](site, page)
        return
    global _inherited
    _inherited = (plan, site)
    # Workers share the parent's pages until they write to them; the cycle collector writes
    # to every object it scans, so it is kept off the inherited objects (frozen here) and
    # paused in the workers: each worker's memory is then mostly what it renders.
    gc.freeze()
    try:
        chunks = [range(i, min(i + CHUNK, len(plan.pages))) for i in range(0, len(plan.pages), CHUNK)]
        # Reading an inherited object writes its reference count, so a worker slowly copies
        # the pages it reads: a fresh pool per batch keeps each worker's copy small.
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start:start + BATCH]
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for chunk, bodies in zip(batch, pool.map(_render_chunk, batch)):
                    for index, body in zip(chunk, bodies):
                        plan.pages[index].body = body
    finally:
        _inherited = None
        gc.unfreeze()


def _render_chunk(indices: range) -> list[PageBody]:
    assert _inherited is not None, "workers are forked from render_pages"
    plan, site = _inherited
    gc.disable()  # a worker's own garbage is freed by reference counting (no cycles in bodies)
    return list(_bodies(plan, site, indices))


def _bodies(plan: SitePlan, site: SiteContext, indices: range) -> Iterator[PageBody]:
    for index in indices:
        page = plan.pages[index]
        yield RENDERERS[page.kind](site, page)
