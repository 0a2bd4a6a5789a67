"""The backlinks section: who links here, in what words, with the link text marked."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from test_render_helpers import Crawl, anchors, make_vault, render

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


def _marked(html: str) -> list[str]:
    """The texts in ``<mark>`` inside the backlinks section."""
    section = html[html.index('<section class="kbgen-backlinks">'):]
    found: list[str] = []

    class Marks(HTMLParser):
        inside = False

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "mark":
                self.inside = True
                found.append("")

        def handle_endtag(self, tag: str) -> None:
            if tag == "mark":
                self.inside = False

        def handle_data(self, data: str) -> None:
            if self.inside:
                found[-1] += data

    Marks(convert_charrefs=True).feed(section)
    return found


def test_backlink_context_reads_links_as_the_page_does(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {
        "Target.md": "---\ntitle: The Target\n---\n## A\n\n### B\n\ntext\n",
        "Fan.md": "See [[target#A#B]] and [[target]] here.\n",
    })
    fan = render(loaded, "Fan.md").html
    texts = [text for _, text in anchors(fan) if text != "¶"]
    assert texts[:2] == ["target > A > B", "target"]
    marked = _marked(render(loaded, "Target.md").html)
    assert marked == ["target > A > B", "target"]  # the same words as on Fan's page
