"""The home page when the vault has no ``index.md``: the notes first — recently changed
(by the dates their front matter gives: ``updated``, ``modified``, ``date``) and most
linked — then the top folder's listing, and the site's indexes with the vault's totals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from kbgen.render.toc import TocEntry
from kbgen.site import html
from kbgen.site.addresses import INDEX, folder_note
from kbgen.site.context import SiteContext
from kbgen.site.emitters.crumbs import Crumb, listing
from kbgen.site.model import PageBody, PlannedPage

KIND = "home"
TITLE = "Home"
SHOWN = 10
DATE_KEYS = ("updated", "modified", "date")


def plan(site: SiteContext) -> Iterator[PlannedPage]:
    if site.options.home and folder_note("", site.vault.notes) is None:
        yield PlannedPage(KIND, "", "", INDEX, TITLE, in_nav=True, depends_on=frozenset({"tree", "graph"}))


def _date(value: Any) -> str | None:
    """A front-matter date as ISO text (sortable), or None when it is not one."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def recently_changed(site: SiteContext) -> list[Crumb]:
    dated = []
    for path, note in site.vault.notes.items():
        when = next((d for k in DATE_KEYS if (d := _date(note.frontmatter.get(k))) is not None), None)
        if when is not None:
            dated.append((when, path))
    dated.sort(key=lambda wp: (wp[0], wp[1]), reverse=True)
    return [Crumb(site.title(p), site.urls.note(p)) for _, p in dated[:SHOWN]]


def most_linked(site: SiteContext) -> list[Crumb]:
    """Notes with the most links from other notes (one pass over the graph's edges)."""
    counts = site.graph.inbound_link_counts()
    top = sorted(counts.items(), key=lambda pc: (-pc[1], site.title(pc[0]).casefold(), pc[0]))[:SHOWN]
    return [Crumb(site.title(p), site.urls.note(p), n) for p, n in top]


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    wanted = len(site.missing_targets())
    tags = len(site.graph.tags())
    links = [{"title": "Reading list", "url": site.urls.special("readings"), "count": len(site.loaded.readings)},
             {"title": "Tags", "url": site.urls.special("tags"), "count": tags},
             {"title": "Wanted notes", "url": site.urls.special("wanted"), "count": wanted}]
    recent, linked = recently_changed(site), most_linked(site)
    shown = listing(site, "")
    shown.heading, shown.heading_id = "Notes and folders", "notes-and-folders"
    body = html.render("home.html", page.url, title=page.title, notes=len(site.vault.notes),
                       folders=len(site.folders.notes) - 1, attachments=len(site.vault.attachments),
                       tags=tags, wanted=wanted, links=links, listing=shown,
                       recent=recent, linked=linked)
    toc = [TocEntry(2, i, t) for i, t, on in (("recently-changed", "Recently changed", recent),
                                              ("most-linked", "Most linked", linked),
                                              ("notes-and-folders", "Notes and folders", True),
                                              ("about-this-site", "About this site", True)) if on]
    return PageBody(body, toc)
