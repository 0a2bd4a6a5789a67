"""What one page render knows: the page (shared by its embeds) and the note in scope.

The renderer's rules are plain methods; their per-render state travels in the
markdown-it ``env`` dict as a ``Scope``, so nothing is global and one renderer can
render many pages (or the same note embedded in several places) safely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from kbgen.model import Finding, Note, Resolution
from kbgen.urls import UrlMap, relative_url

ENV_KEY = "kbgen"
MAX_EMBED_DEPTH = 5


class VaultLike(Protocol):
    """What rendering needs of ``kbgen.vault.Vault``."""

    notes: Mapping[str, Note]

    def resolution(self, source: str, index: int) -> Resolution: ...

    def is_published(self, path: str) -> bool: ...


class GraphLike(Protocol):
    """What rendering needs of ``kbgen.graph.LinkGraph``."""

    def backlinks(self, path: str) -> list[Any]: ...

    def cited_levels(self, path: str) -> dict[int, str]: ...

    def cited_keys(self, path: str) -> dict[int, str]: ...


@dataclass(slots=True)
class HeadingRecord:
    """A heading of the page's own note, in document order, for the TOC."""

    level: int
    id: str
    title: str


@dataclass(slots=True)
class PageState:
    """Everything the host note and all its embeds add to, for one page."""

    vault: VaultLike
    graph: GraphLike | None
    urls: UrlMap
    page_url: str
    findings: list[Finding] = field(default_factory=list)
    headings: list[HeadingRecord] = field(default_factory=list)
    needs_math: bool = False
    needs_mermaid: bool = False
    embed_count: int = 0
    cited: dict[str, Any] = field(default_factory=dict)  # note path -> its reading lines (readings.py)

    def href(self, site_url: str) -> str:
        """A relative href from this page (works under any site sub-path)."""
        return relative_url(self.page_url, site_url)

    def add_finding(self, finding: Finding) -> None:
        if finding not in self.findings:
            self.findings.append(finding)


@dataclass(frozen=True, slots=True)
class Scope:
    """The note whose tokens are being rendered: the page's own, or an embedded one.

    ``prefix`` is put before every id rendered for an embedded note so its headings,
    blocks and footnotes never clash with the host page's ids; ``stack`` holds the
    (path, part) of every embed being rendered, outermost first, to stop cycles.
    """

    page: PageState
    note: Note
    prefix: str = ""
    depth: int = 0
    stack: tuple[tuple[str, str | None], ...] = ()

    @property
    def embedded(self) -> bool:
        return self.depth > 0

    def resolution(self, index: int) -> Resolution | None:
        try:
            return self.page.vault.resolution(self.note.path, index)
        except (KeyError, IndexError):
            return None

    def env(self) -> dict[str, Any]:
        return {ENV_KEY: self}


def scope_of(env: Mapping[str, Any]) -> Scope:
    scope = env.get(ENV_KEY)
    if not isinstance(scope, Scope):
        raise RuntimeError("kbgen renderer used without a Scope in env (call render_note)")
    return scope
