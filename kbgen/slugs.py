"""Heading anchors and the loose key Obsidian uses to match ``[[Note#Heading]]``."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w\s-]", re.UNICODE)
_SPACES = re.compile(r"[\s-]+", re.UNICODE)
_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def slugify(text: str) -> str:
    """An HTML id for a heading, like MkDocs' toc extension makes: ``"My Heading!"`` -> ``"my-heading"``.

    Unicode letters are kept (readable URLs in any language); never empty.
    """
    normal = unicodedata.normalize("NFKC", text).strip().casefold()
    slug = _SPACES.sub("-", _NOT_WORD.sub("", normal)).strip("-")
    if slug.startswith("__"):  # the theme's own ids (__config, __search…): never shadow them
        slug = slug.lstrip("_")
    return slug or "section"


def heading_key(text: str) -> str:
    """Case, punctuation and spacing dropped: Obsidian matches heading links this loosely."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


class SlugAllocator:
    """Hands out unique ids within one page (``a``, ``a_1``, ``a_2``), as MkDocs does."""

    def __init__(self, reserved: set[str] | None = None) -> None:
        self._used: set[str] = set(reserved or ())

    def allocate(self, text: str) -> str:
        base = slugify(text)
        slug, n = base, 0
        while slug in self._used:
            n += 1
            slug = f"{base}_{n}"
        self._used.add(slug)
        return slug
