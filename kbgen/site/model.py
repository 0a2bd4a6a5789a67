"""The site plan's records: every output of a build, as plain data.

Emitters return these; the MkDocs adapter only hands them to MkDocs.  URLs are
site-root-relative (``"a/B%20C/"``, ``""`` for the home page) and ``output`` is the file
path inside the site folder (``"a/B C/index.html"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kbgen.model import Finding
from kbgen.render.toc import TocEntry


@dataclass(slots=True)
class PageBody:
    """What a page shows inside the theme's layout, rendered."""

    html: str
    toc: list[TocEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class PlannedPage:
    """One HTML page of the site.  ``kind`` names the emitter that renders its body.

    ``key`` identifies the page within its kind (a vault path, a missing key, a tag, a
    folder); ``depends_on`` names what its body reads (``note:<path>``, ``tags``,
    ``readings``, ``tree``…), so an incremental build can tell which pages an edit changes.
    """

    kind: str
    key: str
    url: str
    output: str
    title: str
    in_nav: bool = False
    depends_on: frozenset[str] = frozenset()
    body: PageBody | None = None


@dataclass(slots=True)
class PlannedFile:
    """A file copied (``source``) or written (``content``) into the site as it is."""

    kind: str
    output: str
    content: bytes | None = None
    source: Path | None = None
    depends_on: frozenset[str] = frozenset()


@dataclass(slots=True)
class SitePlan:
    """Everything one build writes, in a deterministic order, and what planning found."""

    pages: list[PlannedPage] = field(default_factory=list)
    files: list[PlannedFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def page(self, kind: str, key: str) -> PlannedPage | None:
        return next((p for p in self.pages if p.kind == kind and p.key == key), None)
