"""The pieces behind "nothing crashes": bounded nesting, linear contexts, safe generated
paths, case twins, odd file names and symlink bombs, each on its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_render_helpers import make_vault, render

from kbgen.files import decode_note, scan_vault
from kbgen.markdown import make_parser
from kbgen.markdown.nesting import MAX_NESTING
from kbgen.notes import parse_note
from kbgen.site_build import build_site
from kbgen.urls import MAX_SEGMENT_BYTES, DirectoryUrls, case_collisions, safe_segment


def parse(text: str, path: str = "N.md"):
    return parse_note(decode_note(path, text.encode("utf-8")), make_parser())


# ---- nesting ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [">" * 100_000 + " END", "- " * 20_000 + "END",
                                  "".join("  " * i + f"- {i}\n" for i in range(400)) + "END"])
def test_deep_nesting_is_flattened_not_dropped(text: str) -> None:
    note = parse(text)
    assert max(t.level for t in note.tokens) <= MAX_NESTING
    shown = "".join(t.content for t in note.tokens if t.type == "inline")
    assert "END" in shown
    assert [f.code for f in note.findings] == ["nesting"] and note.findings[0].line


def test_nesting_within_the_limit_keeps_its_structure() -> None:
    note = parse("".join("  " * i + f"- item {i}\n" for i in range(12)) + "\n" + ">" * 20 + " q\n")
    assert sum(t.type == "bullet_list_open" for t in note.tokens) == 12
    assert sum(t.type == "blockquote_open" for t in note.tokens) == 20
    assert note.findings == []


def test_links_in_flattened_content_still_count() -> None:
    note = parse(">" * 200 + " see [[Deep Target]]\n")
    assert [link.target for link in note.links] == ["Deep Target"]


def test_unterminated_wikilinks_are_reported_once_per_line() -> None:
    note = parse("[" * 10_000 + "x\n\n[[ a\n")
    assert [(f.line, f.code) for f in note.findings] == [(1, "invalid-link"), (3, "invalid-link")]


def test_context_of_a_link_in_a_huge_paragraph() -> None:
    text = "\n".join(f"word{i} [[T]]" for i in range(50_000))
    note = parse(text)  # linear: the context cut once took minutes here (benchmarks time it)
    assert len(note.links) == 50_000
    last = note.links[-1].context
    assert last.startswith("…") and "word49999" in last and len(last) <= 202


# ---- paths of generated pages ------------------------------------------------------------

@pytest.mark.parametrize("name", ["..", ".", "...", "a\x00b", "x" * 5000, "é" * 300, "a\\b", "ok"])
def test_safe_segment_is_one_short_writable_name(name: str) -> None:
    seg = safe_segment(name)
    assert seg not in ("", ".", "..") and "/" not in seg and "\x00" not in seg and "\\" not in seg
    assert len(seg.encode("utf-8")) <= MAX_SEGMENT_BYTES
    assert (seg == name) == (name == "ok")


def test_tag_and_missing_urls_stay_inside_their_folder() -> None:
    urls = DirectoryUrls(["x" * 5000, "y" * 5000])
    for url in (urls.tag("../../../etc"), urls.tag("./a/../../b"), urls.missing("x" * 5000)):
        parts = url.split("/")
        assert parts[0] == "_kbgen" and ".." not in parts and "." not in parts
    assert urls.missing("x" * 5000) != urls.missing("y" * 5000)
    assert urls.tag("..") != urls.tag("...")


def test_case_collisions_get_numbered_in_path_order() -> None:
    moved = case_collisions(["_kbgen/tags/index.html"], [
        ("a/Note.md", "a/Note/index.html", True), ("a/note.md", "a/note/index.html", True),
        ("a/NOTE.md", "a/NOTE/index.html", True), ("P.png", "P.png", False), ("p.png", "p.png", False),
        ("_KBGEN/tags/index.md", "_KBGEN/tags/index.html", False), ("solo.md", "solo/index.html", True),
        ("cafe\u0301.md", "cafe\u0301/index.html", True), ("caf\u00e9.md", "caf\u00e9/index.html", True),
    ])
    assert moved == {
        "a/Note.md": ("a/Note-2/index.html", "a/NOTE.md"), "a/note.md": ("a/note-3/index.html", "a/NOTE.md"),
        "p.png": ("p-2.png", "P.png"),
        "_KBGEN/tags/index.md": ("_KBGEN/tags/index-2.html", "_kbgen/tags/index.html"),
        "caf\u00e9.md": ("caf\u00e9-2/index.html", "cafe\u0301.md"),  # one name on macOS
    }


def test_links_to_case_twins_resolve_to_the_exact_spelling(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"Note.md": "[[note.md]] ![](Pic.png)\n", "Pic.png": b"\x89PNG",
                                   "note.md": "[[Note.md]] ![](pic.png)\n", "pic.png": b"\x89PNG"})
    vault = loaded.vault
    assert vault.resolution("Note.md", 0).target_path == "note.md"
    assert vault.resolution("note.md", 0).target_path == "Note.md"
    assert vault.resolution("Note.md", 1).target_path == "Pic.png"
    assert vault.resolution("note.md", 1).target_path == "pic.png"


# ---- file names and symlinks -------------------------------------------------------------

def test_odd_names_and_special_files_are_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "Good.md").write_text("x", encoding="utf-8")
    with open(os.fsencode(tmp_path) + b"/bad\xff.md", "wb") as handle:
        handle.write(b"x")
    os.mkfifo(tmp_path / "pipe.md")
    files = scan_vault(tmp_path)
    assert files.notes == ["Good.md"]
    assert {(f.source, f.code) for f in files.findings} == {("bad\ufffd.md", "file-name"),
                                                            ("pipe.md", "special-file")}


def test_a_symlink_bomb_neither_hangs_the_scan_nor_mkdocs(tmp_path: Path) -> None:
    """Two links to the parent folder double the paths at every level of a naive walk
    (MkDocs' own ``os.walk(followlinks=True)`` never finishes): each folder is read once."""
    vault = tmp_path / "vault"
    (vault / "bomb").mkdir(parents=True)
    (vault / "Note.md").write_text("# Note\n", encoding="utf-8")
    for name in "xyz":
        os.symlink("..", vault / "bomb" / name)
    assert scan_vault(vault).notes == ["Note.md"]
    result = build_site(vault, tmp_path / "site")
    assert result.ok
    assert sorted(p.name for p in (tmp_path / "site").iterdir() if p.is_dir()) == [
        "Note", "_kbgen", "assets"]


def test_backlinks_from_one_note_are_capped(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"T.md": "# T\n", "Fan.md": "\n\n".join(f"p{i} [[T]]" for i in range(300))})
    html = render(loaded, "T.md").html
    assert html.count('class="kbgen-backlink-context"') == 50
    assert "… and 250 more links from this note" in html
