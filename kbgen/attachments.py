"""Attachments a browser would run are published inert, and every removal is a warning.

A vault collects clipped web pages (``.html``) and drawings (``.svg``); opened from the
site, their scripts would run with the site's origin.  Both are rebuilt from an
allow-list: HTML by nh3 (ammonia, an HTML5 parser) with CSS cleaned by ``css_clean``
and a Content-Security-Policy that forbids script; SVG by ``svg_clean`` (defusedxml).
Other files are published as they are.  Each kind of removal is one warning naming the
file (and the line of its first occurrence, when known).
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import nh3

from kbgen.css_clean import clean_declarations
from kbgen.model import Finding
from kbgen.svg_clean import clean_svg

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SVG_SUFFIX = ".svg"
CODE = "active-attachment"
CSP = ("default-src 'none'; img-src 'self' http: https:; media-src 'self' http: https:; "
       "style-src 'unsafe-inline'; font-src 'self'; base-uri 'none'; form-action 'none'")
HTML_TAGS = frozenset(nh3.ALLOWED_TAGS) | {"audio", "video", "source", "track", "section", "main", "picture", "font"}
_GENERIC = {"class", "id", "style", "title", "lang", "dir", "role", "align"}
_EXTRA_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "hreflang", "name"}, "img": {"src", "alt", "width", "height", "loading"},
    "audio": {"src", "controls", "preload", "loop", "muted"}, "source": {"src", "type", "media"},
    "video": {"src", "controls", "preload", "loop", "muted", "poster", "width", "height"},
    "track": {"src", "kind", "srclang", "label", "default"}, "font": {"color", "face", "size"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}, "ol": {"start", "reversed", "type"},
}
HTML_ATTRIBUTES: dict[str, frozenset[str]] = {
    tag: frozenset(nh3.ALLOWED_ATTRIBUTES.get(tag, set()) | _EXTRA_ATTRIBUTES.get(tag, set())
                   | (_GENERIC if tag == "*" else set()))
    for tag in {*nh3.ALLOWED_ATTRIBUTES, *_EXTRA_ATTRIBUTES, "*"}
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "action", "formaction", "data", "background", "xlink:href"})
_FRAME = frozenset({"html", "head", "body"})  # the page around the content: rebuilt, not a removal
_SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data|livescript):")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def is_active(path: str) -> bool:
    """Would a browser run script from this file if it were opened from the site?"""
    return path.lower().endswith((*HTML_SUFFIXES, SVG_SUFFIX))


def inert_attachment(path: str, data: bytes) -> tuple[bytes, list[Finding]]:
    """The bytes to publish for ``path``, and one warning per kind of thing removed."""
    lowered = path.lower()
    if lowered.endswith(HTML_SUFFIXES):
        return _inert_html(path, data)
    if lowered.endswith(SVG_SUFFIX):
        cleaned = clean_svg(data)
        if cleaned.refused is not None:
            return cleaned.data, [Finding(path, None, CODE, f"SVG {cleaned.refused}; published empty")]
        findings = [_removal(path, "SVG", kind, count, line, names)
                    for kind, (count, line, names) in cleaned.removed.items()]
        return cleaned.data, findings
    return data, []


def _removal(path: str, what: str, kind: str, count: int, line: int | None, names: list[str]) -> Finding:
    names = [" ".join(_IGNORED.sub(" ", n).split()) for n in names]
    shown = f" ({', '.join(names[:5])}{', …' if len(names) > 5 else ''})" if names else ""
    return Finding(path, line or None, CODE, f"removed from this {what}: {count} × {kind}{shown}")


def _inert_html(path: str, data: bytes) -> tuple[bytes, list[Finding]]:
    text = data.decode("utf-8", errors="replace")
    css_removed: Counter[str] = Counter()

    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr in URL_ATTRIBUTES and _SCRIPT_URL.match(_IGNORED.sub("", value).lower()):
            return None
        if attr == "style":
            cleaned = clean_declarations(value)
            css_removed.update(cleaned.removed)
            return cleaned.css or None
        return value

    attributes = {tag: set(attrs) for tag, attrs in HTML_ATTRIBUTES.items()}
    cleaner = nh3.Cleaner(tags=set(HTML_TAGS), clean_content_tags={"script", "style"}, attributes=attributes,
                          attribute_filter=keep, link_rel="noopener noreferrer", url_schemes=URL_SCHEMES,
                          generic_attribute_prefixes={"data-", "aria-"}, strip_comments=True)
    cleaned = cleaner.clean(text)
    page = (f'<!doctype html>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" '
            f'content="{CSP}">\n{cleaned}\n').encode()
    before, after = _Inventory.of(text), _Inventory.of(cleaned)
    findings = []
    for kind, count in sorted((before.counts - after.counts).items()):
        names = sorted(before.names.get(kind, set()))
        findings.append(_removal(path, "web page", kind, count, before.lines.get(kind), names))
    for kind, count in sorted(css_removed.items()):
        findings.append(_removal(path, "web page", f"CSS {kind}", count, None, []))
    return page, findings


class _Inventory(HTMLParser):
    """What could run or load in a page, counted by kind, with the first line of each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: Counter[str] = Counter()
        self.lines: dict[str, int] = {}
        self.names: dict[str, set[str]] = {}

    @classmethod
    def of(cls, html: str) -> _Inventory:
        inventory = cls()
        inventory.feed(html)
        inventory.close()
        return inventory

    def _add(self, kind: str, name: str) -> None:
        self.counts[kind] += 1
        self.lines.setdefault(kind, self.getpos()[0])
        self.names.setdefault(kind, set()).add(name)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._add("script element", tag)
        elif tag not in HTML_TAGS and tag not in _FRAME:
            self._add("element not known to be safe", tag)
        allowed = tag in HTML_TAGS
        for name, value in attrs:
            if name.startswith("on"):
                self._add("event handler attribute", name)
            elif name in URL_ATTRIBUTES and value and _SCRIPT_URL.match(_IGNORED.sub("", value).lower()):
                self._add("script or data: URL", name)
            elif allowed and not _allowed_attribute(tag, name):
                self._add("attribute not known to be safe", name)


def _allowed_attribute(tag: str, name: str) -> bool:
    return (name in HTML_ATTRIBUTES.get(tag, ()) or name in HTML_ATTRIBUTES["*"]
            or name.startswith(("data-", "aria-")))
