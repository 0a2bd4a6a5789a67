"""Writing small vaults for tests: {relative POSIX path: text or bytes}."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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
