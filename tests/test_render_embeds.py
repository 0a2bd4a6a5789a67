"""``![[...]]``: media, note/section/block embeds, cycles, depth, and id hygiene."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_render_helpers import Crawl, assert_anchors_ok, link_texts, make_vault, render

from kbgen.render.embeds import split_size
from kbgen.urls import missing_slug

VAULT = {
    "Host.md": (
        "# Host\n\n## Intro\n\nHost text[^h].\n\n"
        "![[B]]\n\n"
        "![[B#Middle]]\n\n"
        "![[B#^blk]]\n\n"
        "![[B#^item]]\n\n"
        "Before ![[B#Middle]] after.\n\n"
        "![[Nope]]\n\n"
        "[^h]: host note\n"
    ),
    "sub/B.md": (
        "---\ntitle: Bee\nsecret: front-matter-value\n---\n"
        "## Intro\n\nB text[^1] links [[#Middle]] and [rel](C.md).\n\n"
        "## Middle\n\nmiddle para[^m] ^blk\n\n### Deeper\n\ndeep text\n\n"
        "## Last\n\nlast text\n\n- one ^item\n  - child\n- two\n\n[^1]: b footnote\n[^m]: m footnote\n"
    ),
    "sub/C.md": "# C in sub\n",
    "C.md": "# C at root\n",
    "Media.md": (
        "![[pic.png]]\n\n![[pic.png|200]]\n\n![[pic.png|a cat|200x100]]\n\n![small|50](pic.png)\n\n"
        "![[doc.pdf#page=2]]\n\n![[song.mp3]]\n\n![[clip.mp4|320x240]]\n\n![[data.csv]]\n\n![[gone.png]]\n"
    ),
    "pic.png": b"\x89PNG",
    "doc.pdf": b"%PDF",
    "song.mp3": b"ID3",
    "clip.mp4": b"\0",
    "data.csv": "a,b\n",
    "Loop A.md": "# Loop A\n\n![[Loop B]]\n",
    "Loop B.md": "# Loop B\n\ntext\n\n![[Loop A]]\n",
    "Self.md": "# Self\n\n![[Self]]\n",
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    return make_vault(tmp_path_factory.mktemp("embeds"), VAULT)


@pytest.fixture(scope="module")
def host(loaded):
    return render(loaded, "Host.md")


def embeds(html: str) -> list[str]:
    """Top-level ``kbgen-embed`` divs, in order."""
    out, pos = [], 0
    while (start := html.find('<div class="kbgen-embed">', pos)) != -1:
        depth, i = 0, start
        while True:
            nxt_open, nxt_close = html.find("<div", i), html.find("</div>", i)
            if nxt_open != -1 and nxt_open < nxt_close:
                depth, i = depth + 1, nxt_open + 4
            else:
                depth, i = depth - 1, nxt_close + 6
                if depth == 0:
                    break
        out.append(html[start:i])
        pos = i
    return out


def test_whole_note_embed(host) -> None:
    whole = embeds(host.html)[0]
    [title] = Crawl(whole).find("div", class_="kbgen-embed-title")
    assert link_texts(whole, "../sub/B/") == ["B"]  # the link as written, not the title "Bee"
    assert "B text" in whole and "last text" in whole
    assert "front-matter-value" not in whole
    # links inside are B's own: its [[#Middle]] goes to B's page, its relative markdown link to sub/C
    assert '<a class="wikilink" href="../sub/B/#middle">Middle</a>' in whole
    assert '<a href="../sub/C/">rel</a>' in whole
    assert 'class="footnote"' in whole and "b footnote" in whole


def test_section_embed_stops_at_same_level_heading(host) -> None:
    section = embeds(host.html)[1]
    assert link_texts(section, "../sub/B/#middle") == ["B > Middle"]
    assert "middle para" in section and "deep text" in section
    assert "last text" not in section and "B text" not in section
    # only the footnotes the section refers to come along (each with a working back-link)
    assert "m footnote" in section and "b footnote" not in section
    assert_anchors_ok(section)


def test_block_embeds(host) -> None:
    para, item = embeds(host.html)[2:4]
    assert link_texts(para, "../sub/B/#^blk") == ["B > ^blk"]
    assert "middle para" in para and "deep text" not in para and "m footnote" in para
    assert "<ul>" in item and "one" in item and "child" in item and "two" not in item


def test_embed_in_running_text_never_nests_div_in_p(host) -> None:
    assert "<p>Before</p>" in host.html and "<p>after.</p>" in host.html
    assert not Crawl(host.html).errors


def test_missing_embed_is_a_missing_link(host) -> None:
    assert ('<a class="wikilink kbgen-embed-missing kbgen-missing" href="../_kbgen/missing/nope/" '
            'title="Not written yet">Nope</a>') in host.html


def test_embedded_ids_never_clash_and_all_fragments_resolve(host) -> None:
    crawl = assert_anchors_ok(host.html)
    assert crawl.ids.count("intro") == 1
    assert any(i.endswith("--intro") for i in crawl.ids)
    assert "fn:1" in crawl.ids and any(i.endswith("--fn:1") for i in crawl.ids)


def test_embedded_headings_stay_out_of_the_toc(host) -> None:
    assert [e.title for e in host.toc] == ["Intro", "Backlinks"]
    assert host.findings == []


def test_images_with_sizes_and_alt(loaded) -> None:
    html = render(loaded, "Media.md").html
    assert '<img src="../pic.png" alt="pic.png" loading="lazy">' in html
    assert '<img src="../pic.png" alt="pic.png" loading="lazy" width="200">' in html
    assert '<img src="../pic.png" alt="a cat" loading="lazy" width="200" height="100">' in html
    assert '<img src="../pic.png" alt="small" loading="lazy" width="50">' in html


def test_pdf_audio_video_and_other_files(loaded) -> None:
    html = render(loaded, "Media.md").html
    assert '<iframe class="kbgen-pdf" src="../doc.pdf#page=2" title="doc.pdf" loading="lazy"></iframe>' in html
    assert '<audio class="kbgen-audio" controls preload="metadata" src="../song.mp3"></audio>' in html
    assert '<video class="kbgen-video" controls preload="metadata" src="../clip.mp4" width="320" height="240"></video>' in html
    assert '<a class="wikilink" href="../data.csv">data.csv</a>' in html
    assert f'kbgen-missing" href="../_kbgen/missing/{missing_slug("gone.png")}/"' in html


def test_cycle_is_stopped_with_marker_and_finding(loaded) -> None:
    out = render(loaded, "Loop A.md")
    assert '<div class="kbgen-embed kbgen-embed-error">Embed of Loop A stopped: cycle' in out.html
    assert [(f.source, f.line, f.code) for f in out.findings] == [("Loop B.md", 5, "embed-cycle")]
    assert_anchors_ok(out.html)


def test_self_embed_is_a_cycle(loaded) -> None:
    out = render(loaded, "Self.md")
    assert "kbgen-embed-error" in out.html
    assert [(f.source, f.line, f.code) for f in out.findings] == [("Self.md", 3, "embed-cycle")]


def test_depth_over_five_is_stopped(tmp_path: Path) -> None:
    files = {f"N{i}.md": f"# N{i}\n\n![[N{i + 1}]]\n" for i in range(8)}
    files["N8.md"] = "# N8\n"
    out = render(make_vault(tmp_path, files), "N0.md")
    assert out.html.count('<div class="kbgen-embed">') == 5
    assert "Embed of N6 stopped: too deep" in out.html
    assert [(f.source, f.line, f.code) for f in out.findings] == [("N5.md", 3, "embed-depth")]
    assert_anchors_ok(out.html)


def test_missed_section_embed_says_so(tmp_path: Path) -> None:
    out = render(make_vault(tmp_path, {"A.md": "![[B#Nope]]\n", "B.md": "# B\n"}), "A.md")
    assert "kbgen-embed-error" in out.html and "Section Nope not found." in out.html


def test_embedding_does_not_change_the_target_tokens(loaded) -> None:
    before = render(loaded, "sub/B.md").html
    render(loaded, "Host.md")
    assert render(loaded, "sub/B.md").html == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [("200", (None, 200, None)), ("200x100", (None, 200, 100)), ("a cat|300", ("a cat", 300, None)),
     ("just alt", ("just alt", None, None)), (None, (None, None, None)), ("x|y", ("x|y", None, None))],
)
def test_split_size(text, expected) -> None:
    assert split_size(text) == expected
