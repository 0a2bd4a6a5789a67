"""Render every planned page's body, in worker processes when the site is large.

Workers are forked after planning, so they inherit the vault, graph and plan as they
are (nothing is pickled on the way in); each returns only its pages' bodies.  Where
fork is not available (or for small sites) pages render in this process.

With a cache, each body is stored with the reads its render made (``kbgen.cache.reads``);
a later build reuses a body whose page record is the same and whose reads the new model
answers the same way, and renders only the others.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import struct
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from kbgen.cache.fingerprint import digest
from kbgen.cache.reads import Read, ReadKey, ReadLog, Recorded, still_true
from kbgen.cache.store import CacheStore
from kbgen.graph import LinkGraph
from kbgen.model import Finding
from kbgen.pipeline import PARSE_NAMESPACE, LoadedVault, collector_paused
from kbgen.publish import PublishedVault
from kbgen.site.addresses import SiteUrls
from kbgen.site.context import FolderIndex, SiteContext
from kbgen.site.graph_data import GraphData
from kbgen.site.kept_bodies import KeptBodies
from kbgen.site.model_delta import marks_of
from kbgen.site.model import PageBody, PlannedPage, SitePlan
from kbgen.site.plan import RENDERERS
from kbgen.urls import DirectoryUrls
from kbgen.vault import Vault

PARALLEL_FROM = 300  # pages; below this a pool costs more than it saves
CHUNK = 64
BATCH = 40  # chunks per pool (2,560 pages)
BODY_NAMESPACE = "body"
# the parts of the model a renderer reaches through the site: each is handed out as a view
VIEWS: tuple[type, ...] = (SiteContext, LoadedVault, PublishedVault, Vault, LinkGraph, SiteUrls, DirectoryUrls,
                           FolderIndex, GraphData)

# The plan and context a forked worker renders from: set in the parent just before the
# pool forks, read only inside workers, cleared when the pool is done.
_inherited: tuple[SitePlan, SiteContext, bool] | None = None

Rendered = tuple[PageBody, bytes | None]  # the body, and its cache entry when recording


def _entry(body: PageBody, reads: list[Read]) -> bytes:
    """A cache entry: the body and the reads, pickled apart so either loads alone."""
    blob = pickle.dumps(body, pickle.HIGHEST_PROTOCOL)
    return struct.pack("<Q", len(blob)) + blob + pickle.dumps(reads, pickle.HIGHEST_PROTOCOL)


def _entry_body(payload: bytes) -> PageBody:
    (size,) = struct.unpack_from("<Q", payload)
    return pickle.loads(payload[8:8 + size])


def _entry_reads(payload: bytes) -> list[Read]:
    return pickle.loads(_entry_read_bytes(payload))


def _entry_read_bytes(payload: bytes) -> bytes:
    (size,) = struct.unpack_from("<Q", payload)
    return payload[8 + size:]


@dataclass(slots=True)
class RenderStats:
    pages: int = 0
    reused: int = 0  # bodies taken from the cache
    rendered: int = 0


def render_pages(plan: SitePlan, site: SiteContext, jobs: int | None = None,
                 cache: CacheStore | None = None, kept: KeptBodies | None = None) -> RenderStats:
    """Fill ``page.body`` for every page of ``plan`` (from ``kept`` or ``cache`` where still
    true); ``kept`` then holds this plan's bodies and reads."""
    stats = RenderStats(len(plan.pages))
    salt = _options_salt(site)
    if kept is not None and kept.bodies:
        todo = _reuse_kept(plan, site, kept, stats, jobs, salt)
    elif cache is None and kept is None:
        todo = list(range(len(plan.pages)))
    else:
        todo = _reuse(plan, site, cache, stats, jobs, kept)
    # Recording what each render reads costs a third more rendering time: the first build
    # into an empty cache does not (it would be as slow as it is useful only later); from
    # the second build on (the cache holds this kbgen's parsed notes) bodies are stored.
    record = kept is not None or (cache is not None and cache.used_before(PARSE_NAMESPACE))
    for index, (body, entry) in _render(plan, site, todo, jobs, record):
        page = plan.pages[index]
        page.body = body
        if entry is not None and cache is not None:
            cache.put(BODY_NAMESPACE, _entry_key(page, salt), entry)
        if entry is not None and kept is not None:
            kept.keep(_entry_key(page, salt), body, _entry_reads(entry))
    if kept is not None:
        kept.retain({_entry_key(page, salt) for page in plan.pages})
        kept.vault, kept.marks = site.loaded.vault, marks_of(site)  # what the kept answers are answers of
    stats.rendered = len(todo)
    return stats


def _options_salt(site: SiteContext) -> str:
    options = site.options
    return digest((options.home, options.directory_urls, options.reserved)).hex()


def _entry_key(page: PlannedPage, salt: str) -> str:
    """A page's identity and everything of its record a renderer may read."""
    return "\0".join((salt, page.kind, page.key, page.url, page.output, page.title, str(page.in_nav)))


def _reuse_kept(plan: SitePlan, site: SiteContext, kept: KeptBodies, stats: RenderStats,
                jobs: int | None, salt: str) -> list[int]:
    """Bodies kept in this session whose questions the new model answers the same way go
    into the plan (each distinct question is asked once); returns the pages to render."""
    changed = kept.refresh(site, jobs, site.loaded.vault, site.loaded.graph_change)
    todo = []
    for index, page in enumerate(plan.pages):
        body = kept.holding(_entry_key(page, salt), changed)
        if body is None:
            todo.append(index)
        else:
            page.body = body
    stats.reused = len(plan.pages) - len(todo)
    return todo


