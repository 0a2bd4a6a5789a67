"""The link graph of the last build, patched in place by ``kbgen serve`` after a save.

``build_graph`` adds 120,000 edges at 10k notes (half a second).  After a save only the
notes the kept vault re-resolved (``vault_update``), notes that came or went and readings
whose citations changed have new edges, so only theirs are removed and added again, and
the nodes whose edges or attributes that changed are reported (``GraphChange``), without
comparing two whole graphs.

The patched graph equals ``build_graph`` of the new vault as networkx compares graphs
(nodes, attributes, edges with their keys and data); only the order in which nodes and
neighbours are listed may differ, and every query of ``LinkGraph`` sorts what it returns.
Two attributes are order-dependent in a cold build: a missing note's name is spelled as
its first referrer (in vault order) wrote it, and a tag's as its first note spelled it;
both are recomputed for every such node a patched note reached.  Whatever the patch does
not cover (the published set, the attachments or the links of base views and canvases
changed) is built from scratch and compared with the last graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kbgen.graph import LinkGraph, _file_node, _target_node, add_note_edges, build_graph, reading_attrs
from kbgen.readings.model import Reading
from kbgen.vault import Vault


@dataclass(slots=True)
class GraphChange:
    """What changed in the graph since the last acknowledged build."""

    touched: set[str] = field(default_factory=set)  # nodes that came, went, or whose attributes or edges differ
    citers: set[str] = field(default_factory=set)  # notes citing a touched reading, before or after

    def merge(self, other: GraphChange) -> None:
        self.touched |= other.touched
        self.citers |= other.citers


@dataclass(slots=True)
class KeptGraph:
    """The last graph, what it was built from, and the changes not yet acknowledged."""

    graph: LinkGraph | None = None
    vault: Vault | None = None
    readings: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # key -> what its node and edges show
    derived: list[Any] = field(default_factory=list)
    pending: GraphChange | None = None  # None: unknown (the first build, or a patch that failed)
    patched: bool = False  # whether the last build patched (for benchmarks and tests)

    def build(self, vault: Vault, readings: Iterable[Reading] = (), derived: Iterable[Any] = ()
              ) -> tuple[LinkGraph, GraphChange | None]:
        """The graph of ``vault`` (as ``build_graph`` makes it) and every change since the
        last ``acknowledge`` (None when unknown: every question is asked again)."""
        readings, derived = list(readings), list(derived)
        shown = {r.key: _reading_shown(r) for r in readings}
        previous, self.patched = self.graph, False
        change: GraphChange | None = None
        if previous is None or self.vault is None:
            graph = build_graph(vault, readings, derived)
        elif self._patchable(vault, derived):
            try:
                change = _patch(previous.graph, self.vault, vault, readings, derived, shown, self.readings)
            except BaseException:
                self.clear()  # half patched: nothing kept can be trusted
                raise
            if change is None:
                graph = build_graph(vault, readings, derived)
                change = compare(previous, graph)
            else:
                graph, self.patched = LinkGraph(previous.graph, _inbound(previous, change)), True
        else:
            graph = build_graph(vault, readings, derived)
            change = compare(previous, graph)
        if change is None:
            self.pending = None
        elif self.pending is not None:
            self.pending.merge(change)
        self.graph, self.vault, self.readings, self.derived = graph, vault, shown, derived
        return graph, self.pending

    def acknowledge(self) -> None:
        """The last build's change was taken into account: the next one starts from here."""
        self.pending = GraphChange()

    def clear(self) -> None:
        self.graph, self.vault, self.readings, self.derived, self.pending = None, None, {}, [], None

    def _patchable(self, vault: Vault, derived: list[Any]) -> bool:
        old = self.vault
        assert old is not None
        return (old.unpublished == vault.unpublished and old.unpublished_attachments == vault.unpublished_attachments
                and old.attachments == vault.attachments and derived == self.derived)


def _inbound(previous: LinkGraph, change: GraphChange) -> dict[str, int] | None:
    """The last graph's inbound link counts (if it counted them) with the touched notes' counted again."""
    if previous._inbound is None:
        return None
    counts = dict(previous._inbound)
    notes = [n for n in change.touched if n.startswith("note:")]
    for node in notes:
        counts.pop(node[len("note:"):], None)
    counts.update(previous.inbound_counts_of(n for n in notes if n in previous.graph))
    return counts


