"""Raw HTML in notes, handled the way Obsidian does (it runs DOMPurify): harmless markup
stays, anything that could run script goes.

The whole rendered body of a note (its own tokens and its embeds) is cleaned once with
``nh3`` (ammonia): an HTML5 parser sees the fragment as a browser would, so markup split
over several ``html_block``/``html_inline`` tokens (``<div onclick=…>`` … ``</div>``) is
judged as one element, and an unclosed ``<div>`` cannot swallow the page around it.  The
allowlist also covers everything kbgen's renderer writes, so clean output is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import nh3
from markdown_it.token import Token

from kbgen.model import Finding, Note
from kbgen.render.context import VaultLike
from kbgen.token_store import tokens_of

TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "iframe", "audio", "video", "source", "track", "input", "label", "section", "font", "picture",
}
_GENERIC = {"class", "id", "style", "title", "lang", "dir", "role", "align"}
_EXTRA_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "width", "height", "loading", "allowfullscreen", "frameborder", "referrerpolicy"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "video": {"src", "controls", "preload", "loop", "muted", "poster", "width", "height", "playsinline"},
    "source": {"src", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "input": {"type", "checked", "disabled"},
    "details": {"open"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "font": {"color", "face", "size"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# Schemes never allowed in a URL attribute, whatever the note says.  (``data:`` is let
# through nh3 and then allowed only as an image in ``<img src>``, as DOMPurify does.)
FORBIDDEN_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha", "file", "blob", "filesystem"})
BASE_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES) | {"http", "https", "mailto", "tel", "data"}
# Parsers of the whole page (html5ever in nh3, the theme's search indexer, browsers) spend
# time in proportion to the depth on every tag; kbgen's own markup stays far below this.
MAX_HTML_DEPTH = 256
_SCHEME_IN_HTML = re.compile(r"""\b(?:href|src|poster)\s*=\s*["']?\s*([A-Za-z][A-Za-z0-9+.-]{0,31}):""")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")  # linear: never crosses a "<"
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr", "param", "keygen"})
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")  # browsers skip these when reading a scheme
_HTTP = re.compile(r"^\s*(?:https?:|//|[^:/?#]*(?:[/?#]|$))", re.I)  # http(s) or relative
_UNSAFE_HINT = re.compile(
    r"<\s*(script|style|object|embed|form|base|meta|link|frame|frameset|applet|svg|math|template)\b"
    r"|<[^<>]*\s(on[a-z]+)\s*=|<[^<>]*\s(srcdoc)\s*="
    r"|(?:href|src|action|data)\s*=\s*[\"']?\s*((?:javascript|vbscript):|data:(?!image/))",
    re.I,
)


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """What nh3's per-tag lists cannot say: ``data:`` only for images, frames only over
    http(s), and no ids/names/``data-md-*`` that would hijack the theme's own elements."""
    if attr in ("href", "src", "poster"):
        probe = _IGNORED_IN_URL.sub("", value).lower()
        scheme = probe.split(":", 1)[0] if ":" in probe.split("/", 1)[0] else ""
        if scheme in FORBIDDEN_SCHEMES:
            return None
        if scheme == "data" and not (tag == "img" and attr == "src" and probe.startswith("data:image/")):
            return None
        if tag == "iframe" and attr == "src" and not _HTTP.match(probe):
            return None
    if attr in ("id", "name") and value.startswith("__"):  # material's own ids: __config, __search…
        return None
    if attr.startswith("data-md"):
        return None
    return value


