"""Graph view data files: shape, ids, determinism, stability, and sizes that grow linearly."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kbgen.graph import LinkGraph, build_graph
from kbgen.model import Link, Note
from kbgen.site.graph_data import (
    FORMAT_VERSION,
    GLOBAL_FILE,
    ID_LENGTH,
    KINDS,
    MAX_NEIGHBOURS,
    GraphData,
    assign_ids,
    graph_files,
    key_digest,
    local_file,
    node_ids,
)
from kbgen.urls import DirectoryUrls
from kbgen.vault import build_vault


def link(target: str, line: int = 1, *, subpath: str | None = None, embed: bool = False) -> Link:
    return Link(0, target, subpath, None, embed, line, "wikilink", f"[[{target}]]", "")  # type: ignore[arg-type]


def note(path: str, *links: Link, tags: list[str] | None = None) -> Note:
    for i, lk in enumerate(links):
        lk.index = i
    return Note(path=path, title=path.removesuffix(".md").rsplit("/", 1)[-1], links=list(links),
                tags=tags or [])  # type: ignore[arg-type]


def make_graph(notes: list[Note], attachments: list[str] | None = None) -> LinkGraph:
    return build_graph(build_vault(notes, attachments or []))


def files_of(graph: LinkGraph, titles: dict[str, str] | None = None) -> GraphData:
    missing = [n["key"] for _, n in graph.graph.nodes(data=True) if n["kind"] == "missing"]
    return graph_files(graph, DirectoryUrls(missing), titles)


def load(data: GraphData, path: str) -> dict[str, Any]:
    return json.loads(data.files[path])


def pairs(flat: list[int]) -> set[tuple[int, int]]:
    assert len(flat) % 2 == 0
    return set(zip(flat[::2], flat[1::2]))


def id_pairs(data: dict[str, Any]) -> set[tuple[str, str]]:
    """A data file's edges as (id, id) pairs, whatever the file's own node order."""
    ids = [n[0] for n in data["nodes"]]
    return {tuple(sorted((ids[a], ids[b]))) for a, b in pairs(data["edges"])}  # type: ignore[misc]


@pytest.fixture()
def small() -> LinkGraph:
    return make_graph([
        note("A.md", link("B Note"), link("B Note", 2), link("Ghost"), link("pic.png", embed=True),
             link("", subpath="Top"), tags=["Project"]),
        note("sub/B Note.md", link("A"), link("Ghost"), tags=["project"]),
        note("C.md", link("sub/B Note", embed=True)),
        note("Lonely.md"),
    ], ["pic.png"])


def test_global_file_lists_notes_missing_tags_without_attachments(small: LinkGraph) -> None:
    data = files_of(small)
    glob = load(data, GLOBAL_FILE)
    assert glob["v"] == FORMAT_VERSION == 2 and glob["kinds"] == list(KINDS)
    by_title = {title: (url, KINDS[kind], backlinks) for _, title, url, kind, backlinks in glob["nodes"]}
    assert by_title == {
        "A": ("A/", "note", 1),
        "B Note": ("sub/B%20Note/", "note", 2),  # A twice counts once; C's embed counts
        "C": ("C/", "note", 0),
        "Lonely": ("Lonely/", "note", 0),
        "Ghost": ("_kbgen/missing/ghost/", "missing", 2),
        "#Project": ("_kbgen/tags/project/", "tag", 2),
    }
    ids = data.node_ids
    assert set(ids) == {"A.md", "sub/B Note.md", "C.md", "Lonely.md", "missing:ghost", "tag:project"}
    assert [row[0] for row in glob["nodes"]] == list(ids.values())  # same order: kind, then key
    title_of = {row[0]: row[1] for row in glob["nodes"]}
    for key, node in ids.items():
        assert title_of[node] in (key.removesuffix(".md").rsplit("/", 1)[-1], "Ghost", "#Project")
    edges = pairs(glob["edges"])
    assert all(a < b < len(glob["nodes"]) for a, b in edges)  # index pairs, undirected, once
    expected = {("A.md", "sub/B Note.md"), ("A.md", "missing:ghost"), ("sub/B Note.md", "missing:ghost"),
                ("C.md", "sub/B Note.md"), ("A.md", "tag:project"), ("sub/B Note.md", "tag:project")}
    assert id_pairs(glob) == {tuple(sorted((ids[a], ids[b]))) for a, b in expected}  # no self-link


def test_local_file_of_every_node_holds_its_neighbourhood(small: LinkGraph) -> None:
    data = files_of(small)
    ids = data.node_ids
    assert set(data.files) == {GLOBAL_FILE} | {local_file(i) for i in ids.values()}
    loc = load(data, local_file(ids["A.md"]))
    assert loc["v"] == FORMAT_VERSION and loc["center"] == ids["A.md"] and loc["nodes"][0][0] == ids["A.md"]
    assert {n[0] for n in loc["nodes"]} == {ids[k] for k in ("A.md", "sub/B Note.md", "missing:ghost", "tag:project")}
    assert [n[0] for n in loc["nodes"][1:]] == sorted(n[0] for n in loc["nodes"][1:])  # neighbours by id
    glob_rows = {row[0]: row for row in load(data, GLOBAL_FILE)["nodes"]}
    assert all(row == glob_rows[row[0]] for row in loc["nodes"])
    # edges index the file's own nodes; edges among the neighbours are there too (B -> Ghost, B -> tag)
    assert all(a < b < len(loc["nodes"]) for a, b in pairs(loc["edges"]))
    center = {tuple(sorted((ids["A.md"], ids[k]))) for k in ("sub/B Note.md", "missing:ghost", "tag:project")}
    among = {tuple(sorted((ids["sub/B Note.md"], ids[k]))) for k in ("missing:ghost", "tag:project")}
    assert id_pairs(loc) == center | among
    assert loc["omitted"] == 0
    lonely = load(data, local_file(ids["Lonely.md"]))
    assert [n[0] for n in lonely["nodes"]] == [ids["Lonely.md"]] and lonely["edges"] == []


def test_titles_override_and_unicode_stays_readable() -> None:
    graph = make_graph([note("Café & Co.md", link("Zoë")), note("x.md", link("Café & Co"))])
    data = files_of(graph, {"x.md": "Front-matter title"})
    raw = data.files[GLOBAL_FILE]
    assert "Café & Co".encode() in raw and b"Zo\xc3\xab" in raw
    titles = [n[1] for n in load(data, GLOBAL_FILE)["nodes"]]
    assert "Front-matter title" in titles and "x" not in titles
    urls = [n[2] for n in load(data, GLOBAL_FILE)["nodes"]]
    assert "Caf%C3%A9%20%26%20Co/" in urls


def test_same_vault_in_another_order_gives_identical_bytes() -> None:
    notes = [note(f"n{i}.md", link(f"n{(i * 7) % 20}"), link(f"gone{i % 3}"), tags=[f"t{i % 4}"])
             for i in range(20)]
    first = files_of(make_graph(notes))
    again = files_of(make_graph(list(reversed([note(n.path, *[link(lk.target) for lk in n.links], tags=n.tags)
                                               for n in notes]))))
    assert first.files == again.files and first.node_ids == again.node_ids
    assert list(first.files) == list(again.files)


def chain(n: int) -> LinkGraph:
    """n notes, each linking to the next three and tagged with one of ten tags."""
    return make_graph([note(f"f{i % 5}/note {i}.md", *[link(f"note {(i + k) % n}") for k in (1, 2, 3)],
                            tags=[f"tag{i % 10}"]) for i in range(n)])


def test_total_bytes_grow_linearly_with_the_vault() -> None:
    small, big = (sum(map(len, files_of(chain(n)).files.values())) for n in (300, 1200))
    assert big / small < 4.6  # 4x the notes: about 4x the bytes (quadratic would be 16x)


def test_a_hub_keeps_its_local_file_small_and_its_neighbours_cheap() -> None:
    spokes = [note(f"s{i}.md", link("Hub")) for i in range(3 * MAX_NEIGHBOURS)]
    data = files_of(make_graph([note("Hub.md"), *spokes]))
    hub = load(data, local_file(data.node_ids["Hub.md"]))
    assert len(hub["nodes"]) == MAX_NEIGHBOURS + 1 and hub["omitted"] == 2 * MAX_NEIGHBOURS
    spoke = load(data, local_file(data.node_ids["s5.md"]))
    assert {n[0] for n in spoke["nodes"]} == {data.node_ids["s5.md"], data.node_ids["Hub.md"]}
    hub_row = [row for row in load(data, GLOBAL_FILE)["nodes"] if row[0] == data.node_ids["Hub.md"]]
    assert hub_row[0][4] == 3 * MAX_NEIGHBOURS
    assert hub["nodes"][0] == hub_row[0]


# -- stable ids: a node's id depends on its key alone --------------------------------------


def test_a_node_id_is_the_short_digest_of_its_graph_name(small: LinkGraph) -> None:
    ids = node_ids(small)
    assert ids == files_of(small).node_ids
    assert all(re.fullmatch(f"[a-z2-7]{{{ID_LENGTH}}}", node) for node in ids.values())
    assert ids["A.md"] == key_digest("note:A.md")[:ID_LENGTH]
    assert ids["missing:ghost"] == key_digest("missing:ghost")[:ID_LENGTH]
    assert ids["tag:project"] == key_digest("tag:project")[:ID_LENGTH]
    assert len(set(ids.values())) == len(ids)


def test_colliding_short_ids_lengthen_within_their_group_only() -> None:
    keys = [f"note:n{i}.md" for i in range(100)]  # 100 keys, 32 one-character ids: collisions
    ids = assign_ids(keys, length=1)
    assert len(set(ids.values())) == len(keys)
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(key_digest(key)[0], []).append(key)
    assert any(len(g) == 1 for g in groups.values()) and any(len(g) > 1 for g in groups.values())
    for group in groups.values():
        for key in group:
            assert key_digest(key).startswith(ids[key])
            assert (len(ids[key]) == 1) == (len(group) == 1)
        # a group's ids depend on the group alone: the same without every other key
        assert assign_ids(reversed(group), length=1) == {key: ids[key] for key in group}


def test_equal_digests_take_a_rank_suffix_in_key_order() -> None:
    ids = assign_ids(["b", "c", "a", "other"], digest=lambda k: "x" * 8 if k != "other" else "y" * 8, length=4)
    assert ids == {"a": "xxxxxxxx-0", "b": "xxxxxxxx-1", "c": "xxxxxxxx-2", "other": "yyyy"}


def stable_vault(extra: list[Note]) -> GraphData:
    notes = [note(f"f{i % 3}/n{i}.md", link(f"n{(i + 1) % 30}"), link(f"gone{i % 4}"), tags=[f"t{i % 5}"])
             for i in range(30)]
    return files_of(make_graph([*notes, *extra]))


def test_adding_a_lonely_note_changes_only_the_global_file() -> None:
    before = stable_vault([])
    after = stable_vault([note("A first.md")])  # sorts before every other note
    assert {k: v for k, v in after.node_ids.items() if k != "A first.md"} == before.node_ids
    new_file = local_file(after.node_ids["A first.md"])
    assert set(after.files) == set(before.files) | {new_file}
    changed = {path for path in before.files if before.files[path] != after.files[path]}
    assert changed == {GLOBAL_FILE}


def test_adding_a_linked_note_leaves_files_beyond_its_neighbours_neighbours_alone() -> None:
    before = stable_vault([])
    new = note("A first.md", link("n7"))
    after = stable_vault([new])
    assert {k: v for k, v in after.node_ids.items() if k != "A first.md"} == before.node_ids
    # n7 gains a backlink, so n7's row changes in n7's file and in its neighbours' files
    n7 = after.node_ids["f1/n7.md"]
    touched = {row[0] for row in load(after, local_file(n7))["nodes"]} - {after.node_ids["A first.md"]}
    assert len(touched) == 5  # n7, n6, n8, gone3, t2
    changed = {path for path in before.files if before.files[path] != after.files[path]}
    assert changed == {GLOBAL_FILE} | {local_file(node) for node in touched}
    assert len(before.files) - len(changed) == 34  # of 30 notes, 4 missing notes and 5 tags


def test_every_file_is_json_as_json_dumps_writes_it() -> None:
    """Local files are joined from each node's encoded record: the bytes must be exactly
    those ``json.dumps`` (compact, UTF-8) makes of the same object, keys in format order."""
    graph = make_graph([*[note(f"f{i % 5}/nöte {i}.md", *[link(f"nöte {(i + k) % 90}") for k in (1, 2, 5)],
                               link(f"gone «{i % 7}»"), tags=[f"tag{i % 10}"]) for i in range(90)],
                        note("Hub.md"), *[note(f"s{i}.md", link("Hub")) for i in range(MAX_NEIGHBOURS + 5)]])
    data = files_of(graph, {"f1/nöte 1.md": 'A "quoted" title \\ with \u2028 odd characters'})
    for path, raw in data.files.items():
        parsed = json.loads(raw)
        assert raw == json.dumps(parsed, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), path
        if path != GLOBAL_FILE:
            assert list(parsed) == ["v", "kinds", "center", "nodes", "edges", "omitted"]
            flat = parsed["edges"]
            assert list(zip(flat[::2], flat[1::2])) == sorted(pairs(flat)), path
