"""Clipped web pages and SVG drawings are published without anything that could run,
keeping the drawing, with one warning per kind of removal."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kbgen.attachments import inert_attachment, is_active
from kbgen.css_clean import clean_declarations, clean_stylesheet

SVG = "http://www.w3.org/2000/svg"


def test_only_pages_and_svg_are_active() -> None:
    assert is_active("clips/Page.HTML") and is_active("a.htm") and is_active("d.svg")
    assert not is_active("pic.png") and not is_active("doc.pdf") and not is_active("code.js")


def test_other_files_pass_unchanged() -> None:
    assert inert_attachment("pic.png", b"\x89PNG<script>") == (b"\x89PNG<script>", [])


def test_html_keeps_text_and_loses_scripts() -> None:
    data, findings = inert_attachment("c.html", b"<script>x()</script><p onclick='y()'>KEEP</p>\n"
                                                b"<a href='javascript:z()'>l</a>")
    text = data.decode()
    assert "KEEP" in text and "<script" not in text and "onclick" not in text and "javascript:" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert sorted((f.source, f.line, f.message.split(": ", 1)[1].split(" (")[0]) for f in findings) == [
        ("c.html", 1, "1 × event handler attribute"), ("c.html", 1, "1 × script element"),
        ("c.html", 2, "1 × script or data: URL")]
    assert all(f.code == "active-attachment" and "removed from this web page" in f.message for f in findings)


def test_clean_html_gives_no_warning() -> None:
    data, findings = inert_attachment("c.html", b"<html><body><h1>Title</h1><p class='x'>text</p></body></html>")
    assert findings == [] and b"<h1>Title</h1>" in data


def test_html_style_attributes_lose_what_loads() -> None:
    data, findings = inert_attachment("c.html", b"<p style='color:red;background:url(https://t.example/x.png)'>t</p>")
    assert b'style="color:red"' in data and b"t.example" not in data
    assert [f.message for f in findings] == ["removed from this web page: 1 × CSS url() to another file"]


def test_svg_keeps_the_drawing_and_counts_each_kind_of_removal() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="a()">\n'
           b'<script>b()</script><foreignObject><div>c</div></foreignObject>\n'
           b'<a xlink:href="javascript:d()"><circle r="4" onclick="e()"/></a><rect width="2"/>\n'
           b'<use xlink:href="#c"/><linearGradient id="g"><stop offset="0"/></linearGradient></svg>')
    data, findings = inert_attachment("d.svg", svg)
    root = ET.fromstring(data)
    assert root.tag == f"{{{SVG}}}svg"
    tags = [e.tag.split("}")[1] for e in root.iter()]
    assert tags == ["svg", "a", "circle", "rect", "use", "linearGradient", "stop"]
    assert root.find(f"{{{SVG}}}use").get("href") == "#c"  # xlink:href kept as SVG 2's href
    assert all(not k.startswith("on") for e in root.iter() for k in e.attrib)
    kinds = {f.message.split(": ", 1)[1].split(" (")[0]: f.line for f in findings}
    assert kinds == {"2 × event handler attribute": 1, "1 × script element": 2,
                     "1 × foreignObject element": 2,
                     "1 × link to a URL that is not #id, http(s) or relative": 3}


def test_harmless_svg_gives_no_warning_and_keeps_its_content() -> None:
    svg = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2">'
           b'<style>circle{fill:url(#g)}</style><circle r="1" style="stroke:red"/>'
           b'<text x="1" xml:space="preserve">a &lt; b</text></svg>')
    data, findings = inert_attachment("d.svg", svg)
    assert findings == []
    root = ET.fromstring(data)
    assert root.get("viewBox") == "0 0 2 2"
    assert root.find(f"{{{SVG}}}style").text == "circle{fill:url(#g)}"
    assert root.find(f"{{{SVG}}}text").text == "a < b"


def test_editor_metadata_goes_quietly() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
           b' xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" inkscape:version="1.0">'
           b'<sodipodi:namedview/><g inkscape:label="Layer"><circle r="1"/></g></svg>')
    data, findings = inert_attachment("d.svg", svg)
    assert findings == [] and b"inkscape" not in data and b"<circle" in data


def test_broken_entity_or_deep_svg_never_raises() -> None:
    data, findings = inert_attachment("bad.svg", b"<svg><unclosed>")
    assert [f.message for f in findings][0].startswith("SVG not well-formed XML") and b"<script" not in data
    data, findings = inert_attachment("html.svg", b"<html><script>x()</script></html>")
    assert b"script" not in data and "not <svg>" in findings[0].message
    deep = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 5000 + b"<script>x()</script>" \
        + b"</g>" * 5000 + b"</svg>"
    data, findings = inert_attachment("deep.svg", deep)
    assert b"<script" not in data and any("deeper than" in f.message for f in findings)
    ET.fromstring(data)


def test_css_is_parsed_not_pattern_matched() -> None:
    sheet = clean_stylesheet('@import "x.css"; a{color:red;background:u\\72l(x.png)} '
                             "@media screen{b{fill:url(#g)}} @font-face{font-family:f;src:url(f.woff)} "
                             "c{width:expression(alert(1));behavior:url(x.htc)}")
    assert sheet.css == "a{color:red}\n@media screen{b{fill:url(#g)}}\n@font-face {font-family:f}\nc{}"
    assert sheet.removed == {"@import": 1, "url() to another file": 2, "expression()": 1,
                             "behavior/binding property": 1}
    inline = clean_declarations('fill:url("#a");background-image:image-set("x.png" 1x);color:red !important')
    assert inline.css == 'fill:url("#a");color:red !important'