def _reading_shown(reading: Reading) -> tuple[Any, ...]:
    return (tuple(sorted(reading_attrs(reading).items())), tuple((c.note, c.line) for c in reading.citations))


def compare(old: LinkGraph, new: LinkGraph) -> GraphChange:
    """The change between two whole graphs: nodes that came, went, or whose attributes or
    edges differ (every edge is an in-edge of its target: comparing those finds both ends).
    networkx keeps each as nested dicts (``_node``, ``_pred``, ``_succ``, which its own
    algorithms read directly); equal dicts are compared in C, without a view per level."""
    a, b = old.graph, new.graph
    came_or_went = set(a.nodes) ^ set(b.nodes)
    touched = set(came_or_went)
    for node in a.nodes:
        if node in came_or_went:
            continue
        if a._node[node] != b._node[node]:
            touched.add(node)
        before, after = a._pred[node], b._pred[node]
        if before != after:  # an edge into node came, went or changed: so did one out of its source
            touched.add(node)
            touched.update(u for u in before.keys() | after.keys() if before.get(u) != after.get(u))
    for graph, other in ((a, b), (b, a)):  # a node that came or went: so did its edges, at both ends
        for node in [n for n in came_or_went if n not in other]:
            touched.update(graph._pred[node])
            touched.update(graph._succ[node])
    citers = {u for graph in (a, b) for node in touched if node.startswith("reading:") and node in graph
              for u in graph._pred[node]}
    return GraphChange(touched, {u.partition(":")[2] for u in citers})


def _patch(g: nx.MultiDiGraph, old: Vault, new: Vault, readings: list[Reading], derived: list[Any],
           shown: dict[str, tuple[Any, ...]], shown_before: dict[str, tuple[Any, ...]]) -> GraphChange | None:
    """Bring ``g`` (the graph of ``old``) to the graph of ``new``; None when it cannot (the
    graph is left as it was then)."""
    changed = [p for p, note in new.notes.items()
               if (old.notes.get(p) is not note or old.resolutions.get(p) is not new.resolutions.get(p))
               and new.is_published(p)]
    if derived and not {link.source for link in derived}.isdisjoint(changed):
        return None  # the edges a base view or canvas shows go with their source's: built from scratch
    gone = [_file_node("note", p) for p in old.notes if p not in new.notes and old.is_published(p)]
    sources = {_file_node("note", p) for p in changed}
    for node in gone:  # whoever linked to a note that went was re-resolved (the kept vault's landing rule)
        if any(u not in sources and u != node for u in g._pred.get(node, ())):
            return None
    works = [f"reading:{k}" for k in shown.keys() | shown_before.keys() if shown.get(k) != shown_before.get(k)]
    before = _Before.of(g, sources, works)
    touched, reached = _remove(g, before, gone, works)
    _add(g, new, changed, readings, works, sources)
    touched |= _compare(g, before, sources, works, reached)
    touched |= _settle_names(g, new, derived, [n for n in reached if n.startswith(("missing:", "tag:"))])
    # a work's node is touched only when the work changed (its citers' edges change with it)
    citers = {u for r in works if r in touched for u in (*before.into.get(r, {}), *g._pred.get(r, {}))}
    return GraphChange(touched, {u.partition(":")[2] for u in citers})


Edges = dict[str, dict[Any, dict[str, Any]]]  # neighbour -> edge key -> data, as networkx keeps them


@dataclass(slots=True)
class _Before:
    """What the patch compares with: the re-added notes' out-edges and attributes, and the
    changed works' in-edges and attributes, as they were."""

    out: dict[str, Edges]
    attrs: dict[str, dict[str, Any]]
    into: dict[str, Edges]

    @classmethod
    def of(cls, g: nx.MultiDiGraph, sources: set[str], works: list[str]) -> _Before:
        nodes = [*(u for u in sources if u in g), *(r for r in works if r in g)]
        return cls({u: {v: dict(keyed) for v, keyed in g._succ[u].items()} for u in sources if u in g},
                   {n: dict(g._node[n]) for n in nodes},
                   {r: {u: dict(keyed) for u, keyed in g._pred[r].items()} for r in works if r in g})


