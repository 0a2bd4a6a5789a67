"""Reusable checks over a built site folder (stdlib only), for tests of `kbgen build` output.

remote_asset_urls(site)     -> [(file, url)]          everything that would load from the network
broken_internal_links(site) -> [(file, href, reason)] relative links to missing files or anchors

`file` is the POSIX path of the page or asset relative to the site folder.
tests/ is on sys.path (pytest puts it there for tests/conftest.py): `from site_checks import ...`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# <link rel=...> values that never make the browser fetch anything.
NON_FETCHING_LINK_RELS = frozenset(
    {"canonical", "alternate", "author", "license", "help", "me", "next", "prev", "bookmark"}
)
# Attributes naming one URL that the browser loads, per tag ("*" = any tag).
ASSET_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
SRCSET_TAGS = frozenset({"img", "source"})
LINK_ATTRS = ("href", "xlink:href", "src", "poster", "data")

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Ref:
    """One URL-valued attribute found in a page."""

    tag: str
    attr: str
    url: str
    rel: frozenset[str] = frozenset()


@dataclass
class PageScan:
    """What one HTML file holds: URL attributes, anchor targets, inline CSS."""

    refs: list[Ref] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    css: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    """Collects refs, ids/names and inline CSS (<style> bodies, style= attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs if v is not None}
        if "id" in values:
            self.scan.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.scan.anchors.add(values["name"])
        if "style" in values:
            self.scan.css.append(values["style"])
        rel = frozenset(values.get("rel", "").lower().split())
        for attr in LINK_ATTRS:
            if attr in values and (attr != "data" or tag == "object"):
                self.scan.refs.append(Ref(tag, attr, values[attr].strip(), rel))
        if tag in SRCSET_TAGS and "srcset" in values:
            for candidate in srcset_urls(values["srcset"]):
                self.scan.refs.append(Ref(tag, "srcset", candidate, rel))
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.scan.css.append(data)


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset attribute ("a.png 1x, b.png 2x" -> ["a.png", "b.png"])."""
    return [part.split()[0] for part in srcset.split(",") if part.split()]


def css_urls(css: str, strip_comments: bool = True) -> list[str]:
    """Every url(...) and @import "..." target in a piece of CSS."""
    if strip_comments:
        css = _CSS_COMMENT.sub("", css)
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]
    found += [m.group(1) if m.group(1) is not None else m.group(2) for m in _CSS_IMPORT.finditer(css)]
    return [u.strip() for u in found]


def is_remote(url: str) -> bool:
    """True for http(s):// and protocol-relative //host URLs."""
    return bool(_REMOTE.match(url))


def scan_html(path: Path) -> PageScan:
    """Parse one HTML file."""
    scanner = _Scanner()
    scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
    scanner.close()
    return scanner.scan


def _files(site_dir: Path, *suffixes: str) -> Iterator[Path]:
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.suffix.lower() in suffixes:
            yield path


def _rel(site_dir: Path, path: Path) -> str:
    return path.relative_to(site_dir).as_posix()


def remote_asset_urls(
    site_dir: Path | str, ignore_link_rels: Collection[str] = NON_FETCHING_LINK_RELS
) -> list[tuple[str, str]]:
    """(file, url) for every http(s):// or //host URL the site would load at run time.

    HTML: script/img/iframe/source/audio/video/track/embed/input src, srcset, poster,
    object data, every <link href> (preconnect and dns-prefetch count) except rels in
    ignore_link_rels, and url()/@import in <style> and style=. CSS and JS files: url()
    and @import. Plain <a href> links are not assets and are not reported.
    """
    site = Path(site_dir)
    ignore = {r.lower() for r in ignore_link_rels}
    found: list[tuple[str, str]] = []
    for path in _files(site, ".html", ".htm"):
        scan = scan_html(path)
        urls = [
            ref.url
            for ref in scan.refs
            if ref.attr in ASSET_ATTRS.get(ref.tag, ()) + ("srcset",)
            and not (ref.tag == "link" and ref.rel and ref.rel <= ignore)
        ]
        urls += [u for css in scan.css for u in css_urls(css)]
        found += [(_rel(site, path), u) for u in urls if is_remote(u)]
    for path in _files(site, ".css", ".js", ".mjs"):
        text = path.read_text(encoding="utf-8", errors="replace")
        urls = css_urls(text, strip_comments=path.suffix.lower() == ".css")
        found += [(_rel(site, path), u) for u in urls if is_remote(u)]
    return found


def _resolve_target(site: Path, page: str, path: str, allow_absolute: bool) -> tuple[str | None, str]:
    """Site-relative file a link path points to, or (None, reason)."""
    decoded = unquote(path)
    if decoded.startswith("/"):
        if not allow_absolute:
            return None, "root-absolute path (breaks when the site is served under a sub-path)"
        joined = decoded.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page), decoded)
    target = posixpath.normpath(joined) if joined else "."
    if target == ".." or target.startswith("../"):
        return None, "points outside the site folder"
    full = site / target
    if decoded.endswith("/") or full.is_dir():
        target = posixpath.normpath(posixpath.join(target, "index.html"))
        full = site / target
    if not full.is_file():
        return None, f"missing file {target}"
    return target, ""


def broken_internal_links(
    site_dir: Path | str, allow_absolute: bool = False, skip_pages: Collection[str] = ("404.html",)
) -> list[tuple[str, str, str]]:
    """(file, href, reason) for every relative href/src/srcset in the site's HTML that is broken.

    Skips URLs with a scheme (http, mailto, javascript, data, ...), //host URLs, "" and "#".
    Paths are URL-decoded, directory URLs map to index.html, and a #fragment must match an
    id (or <a name>) in the target page. Root-absolute paths ("/x/") are reported unless
    allow_absolute, in which case they resolve against the site folder. Pages in skip_pages
    (site-relative) are not crawled: MkDocs writes 404.html with root-absolute URLs on purpose,
    since it is served at any depth; links *to* them are still checked.
    """
    site = Path(site_dir)
    scans: dict[str, PageScan] = {}

    def scan(rel: str) -> PageScan:
        if rel not in scans:
            scans[rel] = scan_html(site / rel)
        return scans[rel]

    broken: list[tuple[str, str, str]] = []
    for path in _files(site, ".html", ".htm"):
        page = _rel(site, path)
        if page in skip_pages:
            continue
        for ref in scan(page).refs:
            url = ref.url
            if url in {"", "#"} or _SCHEME.match(url) or url.startswith("//"):
                continue
            parts = urlsplit(url)
            if parts.path:
                target, reason = _resolve_target(site, page, parts.path, allow_absolute)
                if target is None:
                    broken.append((page, url, reason))
                    continue
            else:
                target = page
            fragment = unquote(parts.fragment)
            if not fragment or not target.lower().endswith((".html", ".htm")):
                continue
            if fragment not in scan(target).anchors and fragment.lower() != "top":
                broken.append((page, url, f"no id or name {fragment!r} in {target}"))
    return broken
