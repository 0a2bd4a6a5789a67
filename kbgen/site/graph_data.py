"""The graph view's data: one compact global JSON file and one small file per node.

The browser never gets the whole graph inlined in a page: the global graph page fetches
``_kbgen/graph/global.json``, and a note page fetches only ``_kbgen/graph/local/<id>.json``
(its depth-1 neighbourhood; depth 2 fetches the neighbours' files on demand).

Formats (``v`` is the format version; URLs are site-root-relative, the page knows its
root; ``kinds`` maps the small integer kind of a node to its name):

- global: ``{"v":1,"kinds":[...],"nodes":[[title,url,kind,backlinks],...],
  "edges":[a,b,a,b,...]}`` where a node's id is its index and ``edges`` is a flat list
  of undirected index pairs (each pair once, ``a < b``);
- local: ``{"v":1,"kinds":[...],"center":id,"nodes":[[id,title,url,kind,backlinks],...],
  "edges":[a,b,...],"omitted":n}`` with global ids; the centre is the first node;
  ``omitted`` counts neighbours left out past ``MAX_NEIGHBOURS`` (least linked first).

Nodes are notes, missing notes, tags and readings (attachments are not drawn);
``backlinks`` counts the distinct notes linking to (tagging, citing) the node.  All
work is linear in nodes + edges (plus sorting): a local file lists its centre's edges
and the edges between its neighbours found by scanning only neighbours of degree at
most ``SCAN_DEGREE`` (an edge between two hubs is left out of local files; the global
file has every edge).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kbgen.graph import LinkGraph
from kbgen.urls import UrlMap

GRAPH_DIR = "_kbgen/graph"
GLOBAL_FILE = f"{GRAPH_DIR}/global.json"
FORMAT_VERSION = 1
KINDS = ("note", "missing", "tag", "reading")
MAX_NEIGHBOURS = 400  # a hub's local file lists its most linked neighbours only
SCAN_DEGREE = 64  # neighbours with more links are not scanned for edges among neighbours
_EDGE_KINDS = {"link": ("note", "missing"), "embed": ("note", "missing"), "tag": ("tag",),
               "cites": ("reading",)}


def local_file(node_id: int) -> str:
    """Site-root-relative path of one node's neighbourhood file."""
    return f"{GRAPH_DIR}/local/{node_id}.json"


@dataclass(slots=True)
class GraphData:
    """Output files (site-root-relative path -> JSON bytes) and each node's id.

    ``node_ids`` keys: a note's vault path (``"a/B.md"``), ``"missing:<key>"``,
    ``"tag:<key>"`` (case-folded tag) and ``"reading:<key>"``.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    node_ids: dict[str, int] = field(default_factory=dict)


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sort_key(kind: str, attrs: Mapping[str, Any]) -> str:
    return attrs["path"] if kind == "note" else attrs["key"]


def _node_record(kind: str, attrs: Mapping[str, Any], urls: UrlMap,
                 titles: Mapping[str, str]) -> tuple[str, str]:
    """(title, site-root-relative URL) of one graph node."""
    if kind == "note":
        path = attrs["path"]
        return titles.get(path) or attrs.get("title") or path, urls.note(path)
    if kind == "missing":
        return attrs["name"], urls.missing(attrs["key"])
    if kind == "tag":
        return f"#{attrs['name']}", urls.tag(attrs["name"])
    return attrs.get("title") or attrs["key"], urls.special("readings")


def _public_key(kind: str, attrs: Mapping[str, Any]) -> str:
    return attrs["path"] if kind == "note" else f"{kind}:{attrs['key']}"


def graph_files(graph: LinkGraph, urls: UrlMap, titles: Mapping[str, str] | None = None) -> GraphData:
    """The global graph file and one neighbourhood file per node, deterministic bytes."""
    g = graph.graph
    titles = titles or {}
    order = sorted(
        ((KINDS.index(kind), _sort_key(kind, attrs), node)
         for node, attrs in g.nodes(data=True) if (kind := attrs.get("kind")) in KINDS),
    )
    index = {node: i for i, (_, _, node) in enumerate(order)}
    records: list[list[Any]] = []
    node_ids: dict[str, int] = {}
    for i, (kind_no, _, node) in enumerate(order):
        attrs = g.nodes[node]
        title, url = _node_record(KINDS[kind_no], attrs, urls, titles)
        records.append([title, url, kind_no, 0])
        node_ids[_public_key(KINDS[kind_no], attrs)] = i

    adjacency: list[set[int]] = [set() for _ in order]
    sources: list[set[int]] = [set() for _ in order]  # distinct notes pointing at a node
    for u, v, kind in g.edges(data="kind"):
        if u == v or u not in index or v not in index:
            continue
        if g.nodes[v]["kind"] not in _EDGE_KINDS.get(kind, ()) or g.nodes[u]["kind"] != "note":
            continue
        a, b = index[u], index[v]
        adjacency[a].add(b)
        adjacency[b].add(a)
        sources[b].add(a)
    for i, srcs in enumerate(sources):
        records[i][3] = len(srcs)

    edges = [x for a, near in enumerate(adjacency) for b in sorted(near) if a < b for x in (a, b)]
    files = {GLOBAL_FILE: _dumps({"v": FORMAT_VERSION, "kinds": list(KINDS), "nodes": records,
                                  "edges": edges})}
    for i in range(len(order)):
        files[local_file(i)] = _dumps(_local(i, adjacency, records))
    return GraphData(files, node_ids)


def _local(center: int, adjacency: list[set[int]], records: list[list[Any]]) -> dict[str, Any]:
    """Depth-1 neighbourhood of ``center``: capped, with edges among the neighbours."""
    near = adjacency[center]
    if len(near) > MAX_NEIGHBOURS:
        kept = sorted(near, key=lambda n: (-records[n][3], n))[:MAX_NEIGHBOURS]
    else:
        kept = list(near)
    members = set(kept)
    pairs = {(min(center, n), max(center, n)) for n in kept}
    for n in kept:
        if len(adjacency[n]) <= SCAN_DEGREE:
            pairs.update((min(n, m), max(n, m)) for m in adjacency[n] if m in members)
    nodes = [[center, *records[center]]] + [[n, *records[n]] for n in sorted(kept)]
    return {"v": FORMAT_VERSION, "kinds": list(KINDS), "center": center, "nodes": nodes,
            "edges": [x for pair in sorted(pairs) for x in pair], "omitted": len(near) - len(kept)}
