"""Shared top-level fixtures: keep this file small; put area-specific ones beside their tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from trees import Tree, write_tree_at  # noqa: F401  (tests/ is on sys.path)

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"  # git-ignored

# MkDocs 1.6 prints a banner about MkDocs 2 on every run unless told not to.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(autouse=True, scope="session")
def _build_cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds in tests keep their cache (on by default) in this session's temporary folder,
    never in the user's ~/.cache."""
    os.environ["KBGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("kbgen-cache"))



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