@lru_cache(maxsize=64)
def _cleaner(extra_schemes: frozenset[str]) -> nh3.Cleaner:
    attributes = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, attrs in _EXTRA_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(attrs)
    attributes["*"] = set(attributes.get("*", set())) | _GENERIC
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes=attributes,
        attribute_filter=_attribute_filter,
        link_rel=None,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes=set(BASE_SCHEMES | extra_schemes),
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """``html`` with everything that could run script removed, harmless markup kept.

    Links keep any scheme the note uses (``zotero:``, ``obsidian:``…) except the
    ``FORBIDDEN_SCHEMES``; the allowed set is per document, so nothing is guessed.
    """
    schemes = frozenset(m.lower() for m in _SCHEME_IN_HTML.findall(html)) - FORBIDDEN_SCHEMES - BASE_SCHEMES
    return _cleaner(schemes).clean(html)


def limit_depth(html: str, limit: int = MAX_HTML_DEPTH) -> tuple[str, int]:
    """Drop tags nested deeper than ``limit`` (their text stays); returns (html, tags dropped).

    An HTML5 parser spends time proportional to the depth on every tag, so 200,000 nested
    ``<div>`` would take minutes; this linear pre-pass keeps cleaning fast.  It only ever
    removes tags and ``sanitize_html`` runs after it, so it cannot make anything unsafe.
    """
    if html.count("<") < limit:
        return html, 0
    out: list[str] = []
    depth = dropped = last = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        deep = depth >= limit if not closing else depth > limit
        depth = depth - 1 if closing else depth + 1
        depth = max(depth, 0)
        if deep:
            out.append(html[last:match.start()])
            last = match.end()
            dropped += 1
    if not dropped:
        return html, 0
    out.append(html[last:])
    return "".join(out), dropped


def _html_tokens(tokens: list[Token]) -> list[tuple[Token, Token]]:
    """(raw HTML token, token carrying its line) for every html_block and html_inline."""
    found = []
    for token in tokens:
        if token.type == "html_block":
            found.append((token, token))
        for child in token.children or ():
            if child.type == "html_inline":
                found.append((child, token))
    return found


def unsafe_html_findings(note: Note) -> list[Finding]:
    """A warning per line of the note's own raw HTML that looks unsafe (it is removed anyway:
    the warning only tells the author why something they wrote does not show)."""
    findings: dict[int, Finding] = {}
    for token, carrier in _html_tokens(tokens_of(note)):
        match = _UNSAFE_HINT.search(token.content)
        if match is None:
            continue
        line = (carrier.map[0] if carrier.map else 0) + 1
        what = next(g for g in match.groups() if g)
        shown = f"<{what.lower()}>" if match.group(1) else what.lower()
        findings.setdefault(line, Finding(note.path, line, "unsafe-html",
                                          f"unsafe raw HTML removed: {shown}"))
    return list(findings.values())


def has_raw_html(note: Note, vault: VaultLike) -> bool:
    """Whether the page of ``note`` shows raw HTML: its own, or that of a note it embeds
    (at any depth).  Pages without any are kbgen's own escaped markup and need no cleaning."""
    seen: set[str] = set()
    todo = [note]
    while todo:
        current = todo.pop()
        if current.path in seen:
            continue
        seen.add(current.path)
        if current.raw_html:
            return True
        for link in current.links:
            if not link.embed:
                continue
            try:
                res = vault.resolution(current.path, link.index)
            except (KeyError, IndexError):
                continue
            target = vault.notes.get(res.target_path) if res.target_path else None
            if target is not None and res.kind in ("note", "self"):
                todo.append(target)
    return False


def sanitize_body(html: str, note: Note, vault: VaultLike, report: Callable[[Finding], None]) -> str:
    """The note page's body: nesting bounded, and cleaned when it holds raw HTML.

    Without raw HTML the body is kbgen's own escaped markup and is returned as rendered
    (byte for byte), unless ``*****…`` nested emphasis thousands deep had to be cut.
    """
    html, dropped = limit_depth(html)
    if dropped:
        report(Finding(note.path, None, "nesting",
                       f"markup nested deeper than {MAX_HTML_DEPTH} levels: {dropped} tags dropped, text kept"))
    if not has_raw_html(note, vault):
        return html
    for finding in unsafe_html_findings(note):
        report(finding)
    return sanitize_html(html)
