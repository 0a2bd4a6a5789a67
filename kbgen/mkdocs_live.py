"""``kbgen serve`` after its first build: MkDocs lays out only the pages a save changed.

The first build is a full MkDocs build; its files, navigation and template environment
are kept.  On a save, ``LiveSite`` rebuilds the model from the notes it holds and says
which outputs changed; only those pages go through MkDocs' page steps (the same
``_populate_page`` and ``_build_page`` its build loop runs for every page), changed data
files are written and outputs that are gone are deleted.  A change to the navigation or
to the configuration file makes the next build a full one.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from kbgen.cache import CacheStore
from kbgen.kept_notes import Stamp, stamp
from kbgen.mkdocs_page_parts import generated_file
from kbgen.model import Finding
from kbgen.pipeline import collector_paused
from kbgen.publish import PublishRules
from kbgen.site import ProducedSite, SiteOptions, SitePlan
from kbgen.site.live import LiveSite, SiteChanges

if TYPE_CHECKING:
    from kbgen.mkdocs_plugin import KbgenPlugin

log = logging.getLogger("mkdocs.plugins.kbgen")


class LiveSession:
    """One serve session: the kept site, and MkDocs' state after the last full build."""

    def __init__(self, plugin: KbgenPlugin) -> None:
        self.plugin = plugin
        self.site: LiveSite | None = None
        self.updates = 0  # saves applied here, without a full build
        self._stashed: ProducedSite | None = None  # produced by a save that needs a full build
        self._layout: tuple[Files, Any, Any] | None = None  # files, navigation, template environment
        self.nav: Any = None  # MkDocs' navigation of the full build under way (``on_nav``)
        self._config_stamp: Stamp | None = None
        self._findings: set[Finding] = set()

    def produce(self, root: Path, rules: PublishRules, options: SiteOptions, cache: CacheStore | None,
                config: MkDocsConfig) -> ProducedSite:
        """The site for a full build (``on_files``)."""
        self._layout = None
        if self._stashed is not None:
            produced, self._stashed = self._stashed, None
        else:
            if self.site is None or (self.site.root, self.site.publish, self.site.options) != (root, rules, options):
                self.site = LiveSite(root, rules, options, cache)
            self.site.cache = cache
            produced = self.site.produce()[0]
        self._config_stamp = _config_stamp(config)
        self._findings = set(produced.findings)
        return produced

    def built(self) -> None:
        """A full build is written: its garbage is collected before the first save comes."""
        if self.site is not None:
            self.site.collect_later(0.0)

    def laid_out(self, files: Files, env: Any) -> None:
        """A full build has these (``on_env``); later saves lay out pages with them."""
        self._layout = (files, self.nav, env)

    def update(self, config: MkDocsConfig) -> bool:
        """Apply a save here; False when a full build must follow instead."""
        if self.site is None or self._layout is None or _config_stamp(config) != self._config_stamp:
            return False
        self.plugin.cancel_background_search()
        try:
            # The collector stays paused until the save is written (it is run two seconds
            # later, ``collect_later``): a full pass over the kept model takes a second at
            # 10k notes, and the first one after the first build fell inside the save.
            with collector_paused():
                return self._apply(config)
        except BaseException:
            self.site, self._layout = None, None  # state half updated: the next save builds it all again
            raise

    def _apply(self, config: MkDocsConfig) -> bool:
        assert self.site is not None
        produced, changes = self.site.produce()
        if changes is None or changes.nav:
            self._stashed, self._layout = produced, None
            return False
        new = [f for f in produced.findings if f not in self._findings]
        self._findings = set(produced.findings)
        self.plugin.take(produced, config, log_findings=new)
        self._lay_out(changes, produced.plan, config)
        self.plugin.start_background_search(config)
        self.site.collect_later()
        self.updates += 1
        log.info(f"kbgen: {len(changes.pages)} page(s) laid out again, {len(changes.files)} file(s) written, "
                 f"{len(changes.removed_pages) + len(changes.removed_files)} removed; "
                 f"{produced.stats.rendered} body(ies) rendered, {self.site.kept.notes.reparsed} note(s) parsed")
        return True

    def _lay_out(self, changes: SiteChanges, plan: SitePlan, config: MkDocsConfig) -> None:
        assert self._layout is not None
        files, nav, env = self._layout
        by_output = {file.dest_uri: file for file in files}
        removed = {*changes.removed_pages, *changes.removed_files}
        planned_outputs = {p.output for p in plan.pages} | {f.output for f in plan.files} | removed
        theme = [file for file in files if file.dest_uri not in planned_outputs]
        site_dir = Path(config.site_dir)
        for output in sorted(removed):
            by_output.pop(output, None)
            _delete(site_dir, output)
        for planned in changes.files:
            file = by_output[planned.output] = generated_file(
                config, planned.output, InclusionLevel.INCLUDED, content=planned.content, source=planned.source)
            file.copy_file()
        pages: list[File] = []
        for planned in changes.pages:
            file = by_output.get(planned.output)
            if file is None:
                file = by_output[planned.output] = generated_file(config, planned.output, InclusionLevel.NOT_IN_NAV,
                                                                  content="")
                Page(None, file, config)
            pages.append(file)
        # in the order of a full build (the sitemap lists pages in it): theme, pages, files
        files = Files([*theme, *(by_output[p.output] for p in plan.pages), *(by_output[f.output] for f in plan.files)])
        self._layout = (files, nav, env)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in pages:
            assert file.page is not None
            mkdocs_build._populate_page(file.page, config, files)
            mkdocs_build._build_page(file.page, config, doc_files, nav, env)
        if changes.page_set:
            mkdocs_build._build_theme_template("sitemap.xml", env, files, config, nav)


def _config_stamp(config: MkDocsConfig) -> Stamp | None:
    return stamp(Path(config.config_file_path)) if config.config_file_path else None


def _delete(site_dir: Path, output: str) -> None:
    """Remove one output and the folders it leaves empty (a cold build has none)."""
    path = site_dir / output
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site_dir and folder.is_relative_to(site_dir):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = folder.parent

