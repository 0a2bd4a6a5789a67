"""The home page when the vault has no ``index.md``: totals, the site's indexes, and the
top folder's listing (its subfolders and notes), not every note of the vault."""

from __future__ import annotations

from collections.abc import Iterator

from kbgen.site import html
from kbgen.site.addresses import INDEX, folder_note
from kbgen.site.context import SiteContext
from kbgen.site.emitters.crumbs import listing
from kbgen.site.model import PageBody, PlannedPage

KIND = "home"
TITLE = "Home"


def plan(site: SiteContext) -> Iterator[PlannedPage]:
    if site.options.home and folder_note("", site.vault.notes) is None:
        yield PlannedPage(KIND, "", "", INDEX, TITLE, in_nav=True, depends_on=frozenset({"tree", "graph"}))


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    wanted = len(site.missing_targets())
    tags = len(site.graph.tags())
    links = [{"title": "Wanted notes", "url": site.urls.special("wanted"), "count": wanted},
             {"title": "Tags", "url": site.urls.special("tags"), "count": tags},
             {"title": "Reading list", "url": site.urls.special("readings"), "count": len(site.loaded.readings)}]
    shown = listing(site, "")
    shown.heading, shown.heading_id = "Notes and folders", "notes-and-folders"
    body = html.render("home.html", page.url, title=page.title, notes=len(site.vault.notes),
                       folders=len(site.folders.notes) - 1, attachments=len(site.vault.attachments),
                       tags=tags, wanted=wanted, links=links, listing=shown)
    return PageBody(body)
