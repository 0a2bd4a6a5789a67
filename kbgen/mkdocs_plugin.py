"""The MkDocs plugin ``kbgen``: a thin adapter feeding kbgen's own HTML to MkDocs.

MkDocs (with its theme) only lays pages out.  kbgen reads the vault once per build
(``load_vault``), renders every note with markdown-it-py (``kbgen.render``) and adds
generated pages (``kbgen.pages``); MkDocs never reads or parses a note itself, so a
note with bad bytes or broken YAML cannot crash it.  Every vault finding is logged as a
warning (``path:line: message``) on ``mkdocs.plugins.kbgen``, so ``mkdocs build --strict``
fails on them; with ``strict_links: false`` links to notes not written yet are info only.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from kbgen import pages as kbpages
from kbgen.attachments import inert_attachment, is_active
from kbgen.files import scan_vault
from kbgen.model import Finding
from kbgen.embed_cycles import CODE as EMBED_CYCLE
from kbgen.pipeline import LoadedVault, load_vault
from kbgen.publish import PublishRules
from kbgen.render import RenderedPage, TocEntry, render_note
from kbgen.mkdocs_urls import MkDocsUrls, site_url, src_uri_for
from kbgen.urls import DirectoryUrls, case_collisions, relative_url, with_suffix

log = logging.getLogger("mkdocs.plugins.kbgen")

ASSETS = Path(__file__).parent / "assets"
SITE_ASSETS = "_kbgen/assets"
CSS = f"{SITE_ASSETS}/kbgen.css"
JS = f"{SITE_ASSETS}/kbgen.js"
KATEX_CSS = f"{SITE_ASSETS}/vendor/katex/katex.min.css"
KATEX_JS = f"{SITE_ASSETS}/vendor/katex/katex.min.js"
MERMAID_JS = f"{SITE_ASSETS}/vendor/mermaid/mermaid.min.js"
READINGS_CSS = f"{SITE_ASSETS}/readings.css"
READINGS_JS = f"{SITE_ASSETS}/readings.js"  # on the reading-list pages only
SPECIAL_LINKS = (("wanted", "Wanted notes"), ("tags", "Tags"), ("readings", "Reading list"))

PageMaker = Callable[[str], tuple[str, str]]  # page_url -> (title, html)


class KbgenConfig(base.Config):
    """``plugins: - kbgen: {home: true, strict_links: true}``."""

    home = c.Type(bool, default=True)
    """Generate a home page (``index.md``) when the vault has none."""
    strict_links = c.Type(bool, default=False)
    """Log links to notes that do not exist as warnings (``--strict`` fails); else as info."""
    exclude = c.ListOfItems(c.Type(str), default=[])
    """Vault paths left out of the site: folders (``Private/``), globs (``*.excalidraw.md``)."""
    private_tags = c.ListOfItems(c.Type(str), default=[])
    """Notes with one of these tags (or a tag nested under one) are left out."""
    publish_by_default = c.Type(bool, default=True)
    """False: only notes whose front matter says ``publish: true`` are published."""


def _loop_safe_get_files(config: MkDocsConfig) -> Files:
    """MkDocs' ``get_files`` over kbgen's scan: each real folder once, nothing outside the vault."""
    scan = scan_vault(Path(config.docs_dir))
    files = Files([File(p, config.docs_dir, config.site_dir, config.use_directory_urls)
                   for p in [*scan.notes, *scan.attachments]])
    set_exclusions(files, config)
    return files


def toc_tokens(entries: list[TocEntry]) -> list[dict[str, Any]]:
    """kbgen's TocEntry tree as the ``{level, id, name, children}`` dicts ``get_toc`` takes."""
    return [
        {"level": e.level, "id": e.id, "name": html.escape(e.title, quote=False),
         "children": toc_tokens(e.children)}
        for e in entries
    ]


