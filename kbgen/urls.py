"""Site URLs of notes, attachments and generated pages, and relative hrefs between them.

Every URL here is *site-root-relative* (``"folder/My%20Note/"``, ``""`` for the home
page) and every href written into HTML is made relative with ``relative_url``, so
the built site works from any sub-path (GitHub Pages serves it under ``/repo/``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from urllib.parse import quote

from kbgen.slugs import SlugAllocator, slugify

GENERATED = "_kbgen"  # the reserved folder of generated pages (ARCHITECTURE.md)
_INDEX_STEMS = ("index", "readme")  # MkDocs serves both as their folder's page


def _quote(path: str) -> str:
    """Percent-encode like MkDocs' ``File.url`` does (``urllib.parse.quote``, ``/`` kept)."""
    return quote(path, safe="/")


class UrlMap(Protocol):
    """Where things live on the site; the renderer only ever asks this."""

    def note(self, path: str) -> str: ...

    def attachment(self, path: str) -> str: ...

    def missing(self, key: str) -> str: ...

    def tag(self, tag: str) -> str: ...

    def special(self, name: str) -> str: ...


class DirectoryUrls:
    """MkDocs ``use_directory_urls`` layout: ``"a/B C.md"`` -> ``"a/B%20C/"``.

    ``missing_keys`` (every ``MissingTarget.key`` of the vault) lets two keys that
    slugify alike (``c++`` and ``c#``) get distinct pages: slugs are handed out in
    sorted key order, so the mapping is deterministic.  A key not in the list gets
    its plain slug.
    """

    def __init__(self, missing_keys: Iterable[str] = ()) -> None:
        allocator = SlugAllocator()
        self._missing: dict[str, str] = {
            key: allocator.allocate(key) for key in sorted(set(missing_keys))
        }

    def note(self, path: str) -> str:
        stem = path[:-3] if path.lower().endswith(".md") else path
        folder, _, name = stem.rpartition("/")
        if name.lower() in _INDEX_STEMS:
            return _quote(folder + "/") if folder else ""
        return _quote(stem + "/")

    def attachment(self, path: str) -> str:
        return _quote(path)

    def missing(self, key: str) -> str:
        slug = self._missing.get(key) or slugify(key)
        return f"{GENERATED}/missing/{_quote(slug)}/"

    def tag(self, tag: str) -> str:
        """Tags are case-insensitive in Obsidian, so ``#Idea`` and ``#idea`` share a page."""
        parts = [p for p in tag.lstrip("#").casefold().split("/") if p]
        return f"{GENERATED}/tags/" + "".join(_quote(p) + "/" for p in parts)

    def special(self, name: str) -> str:
        return "" if name == "home" else f"{GENERATED}/{_quote(name)}/"


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
