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
    # What the next build of a serve session takes on (kept when asked): each node's record
    # and its encoding in the files (by id), its drawn neighbours and how many notes point at it
    # (by graph node name), and the digests of the node names.
    records: dict[str, bytes] = field(default_factory=dict, repr=False)
    rows: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    near: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    sources: dict[str, int] = field(default_factory=dict, repr=False)
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    # the global file's node order, each node's neighbours as indexes into it, and each
    # node's part of the flat edge list (all still right while the order stays the same)
    names: list[str] = field(default_factory=list, repr=False)
    index: dict[str, int] = field(default_factory=dict, repr=False)
    adjacency: list[set[int]] = field(default_factory=list, repr=False)
    pairs: list[bytes] = field(default_factory=list, repr=False)


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _public_key(kind: str, attrs: Mapping[str, Any]) -> str:
    return attrs["path"] if kind == "note" else f"{kind}:{attrs['key']}"


def _ordered_nodes(graph: LinkGraph) -> list[tuple[int, str, str]]:
    """(kind number, public key, graph node name) of every drawn node, by kind then key."""
    return sorted((KINDS.index(kind), _public_key(kind, attrs), str(node))
                  for node, attrs in graph.graph.nodes(data=True) if (kind := attrs.get("kind")) in KINDS)


def node_ids(graph: LinkGraph, digests: dict[str, str] | None = None) -> dict[str, str]:
    """Public key -> id of every drawn node, in the global file's order (needs no URLs);
    ``digests`` keeps the names' digests from one build to the next."""
    order = _ordered_nodes(graph)
    by_name = assign_ids((name for _, _, name in order), digest=_remembered(digests))
    return {key: by_name[name] for _, key, name in order}


def _remembered(digests: dict[str, str] | None) -> Callable[[str], str]:
    if digests is None:
        return key_digest

    def digest(key: str) -> str:
        found = digests.get(key)
        if found is None:
            found = digests[key] = key_digest(key)
        return found
    return digest


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


def _drawn(edges: Mapping[Any, Mapping[str, Any]], target_kind: str) -> bool:
    """Whether the edges from a note to a node of ``target_kind`` (networkx's key -> data)
    are drawn: one of them has a kind that may point at it (``_EDGE_KINDS``)."""
    return any(target_kind in _EDGE_KINDS.get(d.get("kind"), ()) for d in edges.values())


def _neighbourhood(g: Any, node: str) -> tuple[frozenset[str], int]:
    """The drawn nodes joined to ``node`` by a drawn edge (either way), and how many
    distinct notes point at it.  An edge is drawn from a note to a node of a kind its
    edge kind allows (``_EDGE_KINDS``); self-links are not."""
    nodes = g._node
    kind = nodes[node]["kind"]
    near: set[str] = set()
    if kind == "note":
        for v, keyed in g._succ[node].items():
            if v != node and _drawn(keyed, nodes[v]["kind"]):
                near.add(v)
    sources = 0
    for u, keyed in g._pred[node].items():
        if u != node and nodes[u]["kind"] == "note" and _drawn(keyed, kind):
            near.add(u)
            sources += 1
    return frozenset(near), sources


def _neighbourhoods(g: Any, names: list[str]) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    """``_neighbourhood`` of every node of ``names`` (the drawn ones), in one pass over the edges."""
    nodes = g._node
    near: dict[str, set[str]] = {node: set() for node in names}
    sources = dict.fromkeys(names, 0)
    for u, targets in g._succ.items():
        if u not in near or nodes[u]["kind"] != "note":
            continue
        for v, keyed in targets.items():
            if u != v and v in near and _drawn(keyed, nodes[v]["kind"]):
                near[u].add(v)
                near[v].add(u)
                sources[v] += 1
    return {node: frozenset(found) for node, found in near.items()}, sources


