"""Site URLs of notes, attachments and generated pages, and relative hrefs between them.

Every URL here is *site-root-relative* (``"folder/My%20Note/"``, ``""`` for the home
page) and every href written into HTML is made relative with ``relative_url``, so
the built site works from any sub-path (GitHub Pages serves it under ``/repo/``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import quote

from kbgen.slugs import slugify

GENERATED = "_kbgen"  # the reserved folder of generated pages (ARCHITECTURE.md)
_INDEX_STEMS = ("index", "readme")  # MkDocs serves both as their folder's page
MAX_SEGMENT_BYTES = 120  # file systems allow 255 bytes per name; leave room for MkDocs' suffixes
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\\]")


def _quote(path: str) -> str:
    """Percent-encode like MkDocs' ``File.url`` does (``urllib.parse.quote``, ``/`` kept)."""
    return quote(path, safe="/")


def safe_segment(name: str) -> str:
    """One folder name of a generated page, made from user text (a tag, a missing note).

    It must be a single, writable path segment: never ``.``/``..`` (a front-matter tag
    ``../../x`` would write outside the site), no control characters or backslashes, and
    short enough for any file system (a 5,000-character link target).  Changed names get a
    hash of the original, so two different inputs never share a page.
    """
    clean = _UNPRINTABLE.sub("", name)
    if clean.strip("."):
        if clean == name and len(clean.encode("utf-8")) <= MAX_SEGMENT_BYTES:
            return clean
    else:
        clean = "dots"
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    cut = clean.encode("utf-8")[:MAX_SEGMENT_BYTES - 11].decode("utf-8", "ignore")
    return f"{cut}-{digest}"


class UrlMap(Protocol):
    """Where things live on the site; the renderer only ever asks this."""

    def note(self, path: str) -> str: ...

    def attachment(self, path: str) -> str: ...

    def missing(self, key: str) -> str: ...

    def tag(self, tag: str) -> str: ...

    def special(self, name: str) -> str: ...


class DirectoryUrls:
    """MkDocs ``use_directory_urls`` layout: ``"a/B C.md"`` -> ``"a/B%20C/"``.

    A missing note's page is named after its key alone, so a name that appears or goes
    away never moves another's page (an incremental build relies on it): the key's slug
    when the slug says exactly the key (``"graph theory"`` -> ``graph-theory``), else the
    slug and a short digest of the key (``"c++"`` -> ``c-3b0a9e``), so keys that slugify
    alike (``c++``, ``c#``, ``c``) never share a page.  ``missing_keys`` is accepted for
    callers that list them; the URL does not depend on it.
    """

    def __init__(self, missing_keys: Iterable[str] = ()) -> None:
        pass

    def note(self, path: str) -> str:
        stem = path[:-3] if path.lower().endswith(".md") else path
        folder, _, name = stem.rpartition("/")
        if name.lower() in _INDEX_STEMS:
            return _quote(folder + "/") if folder else ""
        return _quote(stem + "/")

    def attachment(self, path: str) -> str:
        return _quote(path)

    def missing(self, key: str) -> str:
        return f"{GENERATED}/missing/{_quote(missing_slug(key))}/"

    def tag(self, tag: str) -> str:
        """Tags are case-insensitive in Obsidian, so ``#Idea`` and ``#idea`` share a page."""
        parts = [safe_segment(p) for p in tag.lstrip("#").casefold().split("/") if p]
        return f"{GENERATED}/tags/" + "".join(_quote(p) + "/" for p in parts)

    def special(self, name: str) -> str:
        return "" if name == "home" else f"{GENERATED}/{_quote(name)}/"


def missing_slug(key: str) -> str:
    """The folder name of a missing note's page: see ``DirectoryUrls``."""
    slug = safe_segment(slugify(key))
    if slug and "-" not in key and slug == key.replace(" ", "-"):
        return slug
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()[:6]
    return f"{slug}-{digest}" if slug else digest


def relative_url(from_page_url: str, to_url: str) -> str:
    """The href that leads from the page at ``from_page_url`` to ``to_url``.

    Both are site-root-relative.  The page's folder is everything up to its last
    ``/`` (``"a/b/"`` -> ``a/b``; ``"a/x.html"`` -> ``a``).  A fragment on ``to_url``
    is kept; the same page gives ``"./"`` (never ``""``, which some browsers treat
    as "reload" and which is not a valid link target in every context).
    """
    path, hash_, fragment = to_url.partition("#")
    base = from_page_url.split("/")[:-1]
    target = path.split("/")
    common = 0
    for a, b in zip(base, target[:-1]):
        if a != b:
            break
        common += 1
    rel = "../" * (len(base) - common) + "/".join(target[common:])
    if not rel:
        rel = "./"
    elif rel.split("/", 1)[0].find(":") != -1:
        rel = "./" + rel  # "a:b/" would read as a URL scheme
    return rel + hash_ + fragment


def with_suffix(dest: str, n: int, directory_page: bool) -> str:
    """``a/Note/index.html`` -> ``a/Note-2/index.html``; ``a/Pic.png`` -> ``a/Pic-2.png``."""
    if directory_page:
        folder = dest.rpartition("/")[0]
        return f"{folder}-{n}/index.html"
    head, slash, name = dest.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not stem:  # no extension (or a dot file)
        stem, dot, ext = name, "", ""
    return f"{head}{slash}{stem}-{n}{dot}{ext}"


def _fold(dest: str) -> str:
    """How a case-insensitive, normalising file system (macOS, Windows) sees a path."""
    return unicodedata.normalize("NFC", dest).casefold()


def case_collisions(fixed: Iterable[str], movable: Iterable[tuple[str, str, bool]]
                    ) -> dict[str, tuple[str, str]]:
    """Output paths that would be one file on a case-insensitive host, made distinct.

    ``fixed`` are output paths that never move (kbgen's own pages, theme files);
    ``movable`` are ``(vault path, output path, is a directory-URL page)``.  In sorted
    vault-path order, a file whose output path equals an earlier one but for case (or
    Unicode normalisation) gets ``-2``, ``-3``…  Returns ``{vault path: (new output path,
    what it clashed with)}`` for the files that move; a clean vault gives ``{}``.
    """
    owners: dict[str, str] = {_fold(d): d for d in fixed}
    moved: dict[str, tuple[str, str]] = {}
    for path, dest, directory_page in sorted(movable):
        new, n = dest, 1
        while _fold(new) in owners:
            n += 1
            new = with_suffix(dest, n, directory_page)
        owners[_fold(new)] = path
        if new != dest:
            moved[path] = (new, owners[_fold(dest)])
    return moved
