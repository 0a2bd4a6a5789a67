"""A note's tokens -> the HTML body MkDocs shows, in mkdocs-material's markup.

Imports nothing from MkDocs: ``mkdocs_plugin.py`` calls ``render_note`` and puts
``RenderedPage.html`` / ``.toc`` into the page.  Every href is relative to
``page_url`` so the site works under any sub-path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from kbgen.model import Finding, Note
from kbgen.notes import opens_with_h1
from kbgen.token_store import tokens_of
from kbgen.render.backlinks import backlinks_section, tag_chips
from kbgen.render.context import GraphLike, HeadingRecord, PageState, Scope, VaultLike
from kbgen.render.renderer import KbgenRenderer, render_options
from kbgen.render.sanitize import sanitize_body
from kbgen.render.readings import RELATED_ID, RELATED_TITLE, related_section
from kbgen.render.toc import TocEntry, build_toc
from kbgen.urls import UrlMap

__all__ = ["RenderedPage", "TocEntry", "render_note"]

BACKLINKS_ID = "backlinks"


@dataclass(slots=True)
class RenderedPage:
    """``html`` is the page body (starts with the ``<h1>``); ``toc`` has no H1 entry."""

    html: str
    toc: list[TocEntry]
    sections_at: int  # where kbgen's own sections (Related notes, Backlinks) start in ``html``
    title: str
    needs_math: bool = False
    needs_mermaid: bool = False
    findings: list[Finding] = field(default_factory=list)


def _unique(base: str, used: set[str]) -> str:
    anchor, n = base, 0
    while anchor in used:
        n += 1
        anchor = f"{base}_{n}"
    return anchor


def render_note(
    note: Note,
    vault: VaultLike,
    graph: GraphLike | None,
    urls: UrlMap,
    page_url: str,
    *,
    breaks: bool = True,
) -> RenderedPage:
    """Render ``note`` (already parsed, links resolved) as the page at ``page_url``.

    ``breaks`` renders single newlines as ``<br>``, as Obsidian does unless "strict
    line breaks" is on.  ``findings`` holds embed cycles/depth overruns met here.
    """
    page = PageState(vault=vault, graph=graph, urls=urls, page_url=page_url)
    scope = Scope(page=page, note=note, stack=((note.path, None),))
    tokens = tokens_of(note)
    body = KbgenRenderer().render(tokens, render_options(breaks=breaks), scope.env())
    body = sanitize_body(body, note, vault, page.add_finding)  # raw HTML kept only where harmless
    # The page opens with the note's title unless the note itself opens with an H1.
    title = "" if opens_with_h1(tokens) else f"<h1>{escape(note.title)}</h1>\n"
    used = {h.id for h in page.headings}
    related_id = _unique(RELATED_ID, used)
    related = related_section(scope, related_id)
    backlinks_id = _unique(BACKLINKS_ID, used | {related_id})
    main = title + body + tag_chips(scope, note.tags)
    html = main + related + backlinks_section(scope, backlinks_id)
    # The outline is every heading but the page title, as Obsidian's outline shows it; the
    # sections kbgen adds sit at the outline's top level, not under its last heading.
    outline = page.headings[1:] if title == "" and page.headings and page.headings[0].level == 1 else page.headings
    top = min([h.level for h in outline] + [2])
    headings = [*outline, *([HeadingRecord(top, related_id, RELATED_TITLE)] if related else []),
                HeadingRecord(top, backlinks_id, "Backlinks")]
    return RenderedPage(
        html=html,
        sections_at=len(main),
        toc=build_toc(headings),
        title=note.title,
        needs_math=page.needs_math,
        needs_mermaid=page.needs_mermaid,
        findings=list(page.findings),
    )
