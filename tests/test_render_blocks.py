"""Rendering of block and inline markup into mkdocs-material's HTML shapes."""

from __future__ import annotations

from pathlib import Path

from markdown_it.token import Token
from test_render_helpers import Crawl, assert_anchors_ok, make_vault, render

from kbgen.model import Note
from kbgen.render import TocEntry, render_note
from kbgen.render.callouts import material_kind
from kbgen.urls import DirectoryUrls


def page(tmp_path: Path, text: str, name: str = "N.md", extra: dict[str, str] | None = None):
    loaded = make_vault(tmp_path, {name: text, **(extra or {})})
    return render(loaded, name)


def test_headings_get_ids_and_headerlinks(tmp_path: Path) -> None:
    out = page(tmp_path, "# Title\n\n## First Part\n\ntext\n\n## First Part\n")
    assert '<h2 id="first-part">First Part<a class="headerlink" href="#first-part" title="Permanent link">¶</a></h2>' in out.html
    assert '<h2 id="first-part_1">' in out.html  # duplicates made unique by notes.py
    assert out.html.startswith('<h1 id="title">Title')
    assert_anchors_ok(out.html)


def test_toc_nests_h2_to_h6_and_ends_with_backlinks(tmp_path: Path) -> None:
    text = "# T\n\n## A\n\n### A1\n\n#### A1a\n\n### A2\n\n## B\n\n###### Deep\n"
    out = page(tmp_path, text)
    assert [(e.title, e.id) for e in out.toc] == [("A", "a"), ("B", "b"), ("Backlinks", "backlinks")]
    a = out.toc[0]
    assert [c.title for c in a.children] == ["A1", "A2"]
    assert [c.title for c in a.children[0].children] == ["A1a"]
    assert out.toc[1].children == [TocEntry(6, "deep", "Deep", [])]
    assert out.title == "T"


def test_no_h1_prepends_the_title(tmp_path: Path) -> None:
    out = page(tmp_path, "## Only h2\n", name="My Note.md")
    assert out.html.startswith("<h1>My Note</h1>\n")
    assert out.html.count("<h1") == 1


