"""A page per note: its body from the one parse, breadcrumbs, and, for a folder note,
the folder's listing below its text."""

from __future__ import annotations

from collections.abc import Iterator

from kbgen.render import render_note
from kbgen.render.toc import TocEntry
from kbgen.site import html
from kbgen.site.addresses import folder_of, folder_note
from kbgen.site.context import SiteContext
from kbgen.site.emitters import assets
from kbgen.site.emitters.crumbs import Crumb, crumbs, listing
from kbgen.site.emitters.local_graph import local_graph
from kbgen.site.model import PageBody, PlannedPage

KIND = "note"
LISTING_ID = "in-this-folder"
SITE_LINKS = (("wanted", "Wanted notes"), ("tags", "Tags"), ("readings", "Reading list"))


def plan(site: SiteContext) -> Iterator[PlannedPage]:
    for path, note in site.vault.notes.items():
        yield PlannedPage(KIND, path, site.urls.note(path), site.urls.output(path), note.title,
                          in_nav=site.urls.note(path) == "",
                          depends_on=frozenset({f"note:{path}", "graph"}))


def _folder_it_stands_for(site: SiteContext, path: str) -> str | None:
    """The folder whose page this note is (``a/index.md`` or ``a.md`` for folder ``a``)."""
    for folder in (folder_of(path), path[:-3] if path.lower().endswith(".md") else None):
        if folder is not None and folder in site.folders.notes and folder_note(folder, site.vault.notes) == path:
            return folder
    return None


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    note = site.vault.notes[page.key]
    rendered = render_note(note, site.vault, site.graph, site.urls, page.url)
    home = page.url == ""
    folder = _folder_it_stands_for(site, page.key)
    shown = None
    toc = rendered.toc
    if folder is not None:
        shown = listing(site, folder, skip=page.key)
        shown.heading, shown.heading_id = "In this folder", LISTING_ID
        toc = [*toc, TocEntry(2, LISTING_ID, shown.heading)]
    trail = [] if home else crumbs(site, folder_of(page.key) if folder is None else folder_of(folder))
    links = [Crumb(label, site.urls.special(name)) for name, label in SITE_LINKS] if home else []
    styles, scripts = assets.vendor_files(needs_math=rendered.needs_math, needs_mermaid=rendered.needs_mermaid)
    graph = local_graph(site, page.key, page.url)
    if graph is not None:
        scripts.append(graph.script)
    terms = [a for a in note.aliases if a]
    at = rendered.sections_at
    body = html.render("note.html", page.url, crumbs=trail, body=html.safe(rendered.html[:at]),
                       sections=html.safe(rendered.html[at:]), listing=shown,
                       site_links=links, styles=styles, scripts=scripts, title=note.title, terms=terms,
                       graph=graph)
    return PageBody(body, toc, list(rendered.findings))
