"""The vault as a networkx ``MultiDiGraph``: backlinks, wanted notes, orphans, tags, exports.

Nodes are ``note:<path>``, ``attachment:<path>``, ``missing:<key>``, ``tag:<key>`` and
``reading:<key>`` (a work cited in reading lists, edges ``cites`` from each note)
(tags are case-insensitive in Obsidian, so the key is case-folded and the node keeps
the first spelling seen as ``name``).  One edge per link (a multigraph, so two links
from one note to another stay two edges, each with its line and context), plus one
``tag`` edge per (note, tag).  Queries return dataclasses in a deterministic order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kbgen.model import Resolution, excerpt
from kbgen.readings.model import Reading
from kbgen.vault import MissingTarget, Vault

_LINK_KINDS = frozenset({"link", "embed"})


@dataclass(frozen=True, slots=True)
class Backlink:
    """A link into a page from another note: what the backlinks panel lists."""

    source: str
    line: int
    kind: str  # "link" | "embed"
    context: str
    link_index: int
    via: str = ""  # "base" or "canvas": a link a base view or a canvas shows, not one written in a note


@dataclass(frozen=True, slots=True)
class Outlink:
    """A link out of a note; ``target`` is a path, or the missing key for a missing one."""

    target: str
    target_kind: str  # "note" | "attachment" | "missing"
    line: int
    kind: str
    link_index: int


@dataclass(frozen=True, slots=True)
class RelatedNote:
    """Another note citing some of the same readings; ``shared`` is how many."""

    path: str
    shared: int


def _file_node(kind: str, path: str) -> str:
    return f"{kind}:{path}"


def _target_node(res: Resolution) -> str:
    if res.kind == "missing":
        return f"missing:{res.missing_key}"
    kind = "attachment" if res.kind == "attachment" else "note"
    return _file_node(kind, res.target_path or res.source)


class LinkGraph:
    """Thin query layer over ``self.graph``: use ``build_graph(vault)``.  Queries read the
    graph as it is; a serve session patches it for the next build (``kbgen.graph_update``)
    and wraps it anew, so a wrapper is not asked again after that."""

    def __init__(self, graph: nx.MultiDiGraph, inbound: dict[str, int] | None = None) -> None:
        self.graph = graph
        self._inbound = inbound  # note path -> links into it (``inbound_link_counts``), made when first asked
        self._missing: list[MissingTarget] | None = None  # every page listing wanted notes asks
        # Node lists per kind, so per-tag and per-target queries do not walk every note.
        self._kinds: dict[str, list[str]] = {}
        for node, kind in graph.nodes(data="kind"):
            self._kinds.setdefault(kind, []).append(node)
        # Note path -> line -> cited level, made per note when first asked (each list item asks).
        self._levels: dict[str, dict[int, str]] = {}

    def _path(self, node: str) -> str:
        return self.graph.nodes[node]["path"]

    def _nodes(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [(n, self.graph.nodes[n]) for n in self._kinds.get(kind, ())]

    def _link_edges(self, edges: Any) -> list[tuple[str, str, dict[str, Any]]]:
        """Link/embed edges only, without self-links (``[[#Heading]]`` is not a connection)."""
        return [(u, v, d) for u, v, d in edges if d.get("kind") in _LINK_KINDS and u != v]

    def _node_for(self, path: str) -> str | None:
        for kind in ("note", "attachment"):
            node = _file_node(kind, path)
            if node in self.graph:
                return node
        return None

    def backlinks(self, path: str) -> list[Backlink]:
        """Links from other notes to the note or attachment at ``path``, by (source, line)."""
        return self._backlinks_to(self._node_for(path))

    def missing_backlinks(self, key: str) -> list[Backlink]:
        """The links that want the missing note ``key``, by (source, line)."""
        return self._backlinks_to(f"missing:{key}")

    def _backlinks_to(self, node: str | None) -> list[Backlink]:
        if node is None or node not in self.graph:
            return []
        edges = self._link_edges(self.graph.in_edges(node, data=True))
        out = [
            Backlink(self._path(u), d["line"], d["kind"], d["context"], d["link_index"], d.get("via", ""))
            for u, _, d in edges
        ]
        return sorted(out, key=lambda b: (b.source, b.line, b.link_index))

    def outlinks(self, path: str) -> list[Outlink]:
        """Links from the note at ``path`` to other notes, attachments or missing targets."""
        node = _file_node("note", path)
        if node not in self.graph:
            return []
        out = []
        for _, v, d in self._link_edges(self.graph.out_edges(node, data=True)):
            attrs = self.graph.nodes[v]
            target = attrs["key"] if attrs["kind"] == "missing" else attrs["path"]
            out.append(Outlink(target, attrs["kind"], d["line"], d["kind"], d["link_index"]))
        return sorted(out, key=lambda o: o.link_index)

    def missing_targets(self) -> list[MissingTarget]:
        """Wanted notes: most-linked first, then by name; one referrer per link."""
        if self._missing is None:
            self._missing = self._missing_targets()
        return list(self._missing)

    def _missing_targets(self) -> list[MissingTarget]:
        out = []
        for node, attrs in self._nodes("missing"):
            refs = sorted(
                (self._path(u), d["line"])
                for u, _, d in self.graph.in_edges(node, data=True)
            )
            out.append(MissingTarget(attrs["key"], attrs["name"], refs))
        return sorted(out, key=lambda m: (-len(m.referrers), m.name.casefold(), m.name))

    def orphans(self) -> list[str]:
        """Notes no other note links to and that link nowhere (tags and self-links ignored)."""
        out = []
        for node, attrs in self._nodes("note"):
            if not self._link_edges(self.graph.in_edges(node, data=True)) and not self._link_edges(
                self.graph.out_edges(node, data=True)
            ):
                out.append(attrs["path"])
        return sorted(out)

    def tags(self) -> dict[str, list[str]]:
        """Tag (first spelling seen) -> sorted note paths, ordered by case-folded tag."""
        out: dict[str, list[str]] = {}
        for node, attrs in sorted(self._nodes("tag"), key=lambda na: na[1]["key"]):
            out[attrs["name"]] = sorted(self._path(u) for u in self.graph.predecessors(node))
        return out

    def notes_with_tag(self, tag: str, nested: bool = True) -> list[str]:
        """Notes tagged ``tag`` (case-insensitive); with ``nested``, ``a`` includes ``a/b``."""
        key = tag.lstrip("#").casefold()
        paths: set[str] = set()
        for node, attrs in self._nodes("tag"):
            if attrs["key"] == key or (nested and attrs["key"].startswith(key + "/")):
                paths.update(self._path(u) for u in self.graph.predecessors(node))
        return sorted(paths)

    def inbound_link_counts(self) -> dict[str, int]:
        """Note path -> links and embeds into it from other notes (in no particular order: a
        serve session's kept graph updates only the counts of the notes a save touched).
        One pass over the notes' in-edges, read from networkx's adjacency dicts as its own
        algorithms read them; the dict is shared, not to be changed."""
        if self._inbound is None:
            self._inbound = self.inbound_counts_of(self._kinds.get("note", ()))
        return self._inbound

    def inbound_counts_of(self, notes: Iterable[str]) -> dict[str, int]:
        """Path -> links into it, of the note nodes ``notes`` that have any."""
        counts: dict[str, int] = {}
        pred, nodes = self.graph._pred, self.graph._node
        for node in notes:
            count = 0
            for u, keyed in pred[node].items():
                if u != node:
                    for d in keyed.values():
                        if d.get("kind") in _LINK_KINDS:
                            count += 1
            if count:
                counts[nodes[node]["path"]] = count
        return counts

    def cited_levels(self, path: str) -> dict[int, str]:
        """Line -> level (cult/introductionary) of each leveled work the note cites there."""
        found = self._levels.get(path)
        if found is None:
            node, nodes = _file_node("note", path), self.graph._node
            found = {} if node not in self.graph else dict(sorted(  # by line: the same whatever the edge order
                (d["line"], nodes[v]["level"]) for v, keyed in self.graph._succ[node].items() for d in keyed.values()
                if d.get("kind") == "cites" and nodes[v].get("level")))
            self._levels[path] = found
        return found

    def cited_keys(self, path: str) -> dict[int, str]:
        """Line -> key of the work the note cites there (every reading, leveled or not), by line."""
        node = _file_node("note", path)
        if node not in self.graph:
            return {}
        return dict(sorted((d["line"], self.graph.nodes[v]["key"]) for _, v, d in self.graph.out_edges(node, data=True)
                           if d["kind"] == "cites"))

    def related_notes(self, path: str) -> list[RelatedNote]:
        """Notes sharing readings with ``path``, most shared first."""
        node = _file_node("note", path)
        if node not in self.graph:
            return []
        counts: dict[str, int] = {}
        works = {v for _, v, d in self.graph.out_edges(node, data=True) if d["kind"] == "cites"}
        for work in works:
            for other in set(self.graph.predecessors(work)) - {node}:
                counts[other] = counts.get(other, 0) + 1
        return sorted((RelatedNote(self._path(n), c) for n, c in counts.items()), key=lambda r: (-r.shared, r.path))

    def to_json(self) -> dict[str, Any]:
        """Node-link data (``nodes``/``edges``), ready for ``json.dumps``."""
        return nx.node_link_data(self.graph, edges="edges")

    def write_graphml(self, path: str | Path) -> None:
        """GraphML has no null: attributes that are ``None`` are left out of the file."""
        clean = nx.MultiDiGraph()
        for node, attrs in self.graph.nodes(data=True):
            clean.add_node(node, **{k: v for k, v in attrs.items() if v is not None})
        for u, v, k, attrs in self.graph.edges(keys=True, data=True):
            clean.add_edge(u, v, key=k, **{a: b for a, b in attrs.items() if b is not None})
        nx.write_graphml(clean, str(path))


def edge_data(res: Resolution) -> dict[str, Any]:
    """The data of the edge a written link makes."""
    link = res.link
    return {"kind": "embed" if link.embed else "link", "line": link.line, "link_index": link.index,
            "syntax": link.syntax, "context": link.excerpt, "status": res.status, "subpath": link.subpath,
            "anchor": res.anchor}


def reading_attrs(reading: Reading) -> dict[str, Any]:
    """The attributes of a cited work's node."""
    return {"kind": "reading", "key": reading.key, "title": reading.title or reading.url or reading.key,
            "level": reading.level, "work_kind": reading.kind, "year": reading.year, "url": reading.url}


def add_note_edges(g: nx.MultiDiGraph, vault: Vault, path: str) -> None:
    """The edges of one published note's written links and tags (a missing target or tag
    node it is the first to name is added, spelled as it spells it)."""
    source = _file_node("note", path)
    for res in vault.resolutions.get(path, []):
        if res.target_path is not None and not vault.is_published(res.target_path):
            continue
        target = _target_node(res)
        if res.kind == "missing" and target not in g:
            name = res.missing_name or res.link.target
            g.add_node(target, kind="missing", key=res.missing_key, name=name, title=name)
        g.add_edge(source, target, **edge_data(res))
    for tag in dict.fromkeys(t.lstrip("#") for t in vault.notes[path].tags):
        key = tag.casefold()
        node = f"tag:{key}"
        if node not in g:
            g.add_node(node, kind="tag", key=key, name=tag, title=f"#{tag}")
        if not g.has_edge(source, node):
            g.add_edge(source, node, kind="tag")


def build_graph(vault: Vault, readings: Iterable[Reading] = (), derived: Iterable[Any] = ()) -> LinkGraph:
    """One node per note, attachment, missing target, tag and reading; one edge per link.

    Only what the site shows: unpublished notes and attachments (``vault.is_published``)
    get no node, their links, tags and citations no edge, and a missing target only they
    link to no node (a missing target's name is spelled as its first published referrer
    wrote it).  Links *to* unpublished files are left out too: the site shows them as text.
    ``derived`` are the links base views and canvases show (``kbgen.bases.build.DerivedLink``):
    edges with ``via`` set, from the note, ``.base`` or ``.canvas`` file that shows them.
    """
    g = nx.MultiDiGraph()
    published = {path: note for path, note in vault.notes.items() if vault.is_published(path)}
    for path, note in published.items():
        g.add_node(_file_node("note", path), kind="note", path=path, title=note.title)
    for path in vault.attachments:
        if vault.is_published(path):
            name = path.rsplit("/", 1)[-1]
            shown = {"format": name.rsplit(".", 1)[1].lower(), "title": name.rsplit(".", 1)[0]} \
                if name.lower().endswith((".base", ".canvas")) else {"title": name}  # pages of their own
            g.add_node(_file_node("attachment", path), kind="attachment", path=path, **shown)
    for path in published:
        add_note_edges(g, vault, path)
    _add_derived(g, vault, derived)
    for reading in readings:
        if not any(_file_node("note", cite.note) in g for cite in reading.citations):
            continue  # cited only where the site does not look (the pipeline dedupes without those)
        node = f"reading:{reading.key}"
        g.add_node(node, **reading_attrs(reading))
        for cite in reading.citations:
            source = _file_node("note", cite.note)
            if source in g:
                g.add_edge(source, node, kind="cites", line=cite.line)
    return LinkGraph(g)


def _add_derived(g: nx.MultiDiGraph, vault: Vault, derived: Iterable[Any]) -> None:
    """Edges for the links shown by base views and canvases (``via`` says which)."""
    for link in derived:
        source = _file_node("note" if link.source in vault.notes else "attachment", link.source)
        res = link.res
        if source not in g or (res.target_path is not None and not vault.is_published(res.target_path)):
            continue
        target = _target_node(res)
        if res.kind == "missing" and target not in g:
            name = res.missing_name or res.link.target
            g.add_node(target, kind="missing", key=res.missing_key, name=name, title=name)
        if target not in g:
            continue
        g.add_edge(source, target, kind="embed" if res.link.embed else "link", line=link.line, link_index=-1,
                   syntax=link.via, context=excerpt(link.context), status=res.status, subpath=res.link.subpath,
                   anchor=res.anchor, via=link.via)
