"""The graph view's data: one compact global JSON file and one small file per node.

The browser never gets the whole graph inlined in a page: the global graph page fetches
``_kbgen/graph/global.json``, and a note page fetches only ``_kbgen/graph/local/<id>.json``
(its depth-1 neighbourhood; depth 2 fetches the neighbours' files on demand).

A node's id is a pure function of its key (``"a/B.md"``, ``"missing:<key>"``,
``"tag:<key>"``, ``"reading:<key>"``), so adding or deleting a note changes no other
node's id, page or file name (incremental builds rely on it): the first ``ID_LENGTH``
characters of the lowercase base-32 BLAKE2b digest (``[a-z2-7]``, 60 bits) of its name
in the link graph (the key, with ``note:`` before a note's path: names are unique there).
Keys whose short ids collide all take the shortest longer prefix of their digests that
tells them apart (so a collision reaches only the colliding keys); keys with equal full
digests take the full digest plus ``-<rank>``, rank in sorted key order.

Formats (``v`` is the format version; URLs are site-root-relative, the page knows its
root; ``kinds`` maps the small integer kind of a node to its name):

- global: ``{"v":2,"kinds":[...],"nodes":[[id,title,url,kind,backlinks],...],
  "edges":[a,b,a,b,...]}`` where ``edges`` is a flat list of undirected pairs of
  indexes into ``nodes`` (each pair once, ``a < b``); nodes are sorted by kind and key;
- local: ``{"v":2,"kinds":[...],"center":id,"nodes":[[id,title,url,kind,backlinks],...],
  "edges":[a,b,...],"omitted":n}``: the centre is the first node, its neighbours follow
  in id order, and ``edges`` index into this file's own ``nodes`` (never the global
  order, so the file changes only when its node's neighbourhood does); ``omitted``
  counts neighbours left out past ``MAX_NEIGHBOURS`` (least linked first).

Nodes are notes, missing notes, tags and readings (attachments are not drawn);
``backlinks`` counts the distinct notes linking to (tagging, citing) the node.  All
work is linear in nodes + edges (plus sorting): a local file lists its centre's edges
and the edges between its neighbours found by scanning only neighbours of degree at
most ``SCAN_DEGREE`` (an edge between two hubs is left out of local files; the global
file has every edge).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kbgen.graph import LinkGraph
from kbgen.urls import UrlMap

GRAPH_DIR = "_kbgen/graph"
GLOBAL_FILE = f"{GRAPH_DIR}/global.json"
FORMAT_VERSION = 2
KINDS = ("note", "missing", "tag", "reading")
ID_LENGTH = 12  # base-32 characters of a node id (60 bits)
MAX_NEIGHBOURS = 400  # a hub's local file lists its most linked neighbours only
SCAN_DEGREE = 64  # neighbours with more links are not scanned for edges among neighbours
_EDGE_KINDS = {"link": ("note", "missing"), "embed": ("note", "missing"), "tag": ("tag",),
               "cites": ("reading",)}


def local_file(node_id: str) -> str:
    """Site-root-relative path of one node's neighbourhood file."""
    return f"{GRAPH_DIR}/local/{node_id}.json"


def key_digest(key: str) -> str:
    """The full 32-character lowercase base-32 BLAKE2b digest of a node key."""
    raw = hashlib.blake2b(key.encode("utf-8"), digest_size=20).digest()
    return base64.b32encode(raw).decode("ascii").lower()


def assign_ids(keys: Iterable[str], length: int = ID_LENGTH,
               digest: Callable[[str], str] = key_digest) -> dict[str, str]:
    """Key -> id: ``length`` characters of the key's digest, longer only for colliding keys
    (module docstring); ids are distinct and each depends only on its collision group."""
    full = {key: digest(key) for key in keys}
    groups: dict[str, list[str]] = defaultdict(list)
    for key, hashed in full.items():
        groups[hashed[:length]].append(key)
    ids: dict[str, str] = {}
    for short, group in groups.items():
        if len(group) == 1:
            ids[group[0]] = short
            continue
        longest = max(len(full[key]) for key in group)
        for size in range(length + 1, longest + 1):
            if len({full[key][:size] for key in group}) == len(group):
                ids.update((key, full[key][:size]) for key in group)
                break
        else:
            for rank, key in enumerate(sorted(group)):
                ids[key] = f"{full[key]}-{rank}"
    return {key: ids[key] for key in full}


@dataclass(slots=True)
class GraphData:
    """Output files (site-root-relative path -> JSON bytes) and each node's id.

    ``node_ids`` keys: a note's vault path (``"a/B.md"``), ``"missing:<key>"``,
    ``"tag:<key>"`` (case-folded tag) and ``"reading:<key>"``.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    node_ids: dict[str, str] = field(default_factory=dict)
    # what a neighbourhood file is made of, by node id: the node's encoded record and its
    # neighbours' ids (kept when asked, so that the next build reuses unchanged files)
    records: dict[str, bytes] = field(default_factory=dict, repr=False)
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _public_key(kind: str, attrs: Mapping[str, Any]) -> str:
    return attrs["path"] if kind == "note" else f"{kind}:{attrs['key']}"


def _ordered_nodes(graph: LinkGraph) -> list[tuple[int, str, str]]:
    """(kind number, public key, graph node name) of every drawn node, by kind then key."""
    return sorted((KINDS.index(kind), _public_key(kind, attrs), str(node))
                  for node, attrs in graph.graph.nodes(data=True) if (kind := attrs.get("kind")) in KINDS)


def node_ids(graph: LinkGraph) -> dict[str, str]:
    """Public key -> id of every drawn node, in the global file's order (needs no URLs)."""
    order = _ordered_nodes(graph)
    by_name = assign_ids(name for _, _, name in order)
    return {key: by_name[name] for _, key, name in order}


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


