"""LinkGraph queries on a small hand-built vault."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kbgen.graph import Backlink, LinkGraph, Outlink, build_graph
from kbgen.model import Heading, Link, Note
from kbgen.vault import MissingTarget, build_vault


def link(target: str, line: int, *, subpath: str | None = None, embed: bool = False,
         context: str = "", syntax: str = "wikilink") -> Link:
    raw = f"[[{target}]]"
    return Link(0, target, subpath, None, embed, line, syntax, raw, context)  # type: ignore[arg-type]


def note(path: str, *links: Link, tags: list[str] | None = None, **kw: object) -> Note:
    for i, lk in enumerate(links):
        lk.index = i
    return Note(path=path, title=path.removesuffix(".md").upper(), links=list(links),
                tags=tags or [], **kw)  # type: ignore[arg-type]


@pytest.fixture()
def graph() -> LinkGraph:
    notes = [
        note("A.md", link("B", 1, context="see B here"), link("pic.png", 2, embed=True),
             link("Ghost", 3), link("", 4, subpath="Top"), tags=["project", "Project/sub"],
             headings=[Heading(1, "Top", "top", 1)]),
        note("sub/B.md", link("A", 5, context="x " * 300), link("ghost", 6), link("Wraith", 7),
             tags=["project/sub"]),
        note("C.md", link("Ghost", 8), link("A", 9, syntax="markdown"), tags=["other"]),
        note("Lonely.md", link("", 1, subpath="Nope"), tags=["projects"]),
    ]
    return build_graph(build_vault(notes, ["img/pic.png", "unused.pdf"]))


def test_nodes_have_kind_path_and_title(graph: LinkGraph) -> None:
    nodes = graph.graph.nodes
    assert nodes["note:A.md"] == {"kind": "note", "path": "A.md", "title": "A"}
    assert nodes["attachment:img/pic.png"]["kind"] == "attachment"
    assert nodes["attachment:img/pic.png"]["title"] == "pic.png"
    assert nodes["missing:ghost"]["name"] == "Ghost" and nodes["missing:ghost"]["kind"] == "missing"
    assert nodes["tag:project/sub"]["name"] == "Project/sub"  # first spelling, by note path
    assert isinstance(graph.graph, nx.MultiDiGraph)


def test_edge_attributes_and_context_cut(graph: LinkGraph) -> None:
    (edge,) = graph.graph.get_edge_data("note:sub/B.md", "note:A.md").values()
    assert (edge["kind"], edge["line"], edge["link_index"]) == ("link", 5, 0)
    assert edge["syntax"] == "wikilink" and edge["status"] == "resolved"
    assert len(edge["context"]) <= 200 and edge["context"].startswith("x x")
    (embed,) = graph.graph.get_edge_data("note:A.md", "attachment:img/pic.png").values()
    assert embed["kind"] == "embed"


def test_backlinks_exclude_self_links_and_are_ordered(graph: LinkGraph) -> None:
    assert graph.backlinks("A.md") == [
        Backlink("C.md", 9, "link", "", 1),
        Backlink("sub/B.md", 5, "link", ("x " * 300).strip()[:199].rstrip() + "…", 0),
    ]
    assert graph.backlinks("img/pic.png") == [Backlink("A.md", 2, "embed", "", 1)]
    assert graph.backlinks("Lonely.md") == []
    assert graph.backlinks("nope.md") == []


def test_outlinks_in_link_order(graph: LinkGraph) -> None:
    assert graph.outlinks("A.md") == [
        Outlink("sub/B.md", "note", 1, "link", 0),
        Outlink("img/pic.png", "attachment", 2, "embed", 1),
        Outlink("ghost", "missing", 3, "link", 2),
    ]


def test_missing_targets_most_wanted_first(graph: LinkGraph) -> None:
    assert graph.missing_targets() == [
        MissingTarget("ghost", "Ghost", [("A.md", 3), ("C.md", 8), ("sub/B.md", 6)]),
        MissingTarget("wraith", "Wraith", [("sub/B.md", 7)]),
    ]


def test_orphans_ignore_tags_and_self_links(graph: LinkGraph) -> None:
    assert graph.orphans() == ["Lonely.md"]


def test_tags_case_insensitive_with_first_spelling(graph: LinkGraph) -> None:
    assert graph.tags() == {
        "other": ["C.md"],
        "project": ["A.md"],
        "Project/sub": ["A.md", "sub/B.md"],
        "projects": ["Lonely.md"],
    }


def test_notes_with_tag_nested_by_path_component(graph: LinkGraph) -> None:
    assert graph.notes_with_tag("project") == ["A.md", "sub/B.md"]  # not "projects"
    assert graph.notes_with_tag("#PROJECT", nested=False) == ["A.md"]
    assert graph.notes_with_tag("project/sub") == ["A.md", "sub/B.md"]
    assert graph.notes_with_tag("none") == []


def test_to_json_is_node_link_data(graph: LinkGraph) -> None:
    data = json.loads(json.dumps(graph.to_json()))
    assert data["multigraph"] is True and data["directed"] is True
    ids = {n["id"] for n in data["nodes"]}
    assert {"note:A.md", "missing:wraith", "tag:other", "attachment:unused.pdf"} <= ids
    assert len(data["edges"]) == graph.graph.number_of_edges()
    rebuilt = nx.node_link_graph(data, edges="edges")
    assert rebuilt.number_of_nodes() == graph.graph.number_of_nodes()


def test_write_graphml_drops_none(graph: LinkGraph, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    graph.write_graphml(out)
    back = nx.read_graphml(out, force_multigraph=True)
    assert back.number_of_nodes() == graph.graph.number_of_nodes()
    assert back.number_of_edges() == graph.graph.number_of_edges()
    assert "None" not in out.read_text(encoding="utf-8")
    assert back.nodes["missing:ghost"]["name"] == "Ghost"
