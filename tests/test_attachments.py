"""Clipped web pages and SVG drawings are published without anything that could run."""

from __future__ import annotations

from kbgen.attachments import inert_attachment, is_active


def test_only_pages_and_svg_are_active() -> None:
    assert is_active("clips/Page.HTML") and is_active("a.htm") and is_active("d.svg")
    assert not is_active("pic.png") and not is_active("doc.pdf") and not is_active("code.js")


def test_html_keeps_text_and_loses_scripts() -> None:
    data, finding = inert_attachment("c.html", b"<script>x()</script><p onclick='y()'>KEEP</p>"
                                               b"<a href='javascript:z()'>l</a>")
    text = data.decode()
    assert "KEEP" in text and "<script" not in text and "onclick" not in text and "javascript:" not in text
    assert finding is not None and finding.source == "c.html"


def test_clean_html_gives_no_warning() -> None:
    _, finding = inert_attachment("c.html", b"<h1>Title</h1><p>text</p>")
    assert finding is None


def test_svg_loses_scripts_handlers_and_script_urls_but_keeps_drawing() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="a()">'
           b'<script>b()</script><foreignObject><div>c</div></foreignObject>'
           b'<a xlink:href="javascript:d()"><circle r="4" onclick="e()"/></a><rect width="2"/></svg>')
    data, finding = inert_attachment("d.svg", svg)
    text = data.decode()
    for gone in ("onload", "<script", "foreignObject", "javascript:", "onclick"):
        assert gone not in text, gone
    assert "<circle" in text and "<rect" in text
    assert finding is not None and "5" in finding.message


def test_harmless_svg_is_published_byte_for_byte() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
    assert inert_attachment("d.svg", svg) == (svg, None)


def test_broken_or_deep_svg_never_raises() -> None:
    data, finding = inert_attachment("bad.svg", b"<svg><unclosed>")
    assert finding is not None and "not well-formed" in finding.message and b"<script" not in data
    deep = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 5000 + b"<script>x()</script>" \
        + b"</g>" * 5000 + b"</svg>"
    data, finding = inert_attachment("deep.svg", deep)
    assert b"<script" not in data and finding is not None
