"""Parser factory, wikilinks/embeds, invalid wikilinks and tags (kbgen.markdown)."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kbgen.markdown import make_parser, parse


@pytest.fixture(scope="module")
def md() -> MarkdownIt:
    return make_parser()


def children(md: MarkdownIt, src: str) -> list[Token]:
    """All inline children of the document, in order (callout titles included)."""
    tokens, _ = parse(src, md)
    out: list[Token] = []
    for tok in tokens:
        out.extend(tok.children or [])
    return out


def of_type(md: MarkdownIt, src: str, kind: str) -> list[Token]:
    return [t for t in children(md, src) if t.type == kind]


def link_meta(md: MarkdownIt, src: str) -> list[dict[str, Any]]:
    return [t.meta for t in of_type(md, src, "wikilink")]


def one_link(md: MarkdownIt, src: str) -> dict[str, Any]:
    metas = link_meta(md, src)
    assert len(metas) == 1, metas
    return metas[0]


def tags(md: MarkdownIt, src: str) -> list[str]:
    return [t.meta["tag"] for t in of_type(md, src, "tag")]


# --- parser factory -------------------------------------------------------


def test_parser_enables_gfm_tables_strikethrough_tasklists_and_autolinks(md: MarkdownIt) -> None:
    html = md.render("| a |\n|---|\n| b |\n\n~~gone~~ https://example.com\n\n- [x] done\n")
    assert "<table>" in html and "<s>gone</s>" in html
    assert '<a href="https://example.com">https://example.com</a>' in html
    assert 'type="checkbox"' in html and "checked" in html


def test_parser_front_matter_footnotes_math_and_raw_html(md: MarkdownIt) -> None:
    tokens, _ = parse("---\ntitle: x\n---\nA[^1] $x^2$ <b>raw</b>\n\n[^1]: note\n", md)
    types = [t.type for t in tokens]
    assert types[0] == "front_matter" and "footnote_block_open" in types
    inline = [c.type for c in tokens[2].children or []]
    assert "footnote_ref" in inline and "math_inline" in inline and "html_inline" in inline


def test_github_alerts_are_off_so_callouts_are_ours(md: MarkdownIt) -> None:
    assert not md.options.get("alerts")
    assert "alert" not in md.render("> [!NOTE]\n> hi\n")


def test_dollar_amounts_are_not_math(md: MarkdownIt) -> None:
    assert of_type(md, "costs $5 and $10 today", "math_inline") == []
    assert of_type(md, "$$E=mc^2$$ inline", "math_inline_double")


def test_nested_two_space_sub_bullets_are_nested_lists(md: MarkdownIt) -> None:
    tokens, _ = parse("- a\n  - b\n", md)
    assert [t.type for t in tokens].count("bullet_list_open") == 2
    inner = [t for t in tokens if t.type == "bullet_list_open"][1]
    assert inner.level > 0


# --- wikilinks and embeds -------------------------------------------------


@pytest.mark.parametrize(
    ("src", "target", "subpath", "display", "embed"),
    [
        ("[[T]]", "T", None, None, False),
        ("[[T|text]]", "T", None, "text", False),
        ("[[T#H]]", "T", "H", None, False),
        ("[[T#H1#H2]]", "T", "H1#H2", None, False),
        ("[[T#^id]]", "T", "^id", None, False),
        ("[[#H]]", "", "H", None, False),
        ("[[#^id]]", "", "^id", None, False),
        ("![[T]]", "T", None, None, True),
        ("![[img.png|200]]", "img.png", None, "200", True),
        ("![[img.png|200x100]]", "img.png", None, "200x100", True),
        ("![[doc.pdf#page=2]]", "doc.pdf", "page=2", None, True),
        ("[[ folder/T # H | shown ]]", "folder/T", "H", "shown", False),
        ("[[T#H|a|b]]", "T", "H", "a|b", False),
    ],
)
def test_wikilink_forms(
    md: MarkdownIt, src: str, target: str, subpath: str | None, display: str | None, embed: bool
) -> None:
    meta = one_link(md, f"see {src} here")
    assert (meta["target"], meta["subpath"], meta["display"], meta["embed"]) == (
        target,
        subpath,
        display,
        embed,
    )
    assert meta["raw"] == src and meta["line_offset"] == 0


def test_wikilink_token_content_is_raw(md: MarkdownIt) -> None:
    (token,) = of_type(md, "x ![[a.png|20]]", "wikilink")
    assert token.content == "![[a.png|20]]" and token.nesting == 0


def test_target_with_dollar_and_commas_is_kept_whole(md: MarkdownIt) -> None:
    name = "$Dive into Deep Learning by Zhang, Lipton, Li and Smola"
    assert one_link(md, f"Read [[{name}]] soon, $x$ too")["target"] == name


def test_escaped_pipe_in_table_cell_separates_display(md: MarkdownIt) -> None:
    src = "| book | note |\n|---|---|\n| [[T\\|text]] | ok |\n"
    meta = one_link(md, src)
    assert (meta["target"], meta["display"]) == ("T", "text")
    tokens, _ = parse(src, md)
    assert [t.type for t in tokens].count("td_open") == 2  # the \| did not split the cell


def test_escaped_pipe_outside_tables_also_separates(md: MarkdownIt) -> None:
    meta = one_link(md, "[[T\\|text]]")
    assert (meta["target"], meta["display"]) == ("T", "text")


def test_line_offset_of_link_on_third_line(md: MarkdownIt) -> None:
    meta = one_link(md, "first line\nsecond line\nthird [[L3]] line\n")
    assert meta["line_offset"] == 2


def test_wikilink_never_spans_a_newline(md: MarkdownIt) -> None:
    assert link_meta(md, "[[a\nb]]") == []


def test_bracket_inside_target_lets_inner_link_match(md: MarkdownIt) -> None:
    assert [m["target"] for m in link_meta(md, "[[a [[b]] and [[[c]]]")] == ["b", "c"]


def test_wikilink_beats_reference_link_definition(md: MarkdownIt) -> None:
    meta = one_link(md, "[[x]]\n\n[x]: http://example.com\n")
    assert meta["target"] == "x"


def test_default_render_of_links_and_embeds(md: MarkdownIt) -> None:
    html = md.render("[[My Note#Sec|shown]] [[Other#A#B]] ![[pic.png|100]]")
    assert '<a class="wikilink" href="My%20Note#Sec">shown</a>' in html
    assert ">Other &gt; A &gt; B</a>" in html
    assert '<span class="embed" data-src="pic.png">' in html


# --- invalid wikilinks ------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "raw"),
    [("[[]]", "[[]]"), ("[[|]]", "[[|]]"), ("[[#]]", "[[#]]"), ("[[ ]]", "[[ ]]"), ("[[open", "[[")],
)
def test_invalid_wikilinks(md: MarkdownIt, src: str, raw: str) -> None:
    found = of_type(md, f"a {src} b", "wikilink_invalid")
    assert [t.content for t in found] == [raw]
    assert found[0].meta["reason"] and found[0].meta["line_offset"] == 0
    assert link_meta(md, f"a {src} b") == []
    assert f"<p>a {src} b</p>" in md.render(f"a {src} b")


def test_unterminated_embed_and_closing_on_next_line(md: MarkdownIt) -> None:
    found = of_type(md, "x\n![[half\n]]", "wikilink_invalid")
    assert [(t.content, t.meta["line_offset"]) for t in found] == [("![[", 1)]


def test_unterminated_link_does_not_swallow_rest_of_line(md: MarkdownIt) -> None:
    assert [m["target"] for m in link_meta(md, "[[broken then [[ok]]")] == ["ok"]
    assert tags(md, "[[broken #still-a-tag") == ["still-a-tag"]


def test_bracket_before_markdown_link_is_not_an_invalid_wikilink(md: MarkdownIt) -> None:
    src = "cited [[1](https://example.com/ref)] here"
    assert of_type(md, src, "wikilink_invalid") == []
    assert '[<a href="https://example.com/ref">1</a>]' in md.render(src)


def test_line_offsets_of_several_links_and_tags(md: MarkdownIt) -> None:
    src = "[[A]] #a\nx\n[[B]] [[C]]\\\n#c [[D]]"  # hard break before #c
    offsets = [(t.type, t.meta["line_offset"]) for t in children(md, src) if t.meta]
    assert offsets == [
        ("wikilink", 0), ("tag", 0), ("wikilink", 2), ("wikilink", 2), ("tag", 3), ("wikilink", 3)
    ]


def test_invalid_wikilink_renders_escaped(md: MarkdownIt) -> None:
    token = Token("wikilink_invalid", "", 0, content="[[<&>")
    assert md.renderer.render([token], md.options, {}) == "[[&lt;&amp;&gt;"


# --- tags -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("#tag", ["tag"]),
        ("x #a/b y", ["a/b"]),
        ("#multi-word_tag.", ["multi-word_tag"]),
        ("#日本語 #café", ["日本語", "café"]),
        ("#y1984 #2023-01", ["y1984", "2023-01"]),
        ("#a/b/", ["a/b"]),
        ("line\n#second", ["second"]),
    ],
)
def test_tag_forms(md: MarkdownIt, src: str, expected: list[str]) -> None:
    assert tags(md, src) == expected


@pytest.mark.parametrize(
    "src",
    ["#123", "a#b", "x/#b", "&#x", "\\#esc", "# heading", "(#paren", "#"],
)
def test_not_tags(md: MarkdownIt, src: str) -> None:
    assert tags(md, src) == []


def test_heading_marker_is_not_a_tag_but_tags_in_heading_are(md: MarkdownIt) -> None:
    assert tags(md, "# Title\n\n## Sub #inside\n") == ["inside"]


def test_tags_not_inside_urls(md: MarkdownIt) -> None:
    src = (
        "https://example.com/#frag www.example.org/#w <https://a.bc/#angle> "
        "[t](https://x.org/p#dest) [see #intext](https://x.org) #real"
    )
    assert tags(md, src) == ["real"]


def test_tag_line_offset(md: MarkdownIt) -> None:
    (token,) = of_type(md, "a\nb\nc #t", "tag")
    assert token.meta["line_offset"] == 2 and token.content == "#t"


def test_default_tag_render(md: MarkdownIt) -> None:
    assert '<a class="tag" data-tag="a/b">#a/b</a>' in md.render("see #a/b")


# --- nothing inside code, math, comments, HTML ----------------------------


@pytest.mark.parametrize(
    "src",
    [
        "`[[Code]] #code`",
        "```\n[[Fence]] #fence\n```\n",
        "para\n\n    [[Indented]] #indented\n",
        "$[[Math]] #math$",
        "$$\n[[Block]] #block\n$$\n",
        "%%[[Comment]] #comment%%",
        "a %%multi\nline [[C]] #c%% b",
        "%%\n[[Block comment]] #bc\n%%\n",
        "<!-- [[Html]] #html -->",
        "<!--\n[[Html block]]\n#html\n-->\n",
        "x <!-- [[Inline]]\n#multi --> y",
    ],
)
def test_no_links_or_tags_in_code_math_comments_html(md: MarkdownIt, src: str) -> None:
    assert link_meta(md, src) == []
    assert tags(md, src) == []
    assert of_type(md, src, "wikilink_invalid") == []


def test_links_after_code_span_still_count(md: MarkdownIt) -> None:
    src = "`[[no]]` then [[yes]] #yes $[[m]]$ [[also]]"
    assert [m["target"] for m in link_meta(md, src)] == ["yes", "also"]
    assert tags(md, src) == ["yes"]
