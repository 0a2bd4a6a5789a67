"""Attachments a browser would run are published inert.

A vault collects clipped web pages (``.html``) and drawings (``.svg``); opened from the
site, their scripts would run with the site's origin.  HTML is cleaned with the same
allowlist as raw HTML in notes; SVG through the XML parser, dropping scripts, foreign
content, event handlers and script URLs.  Other files are published as they are.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kbgen.model import Finding
from kbgen.render.sanitize import sanitize_html

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SVG_SUFFIX = ".svg"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_DROPPED_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"})
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data(?!:image/(?:png|gif|jpe?g|webp)))\s*:", re.I)


def is_active(path: str) -> bool:
    """Would a browser run script from this file if it were opened from the site?"""
    return path.lower().endswith((*HTML_SUFFIXES, SVG_SUFFIX))


def inert_attachment(path: str, data: bytes) -> tuple[bytes, Finding | None]:
    """The bytes to publish for ``path``, and a warning when something was removed."""
    lowered = path.lower()
    if lowered.endswith(HTML_SUFFIXES):
        text = data.decode("utf-8", errors="replace")
        cleaned = sanitize_html(text)
        page = f'<!doctype html>\n<meta charset="utf-8">\n{cleaned}\n'.encode()
        changed = _changed(text, cleaned)
        return page, _finding(path, "scripts and event handlers removed from this web page") if changed else None
    if lowered.endswith(SVG_SUFFIX):
        return _inert_svg(path, data)
    return data, None


def _changed(original: str, cleaned: str) -> bool:
    """Did cleaning remove anything that could run?  (Layout-only changes do not count.)"""
    return bool(re.search(r"<\s*script\b|\son[a-z]+\s*=|javascript\s*:", original, re.I)) and not bool(
        re.search(r"<\s*script\b|\son[a-z]+\s*=|javascript\s*:", cleaned, re.I)
    )


def _inert_svg(path: str, data: bytes) -> tuple[bytes, Finding | None]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        blank = f'<svg xmlns="{_SVG_NS}"/>\n'.encode()
        return blank, _finding(path, f"not well-formed SVG ({error}); published empty")
    removed = _clean_element(root)
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    if not removed:
        return data, None
    try:
        cleaned = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    except RecursionError:  # the serializer recurses; a drawing nested this deep is hostile
        return f'<svg xmlns="{_SVG_NS}"/>\n'.encode(), _finding(path, "SVG nested too deep to clean; published empty")
    return cleaned, _finding(path, f"{removed} script element(s) or attribute(s) removed from this SVG")


def _clean_element(root: ET.Element) -> int:
    """Strip what can run from ``root`` and its descendants (iteratively: a hostile file
    may nest thousands deep); return how many elements and attributes went."""
    removed = 0
    stack = [root]
    while stack:
        element = stack.pop()
        for name in list(element.attrib):
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or (local in ("href", "src") and _SCRIPT_URL.match(element.attrib[name])):
                del element.attrib[name]
                removed += 1
        for child in list(element):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1].lower() in _DROPPED_ELEMENTS:
                element.remove(child)
                removed += 1
            else:
                stack.append(child)
    return removed


def _finding(path: str, message: str) -> Finding:
    return Finding(path, None, "active-attachment", message)
