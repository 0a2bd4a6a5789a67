"""Front matter: typed fields, and every kind of bad YAML reported with a line."""

from __future__ import annotations

from kbgen.frontmatter import parse_front_matter


def test_fields_are_typed() -> None:
    fm = parse_front_matter("title: My Title\naliases: [A, B]\ntags: [x, '#y/z']\ndate: 2024-01-02\n", "n.md", 1)
    assert (fm.title, fm.aliases, fm.tags) == ("My Title", ["A", "B"], ["x", "y/z"])
    assert fm.data["date"] == "2024-01-02"
    assert fm.findings == []


def test_single_strings_are_accepted_like_obsidian() -> None:
    fm = parse_front_matter("alias: Only One\ntags: a, b c\n", "n.md", 1)
    assert fm.aliases == ["Only One"]
    assert fm.tags == ["a", "b", "c"]


def test_broken_yaml_names_the_line() -> None:
    fm = parse_front_matter("title: ok\nbad: [unclosed\nmore: x\n", "n.md", 1)
    assert fm.data == {} and fm.title is None
    assert len(fm.findings) == 1
    finding = fm.findings[0]
    assert finding.code == "front-matter" and finding.source == "n.md"
    assert finding.line is not None and 3 <= finding.line <= 5


def test_non_mapping_front_matter_is_ignored_with_a_warning() -> None:
    fm = parse_front_matter("- just\n- a list\n", "n.md", 1)
    assert fm.data == {} and "not a mapping" in fm.findings[0].message


def test_wrong_types_warn_and_keep_what_makes_sense() -> None:
    fm = parse_front_matter("title: 7\ntags: 5\naliases: {a: b}\n", "n.md", 1)
    assert fm.title == "7"
    assert fm.tags == ["5"]
    assert fm.aliases == []
    assert len(fm.findings) == 3


def test_empty_front_matter_is_fine() -> None:
    fm = parse_front_matter("", "n.md", 1)
    assert fm.data == {} and fm.findings == []


def test_empty_list_entries_are_ignored_silently_as_in_obsidian() -> None:
    fm = parse_front_matter("tags:\n  -\n  - real\n  - \naliases:\n  -\n  - Other name\n", "n.md", 1)
    assert fm.tags == ["real"] and fm.aliases == ["Other name"]
    assert fm.findings == []


def test_a_list_or_mapping_inside_the_list_still_warns() -> None:
    fm = parse_front_matter("tags:\n  - [a, b]\n  - ok\n", "n.md", 1)
    assert fm.tags == ["ok"] and len(fm.findings) == 1 and "not text" in fm.findings[0].message
