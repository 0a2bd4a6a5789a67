"""One test per Obsidian link-resolution rule, on hand-built notes (no parser involved)."""

from __future__ import annotations

import pytest

from kbgen.model import BlockId, Heading, Link, Note
from kbgen.vault import Vault, build_vault


def link(target: str, subpath: str | None = None, *, line: int = 1, syntax: str = "wikilink",
         embed: bool = False) -> Link:
    raw = f"[[{target}{'#' + subpath if subpath else ''}]]"
    return Link(0, target, subpath, None, embed, line, syntax, raw)  # type: ignore[arg-type]


def note(path: str, *links: Link, headings: list[Heading] | None = None,
         blocks: list[BlockId] | None = None, aliases: list[str] | None = None) -> Note:
    for i, lk in enumerate(links):
        lk.index = i
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    return Note(path=path, title=stem, headings=headings or [], blocks=blocks or [],
                links=list(links), aliases=aliases or [])


def vault(*notes: Note, attachments: tuple[str, ...] = ()) -> Vault:
    return build_vault(notes, attachments)


def target_of(v: Vault, source: str, index: int = 0) -> str | None:
    return v.resolution(source, index).target_path


def codes(v: Vault) -> list[str]:
    return [f.code for f in v.findings]


# --- which file a name means -------------------------------------------------------

def test_full_vault_path_beats_same_folder_note() -> None:
    v = vault(note("a/Note.md"), note("b/Note.md"), note("b/X.md", link("a/Note")))
    assert target_of(v, "b/X.md") == "a/Note.md"
    assert codes(v) == []


def test_full_vault_path_with_md_extension() -> None:
    v = vault(note("a/Note.md"), note("b/Note.md"), note("X.md", link("b/Note.md")))
    assert target_of(v, "X.md") == "b/Note.md"


def test_leading_slash_is_a_vault_root_path() -> None:
    v = vault(note("Note.md"), note("a/Note.md"), note("a/X.md", link("/Note")))
    assert target_of(v, "a/X.md") == "Note.md"


def test_same_folder_beats_shorter_path() -> None:
    v = vault(note("b/Note.md"), note("deep/er/Note.md"), note("deep/er/X.md", link("Note")))
    assert target_of(v, "deep/er/X.md") == "deep/er/Note.md"


def test_exact_root_path_beats_same_folder() -> None:
    v = vault(note("Note.md"), note("deep/er/Note.md"), note("deep/er/X.md", link("Note")))
    assert target_of(v, "deep/er/X.md") == "Note.md"


def test_shortest_path_when_not_in_same_folder() -> None:
    v = vault(note("a/long/Note.md"), note("b/Note.md"), note("z/X.md", link("Note")))
    assert target_of(v, "z/X.md") == "b/Note.md"


def test_equal_length_paths_tie_break_lexicographically() -> None:
    v = vault(note("b/Note.md"), note("a/Note.md"), note("X.md", link("Note")))
    assert target_of(v, "X.md") == "a/Note.md"


def test_matching_is_unicode_case_insensitive() -> None:
    v = vault(note("Straße.md"), note("X.md", link("STRASSE"), link("straße")))
    assert target_of(v, "X.md", 0) == "Straße.md"
    assert target_of(v, "X.md", 1) == "Straße.md"


def test_md_extension_is_optional() -> None:
    v = vault(note("Note.md"), note("X.md", link("Note.md"), link("Note")))
    assert [r.target_path for r in v.resolutions["X.md"]] == ["Note.md", "Note.md"]


def test_path_suffix_match_is_component_aligned() -> None:
    v = vault(
        note("x/sub/Note.md"), note("x/mysub/Note.md"), note("Note.md"),
        note("X.md", link("sub/Note"), link("ub/Note")),
    )
    assert target_of(v, "X.md", 0) == "x/sub/Note.md"
    assert v.resolution("X.md", 1).status == "unresolved"


def test_markdown_link_relative_to_linking_note() -> None:
    v = vault(
        note("x/Y.md"), note("other/x/Y.md"),
        note("other/deep/Z.md", link("../x/Y.md", syntax="markdown")),
    )
    assert target_of(v, "other/deep/Z.md") == "other/x/Y.md"


