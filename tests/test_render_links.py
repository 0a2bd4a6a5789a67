"""Wikilinks and markdown links: href relative to the page, text as Obsidian shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_render_helpers import Crawl, assert_anchors_ok, make_vault, render

from kbgen.render.links import safe_href

VAULT = {
    "Home.md": (
        "# Home\n\n## Local Heading\n\n"
        "1 [[Other]]\n\n"
        "2 [[Other|shown text]]\n\n"
        "3 [[The Alias]]\n\n"
        "4 [[Other#Second Part]]\n\n"
        "5 [[Other#^para1]]\n\n"
        "6 [[Nowhere Yet]] and [[Nowhere Yet|later]]\n\n"
        "7 [[#Local Heading]] [[#^here]] ^here\n\n"
        "8 [[Other#No Such Heading]]\n\n"
        "9 [[doc.pdf#page=3]] and [[doc.pdf]]\n\n"
        "10 [md text](deep/dir/Other.md) and [sec](deep/dir/Other.md#second-part) and [gone](Gone.md)\n\n"
        "11 [ext](https://example.org/a?b=1&c=2) and [js](javascript:alert(1))\n\n"
        "12 [[deep/dir/Other|<b>bold?</b>]]\n"
    ),
    "deep/dir/Other.md": "---\naliases: [The Alias]\n---\n# Other title\n\nFirst para ^para1\n\n## Second Part\n\n[[Home]] [[Home#Local Heading]]\n",
    "doc.pdf": b"%PDF-1.4",
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    return make_vault(tmp_path_factory.mktemp("links"), VAULT)


@pytest.fixture(scope="module")
def home(loaded) -> str:
    return render(loaded, "Home.md").html


def paragraph(html: str, number: int) -> str:
    start = html.index(f">{number} ")
    return html[start:html.index("</p>", start)]


def test_resolved_link_uses_target_title(home: str) -> None:
    assert paragraph(home, 1) == '>1 <a class="wikilink" href="../deep/dir/Other/">Other title</a>'


def test_display_text_wins(home: str) -> None:
    assert '<a class="wikilink" href="../deep/dir/Other/">shown text</a>' in paragraph(home, 2)


def test_alias_link_shows_the_alias(home: str) -> None:
    assert '<a class="wikilink" href="../deep/dir/Other/">The Alias</a>' in paragraph(home, 3)


def test_heading_link_has_anchor_and_title_with_heading(home: str) -> None:
    assert '<a class="wikilink" href="../deep/dir/Other/#second-part">Other title › Second Part</a>' in paragraph(home, 4)


def test_block_link_has_block_anchor_and_plain_title(home: str) -> None:
    assert '<a class="wikilink" href="../deep/dir/Other/#^para1">Other title</a>' in paragraph(home, 5)


def test_missing_link_goes_to_missing_page(home: str) -> None:
    html = paragraph(home, 6)
    assert ('<a class="wikilink kbgen-missing" href="../_kbgen/missing/nowhere-yet/" '
            'title="Not written yet">Nowhere Yet</a>') in html
    assert 'title="Not written yet">later</a>' in html


def test_same_note_heading_link_is_a_fragment(home: str) -> None:
    assert '<a class="wikilink" href="#local-heading">Local Heading</a>' in paragraph(home, 7)
    assert '<a class="wikilink" href="#^here">^here</a>' in home


def test_missed_heading_links_to_note_and_is_flagged(home: str) -> None:
    html = paragraph(home, 8)
    assert 'class="wikilink kbgen-anchor-missing" href="../deep/dir/Other/"' in html
    assert ">Other title › No Such Heading</a>" in html


def test_attachment_link_points_at_file_with_pdf_page(home: str) -> None:
    html = paragraph(home, 9)
    assert '<a class="wikilink" href="../doc.pdf#page=3">doc.pdf</a>' in html
    assert '<a class="wikilink" href="../doc.pdf">doc.pdf</a>' in html


def test_markdown_links_keep_text_and_get_site_hrefs(home: str) -> None:
    html = paragraph(home, 10)
    assert '<a href="../deep/dir/Other/">md text</a>' in html
    assert '<a href="../deep/dir/Other/#second-part">sec</a>' in html
    assert '<a class="kbgen-missing" href="../_kbgen/missing/gone/" title="Not written yet">gone</a>' in html


def test_external_links_unchanged_and_javascript_never_linked(home: str) -> None:
    html = paragraph(home, 11)
    assert '<a href="https://example.org/a?b=1&amp;c=2">ext</a>' in html
    assert 'href="javascript' not in home


def test_link_text_is_escaped(home: str) -> None:
    assert "&lt;b&gt;bold?&lt;/b&gt;</a>" in paragraph(home, 12)


def test_links_from_a_nested_page_back_to_root(loaded) -> None:
    html = render(loaded, "deep/dir/Other.md").html
    assert '<a class="wikilink" href="../../../Home/">Home</a>' in html
    assert '<a class="wikilink" href="../../../Home/#local-heading">Home › Local Heading</a>' in html


def test_every_fragment_link_on_the_page_has_its_target(home: str) -> None:
    crawl = assert_anchors_ok(home)
    assert "#local-heading" in crawl.hrefs


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JaVaScRiPt:x", "java\tscript:x", "vbscript:x",
                                  "data:text/html,<script>", "file:///etc/passwd", "&#106;avascript:x"])
def test_safe_href_neutralises_script_urls(href: str) -> None:
    assert safe_href(href) == "#"


def test_safe_href_keeps_normal_urls_and_image_data() -> None:
    assert safe_href("https://x.org/?a=1") == "https://x.org/?a=1"
    assert safe_href("../Note/#h") == "../Note/#h"
    assert safe_href("data:image/png;base64,AAAA", image=True) == "data:image/png;base64,AAAA"
    assert safe_href("data:image/png;base64,AAAA") == "#"


def test_raw_html_links_pass_through_for_now(tmp_path: Path) -> None:
    out = render(make_vault(tmp_path, {"N.md": 'x <a href="https://a.b/">raw</a>\n'}), "N.md").html
    assert '<a href="https://a.b/">raw</a>' in out
    assert Crawl(out).find("a", href="https://a.b/")
