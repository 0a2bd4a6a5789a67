"""A corpus of known SVG and HTML injection vectors: nothing that could run survives the
attachment sanitiser, and every vector is reported as a warning naming the file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest
from xss_corpus import HTML_VECTORS, SVG_VECTORS

from kbgen.attachments import inert_attachment

SCRIPT_URL = re.compile(r"(?:javascript|vbscript|data|livescript):")
IGNORED = re.compile(r"[\x00-\x20\x7f]+")
ACTIVE_HTML = {"script", "iframe", "object", "embed", "form", "button", "meta", "base", "link", "style",
               "svg", "math", "template", "input", "frame", "frameset", "applet", "noscript"}


def probe(value: str) -> str:
    return IGNORED.sub("", unescape(value)).lower()


@pytest.mark.parametrize("name", sorted(SVG_VECTORS))
def test_no_svg_vector_survives(name: str) -> None:
    data, findings = inert_attachment("drawing.svg", SVG_VECTORS[name].encode())
    text = data.decode("utf-8")
    assert findings and all(f.source == "drawing.svg" and f.code == "active-attachment" for f in findings)
    flat = probe(text)
    for gone in ("alert", "__pwned", "<!entity", "<!doctype", "<?xml-stylesheet", "xml:base", "foreignobject"):
        assert gone not in flat, gone
    assert not SCRIPT_URL.search(flat)
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for element in root.iter():
        namespace, local = element.tag[1:].split("}")
        assert namespace == "http://www.w3.org/2000/svg"
        assert local.lower() not in ("script", "foreignobject", "handler", "iframe", "embed", "object")
        for key, value in element.attrib.items():
            assert not key.rsplit("}", 1)[-1].lower().startswith("on"), (local, key)
            if local.lower() in ("set", "animate", "animatemotion", "animatetransform", "animatecolor"):
                assert key != "attributeName" or "href" not in value.lower() and not value.lower().startswith("on")


def test_every_svg_removal_names_its_line() -> None:
    data, findings = inert_attachment("d.svg", SVG_VECTORS["event handlers in mixed case"].encode())
    assert [(f.line, f.message) for f in findings] == [
        (1, "removed from this SVG: 4 × event handler attribute (onClick, ONMOUSEOVER, OnFocus, onLoad)")]


@pytest.mark.parametrize("name", sorted(HTML_VECTORS))
def test_no_html_vector_survives(name: str) -> None:
    data, findings = inert_attachment("clip.html", HTML_VECTORS[name].encode())
    assert findings and all(f.source == "clip.html" and f.code == "active-attachment" for f in findings)
    scan = _Scan()
    scan.feed(data.decode("utf-8"))
    tags = [t for t, _ in scan.elements]
    assert tags[:2] == ["meta", "meta"] and "Content-Security-Policy" in dict(scan.elements[1][1])["http-equiv"]
    assert not ACTIVE_HTML & set(tags[2:]), tags
    for tag, attrs in scan.elements[2:]:
        for key, value in attrs:
            assert not key.startswith("on"), (tag, key)
            assert not SCRIPT_URL.match(probe(value or "")), (tag, key, value)
            assert key != "srcdoc"
            if key == "style":
                assert "url(" not in probe(value or "") and "expression(" not in probe(value or "")


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