def test_hostile_title_is_escaped_everywhere(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    files = {
        "Evil.md": f'---\ntitle: "{hostile}"\ntags: ["x"]\n---\nbody [[Linker]]\n',
        "Linker.md": "See [[Evil]] and ![[Evil]].\n",
    }
    loaded = make_vault(tmp_path, files)
    own = render(loaded, "Evil.md")
    other = render(loaded, "Linker.md")
    for html in (own.html, other.html):
        assert "<script>" not in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in own.html
    assert ">&lt;script&gt;alert(1)&lt;/script&gt;</a>" in other.html  # Evil in Linker's backlinks
    assert own.title == hostile  # plain text: the adapter escapes where it puts it


def test_fenced_code_gets_pygments_spans_in_material_frame(tmp_path: Path) -> None:
    out = page(tmp_path, "```python\nif x < 1: pass\n```\n\n```nosuchlang\n<b>\n```\n\n```\nplain\n```\n")
    assert '<div class="language-python highlight"><pre><span></span><code><span class="k">if</span>' in out.html
    assert '<span class="o">&lt;</span>' in out.html
    assert '<div class="language-nosuchlang highlight"><pre><span></span><code>&lt;b&gt;\n</code></pre></div>' in out.html
    assert '<div class="language-text highlight"><pre><span></span><code>plain\n</code></pre></div>' in out.html
    assert not out.needs_mermaid


def test_mermaid_is_escaped_source_not_material_class(tmp_path: Path) -> None:
    out = page(tmp_path, "```mermaid\ngraph TD; A-->B<br>\n```\n")
    assert '<pre class="kbgen-mermaid"><code>graph TD; A--&gt;B&lt;br&gt;\n</code></pre>' in out.html
    assert 'class="mermaid"' not in out.html
    assert out.needs_mermaid


def test_math_inline_and_block_arithmatex(tmp_path: Path) -> None:
    out = page(tmp_path, "Energy $a<b$ here.\n\n$$\n\\sum x < y\n$$\n")
    assert '<span class="arithmatex">\\(a&lt;b\\)</span>' in out.html
    assert '<div class="arithmatex">\\[\\sum x &lt; y\\]</div>' in out.html
    assert out.needs_math


def test_display_math_inside_a_paragraph_stays_inline_markup(tmp_path: Path) -> None:
    out = page(tmp_path, "so $$x^2$$ here\n")
    assert '<p>so <span class="arithmatex">\\[x^2\\]</span> here</p>' in out.html
    assert not Crawl(out.html).errors


def test_no_math_no_flag(tmp_path: Path) -> None:
    assert not page(tmp_path, "costs $5 and $10\n").needs_math


def test_task_list_material_markup(tmp_path: Path) -> None:
    out = page(tmp_path, "- [ ] open\n- [x] done\n- plain\n")
    assert '<ul class="task-list">' in out.html
    assert ('<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled>'
            '<span class="task-list-indicator"></span></label> open</li>') in out.html
    assert '<input type="checkbox" disabled checked><span class="task-list-indicator"></span></label> done' in out.html
    assert "task-list-item-checkbox" not in out.html
    assert "<li>plain</li>" in out.html


def test_footnotes_material_shape_and_working_backlinks(tmp_path: Path) -> None:
    out = page(tmp_path, "One[^a] two[^b] again[^a].\n\n[^a]: First.\n[^b]: Second.\n")
    assert '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">' in out.html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in out.html
    assert '<sup id="fnref2:1">' in out.html  # second reference to the same note
    assert 'href="#fnref2:1"' in out.html
    assert_anchors_ok(out.html)


def test_callouts_become_admonitions(tmp_path: Path) -> None:
    text = (
        "> [!tip] Remember this\n> body\n\n"
        "> [!faq]\n> q\n\n"
        "> [!custom-kind] Own title\n> x\n\n"
        "> [!warning]- Folded\n> hidden\n\n"
        "> [!example]+ Open fold\n> shown\n"
    )
    out = page(tmp_path, text)
    assert '<div class="admonition tip" data-callout="tip">\n<p class="admonition-title">Remember this</p>\n<p>body</p>\n</div>' in out.html
    assert '<div class="admonition question" data-callout="faq">\n<p class="admonition-title">Faq</p>' in out.html
    assert '<div class="admonition note" data-callout="custom-kind">\n<p class="admonition-title">Own title</p>' in out.html
    assert '<details class="warning" data-callout="warning">\n<summary>Folded</summary>\n<p>hidden</p>\n</details>' in out.html
    assert '<details class="example" data-callout="example" open>\n<summary>Open fold</summary>' in out.html
    assert "<blockquote" not in out.html
    assert_anchors_ok(out.html)


def test_callout_kind_mapping() -> None:
    expected = {
        "note": "note", "summary": "abstract", "tldr": "abstract", "todo": "info", "hint": "tip",
        "important": "tip", "check": "success", "done": "success", "help": "question",
        "caution": "warning", "attention": "warning", "fail": "failure", "missing": "failure",
        "error": "danger", "bug": "bug", "example": "example", "cite": "quote", "nonsense": "note",
    }
    assert {k: material_kind(k) for k in expected} == expected


def test_callout_title_text_is_escaped_and_markup_rendered(tmp_path: Path) -> None:
    out = page(tmp_path, "> [!note] 1 < 2 & **bold**\n> b\n")
    assert '<p class="admonition-title">1 &lt; 2 &amp; <strong>bold</strong></p>' in out.html


def test_callout_title_links_resolve(tmp_path: Path) -> None:
    out = page(tmp_path, "> [!note] See [[Other]]\n> b\n", extra={"Other.md": "x"})
    assert '<p class="admonition-title">See <a class="wikilink" href="../Other/">Other</a></p>' in out.html


def test_mark_tags_comments_invalid_wikilinks(tmp_path: Path) -> None:
    out = page(tmp_path, "A ==hi== #Topic/Sub %%secret%% and [[broken\n\n%%\nhidden block\n%%\n")
    assert "<mark>hi</mark>" in out.html
    assert '<a class="kbgen-tag" href="../_kbgen/tags/topic/sub/">#Topic/Sub</a>' in out.html
    assert "secret" not in out.html and "hidden block" not in out.html
    assert "[[broken" in out.html


def test_note_tags_shown_as_chips(tmp_path: Path) -> None:
    out = page(tmp_path, "---\ntags: [alpha, Beta/Gamma]\n---\ntext #alpha\n")
    crawl = Crawl(out.html)
    chips = crawl.find("div", class_="kbgen-tags")
    assert chips
    assert 'href="../_kbgen/tags/beta/gamma/">#Beta/Gamma</a>' in out.html
    assert out.html.count(">#alpha</a>") == 2  # inline tag + one chip (deduplicated)


def test_block_ids_are_kept_as_anchors(tmp_path: Path) -> None:
    out = page(tmp_path, "Para one ^p1\n\n- item ^i1\n- other\n")
    assert '<p id="^p1">Para one</p>' in out.html
    assert '<li id="^i1">item</li>' in out.html


def test_soft_breaks_are_line_breaks_like_obsidian(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"N.md": "line one\nline two\n"})
    note, urls = loaded.vault.notes["N.md"], DirectoryUrls()
    assert "line one<br>\nline two" in render_note(note, loaded.vault, loaded.graph, urls, "N/").html
    strict = render_note(note, loaded.vault, loaded.graph, urls, "N/", breaks=False)
    assert "line one\nline two" in strict.html


def test_hand_built_tokens_render_without_the_parser() -> None:
    """The renderer depends on the token contract only, not on kbgen.markdown."""
    opener = Token("callout_open", "div", 1, meta={"kind": "danger", "title": None, "fold": "+"})
    para = Token("paragraph_open", "p", 1, block=True)
    inline = Token("inline", "", 0, children=[Token("text", "", 0, content="x & y")])
    tokens = [opener, para, inline, Token("paragraph_close", "p", -1, block=True),
              Token("callout_close", "div", -1)]
    note = Note(path="n.md", title="N", tokens=tokens)

    class NoVault:
        notes: dict[str, Note] = {}

        def resolution(self, source: str, index: int):  # pragma: no cover - never called
            raise KeyError(index)

    out = render_note(note, NoVault(), None, DirectoryUrls(), "n/")
    assert '<details class="danger" data-callout="danger" open>\n<summary>Danger</summary>\n<p>x &amp; y</p>\n</details>' in out.html
    assert "No backlinks yet." in out.html
