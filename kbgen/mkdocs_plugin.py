"""The MkDocs plugin ``kbgen``: hands kbgen's site plan to MkDocs, which lays pages out.

kbgen decides which pages and files exist, their URLs and their HTML (``kbgen.site``);
MkDocs and its theme only wrap each body in the layout.  MkDocs never reads or parses a
note, never walks the vault itself, and never renders the notes into the navigation.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from kbgen.cache import CacheStore
from kbgen.mkdocs_options import KbgenConfig
from kbgen.mkdocs_layout_cache import LayoutCache, open_layout_cache
from kbgen.mkdocs_parallel_layout import ParallelLayout
from kbgen.mkdocs_page_parts import LayoutFragments, generated_file, rendered_by_kbgen, src_uri, toc_tokens
from kbgen.model import Finding
from kbgen.publish import PublishRules
from kbgen.search_index import SearchIndexJob, SearchIndexResult
from kbgen.site import PlannedPage, ProducedSite, SiteOptions, SitePlan
from kbgen.site.produce import produce_site
from kbgen.site.render import RenderStats
from kbgen.site.emitters.assets import EVERY_PAGE_SCRIPTS, EVERY_PAGE_STYLES

if TYPE_CHECKING:
    from kbgen.mkdocs_live import LiveSession

log = logging.getLogger("mkdocs.plugins.kbgen")
THEME_OVERRIDES = Path(__file__).parent / "theme"


def _no_files(config: MkDocsConfig) -> Files:
    """MkDocs' own walk of the docs folder follows symlinks out of the vault (and loops on
    two links to a parent): kbgen scans the vault itself, so MkDocs walks nothing."""
    return Files([])


class KbgenPlugin(BasePlugin[KbgenConfig]):
    """Plans and renders the site once per build, then gives MkDocs each page's body."""

    def __init__(self) -> None:
        self.plan: SitePlan | None = None
        self.findings_count = self.notices_count = self.pages_rendered = self.unpublished_count = 0
        self._pages: dict[str, PlannedPage] = {}  # src_uri -> planned page
        self._mkdocs_get_files: Callable[[MkDocsConfig], Files] | None = None
        self._own_nav = False
        self._search: SearchIndexJob | None = None
        self._cache: CacheStore | None = None
        self._layouts: LayoutCache | None = None
        self.stats = RenderStats()
        self._cache_findings_seen = 0
        self._search_finishing: SearchIndexJob | None = None
        self._start_search: Callable[[], SearchIndexJob] | None = None
        self.serving = False  # ``kbgen serve``: one plugin and one cache store for many builds
        self.live: LiveSession | None = None  # serve: the site kept between saves
        self._parallel = ParallelLayout(self)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """kbgen's CSS/JS on every page, and its theme overrides (after the user's own)."""
        config.extra_css.extend(s for s in EVERY_PAGE_STYLES if s not in config.extra_css)
        scripts = [str(s) for s in config.extra_javascript]
        config.extra_javascript.extend(s for s in EVERY_PAGE_SCRIPTS if s not in scripts)
        dirs = config.theme.dirs
        if str(THEME_OVERRIDES) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.cancel_background_search()
        if mkdocs_build.get_files is not _no_files:
            self._mkdocs_get_files, mkdocs_build.get_files = mkdocs_build.get_files, _no_files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search index into the site (serve: from now on, in the background); the cache
        keeps only what this build used; a serve session collects the build's garbage."""
        self.start_background_search(config)
        if self._search is not None:
            job, self._search = self._search, None
            self._finish_search(job, config)
        if self._cache is not None:
            self._cache.prune()  # waits for the cache's writes; a failed one is a notice
            for finding in self._cache.findings[self._cache_findings_seen:]:
                log.info(str(finding))
        if self._mkdocs_get_files is not None:
            mkdocs_build.get_files, self._mkdocs_get_files = self._mkdocs_get_files, None
        config.nav, self._own_nav = None if self._own_nav else config.nav, False
        if self.live is not None:
            self.live.built()

    def start_background_search(self, config: MkDocsConfig) -> None:
        """Serve: the pages are written and the browser reloads now; search follows Pagefind."""
        if self._start_search is not None:
            job, self._start_search = self._start_search(), None
            self._search_finishing = job.finish_in_background(Path(config.site_dir), self._search_failed)

    def wait_for_search(self) -> None:
        if self._search_finishing is not None:
            self._search_finishing.wait()

    def cancel_background_search(self) -> None:
        if self._search_finishing is not None:  # serve: a newer edit makes the last search index obsolete
            self._search_finishing.cancel(wait=False)

    def _finish_search(self, job: SearchIndexJob, config: MkDocsConfig) -> None:
        self._search_failed(job.finish(Path(config.site_dir)))

    def _search_failed(self, result: SearchIndexResult) -> None:
        if not result.ok:
            log.warning(result.message)
            self.findings_count += 1

    def on_build_error(self, *, error: Exception) -> None:
        if self._search is not None:
            self._search.cancel()
            self._search = None
        if self._mkdocs_get_files is not None:
            mkdocs_build.get_files, self._mkdocs_get_files = self._mkdocs_get_files, None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The theme's files, then every page and file of kbgen's plan."""
        theme_files = [f for f in files]
        options = SiteOptions(home=self.config.home, directory_urls=config.use_directory_urls,
                              reserved=frozenset(f.dest_uri for f in theme_files))
        self._cache = self._open_cache(config)
        rules = PublishRules.from_options(dict(self.config))
        if self.live is not None:
            produced = self.live.produce(Path(config.docs_dir), rules, options, self._cache, config)
        else:
            produced = produce_site(Path(config.docs_dir), rules, options, self._cache)
        self.take(produced, config)
        out, plan = Files(theme_files), produced.plan
        for page in plan.pages:
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            out.append(generated_file(config, page.output, inclusion, content=""))
        for planned in plan.files:
            out.append(generated_file(config, planned.output, InclusionLevel.INCLUDED, content=planned.content,
                                       source=planned.source))
        if not config.nav:
            config.nav, self._own_nav = [{p.title: src_uri(p.output)} for p in plan.pages if p.in_nav], True
        return out

    def take(self, produced: ProducedSite, config: MkDocsConfig, log_findings: list[Finding] | None = None) -> None:
        """This build's plan and findings (all logged, or in serve the new ones)."""
        plan, self.plan, self.unpublished_count = produced.plan, produced.plan, produced.unpublished
        self.stats = produced.stats
        search = [(p.output, p.body.html) for p in plan.pages if p.body]
        self._start_search = lambda: SearchIndexJob(search, lang=config.theme.get("language") or "en",
                                                    scratch_in=Path(config.site_dir), cache=self._cache)
        if not self.serving:  # a build: Pagefind works while MkDocs writes pages
            self._search, self._start_search = self._start_search(), None
        if self._cache is not None:
            produced.findings.extend(self._cache.findings[self._cache_findings_seen:])
            self._cache_findings_seen = len(self._cache.findings)
        self.findings_count = len(produced.findings)
        self.notices_count = sum(1 for f in produced.findings if self._is_quiet(f))
        for finding in produced.findings if log_findings is None else log_findings:
            log.log(logging.INFO if self._is_quiet(finding) else logging.WARNING, str(finding))
        self._pages = {src_uri(page.output): page for page in plan.pages}
        self.pages_rendered = 0

    def _open_cache(self, config: MkDocsConfig) -> CacheStore | None:
        if self.serving and self._layouts is not None:
            self._layouts.cache.forget_use()
            return self._layouts.cache
        self._layouts, problem = open_layout_cache(config, self.config.cache, self.config.cache_dir)
        if problem:
            log.warning(problem)
        return self._layouts.cache if self._layouts is not None else None

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self._layouts is not None:
            self._layouts.start(config, ((str(p.title), str(p.url)) for p in nav.pages))
        if self.live is not None:
            self.live.nav = nav
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        LayoutFragments().install(env)  # new each full build: serve's saves reuse it (same nav, config)
        LayoutCache.install(env)  # the one-line template of stored and parallel layouts
        self._parallel.prepare(env, files, enabled=self.live is None)
        if self.live is not None:
            self.live.laid_out(files, env)
        return env

    def _is_quiet(self, finding: Finding) -> bool:
        return finding.is_notice and not (finding.code == "unresolved-link" and self.config.strict_links)

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """An empty stub for every kbgen page: MkDocs never reads or YAML-parses a note."""
        return "" if page.file.src_uri in self._pages else None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self._pages.get(page.file.src_uri)
        if planned is None:
            return markdown
        page.meta["title"] = html.escape(planned.title, quote=False)  # themes print it unescaped
        page.render = rendered_by_kbgen(page)  # type: ignore[method-assign]
        return ""

    def on_page_content(self, html_: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self._pages.get(page.file.src_uri)
        if planned is None or planned.body is None:
            return html_
        self.pages_rendered += 1
        page.toc = get_toc(toc_tokens(planned.body.toc))  # type: ignore[arg-type]
        if self._layouts is not None:
            self._layouts.look_up(page, planned)
        return planned.body.html

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self._parallel.context(page, context, config, nav)
        if self._layouts is not None:
            self._layouts.context(page, context)
        return context

    @event_priority(100)  # first: the layout is stored as the theme made it, before other plugins
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._layouts is not None and page.file.src_uri in self._pages:
            self._layouts.store(page, output)
        return output

