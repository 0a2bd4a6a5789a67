"""What changed between the models of two saves, and which recorded questions it can reach.

A serve session keeps every question its pages asked (``kept_bodies``).  Most of them are
about one note or one graph node: ``vault.link(source, i)``, ``graph.backlinks(path)``…
Each such method's answer is a function of a few parts of the model only — the note at
``path`` as published, its resolutions, the edges at one graph node — so a save need not
ask it again unless one of those parts changed.  ``subject`` names the part a question's
answer is made of (or None: the question is asked on every save), ``model_delta`` the
parts that changed, found by comparing the two models (identity for notes and resolutions,
which a kept vault hands on unchanged; equality for each graph node's attributes and
edges).
"""

from __future__ import annotations

from typing import Any

from kbgen.graph import LinkGraph
from kbgen.vault import Vault

Subject = tuple[str, str]  # ("note", path) | ("node", graph node) | ("cites", path)

# Questions about one note as the site shows it: the published note's object (so its
# links, title, tags), its resolutions and whether the path is published.
_NOTE_CALLS = frozenset({"call:resolution", "call:link", "call:note_title", "call:tags_under", "call:is_published"})


def subject(question: tuple[Any, ...]) -> Subject | None:
    """The part of the model the answer to ``question`` is made of; None when it reads more
    (a whole mapping, an index built in planning, URLs): such a question is always asked."""
    path, op, arg = question
    if path == ("vault",) and op in _NOTE_CALLS and arg and isinstance(arg[0], str):
        return ("note", arg[0])
    if path == ("vault", "notes") and op in ("get", "in") and isinstance(arg, str):
        return ("note", arg)
    if path == () and op == "call:title" and arg and isinstance(arg[0], str):
        return ("note", arg[0])
    if path == ("graph",) and arg and isinstance(arg[0], str):
        if op == "call:backlinks":  # in-edges of the note's node, else the attachment's
            return ("file", arg[0])
        if op == "call:missing_backlinks":
            return ("node", f"missing:{arg[0]}")
        if op == "call:related_notes":
            return ("cites", arg[0])
    if len(path) == 2 and path[0] == "graph" and isinstance(path[1], tuple) and len(path[1]) == 3:
        _, name, args = path[1]
        if name in ("cited_keys", "cited_levels") and args and isinstance(args[0], str):
            return ("cites", args[0])
    return None


def model_delta(old_vault: Vault, old_graph: LinkGraph, new_vault: Vault, new_graph: LinkGraph) -> set[Subject]:
    """Every subject whose part of the model differs between the two models."""
    delta: set[Subject] = set()
    add = delta.add
    for path in old_vault.notes.keys() | new_vault.notes.keys():
        if (old_vault.notes.get(path) is not new_vault.notes.get(path)
                or old_vault.resolutions.get(path) is not new_vault.resolutions.get(path)):
            add(("note", path))
    hidden_before = old_vault.unpublished | old_vault.unpublished_attachments
    hidden_now = new_vault.unpublished | new_vault.unpublished_attachments
    for path in hidden_before ^ hidden_now:
        add(("note", path))
    for path in set(old_vault.attachments) ^ set(new_vault.attachments):
        add(("note", path))
    touched = _touched_nodes(old_graph, new_graph)
    for node in touched:
        add(("node", node))
        kind, _, key = node.partition(":")
        if kind in ("note", "attachment"):
            add(("file", key))
        if kind == "note":
            add(("cites", key))
        elif kind == "reading":  # its citers' related notes and cited levels
            for graph in (old_graph.graph, new_graph.graph):
                if node in graph:
                    for citer in graph._pred[node]:
                        add(("cites", citer.partition(":")[2]))
    return delta


def _touched_nodes(old: LinkGraph, new: LinkGraph) -> set[str]:
    """Nodes that came, went, or whose attributes, in-edges or out-edges (with their data)
    differ (every edge is an in-edge of its target: comparing those finds both ends).
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
    return touched
