"""Shared top-level fixtures: keep this file small; put area-specific ones beside their tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"  # git-ignored

# MkDocs 1.6 prints a banner about MkDocs 2 on every run unless told not to.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

Tree = Mapping[str, str | bytes]


def write_tree_at(root: Path, files: Tree) -> Path:
    """Write {relative POSIX path: text or bytes} under root (parents created); return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def repo_root() -> Path:
    """The checkout's root folder."""
    return REPO_ROOT


@pytest.fixture
def write_tree(tmp_path: Path) -> Callable[..., Path]:
    """Factory: write_tree({"a/b.md": "text"}, name="vault") -> tmp_path/name with those files."""

    def write(files: Tree, name: str = "tree") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        return write_tree_at(root, files)

    return write