def _reuse(plan: SitePlan, site: SiteContext, cache: CacheStore | None, stats: RenderStats,
           jobs: int | None, kept: KeptBodies | None) -> list[int]:
    """Bodies whose recorded reads still hold go straight into the plan; returns the rest.
    The reads are checked in forked workers when the site is large (each asks the new
    model its pages' questions); the parent then loads the bodies that still hold from
    the cache and, when keeping (a serve session's first build), keeps them."""
    salt = _options_salt(site)
    indices = list(range(len(plan.pages)))
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(indices) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        holding = _still_holding(plan, site, cache, salt, indices)
    else:
        global _inherited_check
        _inherited_check = (plan, site, cache, salt)
        holding = []
        try:
            chunks = [indices[i::workers * 4] for i in range(workers * 4)]
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for found, noticed in pool.map(_check_chunk, chunks):
                    holding.extend(found)
                    if cache is not None:
                        cache.findings.extend(noticed)  # entries a worker found damaged (and removed)
        finally:
            _inherited_check = None
    reused = set()
    for index in holding:
        key = _entry_key(plan.pages[index], salt)
        payload = cache.get(BODY_NAMESPACE, key) if cache is not None else None
        if payload is None:
            continue
        plan.pages[index].body = _entry_body(payload)
        if kept is not None:
            kept.keep(key, plan.pages[index].body, _entry_reads(payload))
        reused.add(index)
    stats.reused = len(reused)
    return [i for i in indices if i not in reused]


_inherited_check: tuple[SitePlan, SiteContext, CacheStore | None, str] | None = None


def _check_chunk(indices: list[int]) -> tuple[list[int], list[Finding]]:
    assert _inherited_check is not None, "workers are forked from _reuse"
    plan, site, cache, salt = _inherited_check
    gc.disable()
    before = len(cache.findings) if cache is not None else 0
    holding = _still_holding(plan, site, cache, salt, indices)
    return holding, cache.findings[before:] if cache is not None else []


def _still_holding(plan: SitePlan, site: SiteContext, cache: CacheStore | None,
                   salt: str, indices: list[int]) -> list[int]:
    """The pages (of ``indices``) whose stored reads the model answers the same way."""
    answers: dict[ReadKey, Any] = {}
    holding = []
    for index in indices:
        key = _entry_key(plan.pages[index], salt)
        reads = _stored_reads(cache, key) if cache is not None else None
        if reads is not None and still_true(site, reads, answers):
            holding.append(index)
    return holding


def _stored_reads(cache: CacheStore, key: str) -> list[Read] | None:
    payload = cache.get(BODY_NAMESPACE, key)
    if payload is None:
        return None
    try:
        return _entry_reads(payload)
    except Exception as error:  # noqa: BLE001 - a damaged entry is dropped, never trusted
        cache.damaged(cache.entry_path(BODY_NAMESPACE, key), f"cannot be read ({error})")
        return None


def _render(plan: SitePlan, site: SiteContext, todo: list[int], jobs: int | None,
            record: bool) -> Iterator[tuple[int, Rendered]]:
    # Bodies hold no reference cycles, so reference counting frees what a render leaves;
    # the collector would only rescan the model again and again (a third of unpacking a
    # note's tokens in this process).  Workers pause it too (``_render_chunk``).
    with collector_paused():
        yield from _render_here_and_in_workers(plan, site, todo, jobs, record)


def _render_here_and_in_workers(plan: SitePlan, site: SiteContext, todo: list[int], jobs: int | None,
                                record: bool) -> Iterator[tuple[int, Rendered]]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or not fork or len(todo) < PARALLEL_FROM:
        yield from zip(todo, _bodies(plan, site, todo, record))
        return
    global _inherited
    _inherited = (plan, site, record)
    # Workers share the parent's pages until they write to them; the cycle collector writes
    # to every object it scans, so it is kept off the inherited objects (frozen here) and
    # paused in the workers: each worker's memory is then mostly what it renders.
    gc.freeze()
    try:
        chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        # Reading an inherited object writes its reference count, so a worker slowly copies
        # the pages it reads: a fresh pool per batch keeps each worker's copy small.
        for start in range(0, len(chunks), BATCH):
            yield from _render_batch(chunks[start:start + BATCH], workers, plan, site, record)
    finally:
        _inherited = None
        gc.unfreeze()


def _render_batch(batch: list[list[int]], workers: int, plan: SitePlan, site: SiteContext,
                  record: bool) -> Iterator[tuple[int, Rendered]]:
    """``workers - 1`` forked processes take chunks from the front while this process renders
    from the back until they meet: every core renders, but only the forked workers copy the
    model they read (one copy fewer than a pool of ``workers``)."""
    with ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_render_chunk, chunk) for chunk in batch]
        for position in reversed(range(len(batch))):
            if not futures[position].cancel():  # a worker has it: the rest is theirs
                break
            yield from zip(batch[position], _bodies(plan, site, batch[position], record))
        for chunk, future in zip(batch, futures):
            if not future.cancelled():
                yield from zip(chunk, future.result())


def _render_chunk(indices: list[int]) -> list[Rendered]:
    assert _inherited is not None, "workers are forked from render_pages"
    plan, site, record = _inherited
    gc.disable()  # a worker's own garbage is freed by reference counting (no cycles in bodies)
    return list(_bodies(plan, site, indices, record))


def _bodies(plan: SitePlan, site: SiteContext, indices: list[int], record: bool) -> Iterator[Rendered]:
    digests: dict[ReadKey, Any] = {}
    for index in indices:
        page = plan.pages[index]
        if not record:
            yield RENDERERS[page.kind](site, page), None
            continue
        log = ReadLog(digests)
        body = RENDERERS[page.kind](Recorded(site, log, VIEWS), page)  # type: ignore[arg-type]
        yield body, _entry(body, log.reads)