def graph_files(graph: LinkGraph, urls: UrlMap, titles: Mapping[str, str] | None = None,
                previous: GraphData | None = None, keep: bool = False,
                touched: set[str] | None = None) -> GraphData:
    """The global graph file and one neighbourhood file per node, deterministic bytes.

    With ``previous`` (a build's data made with ``keep``) and the graph nodes ``touched``
    since (their attributes or edges changed), only the touched nodes' neighbourhoods are
    found again, and a node's file is made again only when its record or neighbourhood or
    a neighbour's changed; the others are taken from ``previous`` as they are."""
    g = graph.graph
    titles = titles or {}
    order = _ordered_nodes(graph)
    names = [node for _, _, node in order]
    digests = dict(previous.digests) if previous is not None and keep else ({} if keep else None)
    by_name = assign_ids(names, digest=_remembered(digests))
    incremental = previous is not None and touched is not None and bool(previous.near)
    if incremental:
        near: dict[str, frozenset[str]] = {}
        sources: dict[str, int] = {}
        for node in names:
            if node not in touched and node in previous.near:  # type: ignore[operator,union-attr]
                near[node], sources[node] = previous.near[node], previous.sources[node]  # type: ignore[union-attr]
            else:
                near[node], sources[node] = _neighbourhood(g, node)
    else:
        near, sources = _neighbourhoods(g, names)
    records: list[list[Any]] = []
    for kind_no, _, node in order:
        title, url = _node_record(KINDS[kind_no], g._node[node], urls, titles)
        records.append([by_name[node], title, url, kind_no, sources[node]])
    if incremental and previous.names == names:  # type: ignore[union-attr]
        # the same nodes in the same order: indexes hold, so only touched nodes' rows change
        index, adjacency, pairs = previous.index, list(previous.adjacency), list(previous.pairs)  # type: ignore[union-attr]
        for node in touched & index.keys():  # type: ignore[operator]
            i = index[node]
            adjacency[i] = {index[m] for m in near[node]}
            pairs[i] = _pairs(i, adjacency[i])
    else:
        index = {node: i for i, node in enumerate(names)}
        adjacency = [{index[m] for m in near[node]} for node in names]
        pairs = [_pairs(a, near_a) for a, near_a in enumerate(adjacency)]
    rows = [tuple(record) for record in records]
    kept_rows = previous.rows if previous is not None else {}
    kept_bytes = previous.records if previous is not None else {}
    same = [kept_rows.get(row[0]) == row for row in rows]
    encoded = [kept_bytes[row[0]] if unchanged else _dumps(record)  # each node is in many local files
               for row, record, unchanged in zip(rows, records, same)]
    kinds = _dumps(list(KINDS))
    files = {GLOBAL_FILE: b"".join((b'{"v":%d,"kinds":%s,"nodes":[' % (FORMAT_VERSION, kinds), b",".join(encoded),
                                    b'],"edges":[', b",".join(filter(None, pairs)), b"]}"))}
    head = b'{"v":%d,"kinds":%s,"center":' % (FORMAT_VERSION, kinds)
    data = GraphData(files, {key: by_name[node] for _, key, node in order})
    if keep:
        data.names, data.index, data.adjacency, data.pairs = names, index, adjacency, pairs
        data.records = {row[0]: e for row, e in zip(rows, encoded)}
        data.rows = {row[0]: row for row in rows}
        data.near, data.sources = near, sources
        data.digests = {name: digests[name] for name in names} if digests is not None else {}
    redo: set[int] | range = range(len(records))
    if incremental:
        changed = {i for i, node in enumerate(names) if node in touched or not same[i]}  # type: ignore[operator]
        redo = changed.union(*(adjacency[i] for i in changed))
    for i, record in enumerate(records):
        name = local_file(record[0])
        files[name] = _local(i, adjacency, records, encoded, head) if i in redo else previous.files[name]  # type: ignore[union-attr]
    return data


def _pairs(a: int, near: set[int]) -> bytes:
    """Node ``a``'s part of the global file's flat edge list: ``a,b`` for each neighbour b > a."""
    return ",".join(f"{a},{b}" for b in sorted(near) if b > a).encode("ascii")


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
