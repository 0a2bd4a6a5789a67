"""The site checkers on small hand-made site trees: each catches what it should, a clean tree passes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from site_checks import broken_internal_links, css_urls, remote_asset_urls, srcset_urls

WriteTree = Callable[..., Path]


def page(body: str, head: str = "") -> str:
    return f'<!doctype html><html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


CLEAN = {
    "index.html": page(
        '<h1 id="top-title">Home</h1>'
        '<a href="notes/">notes</a> <a href="notes/caf%C3%A9/#r%C3%A9sum%C3%A9">café résumé</a>'
        '<a href="notes/Space%20Name.html">space</a> <a href="#top-title">self</a> <a href="#">nothing</a>'
        '<a href="">empty</a> <a href="https://example.com/">ext</a> <a href="mailto:a@b.c">mail</a>'
        '<a href="javascript:void(0)">js</a> <img src="data:image/png;base64,AAAA">'
        '<a href="notes/page.html?q=1#old">old anchor</a> <a href="assets/doc.pdf#page=2">pdf</a>'
        '<a href="notes">dir without slash</a> <a href="#top">spec top</a>'
        '<img src="assets/a.png" srcset="assets/a.png 1x, assets/b%20c.png 2x">',
        head='<link rel="stylesheet" href="assets/site.css"><script src="assets/app.js"></script>'
        '<link rel="icon" href="assets/a.png">'
        '<link rel="canonical" href="https://user.github.io/repo/">'
        "<style>.x { background: url(assets/a.png) }</style>",
    ),
    "notes/index.html": page('<a href="../">up</a> <a href="./page.html">page</a>'),
    "notes/page.html": page('<a name="old"></a><a href="../index.html#top-title">home</a>'),
    "notes/café/index.html": page('<h2 id="résumé">R</h2><a href="../../">root</a>'),
    "notes/Space Name.html": page("<p style=\"background:url('../assets/a.png')\">x</p>"),
    "assets/site.css": '/* see https://example.com/docs */ @import "local.css";\n'
    '@font-face { src: url(fonts/x.woff2) format("woff2") } .y { background: url("a.png") }',
    "assets/local.css": "",
    "assets/app.js": 'const svg = "http://www.w3.org/2000/svg"; // namespaces are not loads\n',
    "assets/a.png": b"\x89PNG",
    "assets/b c.png": b"\x89PNG",
    "assets/fonts/x.woff2": b"wOF2",
    "assets/doc.pdf": b"%PDF",
}


def test_clean_tree_passes_both_checks(write_tree: WriteTree) -> None:
    site = write_tree(CLEAN, name="site")
    assert remote_asset_urls(site) == []
    assert broken_internal_links(site) == []


def test_remote_assets_in_html_are_found(write_tree: WriteTree) -> None:
    site = write_tree(
        {
            "index.html": page(
                '<img src="https://cdn.example/i.png"> <iframe src="//video.example/e"></iframe>'
                '<video><source src="HTTP://media.example/v.mp4"></video>'
                '<picture><source srcset="local.png 1x, https://img.example/2x.png 2x"></picture>'
                '<div style="background-image: url(&quot;https://bg.example/b.jpg&quot;)"></div>'
                '<a href="https://example.com/">a plain link is not an asset</a>',
                head='<script src="https://cdn.example/katex.min.js"></script>'
                '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                '<link rel="preconnect" href="https://fonts.gstatic.com">'
                '<link rel="icon" href="//icons.example/favicon.ico">'
                '<link rel="canonical" href="https://user.github.io/repo/">'
                "<style>@import 'https://css.example/theme.css'; "
                "h1 { background: url( //bg.example/h.png ) }</style>",
            ),
            "sub/page.html": page('<script src="http://cdn.example/mermaid.js"></script>'),
        },
        name="site",
    )
    assert sorted(remote_asset_urls(site)) == sorted(
        [
            ("index.html", "https://cdn.example/katex.min.js"),
            ("index.html", "https://fonts.googleapis.com/css?family=Roboto"),
            ("index.html", "https://fonts.gstatic.com"),
            ("index.html", "//icons.example/favicon.ico"),
            ("index.html", "https://cdn.example/i.png"),
            ("index.html", "//video.example/e"),
            ("index.html", "HTTP://media.example/v.mp4"),
            ("index.html", "https://img.example/2x.png"),
            ("index.html", "https://bg.example/b.jpg"),
            ("index.html", "https://css.example/theme.css"),
            ("index.html", "//bg.example/h.png"),
            ("sub/page.html", "http://cdn.example/mermaid.js"),
        ]
    )


def test_remote_urls_in_css_and_js_files_are_found(write_tree: WriteTree) -> None:
    site = write_tree(
        {
            "index.html": page("ok"),
            "assets/a.css": '@import url("https://fonts.googleapis.com/css2?family=Inter");\n'
            "@font-face { src: url(https://fonts.gstatic.com/x.woff2) format('woff2'),"
            " url(fonts/local.woff) }\n/* url(https://in.a.comment/ignored.png) */",
            "assets/b.css": "@import '//cdn.example/reset.css';",
            "assets/c.js": 'el.style.background = "url(https://img.example/js.png)";',
        },
        name="site",
    )
    assert sorted(remote_asset_urls(site)) == [
        ("assets/a.css", "https://fonts.googleapis.com/css2?family=Inter"),
        ("assets/a.css", "https://fonts.gstatic.com/x.woff2"),
        ("assets/b.css", "//cdn.example/reset.css"),
        ("assets/c.js", "https://img.example/js.png"),
    ]


def test_link_rels_to_ignore_can_be_changed(write_tree: WriteTree) -> None:
    site = write_tree({"index.html": page("", head='<link rel="canonical" href="https://x.example/">')})
    assert remote_asset_urls(site) == []
    assert remote_asset_urls(site, ignore_link_rels=()) == [("index.html", "https://x.example/")]


def test_broken_links_are_reported_with_reasons(write_tree: WriteTree) -> None:
    site = write_tree(
        {
            "index.html": page(
                '<h1 id="here">Home</h1>'
                '<a href="missing.html">1</a> <a href="notes/">2</a> <a href="#nowhere">3</a>'
                '<a href="notes/page.html#Gone">4</a> <a href="../outside.html">5</a>'
                '<a href="/notes/page.html">6</a> <img src="img/x%20y.png">'
                '<a href="notes/page.html#caf%C3%A9">7</a> <a href="notes/page.html#here">8</a>'
                '<img src="img/ok.png" srcset="img/ok.png 1x, img/gone.png 2x">',
                head='<link rel="stylesheet" href="css/missing.css"><script src="js/gone.js"></script>',
            ),
            "notes/page.html": page('<p id="gone">case matters</p><input name="café">'),
            "img/ok.png": b"\x89PNG",
        },
        name="site",
    )
    got = {(href, reason) for file, href, reason in broken_internal_links(site) if file == "index.html"}
    assert got == {
        ("missing.html", "missing file missing.html"),
        ("notes/", "missing file notes/index.html"),
        ("#nowhere", "no id or name 'nowhere' in index.html"),
        ("notes/page.html#Gone", "no id or name 'Gone' in notes/page.html"),
        ("../outside.html", "points outside the site folder"),
        ("/notes/page.html", "root-absolute path (breaks when the site is served under a sub-path)"),
        ("img/x%20y.png", "missing file img/x y.png"),
        ("notes/page.html#caf%C3%A9", "no id or name 'café' in notes/page.html"),
        ("notes/page.html#here", "no id or name 'here' in notes/page.html"),
        ("img/gone.png", "missing file img/gone.png"),
        ("css/missing.css", "missing file css/missing.css"),
        ("js/gone.js", "missing file js/gone.js"),
    }
    assert len(broken_internal_links(site)) == len(got)


def test_root_absolute_links_resolve_when_allowed(write_tree: WriteTree) -> None:
    site = write_tree(
        {
            "index.html": page('<a href="/a/">a</a> <a href="/a/#x">x</a> <a href="/b/">b</a>'),
            "a/index.html": page('<h2 id="x">X</h2>'),
        },
        name="site",
    )
    assert broken_internal_links(site, allow_absolute=True) == [
        ("index.html", "/b/", "missing file b/index.html")
    ]


def test_404_page_is_skipped_unless_asked(write_tree: WriteTree) -> None:
    site = write_tree({"index.html": page(""), "404.html": page('<a href="/x/">x</a>')}, name="site")
    assert broken_internal_links(site) == []
    assert [b[:2] for b in broken_internal_links(site, skip_pages=())] == [("404.html", "/x/")]


def test_helpers() -> None:
    assert srcset_urls("a.png 1x, b.png 2x,c.png") == ["a.png", "b.png", "c.png"]
    assert css_urls("""a{b:url( "x y.png" )} @import 'i.css'; /* url(c.png) */ c{d:url()}""") == [
        "x y.png",
        "",
        "i.css",
    ]
