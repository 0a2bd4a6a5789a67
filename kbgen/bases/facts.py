"""What an expression may know about a file: its properties and file facts, built once.

Rows are the published notes.  ``file.links`` come from the vault's resolutions (every
link of the note, front matter included), ``file.backlinks`` from one index over all
published notes, ``file.size`` from the file's length on disk (not its clock), and
``file.ctime``/``file.mtime`` only from front matter (``created``/``updated``…), so a
build gives the same rows on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbgen.bases.values import LinkValue
from kbgen.model import Link, Resolution

CREATED_KEYS = ("created", "ctime", "date created", "date")
MODIFIED_KEYS = ("updated", "modified", "mtime", "date modified", "lastmod")


@dataclass(slots=True)
class FileFacts:
    """One file as expressions see it (``file.*``, ``note.*``)."""

    path: str
    properties: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    links: list[LinkValue] = field(default_factory=list)
    embeds: list[LinkValue] = field(default_factory=list)
    size: int | None = None
    is_note: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def basename(self) -> str:
        name = self.name
        return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def ext(self) -> str:
        name = self.name
        return name.rsplit(".", 1)[1] if "." in name.lstrip(".") else ""

    def created(self) -> Any:
        return _first(self.properties, CREATED_KEYS)

    def modified(self) -> Any:
        return _first(self.properties, MODIFIED_KEYS) or self.created()


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    folded = {k.casefold(): v for k, v in data.items()}
    return next((folded[k] for k in keys if folded.get(k) not in (None, "")), None)


def link_value(res: Resolution) -> LinkValue:
    link = res.link
    return LinkValue(link.target, link.subpath, link.display, res.source,
                     res.target_path if res.kind != "missing" else None)


class FactIndex:
    """File facts of the vault, made on first use and kept (one per build)."""

    def __init__(self, root: Path | None, notes: dict[str, Any], rows: list[str],
                 resolutions: Callable[[str], list[Resolution]], files: set[str]) -> None:
        self.root = root
        self._notes = notes  # every note (``this`` may be any), by path
        self.rows = rows  # the published notes, sorted: what a base lists
        self._resolutions = resolutions
        self._files = files  # every vault file (attachments too), for ``file("path")``
        self._facts: dict[str, FileFacts] = {}
        self._backlinks: dict[str, list[str]] | None = None

    def exists(self, path: str) -> bool:
        return path in self._notes or path in self._files

    def get(self, path: str) -> FileFacts:
        facts = self._facts.get(path)
        if facts is None:
            facts = self._facts[path] = self._make(path)
        return facts

    def _make(self, path: str) -> FileFacts:
        note = self._notes.get(path)
        facts = FileFacts(path, size=self._size(path), is_note=note is not None)
        if note is None:
            return facts
        facts.properties = dict(note.frontmatter)
        facts.tags = [t.lstrip("#") for t in note.tags]
        for res in self._resolutions(path):
            (facts.embeds if res.link.embed else facts.links).append(link_value(res))
        return facts

    def _size(self, path: str) -> int | None:
        if self.root is None:
            return None
        try:
            return (self.root / path).stat().st_size
        except OSError:
            return None

    def backlinks(self, path: str) -> list[str]:
        """Published notes linking to ``path`` (one index over every link, built once)."""
        if self._backlinks is None:
            index: dict[str, set[str]] = {}
            for source in self.rows:
                for res in self._resolutions(source):
                    if res.target_path and res.target_path != source and res.kind != "missing":
                        index.setdefault(res.target_path, set()).add(source)
            self._backlinks = {k: sorted(v) for k, v in index.items()}
        return self._backlinks.get(path, [])


def link_of(value: LinkValue, index: int, line: int, context: str) -> Link:
    """The ``Link`` a cell's link stands for (what the vault resolves and the graph counts)."""
    return value.as_link(index, line, context)
