"""A page per folder (its subfolders and notes), and the folder tree as one JSON file that
the sidebar explorer fetches once, instead of every page carrying the navigation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kbgen.site import html
from kbgen.site.addresses import INDEX, folder_note
from kbgen.site.context import SiteContext
from kbgen.site.emitters.crumbs import crumbs, folder_name, listing
from kbgen.site.model import PageBody, PlannedFile, PlannedPage

KIND = "folder"
TREE = "tree"
TREE_OUTPUT = "_kbgen/tree.json"


def plan(site: SiteContext) -> Iterator[PlannedPage | PlannedFile]:
    for folder in site.folders.notes:
        if folder and folder_note(folder, site.vault.notes) is None:
            yield PlannedPage(KIND, folder, site.urls.folder(folder), f"{folder}/{INDEX}", folder_name(folder),
                              depends_on=frozenset({f"folder:{folder}"}))
    yield PlannedFile(TREE, TREE_OUTPUT, depends_on=frozenset({"tree"}))  # written once URLs are settled


def render_file(site: SiteContext, planned: PlannedFile) -> bytes:
    return tree_json(site)


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    shown = listing(site, page.key)
    trail = crumbs(site, page.key, include_self=False)
    return PageBody(html.render("folder.html", page.url, title=page.title, crumbs=trail, listing=shown))


def _tree_node(site: SiteContext, folder: str) -> dict[str, Any]:
    notes = sorted(((site.title(p), site.urls.note(p)) for p in site.folders.notes[folder]),
                   key=lambda tu: (tu[0].casefold(), tu[1]))
    return {"n": folder_name(folder), "u": site.urls.folder(folder),
            "d": [_tree_node(site, f) for f in site.folders.subfolders[folder]],
            "f": [list(tu) for tu in notes]}


def tree_json(site: SiteContext) -> bytes:
    """``{"n": name, "u": url, "d": [subfolders], "f": [[title, url], …]}`` from the root;
    URLs are site-root-relative (the explorer makes them relative to the page)."""
    return json.dumps(_tree_node(site, ""), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
