"""Graph view data files: shape, ids, determinism, and sizes that grow linearly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbgen.graph import LinkGraph, build_graph
from kbgen.model import Link, Note
from kbgen.site.graph_data import (
    GLOBAL_FILE,
    KINDS,
    MAX_NEIGHBOURS,
    GraphData,
    graph_files,
    local_file,
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
    assert glob["v"] == 1 and glob["kinds"] == list(KINDS)
    by_title = {title: (url, KINDS[kind], backlinks) for title, url, kind, backlinks in glob["nodes"]}
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
    assert sorted(ids.values()) == list(range(len(glob["nodes"])))
    for key, i in ids.items():
        assert glob["nodes"][i][0] in (key.removesuffix(".md").rsplit("/", 1)[-1], "Ghost", "#Project")
    edges = pairs(glob["edges"])
    expected = {("A.md", "sub/B Note.md"), ("A.md", "missing:ghost"), ("sub/B Note.md", "missing:ghost"),
                ("C.md", "sub/B Note.md"), ("A.md", "tag:project"), ("sub/B Note.md", "tag:project")}
    assert edges == {tuple(sorted((ids[a], ids[b]))) for a, b in expected}  # undirected, once, no self-link
    assert all(a < b for a, b in edges)


def test_local_file_of_every_node_holds_its_neighbourhood(small: LinkGraph) -> None:
    data = files_of(small)
    ids = data.node_ids
    assert set(data.files) == {GLOBAL_FILE} | {local_file(i) for i in ids.values()}
    loc = load(data, local_file(ids["A.md"]))
    assert loc["center"] == ids["A.md"] and loc["nodes"][0][0] == ids["A.md"]
    assert {n[0] for n in loc["nodes"]} == {ids[k] for k in ("A.md", "sub/B Note.md", "missing:ghost", "tag:project")}
    assert loc["nodes"][0][1:] == load(data, GLOBAL_FILE)["nodes"][ids["A.md"]]
    # edges among the neighbours are there too (B -> Ghost, B -> tag)
    assert (ids["sub/B Note.md"], ids["missing:ghost"]) in pairs(loc["edges"])
    assert loc["omitted"] == 0
    lonely = load(data, local_file(ids["Lonely.md"]))
    assert [n[0] for n in lonely["nodes"]] == [ids["Lonely.md"]] and lonely["edges"] == []


def test_titles_override_and_unicode_stays_readable() -> None:
    graph = make_graph([note("Café & Co.md", link("Zoë")), note("x.md", link("Café & Co"))])
    data = files_of(graph, {"x.md": "Front-matter title"})
    raw = data.files[GLOBAL_FILE]
    assert "Café & Co".encode() in raw and b"Zo\xc3\xab" in raw
    titles = [n[0] for n in load(data, GLOBAL_FILE)["nodes"]]
    assert "Front-matter title" in titles and "x" not in titles
    urls = [n[1] for n in load(data, GLOBAL_FILE)["nodes"]]
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
    assert load(data, GLOBAL_FILE)["nodes"][data.node_ids["Hub.md"]][3] == 3 * MAX_NEIGHBOURS
