"""Obsidian tags ``#tag``, ``#a/b``, ``#multi-word_tag`` as ``tag`` tokens.

Obsidian rules: the ``#`` follows the start of a line or whitespace, the body is
letters/digits/``_``/``-``/``/`` (any script) and holds at least one non-digit.
Code, math, HTML, autolinks and link destinations are consumed by their own
rules before the parser reaches a ``#`` inside them; a ``#`` in a bare URL is
preceded by a non-space character, so it never qualifies either.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ._scan import scan_for

TAG = "tag"
_EXTRA_TAG_CHARS = frozenset("_-/")


def tags_plugin(md: MarkdownIt) -> None:
    """Register the tag inline rule and its default HTML rendering."""
    md.inline.ruler.before("link", "obsidian_tag", tag_rule)
    md.add_render_rule(TAG, render_tag)


def is_tag_char(ch: str) -> bool:
    """Letters and digits of any script (with combining marks), ``_``, ``-``, ``/``."""
    return ch.isalnum() or ch in _EXTRA_TAG_CHARS or unicodedata.category(ch)[0] == "M"


def scan_tag(src: str, pos: int, end: int) -> int:
    """End of the tag body starting at ``src[pos]`` (just after ``#``), or ``pos``."""
    stop = pos
    while stop < end and is_tag_char(src[stop]):
        stop += 1
    while stop > pos and src[stop - 1] == "/":  # `#a/` is the tag `a`
        stop -= 1
    body = src[pos:stop]
    if not body or body.isdigit() or body.startswith("/"):
        return pos
    return stop


def tag_rule(state: StateInline, silent: bool) -> bool:
    """Match ``#tag`` at ``state.pos``; not inside markdown link text."""
    src = state.src
    pos = state.pos
    if src[pos] != "#" or silent or state.linkLevel > 0:
        return False
    if pos > 0 and not src[pos - 1].isspace():
        return False
    stop = scan_tag(src, pos + 1, state.posMax)
    if stop == pos + 1:
        return False
    token = state.push(TAG, "", 0)
    token.content = src[pos:stop]
    token.markup = "#"
    token.meta = {"tag": src[pos + 1 : stop], "line_offset": scan_for(state).line_offset(pos)}
    state.pos = stop
    return True


def render_tag(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """``<a class="tag">#name</a>``; the site renderer adds the tag page URL."""
    name = escapeHtml(tokens[idx].meta["tag"])
    return f'<a class="tag" data-tag="{name}">#{name}</a>'