def _remove(g: nx.MultiDiGraph, before: _Before, gone: list[str], works: list[str]) -> tuple[set[str], set[str]]:
    """The re-added notes' out-edges, the notes that went and the changed works' nodes
    leave; returns the nodes touched so far and the nodes whose referrers may have changed."""
    touched: set[str] = set()
    reached: set[str] = set()
    for u, targets in before.out.items():
        reached.update(targets)
        g.remove_edges_from([(u, v, k) for v, keyed in targets.items() for k in keyed])
    for node in gone:
        touched.add(node)
        touched.update(g._succ[node])
        reached.update(g._succ[node])
        g.remove_node(node)
    g.remove_nodes_from([r for r in works if r in g])
    return touched, reached


def _add(g: nx.MultiDiGraph, new: Vault, changed: list[str], readings: list[Reading], works: list[str],
         sources: set[str]) -> None:
    """The changed notes' nodes and out-edges, and the changed works' nodes and in-edges,
    as ``build_graph`` makes them."""
    for path in changed:
        g.add_node(_file_node("note", path), kind="note", path=path, title=new.notes[path].title)
    by_node = {f"reading:{r.key}": r for r in readings}
    for node in works:
        reading = by_node.get(node)
        if reading is not None and any(_file_node("note", c.note) in g for c in reading.citations):
            g.add_node(node, **reading_attrs(reading))
    cites: dict[str, list[tuple[str, int]]] = {}
    for reading in readings:  # in the order a cold build adds them
        for cite in reading.citations:
            source = _file_node("note", cite.note)
            if source in sources:
                cites.setdefault(source, []).append((f"reading:{reading.key}", cite.line))
    for path in changed:  # out-edges in the order a cold build adds them: links, tags, citations
        source = _file_node("note", path)
        add_note_edges(g, new, path)
        for node, line in cites.get(source, ()):
            if node in g:
                g.add_edge(source, node, kind="cites", line=line)
    for node in works:
        reading = by_node.get(node)
        if reading is not None and node in g:
            for cite in reading.citations:
                source = _file_node("note", cite.note)
                if source in g and source not in sources:
                    g.add_edge(source, node, kind="cites", line=cite.line)


def _compare(g: nx.MultiDiGraph, before: _Before, sources: set[str], works: list[str],
             reached: set[str]) -> set[str]:
    """The nodes whose attributes or edges now differ from ``before`` (``reached`` gains
    the re-added notes' new targets)."""
    touched: set[str] = set()
    for u in sources:
        after = g._succ.get(u, {})
        out = before.out.get(u, {})
        if before.attrs.get(u) != g._node[u]:
            touched.add(u)
        for v in out.keys() | after.keys():
            if out.get(v) != after.get(v):
                touched.update((u, v))
        reached.update(after)  # (a node new here is named by the first of them in vault order already)
    for r in works:
        after_in = g._pred.get(r, {})
        into = before.into.get(r, {})
        if before.attrs.get(r) != g._node.get(r) or into != after_in:
            touched.add(r)
        # a citer not re-added whose edge changed: its work's key moved (dedupe keys a work
        # by the places citing it, so another note's entry can rename it)
        touched.update(u for u in into.keys() | after_in.keys() if into.get(u) != after_in.get(u))
    return touched


def _settle_names(g: nx.MultiDiGraph, vault: Vault, derived: list[Any], nodes: list[str]) -> set[str]:
    """Missing and tag nodes left with no referrer go; the rest are named as a cold build
    names them: as their first referring note in vault order spells them (a missing note
    only views link to: as the first such view).  Returns the nodes that went or were renamed."""
    position: dict[str, int] = {}
    touched = set()
    for node in nodes:
        if node not in g:
            continue
        referrers = [u for u, keyed in g._pred[node].items() if any("via" not in d for d in keyed.values())]
        attrs = g._node[node]
        if not referrers and not g._pred[node]:
            touched.add(node)
            g.remove_node(node)
            continue
        if not referrers:
            res = next(link.res for link in derived if _target_node(link.res) == node)
            name = res.missing_name or res.link.target
        else:
            position = position or {p: i for i, p in enumerate(vault.notes)}
            first = min((g._node[u]["path"] for u in referrers), key=position.__getitem__)
            if attrs["kind"] == "missing":
                res = next(r for r in vault.resolutions[first] if r.kind == "missing" and r.missing_key == attrs["key"])
                name = res.missing_name or res.link.target
            else:
                name = next(t for t in (t.lstrip("#") for t in vault.notes[first].tags) if t.casefold() == attrs["key"])
        title = name if attrs["kind"] == "missing" else f"#{name}"
        if (attrs["name"], attrs["title"]) != (name, title):
            attrs.update(name=name, title=title)
            touched.add(node)
    return touched
