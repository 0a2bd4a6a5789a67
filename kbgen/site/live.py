"""A site kept between the saves of ``kbgen serve``: each save rebuilds the model from the
notes held in memory and says which outputs changed, so the adapter lays out and writes
only those.

The rebuild is the same function of the vault as a cold build (the same load, plan and
render), so what it writes cannot differ from a cold build; what it saves is the work
whose inputs did not change: notes whose files kept their stamp are not read again,
bodies whose recorded reads still hold are not rendered again (``KeptBodies``), and pages
and files whose bytes are the same are not handed on.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.cache.store import CacheStore
from kbgen.kept_notes import Stamp, stamp
from kbgen.pipeline import collector_paused
from kbgen.publish import PublishRules
from kbgen.site.context import SiteOptions
from kbgen.site.model import PlannedFile, PlannedPage, SitePlan
from kbgen.site.produce import KeptModel, ProducedSite, plan_and_render


@dataclass(slots=True)
class SiteChanges:
    """What one rebuild changed, output by output (outputs are paths in the site folder)."""

    pages: list[PlannedPage] = field(default_factory=list)  # new, or a new record or body
    removed_pages: list[str] = field(default_factory=list)
    files: list[PlannedFile] = field(default_factory=list)  # new, or new bytes
    removed_files: list[str] = field(default_factory=list)
    added_pages: list[str] = field(default_factory=list)  # outputs of pages that are new
    nav: bool = False  # the pages in the navigation (order, titles, URLs) changed

    @property
    def page_set(self) -> bool:
        """Whether pages came or went (the sitemap lists them all)."""
        return bool(self.added_pages or self.removed_pages)

    @property
    def empty(self) -> bool:
        return not (self.pages or self.removed_pages or self.files or self.removed_files or self.nav)


def nav_of(plan: SitePlan) -> list[tuple[str, str]]:
    return [(page.title, page.url) for page in plan.pages if page.in_nav]


def _record(page: PlannedPage) -> tuple[str, ...]:
    return (page.kind, page.key, page.url, page.title, str(page.in_nav))


def _same_body(old: PlannedPage, new: PlannedPage) -> bool:
    if old.body is new.body:
        return True
    return old.body is not None and new.body is not None and (old.body.html, old.body.toc) == (
        new.body.html, new.body.toc)


COLLECT_AFTER = 2.0  # seconds after a save


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()


class LiveSite:
    """The notes, bodies and plan of the last build of one vault, for the next."""

    def __init__(self, root: Path, publish: PublishRules | None = None, options: SiteOptions | None = None,
                 cache: CacheStore | None = None) -> None:
        self.root, self.publish, self.options, self.cache = Path(root), publish, options or SiteOptions(), cache
        self.kept = KeptModel()
        self.plan: SitePlan | None = None
        self._sources: dict[str, Stamp | None] = {}  # output -> stamp of a copied file's source
        self._collector: threading.Timer | None = None

    def produce(self) -> tuple[ProducedSite, SiteChanges | None]:
        """The site now, and what changed since the last call (None the first time).

        The cycle collector is paused meanwhile: with the kept notes and bodies the heap is
        large, and each full collection scanned all of it (a second per save at 10k notes).
        Call ``collect_later`` once the save is applied."""
        if self._collector is not None:
            self._collector.cancel()
        with collector_paused():
            return self._produce()

    def collect_later(self, delay: float = COLLECT_AFTER) -> None:
        """The last model's reference cycles, collected ``delay`` seconds from now unless a
        save comes first (not while a save is applied, nor while the browser fetches the
        page); what survives is then frozen (``gc.freeze``), so the next collection scans
        only what later saves made: a full pass over the kept model holds the interpreter
        for about a second at 10k notes, and one falling on a save delayed it by as much."""
        self._collector = threading.Timer(delay, _collect_and_freeze)
        self._collector.daemon = True
        self._collector.start()

    def _produce(self) -> tuple[ProducedSite, SiteChanges | None]:
        produced = plan_and_render(self.root, self.publish, self.options, self.cache, self.kept)
        plan = produced.plan
        previous, self.plan = self.plan, plan
        sources = {f.output: stamp(f.source) for f in plan.files if f.source is not None}
        changes = None if previous is None else self._changes(previous, plan, sources)
        self._sources = sources
        return produced, changes

    def _changes(self, old: SitePlan, new: SitePlan, sources: dict[str, Stamp | None]) -> SiteChanges:
        changes = SiteChanges(nav=nav_of(old) != nav_of(new))
        old_pages = {page.output: page for page in old.pages}
        for page in new.pages:
            before = old_pages.pop(page.output, None)
            if before is None:
                changes.added_pages.append(page.output)
            if before is None or _record(before) != _record(page) or not _same_body(before, page):
                changes.pages.append(page)
        changes.removed_pages = sorted(old_pages)
        old_files = {planned.output: planned for planned in old.files}
        for planned in new.files:
            before = old_files.pop(planned.output, None)
            if (before is None or before.content != planned.content or before.source != planned.source
                    or (planned.source is not None and sources.get(planned.output) != self._sources.get(planned.output))):
                changes.files.append(planned)
        changes.removed_files = sorted(old_files)
        return changes
