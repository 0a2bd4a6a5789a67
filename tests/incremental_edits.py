"""A small vault and the kinds of edit an incremental build must get exactly right.

Each edit is a function that changes a copy of the vault; tests build the vault, make
the edit, rebuild with the cache of the first build and compare with a cold build.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from kbgen.graph_update import KeptGraph
from kbgen.kept_notes import KeptNotes
from kbgen.pipeline import LoadedVault, load_vault
from kbgen.vault_update import KeptVault

FIXTURES = Path(__file__).parent / "fixtures"
NOTES = Path(__file__).parent.parent / "notes"

EXTRA = {
    "Reading/Books.md": "# Books\n\n- *cult*: \"Deep Learning\" [Ian Goodfellow; book; 2016](https://www.deeplearningbook.org/)\n"
                        "- *introductionary*: \"Grokking Algorithms\" [Aditya Bhargava; book; 2016](https://example.org/grokking)\n\n"
                        "See [[Graph Theory]] and [[Plans]].\n",
    "Plans.md": "---\ntags: [todo]\n---\n# Plans\n\nRead [[Books]] first, then [[Biology]].\n\n## Later\n\n"
                "![[Graph Theory#Shortest paths]]\n\nAlso [[Later Ideas]] and #someday\n",
    "Ideas/Later Ideas.md": "# Later Ideas\n\nLinks back to [[Plans#Later]] and [[Welcome]]. #todo\n",
}

Edit = Callable[[Path], None]
_AGES = itertools.count(1_000_000_000)


def age_files(root: Path) -> None:
    """Give each file written in the last minute its own mtime, long ago: a serve session
    trusts only a file stamp older than two seconds, and would parse every note again."""
    recent = time.time() - 60
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.stat().st_mtime > recent:
            when = next(_AGES)
            os.utime(path, (when, when))


class KeptSession:
    """The notes, vault and graph a serve session keeps between saves, driven by hand: each
    load dates the files written since in the past (``age_files``), loads the vault from
    what is kept, and acknowledges the graph's change (the next load reports the change
    since this one)."""

    def __init__(self, root: Path) -> None:
        self.root, self.notes, self.vault, self.graph = root, KeptNotes(), KeptVault(), KeptGraph()

    def load(self) -> LoadedVault:
        age_files(self.root)
        loaded = load_vault(self.root, kept=self.notes, kept_vault=self.vault, kept_graph=self.graph)
        self.graph.acknowledge()
        return loaded


def make_vault(root: Path) -> Path:
    """notes/ (the user's notes), the site fixture vault and a few notes for edits."""
    shutil.copytree(NOTES, root)
    shutil.copytree(FIXTURES / "site_vault", root, dirs_exist_ok=True)
    for path, text in EXTRA.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def _replace(path: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        text = (root / path).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def _write(path: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return edit


def _delete(path: str) -> Edit:
    return lambda root: (root / path).unlink()


def _rename(old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        (root / old).rename(root / new)
    return edit


EDITS: dict[str, Edit] = {
    "add a link": _replace("Ideas/Later Ideas.md", "#todo", "#todo and [[Deep Learning]]"),
    "remove a link": _replace("Plans.md", "Also [[Later Ideas]] and", "Also"),
    "rename a heading": _replace("Topics/Graph Theory.md", "## Shortest paths", "## Shortest routes"),
    "change tags": _replace("Plans.md", "tags: [todo]", "tags: [todo, reading/next]"),
    "change a reading entry": _replace("Reading/Books.md", "*introductionary*: \"Grokking", "*cult*: \"Grokking"),
    "create a note": _write("Biology.md", "# Biology\n\nCells, and [[Machine Learning]] copies them.\n"),
    "delete a note": _delete("Ideas/Later Ideas.md"),
    "rename a note": _rename("Plans.md", "Ideas/Roadmap.md"),
    "add an alias": _replace("Ideas/Later Ideas.md", "# Later Ideas", "---\naliases: [Biology]\n---\n# Later Ideas"),
    # the same URL on a case-insensitive file system: one of the two notes moves aside
    "clash with a note's URL": _write("PLANS.md", "# PLANS\n\nSorts first, so Plans.md moves aside.\n"),
    "make a name ambiguous": _write("Elsewhere/Graph Theory.md", "# Graph Theory elsewhere\n\nA second note by this name.\n"),
    "unpublish a note": _replace("Topics/Graph Theory.md", "aliases: [Graphs, Networks]",
                                 "aliases: [Graphs, Networks]\npublish: false"),
    "edit a note's text": _replace("Deep Learning.md", "## Overview", "## Overview\n\nA new first line."),
    # Books.md is not edited, yet its related notes now list Plans.md
    "cite a work another note cites": _replace(
        "Plans.md", "Also [[Later Ideas]]",
        "- *cult*: \"Deep Learning\" [Ian Goodfellow; book; 2016](https://www.deeplearningbook.org/)\n\nAlso [[Later Ideas]]"),
}
