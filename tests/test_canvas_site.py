"""Canvas boards on the site: every kind of node, labelled edges, links in the graph and in
backlinks, sanitised text cards, unpublished notes kept out, broken files reported."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bases_vault import CANVAS, VAULT
from html_dom import Element, parse
from test_render_helpers import make_vault

from kbgen.canvas.model import parse_canvas
from kbgen.site import plan_site, render_pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    loaded = make_vault(tmp_path_factory.mktemp("canvas"), VAULT)
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    return loaded, plan


def board(built) -> tuple[str, Element]:
    page = built[1].page("canvas", "Plan.canvas")
    assert page is not None
    return page.url, parse(page.body.html)


def node(root: Element, node_id: str) -> Element:
    return root.find(data_node=node_id)


def target(page_url: str, href: str) -> str:
    base = "https://h.example/repo/"
    return unquote(urljoin(base + page_url, href)[len(base):])


def test_canvas_is_a_page(built) -> None:
    page = built[1].page("canvas", "Plan.canvas")
    assert page.url == "Plan.canvas/" and page.title == "Plan"
    assert not any(f.output == "Plan.canvas" for f in built[1].files)


def test_every_node_kind_at_its_place(built) -> None:
    url, root = board(built)
    canvas = root.find("div", "kbgen-canvas")
    # the board spans the nodes plus 40 px: x from -40 to 1000, y from -60 to 360
    assert (canvas.attrs["data-width"], canvas.attrs["data-height"]) == ("1120", "500")
    group = node(root, "group1")
    assert "kbgen-canvas-group" in group.classes() and "kbgen-canvas-color-4" in group.classes()
    assert group.find("p", "kbgen-canvas-group-label").text() == "Reading <plan>"
    assert "left: 40px; top: 40px; width: 760px; height: 420px" in group.attrs["style"]
    text = node(root, "text1")
    assert "kbgen-canvas-color-1" in text.classes()
    assert text.find("h2").text() == "Next up"
    links = {a.text(): target(url, a.attrs["href"]) for a in text.find_all("a")}
    assert links == {"Dune": "Books/Dune/", "Snow Crash": "Books/Snow Crash/"}
    note = node(root, "file1")
    assert note.find("div", "kbgen-embed-title").text() == "Neuromancer"
    assert "Notes on the book." in note.text()
    assert target(url, node(root, "img1").find("img").attrs["src"]) == "dune.png"
    link = node(root, "link1")
    assert link.find("a").attrs["href"] == "https://example.org/reading"
    assert "--kbgen-canvas-color: #3366ff" in link.attrs["style"]
    assert not root.find_all("iframe")  # nothing loads from the network


def test_edges_with_labels_and_arrows(built) -> None:
    _, root = board(built)
    e1, e2 = root.find("g", data_edge="e1"), root.find("g", data_edge="e2")
    assert "kbgen-canvas-color-2" in e1.classes()
    # e1 leaves text1's right side (x 380 on the board) for file1's left side (x 460)
    assert e1.find("path").attrs["d"].startswith("M 380.0 180.0 C") and e1.find("path").attrs["d"].endswith("460.0 200.0")
    assert len(e1.find_all("polygon")) == 1  # toEnd defaults to an arrow
    assert e2.find_all("polygon")[0].attrs["points"].startswith("610.0,300.0")  # fromEnd arrow, toEnd none
    assert len(e2.find_all("polygon")) == 1
    assert root.find("span", "kbgen-canvas-edge-label", data_edge="e1").text() == "then <this>"


def test_text_cards_are_sanitised(built) -> None:
    _, root = board(built)
    text = node(root, "text1")
    assert not text.find_all("script")
    assert all("onclick" not in e.attrs for e in text.iter())
    assert text.find("b").text() == "bold"
    assert any(f.source == "Plan.canvas" and f.code == "unsafe-html" and f.line == 14
               for p in built[1].pages if p.body for f in p.body.findings)


def test_unpublished_note_never_shown(built) -> None:
    _, root = board(built)
    secret = node(root, "secret")
    assert not secret.find_all("a") and "Notes on the book" not in secret.text()
    assert "Draft" not in secret.text() and secret.text() == "(not published)"
    loaded, _ = built
    assert all(b.source != "Plan.canvas" for b in loaded.graph.backlinks("Books/Draft Book.md"))


def test_canvas_links_in_graph_and_backlinks(built) -> None:
    loaded, plan = built
    assert ("Plan.canvas", "canvas", "link") in {(b.source, b.via, b.kind) for b in loaded.graph.backlinks("Books/Dune.md")}
    assert ("Plan.canvas", "canvas", "embed") in {(b.source, b.via, b.kind)
                                                  for b in loaded.graph.backlinks("Books/Neuromancer.md")}
    page = plan.page("note", "Books/Snow Crash.md")
    entries = {li.find("a").text(): li for li in parse(page.body.html).find("section", "kbgen-backlinks").find_all("li")}
    assert "Canvas Plan" in entries
    assert target(page.url, entries["Canvas Plan"].find("a").attrs["href"]) == "Plan.canvas/"
    assert "Read Dune then Snow Crash." in entries["Canvas Plan"].text()


def test_page_carries_its_script_and_styles(built) -> None:
    url, root = board(built)
    assert {target(url, s.attrs["src"]) for s in root.find_all("script")} == {"_kbgen/assets/canvas.js"}
    assert {target(url, s.attrs["href"]) for s in root.find_all("link")} == {"_kbgen/assets/canvas.css"}
    outputs = {f.output for f in built[1].files}
    assert {"_kbgen/assets/canvas.js", "_kbgen/assets/canvas.css", "_kbgen/assets/bases.css"} <= outputs


def test_broken_canvas_files_are_warnings(tmp_path: Path) -> None:
    bad = parse_canvas('{"nodes": [\n  {"id": "a", "type": "text"}', "Bad.canvas")
    assert [(f.line, "broken JSON" in f.message) for f in bad.findings] == [(2, True)]
    odd = {"nodes": [{"id": "a", "type": "blob", "x": 0, "y": 0, "width": 1, "height": 1},
                     {"id": "b", "type": "text", "x": "0", "y": 0, "width": 1, "height": 1},
                     {"id": "c", "type": "text", "x": 0, "y": 0, "width": 10, "height": 10, "color": "red",
                      "text": "[[Nowhere]]"}],
           "edges": [{"id": "e", "fromNode": "c", "toNode": "zz"}]}
    loaded = make_vault(tmp_path, {"Odd.canvas": json.dumps(odd, indent=1), "Note.md": "x"})
    messages = [(f.line, f.message) for f in loaded.findings if f.source == "Odd.canvas"]
    text = " | ".join(m for _, m in messages)
    assert "unknown type 'blob'" in text and "must be numbers" in text and "'red'" in text
    assert "does not exist" in text and "unresolved link to 'Nowhere'" in text
    assert all(line and line > 1 for line, _ in messages)
    shown = loaded.vault.canvases.canvases["Odd.canvas"]
    assert [n.id for n in shown.data.nodes] == ["c"] and shown.data.edges == []


def test_fixture_has_every_node_kind() -> None:
    assert {n["type"] for n in CANVAS["nodes"]} == {"text", "file", "link", "group"}
    assert any(e.get("label") for e in CANVAS["edges"])


def test_hostile_canvas_is_inert(tmp_path: Path) -> None:
    hostile = {"nodes": [
        {"id": "l", "type": "link", "x": 0, "y": 0, "width": 100, "height": 50, "url": "javascript:alert(1)"},
        {"id": "t", "type": "text", "x": 0, "y": 100, "width": 100, "height": 50,
         "text": "<img src=x onerror=alert(1)> [x](javascript:alert(2)) <iframe src=javascript:alert(3)></iframe>"},
        {"id": "g\" onclick=\"x", "type": "group", "x": 0, "y": 0, "width": 10, "height": 10,
         "label": "<script>alert(4)</script>", "color": "#fff; background: url(http://evil)"},
    ], "edges": [{"id": "e<b>", "fromNode": "l", "toNode": "t", "label": "<b onclick=1>x</b>", "color": "1"}]}
    loaded = make_vault(tmp_path, {"Evil.canvas": json.dumps(hostile), "Note.md": "x"})
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    root = parse(plan.page("canvas", "Evil.canvas").body.html)
    board_html = root.find("div", "kbgen-canvas")
    assert not board_html.find_all("script")  # (an <iframe> without src stays, as in notes)
    assert all(not k.startswith("on") for e in board_html.iter() for k in e.attrs)
    assert all(not e.attrs.get(k, "").lower().lstrip().startswith("javascript")
               for e in board_html.iter() for k in ("href", "src"))
    assert "url(" not in board_html.find(data_node='g" onclick="x').attrs["style"]
    assert board_html.find("span", "kbgen-canvas-edge-label").text() == "<b onclick=1>x</b>"
