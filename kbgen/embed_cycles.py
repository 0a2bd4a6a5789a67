"""Embed cycles found before any page is rendered, so ``kbgen check`` reports what a build would.

An embed shows the target note, one heading's section or one block (``render.embeds``),
and the renderer stops an embed whose (note, part) is already being rendered.  Here the
same parts are graph nodes: ``(path, None)`` for a whole note, ``(path, anchor)`` for a
section or block that some note embeds, with an edge for every note embed written inside
that part (front-matter links are never rendered; a missed section renders no body).
Every strongly connected component (networkx, linear) that holds a cycle yields one
simple cycle, and a finding on each embed along it, worded exactly as the renderer words
its ``embed-cycle`` findings: rendering the page after that embed stops there.

Unpublished notes are left out: the site never renders them, and an embed of one shows
plain text.  (The renderer stops chains deeper than ``MAX_EMBED_DEPTH`` first, so a cycle
of more than six parts is reported there as ``embed-depth``; here it is a cycle.)
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator

import networkx as nx

from kbgen.model import Finding, Link, Note, Resolution
from kbgen.vault import Vault

CODE = "embed-cycle"

Part = tuple[str, str | None]  # (note path, anchor of a heading or block, None for the whole note)


def embed_cycle_findings(vault: Vault) -> list[Finding]:
    """One ``embed-cycle`` finding per embed on one cycle of each cyclic component."""
    graph = embed_graph(vault)
    findings: list[Finding] = []
    for component in nx.strongly_connected_components(graph):
        start = min(component, key=_order)
        if len(component) == 1 and not graph.has_edge(start, start):
            continue
        cycle = [(u, v) for u, v, *_ in nx.find_cycle(graph.subgraph(component), source=start)]
        nodes = [v for _, v in cycle]  # v_0 ... v_k-1: each edge (u, v) closes the cycle at v
        for at, (u, v) in enumerate(cycle):
            ring = nodes[at:] + nodes[:at]  # v, ..., u
            chain = " → ".join(path for path, _ in ring) + f" → {v[0]}"
            note = vault.notes[u[0]]
            for link in graph.edges[u, v]["links"]:
                findings.append(Finding(note.path, link.line, CODE,
                                        f"embed of {_name(link, note)!r} stopped: cycle ({chain})"))
    return findings


def embed_graph(vault: Vault) -> nx.DiGraph:
    """Parts of published notes as nodes, note embeds as edges (``links``: the embeds)."""
    embeds: dict[str, list[tuple[Link, Part]]] = {}
    wanted: dict[str, set[str]] = {}  # note path -> anchors some note embeds
    for path, note in vault.notes.items():
        if not vault.is_published(path):
            continue
        for res in vault.resolutions.get(path, []):
            target = _embedded_part(res, vault)
            if target is not None:
                embeds.setdefault(path, []).append((res.link, target))
                if target[1] is not None:
                    wanted.setdefault(target[0], set()).add(target[1])
    graph = nx.DiGraph()
    for path, found in embeds.items():
        found.sort(key=lambda item: item[0].line)
        lines = [link.line for link, _ in found]
        note = vault.notes[path]
        for anchor, (first, last) in [(None, (1, math.inf)), *_ranges(note, wanted.get(path, set()))]:
            lo, hi = bisect.bisect_left(lines, first), bisect.bisect_right(lines, last)
            for link, target in found[lo:hi]:
                edge = graph.get_edge_data((path, anchor), target)
                if edge is None:
                    graph.add_edge((path, anchor), target, links=[link])
                else:
                    edge["links"].append(link)
    return graph


def _embedded_part(res: Resolution, vault: Vault) -> Part | None:
    """The part a note embed renders, or ``None`` when this link renders no note body."""
    link = res.link
    if not link.embed or link.syntax == "frontmatter" or res.subpath_missed:
        return None
    if res.kind not in ("note", "self") or res.target_path is None or not vault.is_published(res.target_path):
        return None
    return (res.target_path, res.anchor)


def _ranges(note: Note, anchors: set[str]) -> Iterator[tuple[str, tuple[float, float]]]:
    """(anchor, (first line, last line)) of each wanted heading section and block of ``note``."""
    if not anchors:
        return
    ends: list[float] = [math.inf] * len(note.headings)
    open_: list[int] = []  # indexes of headings whose section is still open
    for i, heading in enumerate(note.headings):
        while open_ and note.headings[open_[-1]].level >= heading.level:
            ends[open_.pop()] = heading.line - 1
        open_.append(i)
    for heading, end in zip(note.headings, ends):
        if heading.anchor in anchors:
            yield heading.anchor, (heading.line, end)
    for block in note.blocks:
        if block.anchor in anchors:
            yield block.anchor, (block.line, block.end_line or block.line)


def _name(link: Link, note: Note) -> str:
    """What the renderer calls the embed in its message: the target as written (or the
    embedding note's title for ``![[#part]]``), with its ``#subpath``."""
    name = link.target or note.title
    return name + "#" + link.subpath if link.subpath else name


def _order(part: Part) -> tuple[str, str]:
    return (part[0], part[1] or "")
