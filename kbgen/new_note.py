"""Writing the next note: a faithful file name for a title, the note's first lines, the
wanted (linked but missing) names, and the shell command that creates one of them.

Obsidian refuses ``* " \\ / < > : | ?`` in file names and warns that links break on
``# ^ [ ] |``, so a title such as ``TCP/IP`` or ``Foo: Bar`` cannot be its file name.
The file gets the closest allowed name (``TCP-IP``, ``Foo - Bar``) and the front matter
keeps the title as written, as ``title`` and as an alias, so ``[[Foo: Bar]]`` finds it.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

NEW_COMMAND = "kbgen new"
_DASHED = re.compile(r"[/\\|]")  # separators: TCP/IP -> TCP-IP, and|or -> and-or
_COLON_WORD = re.compile(r"\s*:\s+")  # "Foo: Bar" -> "Foo - Bar"
_DROPPED = re.compile(r'[*?<>^#\x00-\x1f\x7f]')
_SWAPPED = str.maketrans({'"': "'", "[": "(", "]": ")", ":": "-"})
MAX_NAME_BYTES = 240  # file systems allow 255 bytes per name; ".md" and some room


class NoteNameError(ValueError):
    """The title leaves nothing usable as a file name."""


def file_stem(title: str) -> str:
    """The file name (without ``.md``) Obsidian would accept for ``title``.

    ``TCP/IP`` -> ``TCP-IP``; ``Foo: Bar`` -> ``Foo - Bar``; ``12:30`` -> ``12-30``;
    ``What is "AI"?`` -> ``What is 'AI'``; ``[draft]`` -> ``(draft)``; runs of spaces
    collapse and leading dots go (a dot file would be hidden).
    """
    name = " ".join(title.split())  # tabs and line breaks are spaces
    name = _DASHED.sub("-", name)
    name = _COLON_WORD.sub(" - ", name)
    name = _DROPPED.sub("", name).translate(_SWAPPED)
    name = " ".join(name.split()).strip(" .")  # dropped characters may leave double spaces
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1].rstrip(" .")
    if not name:
        raise NoteNameError(f"the title {title!r} leaves no usable file name")
    return name


def note_text(title: str, tags: list[str] | tuple[str, ...] = (), today: _dt.date | None = None) -> str:
    """Front matter (title, an alias when the file name differs, created, tags) and a heading."""
    front: dict[str, object] = {"title": title}
    if file_stem(title) != title:
        front["aliases"] = [title]  # [[Foo: Bar]] resolves to "Foo - Bar.md"
    front["created"] = (today or _dt.date.today()).isoformat()
    front["tags"] = list(tags)
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + f"---\n\n# {title}\n\n"


def create_note(vault: Path, title: str, folder: str = "", tags: list[str] | tuple[str, ...] = ()) -> Path:
    """Write the new note ``folder/<file_stem(title)>.md`` in ``vault``; never overwrites.

    Raises ``NoteNameError`` for an unusable title, ``ValueError`` for a folder outside
    the vault and ``FileExistsError`` when the file exists.
    """
    target = (vault / folder / f"{file_stem(title)}.md").resolve()
    if not target.is_relative_to(vault.resolve()):
        raise ValueError(f"folder {folder!r} is outside the vault")
    text = note_text(title, tags)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return target


def _link_place(name: str, folder: str | None) -> tuple[str, str | None]:
    """(title, folder) of the note a link ``[[name]]`` written in ``folder`` wants.

    A name with a ``/`` is a path, as in Obsidian: ``[[Topics/Graphs]]`` wants
    ``Graphs`` in ``Topics`` (``./`` and ``../`` count from the linking note's folder).
    """
    name = name[:-3] if name.lower().endswith(".md") else name
    if "/" not in name:
        return name, folder
    if name.startswith(("./", "../")):
        name = posixpath.normpath(posixpath.join(folder or "", name))
        if name.startswith("../") or name == "..":
            name = name.rsplit("/", 1)[-1]
    name = name.strip("/")
    where, _, base = name.rpartition("/")
    return base, where or None


def new_note_command(name: str, folder: str | None) -> str:
    """The exact shell command that creates the missing note ``name`` in ``folder``.

    ``folder`` is vault-relative (the folder of the note that first links to ``name``;
    ``None`` or ``""`` for the vault's top).  Every argument is shell-quoted.
    """
    title, where = _link_place(name, folder)
    command = f"{NEW_COMMAND} {shlex.quote(title)}"
    return command + (f" --folder {shlex.quote(where)}" if where else "")


@dataclass(frozen=True, slots=True)
class Wanted:
    """A name linked to but not written yet, with its links (``(source, line)``, sorted)."""

    name: str
    referrers: list[tuple[str, int]]

    @property
    def folder(self) -> str | None:
        """The folder of the first linking note (where Obsidian would put the new note)."""
        first = self.referrers[0][0] if self.referrers else ""
        return first.rsplit("/", 1)[0] if "/" in first else None

    @property
    def command(self) -> str:
        return new_note_command(self.name, self.folder)
