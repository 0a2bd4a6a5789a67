"""One parse per note: what parse_note extracts and how it annotates the tokens."""

from __future__ import annotations

import pickle

import pytest

from kbgen.files import decode_note
from kbgen.markdown import make_parser
from kbgen.model import Note
from kbgen.notes import internal_target, parse_note


@pytest.fixture(scope="module")
def md():
    return make_parser()


def parse(md, text: str, path: str = "folder/My Note.md") -> Note:
    return parse_note(decode_note(path, text.encode()), md)


def test_title_prefers_front_matter_then_h1_then_file_name(md) -> None:
    assert parse(md, "---\ntitle: FM\n---\n# H1\n").title == "FM"
    assert parse(md, "---\ntags: [x]\n---\n# H1 *em*\nintro\n").title == "H1 em"
    assert parse(md, "intro\n\n# Topics\n").title == "My Note"  # a mid-note H1 is a section
    assert parse(md, "no heading\n").title == "My Note"


def test_headings_get_unique_anchor_ids_on_the_tokens(md) -> None:
    note = parse(md, "# A\n## Same\n## Same\n### Backlinks\n")
    assert [(h.level, h.text, h.anchor) for h in note.headings] == [
        (1, "A", "a"), (2, "Same", "same"), (2, "Same", "same_1"), (3, "Backlinks", "backlinks_1")]
    ids = [t.attrGet("id") for t in note.tokens if t.type == "heading_open"]
    assert ids == ["a", "same", "same_1", "backlinks_1"]


def test_wikilink_fields_line_and_link_index(md) -> None:
    note = parse(md, "---\ntags: [x]\n---\nfirst line\nsecond [[Target#Head|shown]] and ![[pic.png|200]]\n")
    first, second = note.links
    assert (first.target, first.subpath, first.display, first.embed, first.line) == ("Target", "Head", "shown", False, 5)
    assert (second.target, second.display, second.embed, second.line) == ("pic.png", "200", True, 5)
    marked = [c.meta["link_index"] for t in note.tokens if t.type == "inline" for c in t.children if c.type == "wikilink"]
    assert marked == [0, 1]


def test_context_is_the_plain_text_of_the_item(md) -> None:
    note = parse(md, "- see [[Other|the other]] for *more* `code`\n  - nested item\n")
    assert note.links[0].context == "see the other for more code"


def test_long_context_is_cut_around_the_link(md) -> None:
    words = " ".join(f"w{i}" for i in range(200))
    note = parse(md, f"{words} [[Far]] {words}\n")
    context = note.links[0].context
    assert len(context) <= 202 and "Far" in context and context.startswith("…") and context.endswith("…")


def test_markdown_links_to_notes_are_links_and_external_ones_are_not(md) -> None:
    note = parse(md, "[a](Other%20Note.md#Some%20Head) [b](https://x.org/a.md) [c](mailto:x@y) "
                     "[d](#Local) ![img](pics/a.png)\n")
    assert [(l.target, l.subpath, l.syntax, l.embed) for l in note.links] == [
        ("Other Note.md", "Some Head", "markdown", False),
        ("", "Local", "markdown", False),
        ("pics/a.png", None, "markdown", True),
    ]


def test_internal_target_rejects_schemes() -> None:
    assert internal_target("javascript:alert(1)") is None
    assert internal_target("//cdn.example/x") is None
    assert internal_target("Note.md") == ("Note.md", None)
    assert internal_target("") is None


def test_front_matter_wikilinks_are_links_with_their_line(md) -> None:
    note = parse(md, "---\ntitle: T\nrelated: \"[[X]]\"\nmore:\n  - \"[[Y|why]]\"\n---\nbody\n")
    assert [(l.target, l.syntax, l.line) for l in note.links] == [("X", "frontmatter", 3), ("Y", "frontmatter", 5)]


def test_tags_from_front_matter_and_body_deduplicated(md) -> None:
    note = parse(md, "---\ntags: [alpha, Beta]\n---\ntext #beta #gamma/delta `#nocode`\n")
    assert note.tags == ["alpha", "Beta", "gamma/delta"]


def test_links_in_code_and_comments_do_not_count(md) -> None:
    text = "`[[A]]`\n\n```\n[[B]]\n```\n\n    [[C]]\n\n%%[[D]]%%\n\n<!-- [[E]] -->\n\n$[[F]]$\n\n[[Real]]\n"
    assert [l.target for l in parse(md, text).links] == ["Real"]


def test_block_ids_are_collected(md) -> None:
    note = parse(md, "para one ^abc\n\n- item ^def\n")
    assert [(b.id, b.line) for b in note.blocks] == [("abc", 1), ("def", 3)]


def test_invalid_wikilinks_become_findings(md) -> None:
    note = parse(md, "a [[]] b\n\nc [[unterminated\n")
    assert [(f.code, f.line) for f in note.findings] == [("invalid-link", 1), ("invalid-link", 3)]


def test_broken_front_matter_is_a_finding_and_the_body_still_parses(md) -> None:
    note = parse(md, "---\ntitle: [oops\n---\n# Body\n[[Link]]\n")
    assert note.findings[0].code == "front-matter" and note.findings[0].source == "folder/My Note.md"
    assert note.title == "Body" and [l.target for l in note.links] == ["Link"]


def test_notes_are_picklable_with_their_tokens(md) -> None:
    note = parse(md, "---\ntitle: T\n---\n# H\n[[A#B|c]] #tag\n\n> [!note] x\n> body\n")
    copy = pickle.loads(pickle.dumps(note))
    assert copy.links == note.links and copy.title == "T"
    assert [t.type for t in copy.tokens] == [t.type for t in note.tokens]
