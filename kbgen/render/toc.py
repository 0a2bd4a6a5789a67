"""The page's table of contents: the note's headings, nested (the caller leaves out the title)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kbgen.render.context import HeadingRecord


@dataclass(slots=True)
class TocEntry:
    """``title`` is plain text (escape it where it is put into HTML)."""

    level: int
    id: str
    title: str
    children: list[TocEntry] = field(default_factory=list)


def build_toc(headings: Iterable[HeadingRecord]) -> list[TocEntry]:
    """Each heading goes under the nearest earlier heading of a lower level.

    An H4 straight after an H2 nests under the H2; an H3 before any H2 is top-level.
    """
    root: list[TocEntry] = []
    stack: list[TocEntry] = []
    for heading in headings:
        entry = TocEntry(heading.level, heading.id, heading.title)
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else root).append(entry)
        stack.append(entry)
    return root
