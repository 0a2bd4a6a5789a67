"""Breadcrumbs and folder listings: the navigation every page carries, sized by its depth
(never by how many notes a folder holds, except on the folder's own page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kbgen.site.context import SiteContext

HOME = "Home"


@dataclass(frozen=True, slots=True)
class Crumb:
    title: str
    url: str
    count: int = 0


@dataclass(slots=True)
class Listing:
    subfolders: list[Crumb] = field(default_factory=list)
    notes: list[Crumb] = field(default_factory=list)
    heading: str = ""
    heading_id: str = ""


def folder_name(folder: str) -> str:
    return folder.rpartition("/")[2] if folder else HOME


def crumbs(site: SiteContext, folder: str, *, include_self: bool = True) -> list[Crumb]:
    """Home › a › a/b for a page in ``folder``; a folder's own page leaves itself out."""
    chain = site.folders.ancestors(folder)
    if not include_self:
        chain = chain[:-1]
    return [Crumb(folder_name(f), site.urls.folder(f)) for f in chain]


def listing(site: SiteContext, folder: str, *, skip: str | None = None) -> Listing:
    """The subfolders (with note counts) and notes of ``folder``, titles sorted A–Z."""
    folders = site.folders
    subs = [Crumb(folder_name(f), site.urls.folder(f), len(folders.notes[f]))
            for f in folders.subfolders.get(folder, [])]
    notes = sorted((Crumb(site.title(p), site.urls.note(p)) for p in folders.notes.get(folder, []) if p != skip),
                   key=lambda c: (c.title.casefold(), c.url))
    return Listing(subs, notes)
