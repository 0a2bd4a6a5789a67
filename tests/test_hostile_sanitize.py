"""Raw HTML in notes: harmless markup kept as Obsidian keeps it, anything that runs script
removed, and kbgen's own output unchanged by the cleaning."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_render_helpers import make_vault, render, urls_for

import kbgen.render as render_module
from kbgen.pipeline import load_vault
from kbgen.render.sanitize import MAX_HTML_DEPTH, has_raw_html, limit_depth, sanitize_html

REPO = Path(__file__).resolve().parents[1]


class _Dom(HTMLParser):
    """A page as a browser sees it: tags, attributes (booleans as ""), merged text runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(("<", tag, *sorted(f"{k}={v or ''}" for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.out.append((">", tag))

    def handle_data(self, data: str) -> None:
        if self.out and self.out[-1][0] == "text":
            self.out[-1] = ("text", self.out[-1][1] + data)
        else:
            self.out.append(("text", data))


def dom(html: str) -> list[tuple[str, ...]]:
    parser = _Dom()
    parser.feed(html)
    parser.close()
    return parser.out


@pytest.mark.parametrize("kept", [
    "<div class=\"box\" id=\"x\" title=\"t\">d</div>", '<span style="color: red">r</span>', "<kbd>K</kbd>",
    "<details open=\"\"><summary>s</summary>x</details>", '<img src="pic.png" alt="a" width="20">',
    "<table><tbody><tr><td colspan=\"2\">c</td></tr></tbody></table>", "<mark>m</mark>", "<sup>1</sup>",
    '<iframe src="https://www.youtube.com/embed/x" width="560" allowfullscreen=""></iframe>',
    '<img src="data:image/png;base64,iVBORw0KGgo=">', '<a href="zotero://select/items/1">z</a>',
    '<a href="obsidian://open?vault=v">o</a>', '<a href="mailto:a@b.c">m</a>', '<a href="#fn:1">f</a>',
    '<input type="checkbox" disabled="" checked="">', '<audio controls="" src="a.mp3"></audio>',
    '<div data-callout="tip">c</div>', '<font color="red">f</font>', '<a name="old-anchor">a</a>',
])
def test_harmless_html_is_kept(kept: str) -> None:
    assert dom(sanitize_html(kept)) == dom(kept)


@pytest.mark.parametrize(("hostile", "expected"), [
    ("<script>alert(1)</script>after", "after"),
    ("<style>body{display:none}</style>after", "after"),
    ('<img src=x onerror="alert(1)">', '<img src="x">'),
    ('<div onclick="alert(1)" onmouseover="x">d</div>', "<div>d</div>"),
    ('<a href="javascript:alert(1)">j</a>', "<a>j</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">j</a>', "<a>j</a>"),
    ('<a href="java&#x09;script:alert(1)">j</a>', "<a>j</a>"),
    ('<a href="&#1;javascript:alert(1)">j</a>', "<a>j</a>"),
    ('<a href="vbscript:msgbox(1)">v</a>', "<a>v</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">d</a>', "<a>d</a>"),
    ('<a href="\x01data:text/html,x">d</a>', "<a>d</a>"),
    ('<iframe src="data:image/svg+xml,x"></iframe>', "<iframe></iframe>"),
    ('<iframe src="javascript:alert(1)"></iframe>', "<iframe></iframe>"),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<iframe></iframe>"),
    ('<object data="x.swf"></object><embed src="x.swf">', ""),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=x">', ""),
    ('<form action="https://evil.example/"><button formaction="javascript:1">go</button></form>', "go"),
    ('<svg onload="alert(1)"><circle r="1"></circle></svg>', ""),
    ('<h2 id="__config">x</h2><a name="__search">y</a>', "<h2>x</h2><a>y</a>"),
    ('<div data-md-component="search">x</div>', "<div>x</div>"),
    ('<video poster="javascript:alert(1)" src="file:///etc/passwd"></video>', "<video></video>"),
    ("<div>unclosed", "<div>unclosed</div>"),  # cannot swallow the page around it
])
def test_script_is_removed(hostile: str, expected: str) -> None:
    assert dom(sanitize_html(hostile)) == dom(expected)


def test_markup_split_over_several_html_tokens_is_judged_whole(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"N.md": '<div\nonclick="alert(1)">\n\nsplit **text**\n\n</div>\n'
                                           'inline <a href="javascript:alert(1)">j</a> x <b onclick="y">b</b>\n'})
    out = render(loaded, "N.md")
    assert "onclick" not in out.html and "javascript" not in out.html
    assert "<strong>text</strong>" in out.html and "<b>b</b>" in out.html
    assert {f.line for f in out.findings if f.code == "unsafe-html"} == {1, 6}


def test_embedded_raw_html_is_cleaned_in_the_host_page(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"Host.md": "![[Inner]]\n", "Inner.md": "<img src=x onerror=alert(1)>\n",
                                   "Plain.md": "no html\n"})
    notes = loaded.vault.notes
    assert has_raw_html(notes["Host.md"], loaded.vault) and not has_raw_html(notes["Plain.md"], loaded.vault)
    assert "onerror" not in render(loaded, "Host.md").html


def _raw_and_clean(loaded, path: str) -> tuple[str, str]:
    urls = urls_for(loaded)
    note = loaded.vault.notes[path]
    original = render_module.sanitize_body
    render_module.sanitize_body = lambda body, *_: body
    try:
        raw = render_module.render_note(note, loaded.vault, loaded.graph, urls, urls.note(path)).html
    finally:
        render_module.sanitize_body = original
    clean = render_module.render_note(note, loaded.vault, loaded.graph, urls, urls.note(path)).html
    return raw, clean


@pytest.mark.parametrize("vault", ["tests/fixtures/site_vault", "notes", "benchmark"])
def test_kbgens_own_output_passes_the_sanitizer_unchanged(vault: str, tmp_path: Path) -> None:
    """Every construct kbgen renders (callouts, footnotes, tasks, embeds, PDFs, code, math…)
    is on the allowlist: cleaning a whole page changes nothing a browser would see."""
    root = REPO / vault
    if vault == "benchmark":
        root = tmp_path / "bench"
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_vault.py"), str(root), "-n", "60"],
                       check=True, capture_output=True)
    loaded = load_vault(root)
    assert loaded.vault.notes
    for path in loaded.vault.notes:
        raw, clean = _raw_and_clean(loaded, path)
        assert clean == raw  # no raw HTML in these notes: pages are left byte for byte
        assert dom(sanitize_html(raw)) == dom(raw), path


def test_depth_is_limited_and_text_is_kept() -> None:
    deep = "<div>" * 200_000 + "TEXT" + "</div>" * 200_000
    cut, dropped = limit_depth(deep)
    clean = sanitize_html(cut)
    assert dropped == 2 * (200_000 - MAX_HTML_DEPTH)
    assert clean.count("<div>") == MAX_HTML_DEPTH and "TEXT" in clean
    assert limit_depth("<p>shallow</p>") == ("<p>shallow</p>", 0)
    endless = '<a x="' + "<b" * 100_000  # no ">" anywhere: still cut, and the text kept
    kept, _ = limit_depth(endless)
    assert kept.endswith("<b")


def test_nested_emphasis_thousands_deep_is_cut_with_a_warning(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"N.md": "*" * 4000 + "x" + "*" * 4000 + "\n"})
    out = render(loaded, "N.md")
    assert out.html.count("<strong>") + out.html.count("<em>") <= MAX_HTML_DEPTH
    assert [f.code for f in out.findings] == ["nesting"]
