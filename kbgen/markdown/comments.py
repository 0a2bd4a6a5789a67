"""Obsidian comments: ``%%inline%%`` and ``%%`` ... ``%%`` blocks over lines.

Comments are hidden in Obsidian's reading view, so links and tags written
inside them must not count: both rules consume the whole comment into one
token that renders as nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ._scan import scan_for

COMMENT = "obsidian_comment"
COMMENT_BLOCK = "obsidian_comment_block"


def comments_plugin(md: MarkdownIt) -> None:
    """Register the inline and block comment rules; both render as nothing."""
    md.inline.ruler.before("link", "obsidian_comment", comment_rule)
    md.block.ruler.before(
        "fence",
        "obsidian_comment_block",
        comment_block_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.add_render_rule(COMMENT, render_nothing)
    md.add_render_rule(COMMENT_BLOCK, render_nothing)


def comment_rule(state: StateInline, silent: bool) -> bool:
    """``%%...%%`` inside one paragraph; an unclosed ``%%`` stays literal text."""
    src = state.src
    start = state.pos
    if not src.startswith("%%", start):
        return False
    close = scan_for(state).find("%%", start + 2)
    if close == -1 or close + 2 > state.posMax:
        return False
    if not silent:
        token = state.push(COMMENT, "", 0)
        token.content = src[start + 2 : close]
        token.markup = "%%"
    state.pos = close + 2
    return True


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def comment_block_rule(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """A line starting with ``%%`` and not closing on itself opens a block comment.

    It ends with the first later line containing ``%%`` (that whole line is part
    of the comment), or, unclosed, at the end of the enclosing container, as
    Obsidian hides everything after a stray ``%%``.
    """
    if state.is_code_block(startLine):
        return False
    first = _line(state, startLine)
    if not first.startswith("%%") or "%%" in first[2:]:
        return False
    if silent:
        return True

    line = startLine + 1
    closed = False
    body: list[str] = [first[2:]]
    while line < endLine:
        text = _line(state, line)
        if text and state.sCount[line] < state.blkIndent:
            break  # a less indented line ends the enclosing list item
        at = text.find("%%")
        if at != -1:
            body.append(text[:at])
            closed = True
            line += 1
            break
        body.append(text)
        line += 1

    token = state.push(COMMENT_BLOCK, "", 0)
    token.block = True
    token.map = [startLine, line]
    token.markup = "%%"
    token.content = "\n".join(body)
    token.meta = {"closed": closed}
    state.line = line
    return True


def render_nothing(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Comments are invisible in the rendered note."""
    return ""
