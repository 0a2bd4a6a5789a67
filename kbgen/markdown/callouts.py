"""Obsidian callouts: ``> [!type]± Title`` turns a blockquote into a callout.

A core rule between block and inline parsing, so removing the marker line is a
string edit of the first paragraph's ``content`` rather than token surgery.
The title is kept as a string in ``meta["title"]`` and, so links and markup in
titles are not lost, parsed into ``callout_open.children`` (inline tokens).
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

CALLOUT_OPEN = "callout_open"
CALLOUT_CLOSE = "callout_close"
_MARKER = re.compile(r"\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)")


def callouts_plugin(md: MarkdownIt) -> None:
    """Register the callout core rule and its default ``<div class="callout">``."""
    md.core.ruler.after("block", "obsidian_callouts", callouts_rule)
    md.add_render_rule(CALLOUT_OPEN, render_callout_open)
    md.add_render_rule(CALLOUT_CLOSE, render_callout_close)


def callouts_rule(state: StateCore) -> None:
    """Rename marked blockquotes (nested ones too) and strip their marker line."""
    tokens = state.tokens
    out: list[Token] = []
    stack: list[bool] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open":
            is_callout = _open_callout(state, tokens, i)
            stack.append(is_callout)
            if is_callout and tokens[i + 2].content == "":
                out.append(token)
                i += 4  # the marker line was the whole first paragraph: drop it
                continue
        elif token.type == "blockquote_close" and stack and stack.pop():
            token.type = CALLOUT_CLOSE
            token.tag = "div"
        out.append(token)
        i += 1
    if len(out) != len(tokens):
        state.tokens[:] = out


def _open_callout(state: StateCore, tokens: list[Token], i: int) -> bool:
    """If ``tokens[i]`` opens a ``[!type]`` blockquote, turn it into ``callout_open``."""
    if i + 3 >= len(tokens) or tokens[i + 1].type != "paragraph_open":
        return False
    inline = tokens[i + 2]
    first, newline, rest = inline.content.partition("\n")
    match = _MARKER.fullmatch(first.rstrip())
    if inline.type != "inline" or match is None:
        return False
    kind, fold, title = match.group(1).lower(), match.group(2) or None, match.group(3).strip()
    opener = tokens[i]
    opener.type = CALLOUT_OPEN
    opener.tag = "div"
    opener.meta = {**opener.meta, "kind": kind, "title": title or None, "fold": fold}
    if title:
        opener.children = []
        state.md.inline.parse(title, state.md, state.env, opener.children)
        _plain_text_special(opener.children)
    inline.content = rest if newline else ""
    for shifted in (tokens[i + 1], inline):
        if shifted.map:
            shifted.map = [shifted.map[0] + 1, shifted.map[1]]
    return True


def _plain_text_special(children: list[Token]) -> None:
    """What core ``text_join`` does for inline tokens: escapes become plain text."""
    for child in children:
        if child.type == "text_special":
            child.type = "text"
        if child.children:
            _plain_text_special(child.children)


def render_callout_open(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Obsidian-like markup: outer div, a title div, then the content div."""
    token = tokens[idx]
    kind = escapeHtml(token.meta["kind"])
    if token.children:
        title = self.renderInline(token.children, options, env)  # type: ignore[attr-defined]
    else:
        title = escapeHtml(token.meta["title"] or token.meta["kind"].capitalize())
    attrs = "".join(f' {escapeHtml(k)}="{escapeHtml(str(v))}"' for k, v in token.attrs.items())
    fold = token.meta["fold"]
    fold_attr = f' data-callout-fold="{fold}"' if fold else ""
    return (
        f'<div class="callout" data-callout="{kind}"{fold_attr}{attrs}>\n'
        f'<div class="callout-title">{title}</div>\n<div class="callout-content">\n'
    )


def render_callout_close(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Close the content div and the callout div."""
    return "</div>\n</div>\n"
