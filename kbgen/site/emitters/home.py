"""The home page when the vault has no ``index.md``: the notes first — recently changed
(by the dates their front matter gives: ``updated``, ``modified``, ``date``) and most
linked — then the top folder's listing, and the site's indexes with the vault's totals."""

from __future__ import annotations

import datetime as dt
import heapq
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
        summary(site)
        yield PlannedPage(KIND, "", "", INDEX, TITLE, in_nav=True, depends_on=frozenset({"tree", "graph"}))


def summary(site: SiteContext) -> dict[str, Any]:
    """What the home page shows of the whole vault, made in planning: the page asks for
    these few values, not for every note and edge, so an edit re-renders it only when
    one of them changes (at 10k notes the page costs a fifth of a second)."""
    return site.memo(KIND, lambda: {
        "recent": recently_changed(site), "linked": most_linked(site), "notes": len(site.vault.notes),
        "folders": len(site.folders.notes) - 1, "attachments": len(site.vault.attachments),
        "tags": len(site.graph.tags()), "wanted": len(site.missing_targets()), "readings": len(site.loaded.readings)})


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


def recently_changed(site: SiteContext) -> list[str]:
    """The notes with the latest front-matter dates, latest first."""
    dated = []
    for path, note in site.vault.notes.items():
        when = next((d for k in DATE_KEYS if (d := _date(note.frontmatter.get(k))) is not None), None)
        if when is not None:
            dated.append((when, path))
    dated.sort(key=lambda wp: (wp[0], wp[1]), reverse=True)
    return [p for _, p in dated[:SHOWN]]


def most_linked(site: SiteContext) -> list[tuple[str, int]]:
    """(path, links) of the notes with the most links from other notes, most first."""
    counts = site.graph.inbound_link_counts()
    top = heapq.nlargest(SHOWN, counts.values())
    shown = [pc for pc in counts.items() if pc[1] >= top[-1]] if top else []  # ties at the cut included
    return sorted(shown, key=lambda pc: (-pc[1], site.title(pc[0]).casefold(), pc[0]))[:SHOWN]


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    shown_here = summary(site)
    tags, wanted = shown_here["tags"], shown_here["wanted"]
    links = [{"title": "Reading list", "url": site.urls.special("readings"), "count": shown_here["readings"]},
             {"title": "Tags", "url": site.urls.special("tags"), "count": tags},
             {"title": "Wanted notes", "url": site.urls.special("wanted"), "count": wanted}]
    recent = [Crumb(site.title(p), site.urls.note(p)) for p in shown_here["recent"]]
    linked = [Crumb(site.title(p), site.urls.note(p), n) for p, n in shown_here["linked"]]
    shown = listing(site, "")
    shown.heading, shown.heading_id = "Notes and folders", "notes-and-folders"
    body = html.render("home.html", page.url, title=page.title, notes=shown_here["notes"],
                       folders=shown_here["folders"], attachments=shown_here["attachments"],
                       tags=tags, wanted=wanted, links=links, listing=shown,
                       recent=recent, linked=linked)
    toc = [TocEntry(2, i, t) for i, t, on in (("recently-changed", "Recently changed", recent),
                                              ("most-linked", "Most linked", linked),
                                              ("notes-and-folders", "Notes and folders", True),
                                              ("about-this-site", "About this site", True)) if on]
    return PageBody(body, toc)
