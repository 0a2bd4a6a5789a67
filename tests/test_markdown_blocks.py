"""Block ids, callouts, comments, highlights and parse speed (kbgen.markdown)."""

from __future__ import annotations


import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kbgen.markdown import make_parser, parse


@pytest.fixture(scope="module")
def md() -> MarkdownIt:
    return make_parser()


def tokens_of(md: MarkdownIt, src: str) -> list[Token]:
    return parse(src, md)[0]


def types(md: MarkdownIt, src: str) -> list[str]:
    return [t.type for t in tokens_of(md, src)]


def first(tokens: list[Token], kind: str) -> Token:
    return next(t for t in tokens if t.type == kind)


def inline_text(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type == "text")


# --- block ids ------------------------------------------------------------


def test_block_id_on_paragraph(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "Some *text* here ^para-1\n")
    para, inline = tokens[0], tokens[1]
    assert para.meta["block_id"] == "para-1" and para.attrGet("id") == "^para-1"
    assert inline.content == "Some *text* here"
    assert "^para-1" not in "".join(c.content for c in inline.children or [])
    assert '<p id="^para-1">Some <em>text</em> here</p>' in md.render("Some *text* here ^para-1")


def test_block_id_on_its_own_last_line_of_paragraph(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "line one\n^abc\n")
    assert tokens[0].meta["block_id"] == "abc"
    assert [c.type for c in tokens[1].children or []] == ["text"]
    assert tokens[1].content == "line one"


def test_block_id_after_inline_markup_drops_empty_text(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "see [[Note]] ^x1")
    assert tokens[0].meta["block_id"] == "x1"
    assert [c.type for c in tokens[1].children or []] == ["text", "wikilink"]
    assert tokens[1].content == "see [[Note]]"


def test_block_id_on_list_item_paragraph(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "- first ^item-a\n- second\n")
    paras = [t for t in tokens if t.type == "paragraph_open"]
    assert paras[0].meta["block_id"] == "item-a" and "block_id" not in paras[1].meta
    html = md.render("- first ^item-a\n- second\n")
    assert '<li><span id="^item-a"></span>first</li>' in html


def test_block_id_needs_whitespace_and_plain_id(md: MarkdownIt) -> None:
    for src in ("word^abc", "x ^a_b", "x ^abc."):
        assert "block_id" not in tokens_of(md, src)[0].meta, src


@pytest.mark.parametrize(
    ("src", "opener"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 |\n\n^tbl\n", "table_open"),
        ("- a\n- b\n\n^tbl\n", "bullet_list_open"),
        ("1. a\n2. b\n\n^tbl\n", "ordered_list_open"),
        ("> quoted\n\n^tbl\n", "blockquote_open"),
        ("> [!note]\n> body\n\n^tbl\n", "callout_open"),
    ],
)
def test_lone_block_id_names_previous_block(md: MarkdownIt, src: str, opener: str) -> None:
    tokens = tokens_of(md, src)
    token = first(tokens, opener)
    assert token.meta["block_id"] == "tbl" and token.attrGet("id") == "^tbl"
    assert not any("^tbl" in t.content for t in tokens if t.type == "inline")
    assert 'id="^tbl"' in md.render(src)


def test_lone_block_id_after_paragraph_stays_text(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "para\n\n^solo\n")
    assert tokens[4].content == "^solo"
    assert not any(t.meta.get("block_id") for t in tokens)


def test_lone_id_inside_list_names_nested_list_only(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "- a\n  - b\n\n  ^sub\n")
    lists = [t for t in tokens if t.type == "bullet_list_open"]
    assert "block_id" not in lists[0].meta and lists[1].meta["block_id"] == "sub"


# --- callouts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "kind", "fold", "title"),
    [
        ("[!NOTE]", "note", None, None),
        ("[!tip]- Folded", "tip", "-", "Folded"),
        ("[!Warning]+ Open  me ", "warning", "+", "Open  me"),
        ("[!my-custom] Title", "my-custom", None, "Title"),
    ],
)
def test_callout_kind_fold_title(
    md: MarkdownIt, first_line: str, kind: str, fold: str | None, title: str | None
) -> None:
    tokens = tokens_of(md, f"> {first_line}\n> body text\n")
    assert "blockquote_open" not in [t.type for t in tokens]
    opener = tokens[0]
    assert opener.type == "callout_open" and tokens[-1].type == "callout_close"
    assert (opener.meta["kind"], opener.meta["fold"], opener.meta["title"]) == (kind, fold, title)
    assert opener.map == [0, 2]
    body = first(tokens, "inline")
    assert body.content == "body text" and first(tokens, "paragraph_open").map == [1, 2]


def test_callout_marker_only_paragraph_is_dropped(md: MarkdownIt) -> None:
    assert types(md, "> [!info]\n\n> [!todo] Title only\n") == [
        "callout_open",
        "callout_close",
        "callout_open",
        "callout_close",
    ]


def test_nested_callouts(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "> [!note] Outer\n> > [!warning]- Inner\n> > deep\n> back\n")
    opens = [t for t in tokens if t.type == "callout_open"]
    assert [(t.meta["kind"], t.meta["title"]) for t in opens] == [("note", "Outer"), ("warning", "Inner")]
    assert [t.type for t in tokens].count("callout_close") == 2
    assert "blockquote_open" not in [t.type for t in tokens]


