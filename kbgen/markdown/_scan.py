"""Per-parse lookup helpers that keep our inline rules linear in the input size.

Inline rules fire at every ``[``, ``%`` or ``#``; a naive ``src.find`` or
``src.count("\\n", 0, pos)`` at each of them is quadratic on long paragraphs.
One ``InlineScan`` is attached to each ``StateInline`` (never shared between
parses) and memoises "next occurrence" searches and newline positions.
"""

from __future__ import annotations

from bisect import bisect_left

from markdown_it.rules_inline import StateInline

_ATTR = "_kbgen_scan"


class InlineScan:
    """Memoised searches over one inline source string."""

    __slots__ = ("src", "_next", "_newlines")

    def __init__(self, src: str) -> None:
        self.src = src
        # needle -> (searched_from, found_at): no occurrence in [searched_from, found_at)
        self._next: dict[str, tuple[int, int]] = {}
        self._newlines: list[int] | None = None

    def find(self, needle: str, pos: int) -> int:
        """``src.find(needle, pos)``, amortised O(1) for non-decreasing ``pos``."""
        cached = self._next.get(needle)
        if cached is not None:
            start, found = cached
            if start <= pos and (found == -1 or found >= pos):
                return found
        found = self.src.find(needle, pos)
        self._next[needle] = (pos, found)
        return found

    def line_offset(self, pos: int) -> int:
        """Number of newlines in ``src`` before ``pos`` (O(log n) after one pass)."""
        if self._newlines is None:
            src = self.src
            lines: list[int] = []
            i = src.find("\n")
            while i != -1:
                lines.append(i)
                i = src.find("\n", i + 1)
            self._newlines = lines
        return bisect_left(self._newlines, pos)


def scan_for(state: StateInline) -> InlineScan:
    """The ``InlineScan`` of this inline state, created on first use."""
    scan: InlineScan | None = state.__dict__.get(_ATTR)
    if scan is None or scan.src is not state.src:
        scan = InlineScan(state.src)
        state.__dict__[_ATTR] = scan
    return scan
