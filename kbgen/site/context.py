"""What every emitter reads: the loaded vault, its graph, the URLs, and indexes built once.

The indexes (folders, tags) are made in one pass over the vault, so no emitter walks
every note per page it plans: planning stays linear in notes, links and tags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from kbgen.pages.common import note_title
from kbgen.pipeline import LoadedVault
from kbgen.site.addresses import SiteUrls, folder_of

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """Choices of the site's owner (plugin options and MkDocs settings that kbgen needs)."""

    home: bool = True
    directory_urls: bool = True
    reserved: frozenset[str] = frozenset()  # theme files: vault files never replace them
    jobs: int | None = None  # processes rendering pages; None: one per core


@dataclass(slots=True)
class FolderIndex:
    """``folders[f]`` holds the direct subfolders and notes of folder ``f`` (``""``: root)."""

    subfolders: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, paths: list[str]) -> FolderIndex:
        index = cls({"": []}, {"": []})
        for path in sorted(paths):
            folder = folder_of(path)
            index._add_folder(folder)
            index.notes[folder].append(path)
        for children in index.subfolders.values():
            children.sort(key=str.casefold)
        return index

    def _add_folder(self, folder: str) -> None:
        while folder not in self.notes:
            self.notes[folder], self.subfolders[folder] = [], []
            parent = folder_of(folder)
            self._add_folder(parent)
            self.subfolders[parent].append(folder)

    def ancestors(self, folder: str) -> list[str]:
        """``a/b/c`` -> ``["", "a", "a/b", "a/b/c"]``."""
        parts = folder.split("/") if folder else []
        return [""] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


@dataclass(slots=True)
class PlanState:
    """What one build of a ``kbgen serve`` session hands to the next one's planning: the
    graph data, whose unchanged neighbourhood files are taken as they are."""

    graph_data: Any = None


@dataclass(slots=True)
class SiteContext:
    loaded: LoadedVault
    urls: SiteUrls
    options: SiteOptions
    state: PlanState | None = None  # None: a build with no session around it
    folders: FolderIndex = field(init=False)
    _memo: dict[str, Any] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.folders = FolderIndex.of(list(self.loaded.published.notes))

    @property
    def vault(self):  # noqa: ANN201 - kbgen.publish.PublishedVault
        """The vault as the site may show it: published notes and attachments only."""
        return self.loaded.published

    @property
    def graph(self):  # noqa: ANN201 - kbgen.graph.LinkGraph
        return self.loaded.graph

    def memo(self, name: str, make: Callable[[], T]) -> T:
        """An index an emitter builds once per build (in planning, before pages render
        in worker processes, which inherit it) instead of once per page."""
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]

    def missing_targets(self) -> dict[str, Any]:
        """Missing key -> target, as the graph has them (links from published notes only)."""
        return self.memo("missing", lambda: {t.key: t for t in self.graph.missing_targets()})

    def title(self, path: str) -> str:
        return note_title(self.loaded.published, path)
