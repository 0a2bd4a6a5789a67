"""A "not written yet" page per missing target, and the Wanted notes list.

Each page lists who wants the note and in what context, read off the graph's edges into
the missing target (one per link): linear in links, however many a note holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kbgen.new_note import Wanted
from kbgen.render.backlinks import MAX_CONTEXTS, highlight, link_needles
from kbgen.site import html
from kbgen.site.addresses import generated_output
from kbgen.site.context import SiteContext
from kbgen.site.emitters.local_graph import local_graph
from kbgen.site.model import PageBody, PlannedPage

KIND = "missing"
WANTED = "wanted"


@dataclass(slots=True)
class _Context:
    line: int
    html: object


@dataclass(slots=True)
class _Source:
    title: str
    url: str
    contexts: list[_Context] = field(default_factory=list)
    more: int = 0


def plan(site: SiteContext) -> Iterator[PlannedPage]:
    for target in site.graph.missing_targets():
        yield PlannedPage(KIND, target.key, site.urls.missing(target.key),
                          generated_output(site.urls.canonical.missing(target.key)),
                          f"{target.name} — not written yet", depends_on=frozenset({f"missing:{target.key}"}))
    yield PlannedPage(WANTED, WANTED, site.urls.special(WANTED),
                      generated_output(site.urls.canonical.special(WANTED)), "Wanted notes", in_nav=True,
                      depends_on=frozenset({"missing:*"}))


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    if page.kind == WANTED:
        return _render_wanted(site, page)
    target = site.missing_targets()[page.key]
    sources: dict[str, _Source] = {}
    backlinks = site.graph.missing_backlinks(page.key)
    for backlink in backlinks:
        source = sources.get(backlink.source)
        if source is None:
            source = sources[backlink.source] = _Source(site.title(backlink.source), site.urls.note(backlink.source))
        if len(source.contexts) >= MAX_CONTEXTS:
            source.more += 1
            continue
        link = site.vault.link(backlink.source, backlink.link_index)
        context = link.context if link is not None else ""
        source.contexts.append(_Context(backlink.line, html.safe(highlight(context, link_needles(link)))
                                        if context else ""))
    wanted = Wanted(target.name, sorted(target.referrers))
    body = html.render("missing.html", page.url, title=page.title, name=target.name, links=len(backlinks),
                       sources=list(sources.values()), command=wanted.command,
                       graph=local_graph(site, f"missing:{page.key}", page.url))
    return PageBody(body)


def _render_wanted(site: SiteContext, page: PlannedPage) -> PageBody:
    rows = []
    for target in site.graph.missing_targets():
        sources = [{"title": site.title(s), "url": site.urls.note(s)}
                   for s in dict.fromkeys(source for source, _ in target.referrers)]
        rows.append({"name": target.name, "url": site.urls.missing(target.key), "links": len(target.referrers),
                     "sources": sources})
    return PageBody(html.render("wanted.html", page.url, title=page.title, rows=rows))