def test_plain_blockquote_is_untouched(md: MarkdownIt) -> None:
    assert types(md, "> just [!note] quoted\n")[0] == "blockquote_open"


def test_callout_title_links_are_parsed(md: MarkdownIt) -> None:
    opener = tokens_of(md, "> [!quote] From [[Book]]\n> text\n")[0]
    links = [c.meta["target"] for c in opener.children or [] if c.type == "wikilink"]
    assert links == ["Book"]


def test_callout_default_render(md: MarkdownIt) -> None:
    html = md.render("> [!tip]- My *title*\n> body\n")
    assert '<div class="callout" data-callout="tip" data-callout-fold="-">' in html
    assert '<div class="callout-title">My <em>title</em></div>' in html
    assert "<p>body</p>" in html and "[!tip]" not in html and "<blockquote>" not in html


def test_callout_title_escapes_render_as_text(md: MarkdownIt) -> None:
    html = md.render("> [!note] a \\*b\\* &amp; c\n> x\n")
    assert '<div class="callout-title">a *b* &amp; c</div>' in html


# --- comments -------------------------------------------------------------


def test_inline_comment_token_renders_nothing(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "a %%hidden [[X]]%% b")
    comment = [c for c in tokens[1].children or [] if c.type == "obsidian_comment"]
    assert [c.content for c in comment] == ["hidden [[X]]"]
    assert md.render("a %%hidden%% b") == "<p>a  b</p>\n"


def test_unclosed_inline_comment_stays_text(md: MarkdownIt) -> None:
    assert md.render("100%% sure [[X]]") == '<p>100%% sure <a class="wikilink" href="X">X</a></p>\n'


def test_block_comment(md: MarkdownIt) -> None:
    src = "before\n%%\n[[Hidden]] #hidden\n\nstill hidden\n%%\nafter\n"
    tokens = tokens_of(md, src)
    block = first(tokens, "obsidian_comment_block")
    assert block.map == [1, 6] and block.meta["closed"] is True
    assert "still hidden" in block.content
    assert [t.content for t in tokens if t.type == "inline"] == ["before", "after"]
    assert md.render(src) == "<p>before</p>\n<p>after</p>\n"


def test_unclosed_block_comment_hides_the_rest(md: MarkdownIt) -> None:
    tokens = tokens_of(md, "x\n\n%% start\nmore [[Y]]\n")
    block = first(tokens, "obsidian_comment_block")
    assert block.meta["closed"] is False and block.map == [2, 4]


def test_comment_line_closed_on_same_line_is_inline(md: MarkdownIt) -> None:
    assert "obsidian_comment_block" not in types(md, "%%short%% visible\n")


def test_indented_percent_is_code_not_comment(md: MarkdownIt) -> None:
    assert types(md, "    %%\n    code\n") == ["code_block"]


# --- highlight ------------------------------------------------------------


def test_highlight_tokens_and_render(md: MarkdownIt) -> None:
    children = [c.type for c in tokens_of(md, "a ==marked **bold**== b")[1].children or []]
    assert children[1] == "mark_open" and children[-2] == "mark_close"
    assert "strong_open" in children
    assert md.render("==hi==") == "<p><mark>hi</mark></p>\n"


@pytest.mark.parametrize("src", ["a == b", "==open", "x =y= z", "`==code==`"])
def test_not_highlights(md: MarkdownIt, src: str) -> None:
    assert "<mark>" not in md.render(src)


# --- performance ----------------------------------------------------------

_SAMPLE = """# Heading {n}
Text with [[Link {n}|display]] and #tag{n} and `code [[x]]` and $x^2$ and ==mark==.
A line https://example.com/a#b with %%comment%% and ![[img.png|200]] ^blk{n}

- item [[A]] #t1
  - sub [[B#H]]

> [!note] Title
> body [[C]]

| a | b |
|---|---|
| [[T\\|x]] | y |

"""


def test_a_megabyte_of_notes_keeps_every_link() -> None:
    """Speed is measured in benchmarks/; here: nothing is lost at scale."""
    md = make_parser()
    big = "".join(_SAMPLE.format(n=i) for i in range(4000))
    tokens, _ = parse(big, md)
    links = [c for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "wikilink"]
    assert len(big) > 1_000_000
    assert len(links) == 4000 * 6  # Link n, img embed, A, B#H, C in the callout, T in the table


@pytest.mark.parametrize("bad", ["[[a " * 50_000, "[[a\n" * 50_000, "==a " * 50_000])
def test_pathological_runs_stay_literal_text(bad: str) -> None:
    md = make_parser()
    tokens, _ = parse(bad, md)
    kinds = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    assert "wikilink" not in kinds and "mark_open" not in kinds
    assert md.render(bad).count("a") >= 50_000


def test_a_long_run_of_comment_markers_pairs_up() -> None:
    tokens, _ = parse("%%a " * 50_001, make_parser())
    comments = [c for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "obsidian_comment"]
    assert len(comments) == 25_000
