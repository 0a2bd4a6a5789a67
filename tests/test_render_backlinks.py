"""The backlinks section: who links here, in what words, with the link text marked."""

from __future__ import annotations

from pathlib import Path

from test_render_helpers import Crawl, make_vault, render

from kbgen.render.backlinks import highlight


def test_backlinks_list_sources_with_marked_context(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {
        "Target.md": "# Target\n",
        "a/Fan.md": "---\ntitle: Big <Fan>\n---\nI like [[Target]] a lot.\n\nAlso [[Target|that one]] & more.\n",
        "Embedder.md": "Whole: ![[Target]]\n",
        "Self.md": "[[Self]]\n",
    })
    html = render(loaded, "Target.md").html
    section = html[html.index('<section class="kbgen-backlinks">'):]
    assert section.startswith('<section class="kbgen-backlinks">\n<h2 id="backlinks">Backlinks'
                              '<a class="headerlink" href="#backlinks" title="Permanent link">¶</a></h2>')
    assert '<li><a href="../a/Fan/">Big &lt;Fan&gt;</a>' in section
    assert "I like <mark>Target</mark> a lot." in section
    assert "Also <mark>that one</mark> &amp; more." in section
    assert '<span class="kbgen-backlink-kind">embed</span> Whole: <mark>Target</mark>' in section
    assert [a["href"] for a in Crawl(section).find("a") if not a["href"].startswith("#")] == [
        "../Embedder/", "../a/Fan/"]


def test_no_backlinks_message_and_toc_entry(tmp_path: Path) -> None:
    out = render(make_vault(tmp_path, {"Lonely.md": "# Lonely\n\n[[Lonely]]\n"}), "Lonely.md")
    assert "No backlinks yet." in out.html  # a self-link is no backlink
    assert out.toc[-1].id == "backlinks" and out.toc[-1].title == "Backlinks"


def test_backlinks_id_never_clashes_with_a_heading(tmp_path: Path) -> None:
    out = render(make_vault(tmp_path, {"N.md": "# N\n\n## Backlinks\n\ntext\n"}), "N.md")
    ids = Crawl(out.html).ids
    assert len(ids) == len(set(ids))
    assert out.toc[-1].title == "Backlinks" and out.toc[-1].id in ids


def test_highlight_escapes_and_marks_first_match() -> None:
    assert highlight("a <b> Note c", ["note"]) == "a &lt;b&gt; <mark>Note</mark> c"
    assert highlight("x & y", ["zzz", None, ""]) == "x &amp; y"
    assert highlight("<i>", ["<i>"]) == "<mark>&lt;i&gt;</mark>"
