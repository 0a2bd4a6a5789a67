"""Obsidian block ids: ``text ^id`` names a paragraph, a lone ``^id`` the block before.

Runs as a core rule after inline parsing (after ``text_join``, so the marker
sits in one merged text token).  The marker text is removed from the output;
the id goes to ``meta["block_id"]`` (without ``^``) and to the HTML ``id``
attribute (``^id``) of the block's opening token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_TRAILING_ID = re.compile(r"\s\^([A-Za-z0-9-]+)$")
_LONE_ID = re.compile(r"\^([A-Za-z0-9-]+)")
_BREAKS = frozenset({"softbreak", "hardbreak"})
# Closing tokens of blocks a following lone `^id` paragraph names.
_NAMEABLE = frozenset(
    {"bullet_list_close", "ordered_list_close", "table_close", "blockquote_close", "callout_close"}
)


def block_ids_plugin(md: MarkdownIt) -> None:
    """Register the block-id core rule and an anchor for ids on hidden paragraphs."""
    md.core.ruler.after("text_join", "obsidian_block_ids", block_ids_rule)
    md.add_render_rule("paragraph_open", render_paragraph_open)


def set_block_id(token: Token, block_id: str) -> None:
    """Mark ``token`` (an opening block token) as carrying ``^block_id``."""
    token.meta["block_id"] = block_id
    token.attrSet("id", f"^{block_id}")


def block_ids_rule(state: StateCore) -> None:
    """Apply both block-id forms in one pass over the block tokens."""
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token.type == "paragraph_open"
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
        ):
            inline = tokens[i + 1]
            lone = _LONE_ID.fullmatch(inline.content)
            if lone and out and out[-1].type in _NAMEABLE and out[-1].level == token.level:
                opener = _find_opener(out)
                if opener is not None and "block_id" not in opener.meta:
                    set_block_id(opener, lone.group(1))
                    i += 3  # drop paragraph_open, inline, paragraph_close
                    continue
            _trailing_id(token, inline)
        out.append(token)
        i += 1
    if len(out) != len(tokens):
        state.tokens[:] = out


def _find_opener(tokens: list[Token]) -> Token | None:
    """The opening token matching the closing token ``tokens[-1]``."""
    depth = 0
    for j in range(len(tokens) - 1, -1, -1):
        depth -= tokens[j].nesting
        if depth == 0:
            return tokens[j]
    return None


def _trailing_id(paragraph_open: Token, inline: Token) -> None:
    """``text ^id`` at the end of the paragraph: strip the marker, record the id."""
    match = _TRAILING_ID.search(inline.content)
    children = inline.children
    if match is None or not children or children[-1].type != "text":
        return
    marker = "^" + match.group(1)
    last = children[-1]
    if not last.content.endswith(marker):
        return
    last.content = last.content[: -len(marker)].rstrip()
    if not last.content:
        children.pop()
        if children and children[-1].type in _BREAKS:
            children.pop()
    inline.content = inline.content[: match.start()].rstrip()
    set_block_id(paragraph_open, match.group(1))


def render_paragraph_open(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Tight list items hide ``<p>``: keep a block id reachable with an empty anchor."""
    token = tokens[idx]
    if token.hidden and token.attrGet("id") is not None:
        return f'<span id="{escapeHtml(str(token.attrGet("id")))}"></span>'
    return self.renderToken(tokens, idx, options, env)  # type: ignore[attr-defined]
