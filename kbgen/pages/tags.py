"""The tag index and one page per tag (nested ``a/b`` tags are listed under ``a``).

Tags are case-insensitive in Obsidian: keys are case-folded, the first spelling the
graph saw is shown.  ``tag_page_names`` includes parents that only exist through a
child (``#a/b`` alone still gives ``#a`` a page), so every tag link has a target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kbgen.pages.common import VaultLike, h1, link, note_title, plural
from kbgen.urls import UrlMap


@dataclass(slots=True)
class _TagNode:
    name: str  # full tag path, as first spelled
    children: dict[str, _TagNode] = field(default_factory=dict)


def _tree(names: list[str]) -> dict[str, _TagNode]:
    root: dict[str, _TagNode] = {}
    for name in sorted(names, key=str.casefold):
        level = root
        parts = [p for p in name.split("/") if p]
        for depth, part in enumerate(parts):
            key = part.casefold()
            if key not in level:
                level[key] = _TagNode("/".join(parts[: depth + 1]))
            level = level[key].children
    return root


def tag_page_names(graph: Any) -> list[str]:
    """Every tag with a page: the vault's tags and all their parents, sorted case-insensitively."""
    names: dict[str, str] = {}
    for name in graph.tags():
        parts = [p for p in name.lstrip("#").split("/") if p]
        for depth in range(1, len(parts) + 1):
            full = "/".join(parts[:depth])
            names.setdefault(full.casefold(), full)
    return sorted(names.values(), key=str.casefold)


def _tag_link(page_url: str, urls: UrlMap, name: str) -> str:
    return link(page_url, urls.tag(name), "#" + name, "kbgen-tag")


def _render_tree(nodes: dict[str, _TagNode], graph: Any, urls: UrlMap, page_url: str) -> str:
    items = []
    for node in nodes.values():
        count = len(graph.notes_with_tag(node.name, nested=True))
        sub = _render_tree(node.children, graph, urls, page_url) if node.children else ""
        items.append(
            f"<li>{_tag_link(page_url, urls, node.name)} "
            f'<span class="kbgen-count">{count}</span>{sub}</li>\n'
        )
    return "<ul>\n" + "".join(items) + "</ul>\n"


def tags_index_page(graph: Any, urls: UrlMap, page_url: str) -> tuple[str, str]:
    """All tags, nested, each with the number of notes carrying it or one of its children."""
    title = "Tags"
    names = list(graph.tags())
    if not names:
        return title, h1(title) + '<p class="kbgen-empty">No note has a tag yet.</p>\n'
    body = f"<p>{plural(len(names), 'tag')}.</p>\n"
    return title, h1(title) + body + f'<div class="kbgen-tag-tree">\n{_render_tree(_tree(names), graph, urls, page_url)}</div>\n'


def tag_page(tag: str, graph: Any, urls: UrlMap, page_url: str,
             *, vault: VaultLike | None = None) -> tuple[str, str]:
    """Notes tagged ``tag`` or one of its children, with the child tags listed first."""
    name = tag.lstrip("#")
    key = name.casefold()
    title = f"#{name}"
    paths = graph.notes_with_tag(name, nested=True)
    parts = [h1(title)]
    if "/" in name:
        parent = name.rsplit("/", 1)[0]
        parts.append(f'<p class="kbgen-tag-parent">Part of {_tag_link(page_url, urls, parent)}</p>\n')
    children = [n for n in tag_page_names(graph) if n.casefold().startswith(key + "/")
                and "/" not in n[len(key) + 1:]]
    if children:
        chips = " ".join(_tag_link(page_url, urls, c) for c in children)
        parts.append(f'<p class="kbgen-tag-children">Narrower: {chips}</p>\n')
    if not paths:
        parts.append('<p class="kbgen-empty">No note has this tag.</p>\n')
        return title, "".join(parts)
    parts.append(f"<p>{plural(len(paths), 'note')}.</p>\n<ul>\n")
    ordered = sorted(paths, key=lambda p: (note_title(vault, p).casefold(), p))
    for path in ordered:
        via = ""
        note = vault.notes.get(path) if vault is not None else None
        if note is not None:
            own = [t for t in note.tags if t.casefold() == key or t.casefold().startswith(key + "/")]
            if own and any(t.casefold() != key for t in own):
                via = " " + " ".join(_tag_link(page_url, urls, t) for t in own)
        parts.append(f"<li>{link(page_url, urls.note(path), note_title(vault, path))}{via}</li>\n")
    parts.append("</ul>\n")
    return title, "".join(parts)
