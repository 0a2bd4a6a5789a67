"""Obsidian highlights ``==text==`` as ``mark_open`` / ``mark_close``.

Delimiter-based like markdown-it's strikethrough: the tokenizer records each
``==`` as a delimiter, ``balance_pairs`` matches openers with closers, and the
post-processing rule turns matched pairs into ``<mark>`` tokens.  Unmatched
markers stay text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

_EQUALS = 0x3D  # "="


def highlight_plugin(md: MarkdownIt) -> None:
    """Register the ``==`` tokenizer and its pair post-processor."""
    md.inline.ruler.before("emphasis", "mark", mark_tokenize)
    md.inline.ruler2.before("emphasis", "mark", mark_post_process)


def mark_tokenize(state: StateInline, silent: bool) -> bool:
    """Push each ``==`` of a run as a text token and remember it as a delimiter."""
    start = state.pos
    if silent or state.src[start] != "=":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        token = state.push("text", "", 0)
        token.content = "="
        length -= 1
    for _ in range(length // 2):
        token = state.push("text", "", 0)
        token.content = "=="
        state.delimiters.append(
            Delimiter(
                marker=_EQUALS,
                length=0,  # disable the emphasis "rule of 3"
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _pairs_to_marks(state: StateInline, delimiters: list[Delimiter]) -> None:
    """Turn matched ``==`` delimiter pairs into mark tokens."""
    lone_markers: list[int] = []
    for start_delim in delimiters:
        if start_delim.marker != _EQUALS or start_delim.end == -1:
            continue
        end_delim = delimiters[start_delim.end]
        for index, kind, nesting in (
            (start_delim.token, "mark_open", 1),
            (end_delim.token, "mark_close", -1),
        ):
            token = state.tokens[index]
            token.type = kind
            token.tag = "mark"
            token.nesting = nesting  # type: ignore[assignment]
            token.markup = "=="
            token.content = ""
        before = state.tokens[end_delim.token - 1]
        if before.type == "text" and before.content == "=":
            lone_markers.append(end_delim.token - 1)

    # An odd run `===` splits as `=` + `==`; move the lone `=` after the closers.
    while lone_markers:
        i = lone_markers.pop()
        j = i + 1
        while j < len(state.tokens) and state.tokens[j].type == "mark_close":
            j += 1
        j -= 1
        if i != j:
            state.tokens[i], state.tokens[j] = state.tokens[j], state.tokens[i]


def mark_post_process(state: StateInline) -> None:
    """Process the top-level delimiters and those nested inside links."""
    _pairs_to_marks(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pairs_to_marks(state, meta["delimiters"])
