"""Wikilinks and markdown links: href relative to the page, text as Obsidian shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_render_helpers import Crawl, anchors, assert_anchors_ok, link_texts, make_vault, render

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
        "12 [[deep/dir/Other|<b>bold?</b>]]\n\n"
        "13 [[other]] and [[deep/dir/Other]] and [[other#second part#deeper]]\n"
    ),
    "deep/dir/Other.md": (
        "---\naliases: [The Alias]\n---\n# Other title\n\nFirst para ^para1\n\n## Second Part\n\n"
        "[[Home]] [[Home#Local Heading]]\n\n### Deeper\n\ntext\n"
    ),
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


OTHER = "../deep/dir/Other/"


def test_link_shows_the_target_as_written_not_the_title(home: str) -> None:
    assert link_texts(paragraph(home, 1), OTHER) == ["Other"]
    assert link_texts(paragraph(home, 13), OTHER) == ["other", "deep/dir/Other"]


def test_display_text_wins(home: str) -> None:
    assert link_texts(paragraph(home, 2), OTHER) == ["shown text"]


def test_alias_link_shows_the_alias(home: str) -> None:
    assert link_texts(paragraph(home, 3), OTHER) == ["The Alias"]


def test_heading_link_reads_note_then_heading_as_written(home: str) -> None:
    assert link_texts(paragraph(home, 4), OTHER + "#second-part") == ["Other > Second Part"]


def test_nested_heading_link_reads_every_level(home: str) -> None:
    assert link_texts(paragraph(home, 13), OTHER + "#deeper") == ["other > second part > deeper"]


def test_block_link_reads_note_then_block_id(home: str) -> None:
    assert link_texts(paragraph(home, 5), OTHER + "#^para1") == ["Other > ^para1"]


def test_missing_link_goes_to_missing_page(home: str) -> None:
    html = paragraph(home, 6)
    assert ('<a class="wikilink kbgen-missing" href="../_kbgen/missing/nowhere-yet/" '
            'title="Not written yet">Nowhere Yet</a>') in html
    assert 'title="Not written yet">later</a>' in html


def test_same_note_heading_link_is_a_fragment_reading_the_heading(home: str) -> None:
    assert link_texts(paragraph(home, 7), "#local-heading") == ["Local Heading"]
    assert link_texts(paragraph(home, 7), "#^here") == ["^here"]


def test_missed_heading_links_to_note_and_is_flagged(home: str) -> None:
    [(attrs, text)] = anchors(paragraph(home, 8))
    assert attrs["href"] == OTHER and "kbgen-anchor-missing" in str(attrs["class"]).split()
    assert text == "Other > No Such Heading"


def test_attachment_link_points_at_file_with_pdf_page(home: str) -> None:
    html = paragraph(home, 9)
    assert link_texts(html, "../doc.pdf#page=3") == ["doc.pdf > page=3"]
    assert link_texts(html, "../doc.pdf") == ["doc.pdf"]


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
    assert link_texts(html, "../../../Home/#local-heading") == ["Home > Local Heading"]


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
