"""What the reading-list pages need of the vault: its notes and their titles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from kbgen.model import Note, Resolution


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
