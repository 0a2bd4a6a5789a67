"""Pages for notes that are linked but not written: one per target, and the "Wanted" list.

A missing page is where a ``[[Not Yet]]`` link lands on the site: instead of a 404
the reader sees who wants the note and in what context, which is what helps write it.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from kbgen.model import Link
from kbgen.pages.common import VaultLike, h1, link, note_title, plural
from kbgen.render.backlinks import highlight, link_needles
from kbgen.urls import UrlMap


def _links_to(vault: VaultLike | None, source: str, line: int, key: str) -> list[Link]:
    """The links of ``source`` on ``line`` that lead to the missing ``key``."""
    note = vault.notes.get(source) if vault is not None else None
    if note is None:
        return []
    out = []
    for candidate in note.links:
        if candidate.line != line:
            continue
        try:
            res = vault.resolution(source, candidate.index)  # type: ignore[union-attr]
        except (KeyError, IndexError):
            continue
        if res.kind == "missing" and res.missing_key == key:
            out.append(candidate)
    return out


def missing_page(target: Any, graph: Any, urls: UrlMap, page_url: str,
                 *, vault: VaultLike | None = None) -> tuple[str, str]:
    """``(title, html)`` for a ``MissingTarget``; ``vault`` adds titles and link contexts."""
    title = f"{target.name} — not written yet"
    referrers: list[tuple[str, int]] = list(target.referrers)
    by_source: dict[str, list[int]] = {}
    for source, line in referrers:
        lines = by_source.setdefault(source, [])
        if line not in lines:
            lines.append(line)
    parts = [
        h1(title),
        f'<p class="kbgen-missing-intro">There is no note called “{escape(target.name)}” yet. '
        f"{plural(len(referrers), 'link')} from {plural(len(by_source), 'note')} "
        f"{'leads' if len(referrers) == 1 else 'lead'} here.</p>\n",
        '<ul class="kbgen-referrers">\n',
    ]
    for source, lines in by_source.items():
        item = [f"<li>{link(page_url, urls.note(source), note_title(vault, source))}"]
        for line in lines:
            found: list[Link | None] = list(_links_to(vault, source, line, target.key)) or [None]
            for one in found:
                context = one.context if one is not None else ""
                text = " " + highlight(context, link_needles(one)) if context else ""
                item.append(
                    f'<p class="kbgen-backlink-context"><span class="kbgen-line">line {line}</span>{text}</p>'
                )
        parts.append("".join(item) + "</li>\n")
    parts.append("</ul>\n")
    return title, "".join(parts)


def wanted_page(graph: Any, urls: UrlMap, page_url: str,
                *, vault: VaultLike | None = None) -> tuple[str, str]:
    """Every missing target, most wanted first (the graph's order), with who wants it."""
    title = "Wanted notes"
    targets: Iterable[Any] = graph.missing_targets()
    rows = []
    for target in targets:
        sources = list(dict.fromkeys(source for source, _ in target.referrers))
        linked_from = ", ".join(link(page_url, urls.note(s), note_title(vault, s)) for s in sources)
        rows.append(
            f"<tr><td>{link(page_url, urls.missing(target.key), target.name, 'kbgen-missing')}</td>"
            f"<td>{len(target.referrers)}</td><td>{linked_from}</td></tr>\n"
        )
    if not rows:
        return title, h1(title) + '<p class="kbgen-empty">Every link leads to a note. Nothing is wanted.</p>\n'
    return title, (
        h1(title)
        + f"<p>{plural(len(rows), 'note')} linked but not written yet, most linked first.</p>\n"
        + "<table>\n<thead><tr><th>Note</th><th>Links</th><th>Linked from</th></tr></thead>\n<tbody>\n"
        + "".join(rows)
        + "</tbody>\n</table>\n"
    )
