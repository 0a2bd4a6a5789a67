"""What changed between the models of two saves, and which recorded questions it can reach.

A serve session keeps every question its pages asked (``kept_bodies``).  Most of them are
about one note or one graph node: ``vault.link(source, i)``, ``graph.backlinks(path)``…
Each such method's answer is a function of a few parts of the model only — the note at
``path`` as published, its resolutions, the edges at one graph node — so a save need not
ask it again unless one of those parts changed.  ``subject`` names the part a question's
answer is made of (or None: the question is asked on every save), ``model_delta`` the
parts that changed: notes and resolutions by identity (a kept vault hands unchanged ones
on as they were), graph nodes as the kept graph reports them (``kbgen.graph_update``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kbgen.graph_update import GraphChange
from kbgen.vault import Vault

# ("note", path) | ("file", path) | ("node", graph node) | ("cites", path) | ("url", path)
# | ("graph_id", key) | ("folder", folder)
Subject = tuple[str, str]

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
    if path == ("urls",) and op == "call:note" and arg and isinstance(arg[0], str):
        return ("url", arg[0])
    if path == (("call", "memo", ("graph_ids",)),) and op == "get" and isinstance(arg, str):
        return ("graph_id", arg)
    if path == ("folders", "notes") and op == "in" and isinstance(arg, str):
        return ("folder", arg)
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


@dataclass(frozen=True, slots=True)
class SiteMarks:
    """The parts of a site plan that most pages ask about, one entry per note or node: a
    note's output (so its URL), a graph node's id, whether a folder exists."""

    outputs: Mapping[str, str]
    graph_ids: Mapping[str, str]
    folders: frozenset[str]


def marks_of(site: Any) -> SiteMarks:
    """The marks of a planned site (``SiteContext``)."""
    from kbgen.site.emitters.graph_view import graph_ids  # the emitter owns the memo
    return SiteMarks(site.urls.outputs(), graph_ids(site), frozenset(site.folders.notes))


def _differing(old: Mapping[str, str], new: Mapping[str, str]) -> Iterator[str]:
    return (key for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def model_delta(old_vault: Vault, new_vault: Vault, graph: GraphChange, old_site: SiteMarks,
                new_site: SiteMarks) -> set[Subject]:
    """Every subject whose part of the model differs between the two models (``graph``:
    the graph's change between them; ``old_site``, ``new_site``: the marks of their plans)."""
    delta: set[Subject] = set()
    add = delta.add
    delta.update(("url", path) for path in _differing(old_site.outputs, new_site.outputs))
    delta.update(("graph_id", key) for key in _differing(old_site.graph_ids, new_site.graph_ids))
    delta.update(("folder", folder) for folder in old_site.folders ^ new_site.folders)
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
    for node in graph.touched:
        add(("node", node))
        kind, _, key = node.partition(":")
        if kind in ("note", "attachment"):
            add(("file", key))
        if kind == "note":
            add(("cites", key))
    for path in graph.citers:  # of a touched reading: their related notes and cited levels
        add(("cites", path))
    return delta
