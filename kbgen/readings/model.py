"""Reading-list data: what one bullet cites (``ReadingEntry``) and one work (``Reading``).

Kept apart from ``kbgen.model`` because only the readings stage, its page and its
exports use these; they are plain picklable dataclasses like the rest of the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kbgen.model import Finding

Level = Literal["cult", "introductionary"]

# Higher rank wins when places disagree: "cult" is a claim about the work itself
# (deep, heavily cited), so one place saying so is enough.
LEVEL_RANK: dict[str | None, int] = {None: 0, "introductionary": 1, "cult": 2}

# Normalised kinds.  ``kind`` is the primary one, chosen by this order (the most
# citable form first) so that "Blog & Paper" and "Paper & Blog" agree.
KIND_PRIORITY: tuple[str, ...] = (
    "paper", "book", "course", "article", "blog", "video", "talk", "podcast",
    "repository", "website", "other",
)


# Forms that state a work on purpose; "link", "bare" and "line" are links among prose.
EXPLICIT_FORMS = frozenset({"quoted", "named", "title", "cited"})


@dataclass(slots=True)
class ReadingEntry:
    """One reading as cited at one place of one note, fields as written there.

    ``form`` names the syntax recognised: ``quoted`` (``"Title" [A; kind; date](url)``),
    ``named`` (``Name: "description" [...](url)``), ``cited`` (``text [A; kind; date](url)``),
    ``link`` (``[Title](url)`` with optional text around), ``bare`` (a bare URL, title
    from the text before it), ``line`` (a URL line of a paragraph, title on the next line),
    ``title`` (``*cult*: "Title"`` with no link).
    """

    note: str
    line: int
    form: str
    title: str | None = None
    url: str | None = None
    level: Level | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    kind: str | None = None
    kinds: list[str] = field(default_factory=list)
    kind_raw: str | None = None
    date: str | None = None  # "2016", "2022-06", "2021-03-04"; as written when unparsable
    year: int | None = None
    topic: list[str] = field(default_factory=list)  # heading path + enclosing bullets
    notes: list[str] = field(default_factory=list)  # texts of plain sub-bullets
    related: list[ReadingEntry] = field(default_factory=list)  # entries in sub-bullets
    links: list[str] = field(default_factory=list)  # other URLs in the same bullet
    raw: str = ""  # the bullet's visible text
    bullet: bool = True  # a list item (its <li> carries the reading's id); False: a paragraph line

    @property
    def where(self) -> str:
        return f"{self.note}:{self.line}"

    @property
    def explicit(self) -> bool:
        """Written as a reading-list entry (a level, a quoted title, a citation bracket),
        not a link in an ordinary list of links, whose text is prose, not a claim."""
        return self.level is not None or self.form in EXPLICIT_FORMS


@dataclass(slots=True)
class LegendItem:
    """A bullet defining a level (``*cult*: deeper, ...``): documentation, not a reading."""

    level: Level
    description: str
    note: str
    line: int


@dataclass(slots=True)
class Extraction:
    """Everything the readings stage found in one or more notes."""

    entries: list[ReadingEntry] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def extend(self, other: Extraction) -> None:
        self.entries.extend(other.entries)
        self.legend.extend(other.legend)
        self.findings.extend(other.findings)


@dataclass(slots=True)
class Citation:
    """One place citing a work; ``entry`` keeps every field as written there."""

    note: str
    line: int
    level: Level | None
    entry: ReadingEntry

    @property
    def where(self) -> str:
        return f"{self.note}:{self.line}"


@dataclass(slots=True)
class Reading:
    """One work after dedupe, with the value chosen for each field and every citation.

    ``key`` is the stable BibTeX key (also the CSL-JSON ``id``); ``citations`` are
    sorted by (note path, line); ``conflicts`` tell where the places disagree.
    """

    key: str
    title: str | None
    url: str | None
    level: Level | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    kind: str | None = None
    kinds: list[str] = field(default_factory=list)
    kind_raw: str | None = None
    date: str | None = None
    year: int | None = None
    urls: list[str] = field(default_factory=list)  # every distinct URL, chosen first
    topics: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)  # ``reading-conflict`` findings
