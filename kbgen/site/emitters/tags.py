"""The tag index and a page per tag; a nested tag ``a/b`` is listed under ``a`` too.

Tags are case-insensitive in Obsidian: keys are case-folded, the first spelling the
graph saw is shown.  Parents that exist only through a child (``#a/b`` alone) get a page,
so every tag link has a target.  The index is built once, in one pass over the notes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kbgen.site import html
from kbgen.site.addresses import generated_output
from kbgen.site.context import SiteContext
from kbgen.site.emitters.local_graph import local_graph
from kbgen.site.model import PageBody, PlannedPage

KIND = "tag"
INDEX = "tags"


@dataclass(slots=True)
class TagEntry:
    name: str  # full tag path, as first spelled
    notes: set[str] = field(default_factory=set)  # carrying it or a narrower tag
    children: list[str] = field(default_factory=list)  # keys of the direct narrower tags


def tag_index(site: SiteContext) -> dict[str, TagEntry]:
    """Case-folded tag path -> entry, for every tag and every parent of one (sorted)."""
    def build() -> dict[str, TagEntry]:
        entries: dict[str, TagEntry] = {}
        for path, note in sorted(site.vault.notes.items()):
            for tag in note.tags:
                parts = [p for p in tag.lstrip("#").split("/") if p]
                for depth in range(1, len(parts) + 1):
                    name = "/".join(parts[:depth])
                    key = name.casefold()
                    entry = entries.get(key)
                    if entry is None:
                        entry = entries[key] = TagEntry(name)
                        if depth > 1:
                            entries["/".join(parts[: depth - 1]).casefold()].children.append(key)
                    entry.notes.add(path)
        for entry in entries.values():
            entry.children.sort()
        return dict(sorted(entries.items()))
    return site.memo("tags", build)


def plan(site: SiteContext) -> Iterator[PlannedPage]:
    for key, entry in tag_index(site).items():
        yield PlannedPage(KIND, key, site.urls.tag(entry.name), generated_output(site.urls.canonical.tag(entry.name)),
                          f"#{entry.name}", depends_on=frozenset({f"tag:{key}"}))
    yield PlannedPage(INDEX, INDEX, site.urls.special(INDEX), generated_output(site.urls.canonical.special(INDEX)),
                      "Tags", in_nav=True, depends_on=frozenset({"tag:*"}))


def _node(site: SiteContext, index: dict[str, TagEntry], key: str, *, deep: bool) -> dict[str, object]:
    entry = index[key]
    return {"name": entry.name, "url": site.urls.tag(entry.name), "count": len(entry.notes),
            "children": [_node(site, index, c, deep=True) for c in entry.children] if deep else []}


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    index = tag_index(site)
    if page.kind == INDEX:
        roots = [_node(site, index, k, deep=True) for k in index if "/" not in k]
        return PageBody(html.render("tags.html", page.url, title=page.title, nodes=roots, count=len(site.graph.tags())))
    entry = index[page.key]
    parent = None
    if "/" in page.key:
        parent = _node(site, index, page.key.rsplit("/", 1)[0], deep=False)
    children = [_node(site, index, c, deep=False) for c in entry.children]
    notes = []
    for path in sorted(entry.notes, key=lambda p: (site.title(p).casefold(), p)):
        own = list(site.vault.tags_under(path, page.key))
        via = []
        if own and any(t.casefold() != page.key for t in own):
            via = [{"name": t, "url": site.urls.tag(t)} for t in own]
        notes.append({"title": site.title(path), "url": site.urls.note(path), "via": via})
    return PageBody(html.render("tag.html", page.url, title=page.title, parent=parent, children=children,
                                notes=notes, graph=local_graph(site, f"tag:{page.key}", page.url)))
