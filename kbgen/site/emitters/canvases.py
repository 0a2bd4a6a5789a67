"""A page per published ``.canvas`` file: the board (cards, groups, edges) with pan and
zoom (``assets/canvas.js``; without script it scrolls at full size), then its backlinks."""

from __future__ import annotations

from collections.abc import Iterator

from kbgen.model import Note
from kbgen.render.backlinks import backlinks_section
from kbgen.render.canvas import board_html
from kbgen.render.context import PageState, Scope
from kbgen.render.toc import TocEntry
from kbgen.site import html
from kbgen.site.addresses import folder_of
from kbgen.site.context import SiteContext
from kbgen.site.emitters.assets import CANVAS_CSS, CANVAS_JS
from kbgen.site.emitters.bases import title_of
from kbgen.site.emitters.crumbs import crumbs
from kbgen.site.model import PageBody, PlannedPage

KIND = "canvas"
BACKLINKS_ID = "backlinks"


def plan(site: SiteContext) -> Iterator[PlannedPage]:
    canvases = site.vault.canvases
    for path in sorted(canvases.canvases if canvases is not None else ()):
        yield PlannedPage(KIND, path, site.urls.attachment(path), site.urls.output(path), title_of(path),
                          depends_on=frozenset({f"file:{path}", "graph"}))


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    canvas = site.vault.canvases.canvases[page.key]
    state = PageState(vault=site.vault, graph=site.graph, urls=site.urls, page_url=page.url)
    board, findings = board_html(canvas, state)
    scope = Scope(page=PageState(vault=site.vault, graph=site.graph, urls=site.urls, page_url=page.url),
                  note=Note(path=page.key, title=page.title))
    body = html.render("file_page.html", page.url, crumbs=crumbs(site, folder_of(page.key)), title=page.title,
                       title_id="canvas", badge="Canvas", body=html.safe(board),
                       backlinks=html.safe(backlinks_section(scope, BACKLINKS_ID)),
                       styles=[CANVAS_CSS], scripts=[CANVAS_JS])
    return PageBody(body, [TocEntry(2, BACKLINKS_ID, "Backlinks")], findings)