def test_markdown_link_falls_back_to_vault_path_then_name() -> None:
    v = vault(
        note("x/Y.md"), note("elsewhere/My Note.md"),
        note("a/Z.md", link("x/Y.md", syntax="markdown"), link("My Note.md", syntax="markdown")),
    )
    assert target_of(v, "a/Z.md", 0) == "x/Y.md"
    assert target_of(v, "a/Z.md", 1) == "elsewhere/My Note.md"  # decoded name, vault-wide


def test_wikilink_with_dot_dot_is_relative() -> None:
    v = vault(note("a/Y.md"), note("b/Y.md"), note("b/c/X.md", link("../../a/Y")))
    assert target_of(v, "b/c/X.md") == "a/Y.md"


def test_attachments_resolve_by_name_or_path_case_insensitively() -> None:
    files = ("assets/img.png", "docs/Paper.PDF", "boards/Plan.canvas")
    v = vault(note("X.md", link("IMG.png", embed=True), link("docs/paper.pdf", "page=2"),
                   link("Plan.canvas")), attachments=files)
    res = v.resolutions["X.md"]
    assert [r.target_path for r in res] == list(files)
    assert {r.kind for r in res} == {"attachment"}
    assert res[1].link.subpath == "page=2" and res[1].anchor is None and not res[1].subpath_missed
    assert codes(v) == []


def test_attachment_needs_its_extension_written() -> None:
    v = vault(note("X.md", link("img")), attachments=("img.png",))
    assert v.resolution("X.md", 0).status == "unresolved"


def test_note_beats_extensionless_attachment_of_same_name() -> None:
    v = vault(note("Note.md"), note("X.md", link("Note"), link("LICENSE")),
              attachments=("Note", "LICENSE"))
    assert target_of(v, "X.md", 0) == "Note.md"
    assert target_of(v, "X.md", 1) == "LICENSE"


def test_note_name_containing_a_dot() -> None:
    v = vault(note("people/Dr. Who.md"), note("X.md", link("dr. who")))
    assert target_of(v, "X.md") == "people/Dr. Who.md"


def test_alias_resolves_when_no_note_has_the_name() -> None:
    v = vault(note("Machine Learning.md", aliases=["ML"]), note("X.md", link("ml")))
    res = v.resolution("X.md", 0)
    assert (res.status, res.kind, res.target_path) == ("alias", "note", "Machine Learning.md")
    assert codes(v) == []  # alias links are counted, not warned about


def test_real_note_name_beats_alias() -> None:
    v = vault(note("ML.md"), note("Machine Learning.md", aliases=["ML"]), note("X.md", link("ML")))
    res = v.resolution("X.md", 0)
    assert (res.status, res.target_path) == ("resolved", "ML.md")


# --- headings and blocks -----------------------------------------------------------

def H(level: int, text: str, line: int) -> Heading:  # noqa: N802 - reads like markdown
    return Heading(level, text, text.lower().replace(" ", "-"), line)


def test_heading_matched_loosely() -> None:
    target = note("T.md", headings=[H(1, "Top", 1), H(2, "What's New?", 3)])
    v = vault(target, note("X.md", link("T", "whats  new")))
    res = v.resolution("X.md", 0)
    assert res.anchor == "what's-new?" and not res.subpath_missed
    assert codes(v) == []


def test_heading_miss_is_flagged_and_reported() -> None:
    v = vault(note("T.md", headings=[H(1, "Top", 1)]), note("X.md", link("T", "Nope", line=7)))
    res = v.resolution("X.md", 0)
    assert res.target_path == "T.md" and res.subpath_missed and res.anchor is None
    (finding,) = v.findings
    assert (finding.source, finding.line, finding.code) == ("X.md", 7, "heading-miss")
    assert "Nope" in finding.message


def test_nested_heading_prefers_the_one_under_the_named_parent() -> None:
    headings = [H(1, "A", 1), Heading(2, "Notes", "notes", 2), H(1, "B", 5),
                Heading(2, "Notes", "notes_1", 6)]
    v = vault(note("T.md", headings=headings),
              note("X.md", link("T", "B#Notes"), link("T", "A#Notes"), link("T", "Z#Notes")))
    assert [r.anchor for r in v.resolutions["X.md"]] == ["notes_1", "notes", "notes"]
    assert codes(v) == []


