"""Deeply nested quotes and lists: bounded recursion, and the deep part still shown.

markdown-it recurses once per nested blockquote or list and, past ``maxNesting``,
*silently drops* the rest of the container.  This block rule fires a few levels before
that limit and turns whatever is left of the container into one plain paragraph (the
text with its ``>``/``-`` markers, links still links), marked ``meta["nesting_cut"]``
so ``notes.py`` can warn that structure was flattened.  Recursion therefore stops at
``MAX_NESTING`` levels whatever the input, and no text is lost.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

MAX_NESTING = 40  # token levels: 40 quotes deep, or about 20 nested lists
# A list opens two levels (list + item) and a paragraph one more: stop early enough
# that no rule can reach markdown-it's own cut-off before this rule sees the container.
_HEADROOM = 4
NESTING_CUT = "nesting_cut"


def nesting_plugin(md: MarkdownIt, max_nesting: int = MAX_NESTING) -> None:
    """Set ``maxNesting`` and register the guard as the first block rule."""
    md.options["maxNesting"] = max_nesting
    first = md.block.ruler.get_all_rules()[0]
    md.block.ruler.before(first, "kbgen_nesting_guard", nesting_guard)


def nesting_guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Past the depth limit: the rest of this container becomes one flat paragraph."""
    if state.level < state.md.options["maxNesting"] - _HEADROOM:
        return False
    if silent:
        return True
    text = state.getLines(start_line, end_line, state.blkIndent, False).strip()
    state.line = end_line
    opener = state.push("paragraph_open", "p", 1)
    opener.map = [start_line, end_line]
    opener.meta[NESTING_CUT] = True
    inline = state.push("inline", "", 0)
    inline.content = text
    inline.map = [start_line, end_line]
    inline.children = []
    state.push("paragraph_close", "p", -1)
    return True
