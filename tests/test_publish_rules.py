"""Which notes are unpublished (front matter, excluded paths, private tags) and where the
rules come from (the kbgen plugin options in mkdocs.yml, read without MkDocs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen.config_file import ConfigError, kbgen_options, plugin_options, read_config
from kbgen.model import Note
from kbgen.publish import PublishRules, unpublished_notes


def note(path: str, front: dict | None = None, tags: list[str] | None = None) -> Note:
    return Note(path=path, title=path, frontmatter=front or {}, tags=tags or [])


@pytest.mark.parametrize(("front", "left_out"), [
    ({}, False),
    ({"publish": True}, False),
    ({"publish": False}, True),
    ({"publish": "false"}, True),
    ({"publish": "No"}, True),
    ({"publish": 0}, True),
    ({"publish": None}, False),
    ({"draft": True}, True),
    ({"draft": "true"}, True),
    ({"draft": False}, False),
    ({"draft": "no", "publish": "yes"}, False),
    ({"draft": True, "publish": True}, True),
])
def test_front_matter_flags(front: dict, left_out: bool) -> None:
    assert (PublishRules().reason(note("a.md", front)) is not None) is left_out


def test_publish_by_default_false_needs_publish_true() -> None:
    rules = PublishRules(publish_by_default=False)
    assert rules.reason(note("a.md")) is not None
    assert rules.reason(note("a.md", {"publish": "false"})) is not None
    assert rules.reason(note("a.md", {"publish": True})) is None
    assert rules.reason(note("a.md", {"publish": True, "draft": True})) == "draft: true"


def test_unclear_flags_keep_the_note_out_with_a_finding() -> None:
    reasons, findings = unpublished_notes([note("a.md", {"publish": "maybe"}), note("b.md", {"draft": [1]}),
                                           note("c.md", {"draft": "no"})], PublishRules())
    assert sorted(reasons) == ["a.md", "b.md"]
    assert [(f.source, f.code) for f in findings] == [("a.md", "front-matter"), ("b.md", "front-matter")]
    assert "publish: 'maybe'" in findings[0].message


@pytest.mark.parametrize(("entry", "path", "hit"), [
    ("Private/", "Private/Diary.md", True),
    ("Private/", "private/sub/Diary.md", True),  # case as Obsidian treats paths
    ("Private/", "Privateer.md", False),
    ("Private/", "Notes/Private/x.md", False),
    ("/Private/", "Private/x.md", True),
    ("./Private/", "Private/x.md", True),
    ("*.excalidraw.md", "Drawings/Plan.excalidraw.md", True),
    ("*.excalidraw.md", "Plan.Excalidraw.MD", True),
    ("*.excalidraw.md", "Plan.md", False),
    ("Journal/*.md", "Journal/2024-01-01.md", True),
    ("Journal/*.md", "Other/Journal/x.md", False),
    ("Templates", "Templates/Daily.md", True),
    ("Templates", "Templates.md", True),
    ("Templates", "TemplatesX.md", False),
    ("Notes/Secret", "Notes/Secret.md", True),
    ("Notes/Secret", "Notes/Secretive.md", False),
    ("Private/", "Private/photo.png", True),
])
def test_exclude_entries(entry: str, path: str, hit: bool) -> None:
    assert (PublishRules(exclude=(entry,)).excludes(path) == entry) is hit


@pytest.mark.parametrize(("tags", "hit"), [
    (["private"], True), (["Private"], True), (["#private"], True), (["private/x/y"], True),
    (["privateer"], False), (["work/private"], False), ([], False),
])
def test_private_tags_match_nested_tags(tags: list[str], hit: bool) -> None:
    rules = PublishRules(private_tags=("private", "secret"))
    assert (rules.reason(note("a.md", tags=tags)) is not None) is hit


def test_path_and_tag_rules_win_over_publish_true() -> None:
    rules = PublishRules(exclude=("Private/",), private_tags=("private",))
    assert rules.reason(note("Private/a.md", {"publish": True})) is not None
    assert rules.reason(note("a.md", {"publish": True}, ["private"])) is not None


def test_rules_from_an_options_dict() -> None:
    rules = PublishRules.from_options({"exclude": "Private/", "private_tags": ["#secret", "p"],
                                       "publish_by_default": False, "home": True})
    assert rules == PublishRules(("Private/",), ("secret", "p"), False)
    assert PublishRules.from_options(None) == PublishRules()
    assert PublishRules.from_options({"exclude": None, "publish_by_default": None}) == PublishRules()
    for bad in ({"exclude": [1]}, {"private_tags": {"a": 1}}, {"publish_by_default": "no"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            PublishRules.from_options(bad)


def test_plugin_options_from_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - kbgen:\n      exclude: [Private/]\n"
        "      publish_by_default: !ENV [KBGEN_TEST_PUBLISH, true]\n"
        "      private_tags: !ENV KBGEN_TEST_TAGS\n", encoding="utf-8")
    monkeypatch.delenv("KBGEN_TEST_PUBLISH", raising=False)
    monkeypatch.delenv("KBGEN_TEST_TAGS", raising=False)
    assert kbgen_options(config) == {"exclude": ["Private/"], "publish_by_default": True, "private_tags": None}
    monkeypatch.setenv("KBGEN_TEST_PUBLISH", "false")
    monkeypatch.setenv("KBGEN_TEST_TAGS", "secret")
    options = kbgen_options(config)
    assert options["publish_by_default"] is False and options["private_tags"] == "secret"
    assert PublishRules.from_options(options) == PublishRules(("Private/",), ("secret",), False)
    assert read_config(config)["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"] is None


def test_plugin_listing_forms() -> None:
    assert plugin_options({"plugins": ["search", "kbgen"]}) == {}
    assert plugin_options({"plugins": {"kbgen": {"exclude": ["a/"]}}}) == {"exclude": ["a/"]}
    assert plugin_options({"plugins": [{"kbgen": None}]}) == {}
    assert plugin_options({"plugins": ["search"]}) is None
    assert plugin_options({}) is None


def test_unreadable_config_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "mkdocs.yml"
    bad.write_text("plugins: [\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_config(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_config(bad)
    with pytest.raises(ConfigError):
        read_config(tmp_path / "missing.yml")
