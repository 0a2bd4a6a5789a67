"""``KeptGraph`` (serve) patches the last graph in place: after every kind of edit, and after
every edit of long random sequences, the patched graph equals ``build_graph`` of the new
vault (nodes, attributes, edges with keys and data), and the change it reports is exactly
the nodes that differ between the two cold graphs."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kbgen.graph import LinkGraph
from kbgen.graph_update import GraphChange, compare
from kbgen.pipeline import LoadedVault, load_vault
from kbgen.site.graph_data import graph_files
from kbgen.urls import DirectoryUrls
from tests.incremental_edits import EDITS, KeptSession, make_vault
from tests.test_vault_update import _text

# Edits the patch leaves to a build from scratch: the published set changes.
REBUILT = {"unpublish a note"}


def _brute_touched(old: LinkGraph, new: LinkGraph) -> set[str]:
    a, b = old.graph, new.graph
    out = set(a.nodes) ^ set(b.nodes)
    for node in set(a.nodes) & set(b.nodes):
        if a.nodes[node] != b.nodes[node] or dict(a.pred[node]) != dict(b.pred[node]) \
                or dict(a.succ[node]) != dict(b.succ[node]):
            out.add(node)
    return out


def _brute_citers(old: LinkGraph, new: LinkGraph, touched: set[str]) -> set[str]:
    return {u.partition(":")[2] for g in (old.graph, new.graph) for r in touched
            if r.startswith("reading:") and r in g for u in g.predecessors(r)}


def _assert_same_graph(patched: LinkGraph, cold: LinkGraph) -> None:
    a, b = patched.graph, cold.graph
    assert a._node == b._node
    assert a._succ == b._succ
    assert a._pred == b._pred
    for kind in ("note", "missing", "tag", "reading"):  # the wrapper's own index
        assert sorted(patched._kinds.get(kind, [])) == sorted(cold._kinds.get(kind, []))


def _check(session: KeptSession, before_cold: LinkGraph) -> tuple[LinkGraph, GraphChange, LoadedVault]:
    loaded = session.load()
    change = loaded.graph_change
    assert change is not None
    cold = load_vault(session.root).graph
    _assert_same_graph(loaded.graph, cold)
    assert loaded.graph.inbound_link_counts() == cold.inbound_link_counts()  # (kept for the next patch)
    assert change.touched == _brute_touched(before_cold, cold)
    assert change.citers == _brute_citers(before_cold, cold, change.touched)
    return cold, change, loaded


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_patched_graph_equals_a_cold_one_after_each_kind_of_edit(tmp_path: Path, name: str) -> None:
    root = make_vault(tmp_path / "vault")
    session = KeptSession(root)
    session.load()
    before = load_vault(root).graph
    EDITS[name](root)
    _, change, _ = _check(session, before)
    assert session.graph.patched == (name not in REBUILT)
    assert change.touched or name in ("rename a heading", "edit a note's text")


TAGS = ["#todo", "#Todo", "#area/ml", "#area", "#someday"]
WORKS = ['"Deep Learning" [Ian Goodfellow; book; 2016](https://www.deeplearningbook.org/)',
         '"Grokking Algorithms" [Aditya Bhargava; book; 2016](https://example.org/g)',
         '"Graphs" [Frank Harary; book; 1969](https://example.org/h)']


def _random_note(rng: random.Random) -> str:
    lines = [_text(rng)]
    lines += rng.sample(TAGS, rng.randint(0, 3))
    if rng.random() < 0.3:  # a missing note the canvas wants too, spelled another way
        lines.append(rng.choice(["[[Nowhere Else]]", "[[nowhere else]]", "[[NOWHERE ELSE]]"]))
    for work in rng.sample(WORKS, rng.randint(0, 2)):
        lines.append(f"\n- *{rng.choice(['cult', 'introductionary'])}*: {work}\n")
    return "\n".join(lines) + "\n"


CANVAS = json.dumps({"nodes": [
    {"id": "1", "type": "file", "file": "Alpha.md", "x": 0, "y": 0, "width": 200, "height": 100},
    {"id": "2", "type": "text", "text": "See [[Beta]] and [[Nowhere Else]].", "x": 300, "y": 0, "width": 200,
     "height": 100}], "edges": [{"id": "e", "fromNode": "1", "toNode": "2"}]})
VIEWS = "# Views\n\n```base\nfilters:\n  and:\n    - file.hasTag(\"todo\")\nviews:\n  - type: table\n    name: Todo\n```\n"


@pytest.mark.parametrize("seed,views", [(0, False), (1, False), (2, False), (3, False), (4, True), (5, True)])
def test_a_patched_graph_equals_a_cold_one_after_every_edit_of_a_sequence(tmp_path: Path, seed: int,
                                                                            views: bool) -> None:
    """Notes edited, created and deleted at random, one of them never published; with
    ``views``, a canvas and a base view link to notes too."""
    rng = random.Random(seed)
    root = tmp_path / "vault"
    names = ["Alpha", "alpha", "Beta", "Gamma", "Note", "index", "Nowhere", "Alias One", "Secret"]
    folders = ["", "a", "a/b", "c"]
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "img.png").write_bytes(b"\x89PNG")
    if views:
        (root / "Map.canvas").write_text(CANVAS, encoding="utf-8")
        (root / "Views.md").write_text(VIEWS, encoding="utf-8")

    def write(path: Path) -> None:
        text = _random_note(rng)
        if path.stem == "Secret":  # edited, never published: no node, no edge
            text = "---\npublish: false\n---\n" + text.split("---\n")[-1]
        path.write_text(text, encoding="utf-8")
    for name in names[:5] + ["Secret"]:
        write(root / rng.choice(folders) / f"{name}.md")
    session = KeptSession(root)
    session.load()
    before = load_vault(root).graph
    patched = 0
    for _ in range(30):
        existing = sorted(p for p in root.rglob("*.md") if p.stem not in ("Secret", "Views"))
        if existing and rng.random() < 0.15:
            rng.choice(existing).unlink()
        elif views and rng.random() < 0.15:  # the note showing a view: its view's links go with it
            (root / "Views.md").write_text(VIEWS + f"\nEdited {rng.random()} [[{rng.choice(names)}]].\n", encoding="utf-8")
        else:
            write(root / rng.choice(folders) / f"{rng.choice(names)}.md")
        before, _, _ = _check(session, before)
        patched += session.graph.patched
    # (a base view lists the notes tagged #todo: most edits change its links, and those are built from scratch)
    assert patched >= (5 if views else 24)  # the patch, not a rebuild, made the graphs it can


def test_compare_finds_what_a_brute_force_comparison_finds(tmp_path: Path) -> None:
    root = make_vault(tmp_path / "vault")
    graphs = [load_vault(root).graph]
    for name in ("add a link", "change a reading entry", "delete a note", "cite a work another note cites"):
        EDITS[name](root)
        graphs.append(load_vault(root).graph)
        change = compare(graphs[-2], graphs[-1])
        assert change.touched == _brute_touched(graphs[-2], graphs[-1])
        assert change.citers == _brute_citers(graphs[-2], graphs[-1], change.touched)


@pytest.mark.parametrize("seed", range(3))
def test_graph_data_from_the_last_build_and_the_touched_nodes_equals_graph_data_from_scratch(
        tmp_path: Path, seed: int) -> None:
    """What serve writes: the last build's neighbourhood files, remade for the touched nodes
    and their neighbours only, are the bytes a cold build writes, file for file."""
    rng = random.Random(seed)
    root = make_vault(tmp_path / "vault")
    session = KeptSession(root)
    first = session.load()
    kept = graph_files(first.graph, DirectoryUrls(()), keep=True)
    before = load_vault(root).graph
    notes = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    remade = []
    for step in range(12):
        path = root / rng.choice(notes + [f"New {step}.md"])
        if path.exists() and rng.random() < 0.2:
            path.unlink()
        else:
            path.write_text(_random_note(rng), encoding="utf-8")
        before, change, loaded = _check(session, before)  # the patched graph and its change are right
        missing = [n["key"] for _, n in loaded.graph.graph.nodes(data=True) if n["kind"] == "missing"]
        urls = DirectoryUrls(missing)
        fresh = graph_files(loaded.graph, urls)
        kept_before = kept
        kept = graph_files(loaded.graph, urls, previous=kept, keep=True, touched=change.touched)
        assert kept.files == fresh.files and kept.node_ids == fresh.node_ids
        remade.append(sum(kept.files[f] is not kept_before.files.get(f) for f in kept.files))
    assert min(remade) < len(kept.files) // 2  # most files were taken from the last build
