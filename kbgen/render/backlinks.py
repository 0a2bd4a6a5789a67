"""The "Backlinks" section at the end of a note page, and the note's tag chips.

Backlinks come from the graph (one per link, with the paragraph around it); the text
of the link is marked in that context so the reader sees *how* the note is cited.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from kbgen.markdown.text import link_label
from kbgen.model import Link
from kbgen.render.context import Scope

HEADERLINK = '<a class="headerlink" href="#{id}" title="Permanent link">¶</a>'
MAX_CONTEXTS = 50  # per linking note: a note citing this one 100,000 times stays a readable page


def highlight(context: str, needles: Iterable[str | None]) -> str:
    """Escaped ``context`` with the first needle found (case-insensitive) in ``<mark>``."""
    folded = context.casefold()
    for needle in needles:
        if not needle or len(needle.casefold()) != len(needle):
            continue  # casefold changed the length: positions would not line up
        at = folded.find(needle.casefold())
        if at >= 0:
            end = at + len(needle)
            return f"{escape(context[:at])}<mark>{escape(context[at:end])}</mark>{escape(context[end:])}"
    return escape(context)


def link_needles(link: Link | None) -> list[str | None]:
    """What a link looks like in its context text: as written (``Note > Heading``), target, source.

    The context was made with the same ``link_label`` (notes.py), so the first needle is found.
    """
    if link is None:
        return []
    return [link_label(link.target, link.subpath, link.display), link.target, link.subpath, link.raw]


def _link(scope: Scope, source: str, index: Any) -> Link | None:
    return scope.page.vault.link(source, index)


_FORMATS = {".base": "Base", ".canvas": "Canvas"}  # files whose pages link too (kbgen.derived)


def source_title(scope: Scope, path: str) -> str:
    """The linking note's title; a base or canvas is named as such ("Base Books")."""
    title = scope.page.vault.note_title(path)
    if title is not None:
        return title
    name = path.rsplit("/", 1)[-1]
    for suffix, what in _FORMATS.items():
        if name.lower().endswith(suffix):
            return f"{what} {name[: -len(suffix)]}"
    return name[:-3] if name.lower().endswith(".md") else name


def backlinks_section(scope: Scope, heading_id: str) -> str:
    """``<section class="kbgen-backlinks">``, grouped by linking note, in the graph's order."""
    graph = scope.page.graph
    found = graph.backlinks(scope.note.path) if graph is not None else []
    grouped: dict[str, list[Any]] = {}
    for backlink in found:
        grouped.setdefault(backlink.source, []).append(backlink)
    head = (
        f'<section class="kbgen-backlinks">\n<h2 id="{escape(heading_id)}">Backlinks'
        f"{HEADERLINK.format(id=escape(heading_id))}</h2>\n"
    )
    if not grouped:
        return head + '<p class="kbgen-empty">No backlinks yet.</p>\n</section>\n'
    items = []
    for source, links in grouped.items():
        href = scope.page.href(scope.page.urls.note(source))
        parts = [f'<li><a href="{escape(href)}">{escape(source_title(scope, source))}</a>']
        for backlink in links[:MAX_CONTEXTS]:
            kind = getattr(backlink, "kind", "link")
            via = getattr(backlink, "via", "")  # a link shown by a base view or a canvas card
            label = f'<span class="kbgen-backlink-kind">{escape(via or kind)}</span> ' \
                if kind == "embed" or via else ""
            context = getattr(backlink, "context", "") or ""
            link = _link(scope, source, getattr(backlink, "link_index", None))
            if context or label:
                parts.append(f'<p class="kbgen-backlink-context">{label}{highlight(context, link_needles(link))}</p>')
        if len(links) > MAX_CONTEXTS:
            more = len(links) - MAX_CONTEXTS
            parts.append(f'<p class="kbgen-backlink-more">… and {more} more link{"s" if more > 1 else ""}'
                         " from this note</p>")
        items.append("".join(parts) + "</li>\n")
    return head + "<ul>\n" + "".join(items) + "</ul>\n</section>\n"


def tag_chips(scope: Scope, tags: Iterable[str]) -> str:
    """The note's tags as links to their tag pages (``id="kbgen-tags"`` is reserved by notes.py)."""
    links = []
    seen: set[str] = set()
    for tag in tags:
        name = tag.lstrip("#")
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        href = scope.page.href(scope.page.urls.tag(name))
        links.append(f'<a class="kbgen-tag" href="{escape(href)}">#{escape(name)}</a>')
    if not links:
        return ""
    return f'<div class="kbgen-tags" id="kbgen-tags">{" ".join(links)}</div>\n'
