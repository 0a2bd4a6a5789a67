"""Small HTML helpers shared by the generated pages (all hrefs relative to the page)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Protocol

from kbgen.model import Note, Resolution
from kbgen.urls import relative_url


class VaultLike(Protocol):
    """What the pages need of ``kbgen.vault.Vault``."""

    notes: Mapping[str, Note]

    def resolution(self, source: str, index: int) -> Resolution: ...


def stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def note_title(vault: VaultLike | None, path: str) -> str:
    """The note's title when the vault is at hand, else its file name (what Obsidian shows)."""
    note = vault.notes.get(path) if vault is not None else None
    return note.title if note is not None else stem(path)


def link(page_url: str, to_url: str, text: str, css: str | None = None) -> str:
    """``<a href=relative>escaped text</a>``."""
    cls = f' class="{escape(css)}"' if css else ""
    return f'<a{cls} href="{escape(relative_url(page_url, to_url))}">{escape(text)}</a>'


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def h1(title: str) -> str:
    """Pages bring their own ``<h1>``: material then shows no second title."""
    return f"<h1>{escape(title)}</h1>\n"