def test_block_id_hit_case_insensitive() -> None:
    v = vault(note("T.md", blocks=[BlockId("Ab12", 4)]), note("X.md", link("T", "^ab12")))
    assert v.resolution("X.md", 0).anchor == "^Ab12"


def test_block_id_miss() -> None:
    v = vault(note("T.md", blocks=[BlockId("ab12", 4)]), note("X.md", link("T", "^zz", line=2)))
    assert v.resolution("X.md", 0).subpath_missed
    assert [(f.code, f.line) for f in v.findings] == [("block-miss", 2)]


def test_same_note_links_resolve_to_self() -> None:
    me = note("Me.md", link("", "Intro"), link("", "^b1"), link("", "Gone", line=9),
              headings=[H(1, "Intro", 1)], blocks=[BlockId("b1", 3)])
    v = vault(me)
    res = v.resolutions["Me.md"]
    assert [(r.kind, r.target_path, r.anchor) for r in res] == [
        ("self", "Me.md", "intro"), ("self", "Me.md", "^b1"), ("self", "Me.md", None)]
    assert [(f.code, f.line) for f in v.findings] == [("heading-miss", 9)]


# --- missing and ambiguous ---------------------------------------------------------

def test_unresolved_links_share_one_missing_target_case_insensitively() -> None:
    v = vault(note("A.md", link("New Idea", line=3)), note("B.md", link("new idea.md", line=5)))
    res = v.resolution("A.md", 0)
    assert (res.status, res.kind, res.missing_name, res.missing_key) == (
        "unresolved", "missing", "New Idea", "new idea")
    assert v.resolution("B.md", 0).missing_key == "new idea"
    missing = v.missing_targets()
    assert list(missing) == ["new idea"]
    assert missing["new idea"].name == "New Idea"  # first spelling seen
    assert missing["new idea"].referrers == [("A.md", 3), ("B.md", 5)]
    assert [(f.source, f.line, f.code) for f in v.findings] == [
        ("A.md", 3, "unresolved-link"), ("B.md", 5, "unresolved-link")]
    assert "New Idea" in v.findings[0].message


def test_ambiguous_name_reported_once_with_candidates() -> None:
    v = vault(note("a/Dup.md"), note("b/Dup.md"),
              note("X.md", link("Dup", line=2), link("dup", line=4)), note("Y.md", link("Dup")))
    res = v.resolution("X.md", 0)
    assert res.target_path == "a/Dup.md"
    assert res.candidates == ("a/Dup.md", "b/Dup.md")
    assert v.resolution("Y.md", 0).candidates == ("a/Dup.md", "b/Dup.md")
    (finding,) = v.findings
    assert (finding.source, finding.line, finding.code) == ("X.md", 2, "ambiguous-link")
    assert "a/Dup.md" in finding.message and "b/Dup.md" in finding.message


def test_findings_sorted_by_source_then_line() -> None:
    v = vault(note("B.md", link("Gone", line=9), link("T", "Nope", line=2)),
              note("A.md", link("Also gone", line=4)), note("T.md"))
    assert [(f.source, f.line) for f in v.findings] == [("A.md", 4), ("B.md", 2), ("B.md", 9)]


def test_find_resolves_bare_names_without_findings() -> None:
    v = vault(note("a/Note.md"), note("b/Note.md"), note("Other.md", aliases=["O"]),
              attachments=("pics/x.png",))
    assert v.find("Note") == "a/Note.md"
    assert v.find("Note", from_note="b/Z.md") == "b/Note.md"
    assert v.find("x.png") == "pics/x.png"
    assert v.find("o") == "Other.md"
    assert v.find("nothing") is None
    assert v.findings == []


@pytest.mark.parametrize("attachments", [(), ("z.png",)])
def test_notes_are_keyed_and_sorted_by_path(attachments: tuple[str, ...]) -> None:
    v = vault(note("b.md"), note("a.md"), attachments=attachments)
    assert list(v.notes) == ["a.md", "b.md"]
    assert v.attachments == list(attachments)
