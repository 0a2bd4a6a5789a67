"""A page per published ``.base`` file: every view, each under its name (table, cards or
list; a box for view types the site cannot show), then the notes linking to the base."""

from __future__ import annotations

from collections.abc import Iterator

from markupsafe import escape

from kbgen.model import Note
from kbgen.render.backlinks import backlinks_section
from kbgen.render.bases import view_html
from kbgen.render.context import PageState, Scope
from kbgen.render.toc import TocEntry
from kbgen.site import html
from kbgen.site.addresses import folder_of
from kbgen.site.context import SiteContext
from kbgen.site.emitters.crumbs import crumbs
from kbgen.site.model import PageBody, PlannedPage
from kbgen.slugs import SlugAllocator

KIND = "base"
BACKLINKS_ID = "backlinks"


def title_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def plan(site: SiteContext) -> Iterator[PlannedPage]:
    bases = site.vault.bases
    for path in sorted(bases.files if bases is not None else ()):
        yield PlannedPage(KIND, path, site.urls.attachment(path), site.urls.output(path), title_of(path),
                          depends_on=frozenset({f"file:{path}", "notes:*", "graph"}))


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    shown = site.vault.bases.files[page.key]
    state = PageState(vault=site.vault, graph=site.graph, urls=site.urls, page_url=page.url)
    scope = Scope(page=state, note=Note(path=page.key, title=page.title))
    ids = SlugAllocator({BACKLINKS_ID, "base"})
    parts, toc = [], []
    for view in shown.views:
        anchor = ids.allocate(view.name)
        toc.append(TocEntry(2, anchor, view.name))
        parts.append(f'<h2 id="{escape(anchor)}">{escape(view.name)}</h2>\n')
        parts.append(view_html(scope, view))
    if not shown.views:
        parts.append('<p class="kbgen-empty">This base has no views.</p>\n')
    toc.append(TocEntry(2, BACKLINKS_ID, "Backlinks"))
    body = html.render("file_page.html", page.url, crumbs=crumbs(site, folder_of(page.key)), title=page.title,
                       title_id="base", badge="Base", body=html.safe("".join(parts)),
                       backlinks=html.safe(backlinks_section(scope, BACKLINKS_ID)), styles=[], scripts=[])
    return PageBody(body, toc, list(state.findings))
