"""Files that are not notes but show links: ``.base`` views and ``.canvas`` boards.

Their links count in the graph as links of the file (or note) that shows them, so a
note's backlinks can say "linked from Base Books" or "linked from Canvas Plan".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kbgen.model import Finding, Resolution

PAGE_SUFFIXES = (".base", ".canvas")  # vault files published as pages of their own, not copied


def is_page_file(path: str) -> bool:
    """A ``.base`` or ``.canvas`` file: the site shows it as a page (``Books.base/``)."""
    return path.lower().endswith(PAGE_SUFFIXES)


@dataclass(frozen=True, slots=True)
class DerivedLink:
    """A link a generated view shows, counted in the graph as a link of ``source``."""

    source: str
    via: str  # "base" | "canvas"
    res: Resolution
    context: str
    line: int = 1


def read_text(root: Path | None, path: str, findings: list[Finding]) -> str | None:
    if root is None:
        return None
    try:
        data = (root / path).read_bytes()
    except OSError as error:
        findings.append(Finding(path, None, "unreadable", f"cannot read: {error.strerror}"))
        return None
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        findings.append(Finding(path, None, "encoding", "not valid UTF-8; undecodable bytes shown as \ufffd"))
    return text.replace("\r\n", "\n").replace("\r", "\n")
