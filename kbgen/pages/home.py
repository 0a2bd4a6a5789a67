"""The home page used when the vault has no ``index.md``: what is in the vault, by folder."""

from __future__ import annotations

from html import escape
from typing import Any

from kbgen.pages.common import VaultLike, h1, link, note_title, plural
from kbgen.urls import UrlMap


def home_page(vault: VaultLike, graph: Any, urls: UrlMap, page_url: str = "",
              *, title: str = "Home", readings: int | None = None) -> tuple[str, str]:
    """Totals, links to Wanted notes and Tags (and the Reading list when ``readings`` counts
    its works), then every note grouped by folder."""
    paths = sorted(vault.notes)
    folders: dict[str, list[str]] = {}
    for path in paths:
        folders.setdefault(path.rsplit("/", 1)[0] if "/" in path else "", []).append(path)
    wanted = len(graph.missing_targets()) if graph is not None else 0
    tags = len(graph.tags()) if graph is not None else 0
    attachments = len(getattr(vault, "attachments", ()) or ())
    stats = (
        f'<p class="kbgen-stats">{plural(len(paths), "note")} in {plural(len(folders), "folder")}, '
        f"{plural(attachments, 'attachment')}, {plural(tags, 'tag')}, "
        f"{plural(wanted, 'wanted note')}.</p>\n"
    )
    nav = (
        '<ul class="kbgen-home-links">\n'
        f"<li>{link(page_url, urls.special('wanted'), 'Wanted notes')} ({wanted})</li>\n"
        f"<li>{link(page_url, urls.special('tags'), 'Tags')} ({tags})</li>\n"
        + (f"<li>{link(page_url, urls.special('readings'), 'Reading list')} ({readings})</li>\n"
           if readings is not None else "")
        + "</ul>\n"
    )
    sections = []
    for folder in sorted(folders, key=lambda f: (f != "", f.casefold())):
        notes = sorted(folders[folder], key=lambda p: (note_title(vault, p).casefold(), p))
        label = escape(folder) if folder else "Top level"
        items = "".join(f"<li>{link(page_url, urls.note(p), note_title(vault, p))}</li>\n" for p in notes)
        sections.append(
            f'<section class="kbgen-folder">\n<h2>{label} <span class="kbgen-count">{len(notes)}</span></h2>\n'
            f"<ul>\n{items}</ul>\n</section>\n"
        )
    if not paths:
        sections.append('<p class="kbgen-empty">The vault has no notes yet.</p>\n')
    return title, h1(title) + stats + nav + "".join(sections)