def graph_files(graph: LinkGraph, urls: UrlMap, titles: Mapping[str, str] | None = None,
                previous: GraphData | None = None, keep: bool = False) -> GraphData:
    """The global graph file and one neighbourhood file per node, deterministic bytes.

    A node's file is made of its record and neighbours and of their records and
    neighbours; with ``previous`` (a build's data made with ``keep``), a file none of
    whose parts changed is taken from it as it is (``keep``: remember the parts)."""
    g = graph.graph
    titles = titles or {}
    order = _ordered_nodes(graph)
    by_name = assign_ids(name for _, _, name in order)
    index = {node: i for i, (_, _, node) in enumerate(order)}
    records: list[list[Any]] = []
    for kind_no, _, node in order:
        title, url = _node_record(KINDS[kind_no], g.nodes[node], urls, titles)
        records.append([by_name[node], title, url, kind_no, 0])

    adjacency: list[set[int]] = [set() for _ in order]
    sources: list[set[int]] = [set() for _ in order]  # distinct notes pointing at a node
    nodes = g._node  # networkx's adjacency dicts, read directly as its own algorithms do
    for u, targets in g._succ.items():
        a = index.get(u)
        if a is None or nodes[u]["kind"] != "note":
            continue
        for v, keyed in targets.items():
            b = index.get(v)
            if u == v or b is None:
                continue
            allowed = nodes[v]["kind"]
            if any(allowed in _EDGE_KINDS.get(d.get("kind"), ()) for d in keyed.values()):
                adjacency[a].add(b)
                adjacency[b].add(a)
                sources[b].add(a)
    for i, srcs in enumerate(sources):
        records[i][4] = len(srcs)

    edges = [x for a, near in enumerate(adjacency) for b in sorted(near) if a < b for x in (a, b)]
    files = {GLOBAL_FILE: _dumps({"v": FORMAT_VERSION, "kinds": list(KINDS), "nodes": records,
                                  "edges": edges})}
    encoded = [_dumps(record) for record in records]  # each node is in many local files
    head = b'{"v":%d,"kinds":%s,"center":' % (FORMAT_VERSION, _dumps(list(KINDS)))
    data = GraphData(files, {key: by_name[node] for _, key, node in order})
    redo: set[int] | range = range(len(records))
    if keep or previous is not None:
        ids = [record[0] for record in records]
        neighbours = [frozenset(ids[j] for j in near) for near in adjacency]
        if keep:
            data.records, data.neighbours = dict(zip(ids, encoded)), dict(zip(ids, neighbours))
        if previous is not None and previous.records:
            redo = _changed_files(ids, encoded, neighbours, adjacency, previous)
    for i, record in enumerate(records):
        name = local_file(record[0])
        files[name] = _local(i, adjacency, records, encoded, head) if i in redo else previous.files[name]  # type: ignore[union-attr]
    return data


def _changed_files(ids: list[str], encoded: list[bytes], neighbours: list[frozenset[str]],
                   adjacency: list[set[int]], previous: GraphData) -> set[int]:
    """The nodes whose file may differ from ``previous``'s: a node whose record or
    neighbours changed (or that is new), and each of its neighbours."""
    changed = {i for i, node in enumerate(ids)
               if previous.records.get(node) != encoded[i] or previous.neighbours.get(node) != neighbours[i]}
    return changed.union(*(adjacency[i] for i in changed))


def _local(center: int, adjacency: list[set[int]], records: list[list[Any]], encoded: list[bytes],
           head: bytes) -> bytes:
    """Depth-1 neighbourhood file of ``center`` (the local format of the module docstring,
    the bytes ``json.dumps`` makes of it, from the nodes' encoded records): capped, with
    edges among the neighbours, all ordered by node id so no global index leaks in."""
    near = adjacency[center]
    if len(near) > MAX_NEIGHBOURS:
        kept = sorted(near, key=lambda n: (-records[n][4], records[n][0]))[:MAX_NEIGHBOURS]
    else:
        kept = list(near)
    kept.sort(key=lambda n: records[n][0])
    position = {n: i for i, n in enumerate([center, *kept])}
    pairs = {(0, i) for i in range(1, len(kept) + 1)}
    for n in kept:
        if len(adjacency[n]) <= SCAN_DEGREE:
            here = position[n]
            for m in adjacency[n] & position.keys():
                if m != center:
                    there = position[m]
                    pairs.add((here, there) if here < there else (there, here))
    edges = ",".join(str(x) for pair in sorted(pairs) for x in pair)
    return b"".join((head, _dumps(records[center][0]), b',"nodes":[', b",".join(encoded[n] for n in position),
                     b'],"edges":[', edges.encode("ascii"), b'],"omitted":', str(len(near) - len(kept)).encode("ascii"),
                     b"}"))