class KbgenPlugin(BasePlugin[KbgenConfig]):
    """Loads the vault once per build and gives MkDocs finished HTML for every page."""

    def __init__(self) -> None:
        self.loaded: LoadedVault | None = None
        self.urls: MkDocsUrls | None = None
        self.findings_count = self.notices_count = self.unpublished_count = 0
        self.pages_rendered = 0
        self._makers: dict[str, PageMaker] = {}
        self._rendered: dict[str, tuple[str, RenderedPage | None]] = {}
        self._notes_by_uri: dict[str, str] = {}  # page src_uri -> vault path of the note
        self._home_is_note = False
        self._mkdocs_get_files: Callable[[MkDocsConfig], Files] | None = None
        self._loaded_findings: set[Finding] = set()

    # -- build-wide events -------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add kbgen's stylesheet and script to every page (once, even on serve rebuilds)."""
        for css in (CSS, READINGS_CSS):
            if css not in config.extra_css:
                config.extra_css.append(css)
        if JS not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(JS)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """List the vault with kbgen's scan, not MkDocs' ``os.walk(followlinks=True)``, which
        follows links out of the vault and never ends on two symlinks to a parent folder."""
        if mkdocs_build.get_files is not _loop_safe_get_files:
            self._mkdocs_get_files = mkdocs_build.get_files
            mkdocs_build.get_files = _loop_safe_get_files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._mkdocs_get_files is not None:
            mkdocs_build.get_files, self._mkdocs_get_files = self._mkdocs_get_files, None

    def on_build_error(self, *, error: Exception) -> None:
        self.on_post_build(config=None)  # type: ignore[arg-type]

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Section titles are folder names, printed unescaped by the theme: escape them."""
        stack = list(nav.items)
        while stack:  # sections within sections too
            item = stack.pop()
            if isinstance(item, Section):
                item.title = html.escape(item.title, quote=False)
                stack.extend(item.children)
        return nav

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Load the vault, log its findings, publish exactly its files, add kbgen's pages."""
        loaded = load_vault(Path(config.docs_dir), publish=PublishRules.from_options(dict(self.config)))
        self.loaded = loaded
        self.unpublished_count = len(loaded.unpublished)
        if loaded.unpublished:
            log.info(f"kbgen: {len(loaded.unpublished)} unpublished note(s) left out of the site")
        self._makers, self._rendered = {}, {}
        self.pages_rendered = 0
        self.findings_count = len(loaded.findings)
        self._loaded_findings = set(loaded.findings)
        self.notices_count = sum(1 for f in loaded.findings if self._is_quiet(f))
        for finding in loaded.findings:
            self._log_finding(finding)
        published = self._sync_vault_files(files, config, loaded)
        for path in filter(is_active, published):  # clipped web pages, SVG: published inert
            published[path].content_bytes, findings = inert_attachment(path, published[path].content_bytes)
            for finding in findings:
                self._log_finding(finding)
        self._keep_site_files(files, config, published)
        self._notes_by_uri = {f.src_uri: p for p, f in published.items() if p in loaded.vault.notes}
        self._add_assets(files, config)
        canonical = DirectoryUrls(t.key for t in loaded.graph.missing_targets())
        self._add_generated_pages(files, config, loaded, canonical)
        self._separate_case_twins(files, published)
        self.urls = MkDocsUrls(files, canonical, published)
        return files

    def _is_quiet(self, finding: Finding) -> bool:
        return finding.is_notice and not (finding.code == "unresolved-link" and self.config.strict_links)

    def _log_finding(self, finding: Finding) -> None:
        log.log(logging.INFO if self._is_quiet(finding) else logging.WARNING, str(finding))

    def _sync_vault_files(self, files: Files, config: MkDocsConfig, loaded: LoadedVault) -> dict[str, File]:
        """Make the published files the vault's files: no more (MkDocs follows symlinks out
        of the vault and keeps tool folders), no fewer (MkDocs drops ``templates/``).

        Returns vault path -> File.  A note MkDocs does not see as Markdown (``Note.MD``)
        becomes a generated page ``Note.md``.
        """
        notes = loaded.published.notes  # unpublished notes and their-only attachments: no file at all
        vault_files = set(notes) | set(loaded.published.attachments)
        docs_dir = os.path.realpath(config.docs_dir)
        published: dict[str, File] = {}
        taken: dict[str, str] = {}
        for file in list(files):
            if file.src_dir is None or os.path.realpath(file.src_dir) != docs_dir:
                continue  # theme files
            if file.src_uri not in vault_files or (file.src_uri in notes and not file.is_documentation_page()):
                files.remove(file)
                continue
            if file.inclusion.is_excluded() and not config.exclude_docs and not config.draft_docs:
                file.inclusion = InclusionLevel.INCLUDED
            published[file.src_uri] = file
            taken[file.dest_uri] = file.src_uri
        for path in sorted(vault_files - set(published)):
            if path in notes and not path.endswith(".md"):
                file = File.generated(config, path[:-3] + ".md", content="", inclusion=InclusionLevel.INCLUDED)
            else:
                file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls,
                            inclusion=InclusionLevel.INCLUDED)
            if file.dest_uri in taken:
                log.warning(f"{path}: not published: it would overwrite {taken[file.dest_uri]}")
                continue
            taken[file.dest_uri] = path
            published[path] = file
            files.append(file)
        return published

    def _keep_site_files(self, files: Files, config: MkDocsConfig, published: dict[str, File]) -> None:
        """A vault file at a path the theme or kbgen serves (``assets/javascripts/bundle….js``,
        ``_kbgen/assets/kbgen.js``) would replace that script on every page: MkDocs lets docs
        files win.  Here the site's own file keeps its path and the vault's moves aside."""
        theme = Files([])
        theme.add_files_from_theme(config.theme.get_env(), config)
        ours = {f"{SITE_ASSETS}/{p.relative_to(ASSETS).as_posix()}" for p in ASSETS.rglob("*") if p.is_file()}
        for path, file in sorted(published.items()):
            if file.is_documentation_page() or (path not in theme.src_uris and path not in ours):
                continue
            files.remove(file)
            aside = next(a for n in count(2) if (a := with_suffix(path, n, False)) not in files.src_uris)
            published[path] = moved = File.generated(config, aside, abs_src_path=str(file.abs_src_path),
                                                     inclusion=InclusionLevel.INCLUDED)
            files.append(moved)
            if path in theme.src_uris:
                files.append(theme.src_uris[path])
            log.warning(f"{path}: published as {site_url(moved)}: the site's own file has that name")

    def _separate_case_twins(self, files: Files, published: dict[str, File]) -> None:
        """``Note.md`` and ``note.md`` would be one page on a case-insensitive host (macOS,
        Windows, many static hosts): the later one moves to ``note-2/``, with a warning.
        Links follow, since every href is read off ``File.url``."""
        ours = {id(f) for f in published.values()}
        fixed = [f.dest_uri for f in files if id(f) not in ours]
        movable = [(p, f.dest_uri, f.is_documentation_page() and f.name != "index" and f.use_directory_urls)
                   for p, f in published.items()]  # (vault path, output path, a "name/index.html" page)
        for path, (dest, other) in case_collisions(fixed, movable).items():
            file = published[path]
            file.dest_uri = dest
            for cached in ("url", "abs_dest_path"):
                file.__dict__.pop(cached, None)
            log.warning(f"{path}: published as {site_url(file) or './'}: {other} has the same URL "
                        "on case-insensitive file systems")

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        """kbgen.css, kbgen.js and the vendored KaTeX/mermaid, copied into ``_kbgen/assets``."""
        for path in sorted(ASSETS.rglob("*")):
            if path.is_file() and path.suffix != ".md":
                uri = f"{SITE_ASSETS}/{path.relative_to(ASSETS).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))

    def _add_generated_pages(self, files: Files, config: MkDocsConfig, loaded: LoadedVault,
                             urls: DirectoryUrls) -> None:
        """Missing-note, wanted, tags and home pages, kept out of the navigation."""
        vault, graph = loaded.published, loaded.graph
        makers: dict[str, PageMaker] = {}
        for target in graph.missing_targets():
            makers[src_uri_for(urls.missing(target.key))] = (
                lambda page_url, t=target: kbpages.missing_page(t, graph, self.urls, page_url, vault=vault))
        makers[src_uri_for(urls.special("wanted"))] = (
            lambda page_url: kbpages.wanted_page(graph, self.urls, page_url, vault=vault))
        makers[src_uri_for(urls.special("tags"))] = (
            lambda page_url: kbpages.tags_index_page(graph, self.urls, page_url))
        for tag in kbpages.tag_page_names(graph):
            makers[src_uri_for(urls.tag(tag))] = (
                lambda page_url, t=tag: kbpages.tag_page(t, graph, self.urls, page_url, vault=vault))
        self._home_is_note = any(f.dest_uri == "index.html" for f in files.documentation_pages())
        if self.config.home and not self._home_is_note:
            makers["index.md"] = lambda page_url: kbpages.home_page(
                vault, graph, self.urls, page_url, readings=len(loaded.readings))
        makers.update(self._reading_pages(files, config, loaded, urls))
        existing = files.src_uris
        for uri, maker in makers.items():
            if uri in existing:
                log.warning(f"{uri}: a vault file uses a name kbgen reserves; generated page skipped")
                continue
            inclusion = InclusionLevel.INCLUDED if uri == "index.md" else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content="", inclusion=inclusion))
            self._makers[uri] = maker

    def _reading_pages(self, files: Files, config: MkDocsConfig, loaded: LoadedVault,
                       urls: DirectoryUrls) -> dict[str, PageMaker]:
        """The Reading list and per-level pages; the exports are written beside them."""
        readings, vault = loaded.readings, loaded.published
        folder = unquote(urls.special("readings"))
        existing = files.src_uris
        for name, content in kbpages.export_files(readings).items():
            if folder + name in existing:
                log.warning(f"{folder + name}: a vault file uses a name kbgen reserves; export skipped")
                continue
            files.append(File.generated(config, folder + name, content=content))
        makers: dict[str, PageMaker] = {src_uri_for(urls.special("readings")): (
            lambda page_url: kbpages.reading_list_page(readings, self.urls, page_url, vault=vault,
                                                       script=READINGS_JS))}
        for level in ("cult", "introductionary"):
            makers[src_uri_for(urls.special(kbpages.level_special(level)))] = (
                lambda page_url, lv=level: kbpages.reading_list_page(
                    readings, self.urls, page_url, vault=vault, level=lv, script=READINGS_JS))
        return makers

    # -- per-page events ---------------------------------------------------------------

    def _note_for(self, page: Page) -> str | None:
        return self._notes_by_uri.get(page.file.src_uri)

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """An empty stub for every kbgen page: MkDocs never reads or YAML-parses a note."""
        if self._note_for(page) or page.file.src_uri in self._makers:
            return ""
        return None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Render the page with kbgen now, so its title is known; MkDocs gets no Markdown."""
        uri, page_url = page.file.src_uri, site_url(page.file)
        note_path = self._note_for(page)
        if note_path is not None:
            assert self.loaded is not None and self.urls is not None
            note = self.loaded.vault.notes[note_path]
            rendered = render_note(note, self.loaded.published, self.loaded.graph, self.urls, page_url)
            for finding in rendered.findings:
                if finding.code != EMBED_CYCLE or finding not in self._loaded_findings:  # logged already
                    self._log_finding(finding)
            # MkDocs themes print page.title unescaped (nav, <title>, header): escape here.
            page.meta["title"] = html.escape(rendered.title or note.title, quote=False)
            self._rendered[uri] = (rendered.html, rendered)
        elif uri in self._makers:
            title, body = self._makers[uri](page_url)
            page.meta["title"] = html.escape(title, quote=False)
            self._rendered[uri] = (body, None)
        else:
            return markdown
        return ""

    def on_page_content(self, html_: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        """Swap in kbgen's HTML and table of contents, plus KaTeX/mermaid where needed."""
        uri = page.file.src_uri
        if uri not in self._rendered:
            return html_
        body, rendered = self._rendered.pop(uri)
        self.pages_rendered += 1
        page_url = site_url(page.file)
        if rendered is not None:
            page.toc = get_toc(toc_tokens(rendered.toc))  # type: ignore[arg-type]
            body += self._vendor_tags(rendered, page_url)
        if page_url == "" and self._home_is_note:
            body += self._site_links(page_url)
        return body

    def _vendor_tags(self, rendered: RenderedPage, page_url: str) -> str:
        """``<link>``/``<script>`` tags for KaTeX and mermaid, only where the page needs them."""
        def src(path: str) -> str:
            return html.escape(relative_url(page_url, path), quote=True)

        tags = []
        if rendered.needs_math:
            tags.append(f'<link rel="stylesheet" href="{src(KATEX_CSS)}">')
            tags.append(f'<script src="{src(KATEX_JS)}"></script>')
        if rendered.needs_mermaid:
            tags.append(f'<script src="{src(MERMAID_JS)}"></script>')
        return "\n" + "\n".join(tags) if tags else ""

    def _site_links(self, page_url: str) -> str:
        """Links to the generated index pages, for a home page that is the user's own note."""
        assert self.urls is not None
        items = "".join(
            f'<li><a href="{html.escape(relative_url(page_url, self.urls.special(name)))}">{label}</a></li>'
            for name, label in SPECIAL_LINKS
        )
        return f'\n<nav class="kbgen-site-links" aria-label="Site index"><ul>{items}</ul></nav>'
