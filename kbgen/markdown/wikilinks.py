"""Obsidian wikilinks ``[[T#sub|text]]`` and embeds ``![[T]]`` as ``wikilink`` tokens.

The rule sits before markdown-it's ``link``/``image`` rules so ``[[x]]`` is never
read as a reference link.  Code spans, ``$math$``, HTML and ``%%comments%%`` win
because their rules consume their whole span when the parser reaches their
opening character, before it ever reaches a ``[[`` inside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_inline import StateInline, link
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ._scan import scan_for
from .text import link_label

WIKILINK = "wikilink"
WIKILINK_INVALID = "wikilink_invalid"


def wikilinks_plugin(md: MarkdownIt) -> None:
    """Register the wikilink/embed inline rule and its default HTML rendering."""
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.add_render_rule(WIKILINK, render_wikilink)
    md.add_render_rule(WIKILINK_INVALID, render_wikilink_invalid)


def split_wikilink(inner: str) -> tuple[str, str | None, str | None]:
    """Split the text between ``[[`` and ``]]`` into (target, subpath, display).

    Display starts at the first ``|`` (``\\|`` counts too: it is how Obsidian
    users escape the pipe inside table cells); the target ends at the first
    ``#`` and everything after it, further ``#`` included, is the subpath.
    """
    display: str | None = None
    bar = inner.find("|")
    if bar != -1:
        display = inner[bar + 1 :].strip() or None
        inner = inner[: bar - 1] if bar > 0 and inner[bar - 1] == "\\" else inner[:bar]
    subpath: str | None = None
    hash_at = inner.find("#")
    if hash_at != -1:
        subpath = inner[hash_at + 1 :].strip() or None
        inner = inner[:hash_at]
    return inner.strip(), subpath, display


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Match ``[[...]]`` / ``![[...]]`` at ``state.pos``; never across a newline."""
    src = state.src
    start = state.pos
    embed = src[start] == "!"
    if embed:
        if not src.startswith("[[", start + 1):
            return False
        open_end = start + 3
    elif src.startswith("[[", start):
        open_end = start + 2
    else:
        return False

    scan = scan_for(state)
    close = scan.find("]]", open_end)
    newline = scan.find("\n", start)
    if close == -1 or close + 2 > state.posMax or (newline != -1 and newline < close):
        # `[[1](url)]` is a bracket then a markdown link, not a broken wikilink.
        paren = scan.find("](", open_end)
        if paren != -1 and (newline == -1 or paren < newline):
            if _markdown_link_at(state, open_end - 1):
                return False
        return _invalid(state, silent, start, open_end, "unterminated [[")

    inner = src[open_end:close]
    bar = inner.find("|")
    if "[" in (inner if bar == -1 else inner[:bar]):
        # `[[a [[b]]` or `[[[x]]]`: names cannot hold `[`, a later `[[` may match.
        return False
    target, subpath, display = split_wikilink(inner)
    end = close + 2
    if not target and subpath is None:
        return _invalid(state, silent, start, end, "empty wikilink")

    if not silent:
        raw = src[start:end]
        token = state.push(WIKILINK, "", 0)
        token.content = raw
        token.markup = "![[" if embed else "[["
        token.meta = {
            "target": target,
            "subpath": subpath,
            "display": display,
            "embed": embed,
            "raw": raw,
            "line_offset": scan.line_offset(start),
        }
    state.pos = end
    return True


def _markdown_link_at(state: StateInline, pos: int) -> bool:
    """Whether a CommonMark inline link ``[text](url)`` starts at ``pos``."""
    saved = state.pos
    state.pos = pos
    try:
        return link(state, True)
    finally:
        state.pos = saved


def _invalid(state: StateInline, silent: bool, start: int, end: int, reason: str) -> bool:
    """Emit ``wikilink_invalid`` for the raw text ``src[start:end]``."""
    if not silent:
        token = state.push(WIKILINK_INVALID, "", 0)
        token.content = state.src[start:end]
        token.meta = {"reason": reason, "line_offset": scan_for(state).line_offset(start)}
    state.pos = end
    return True


def wikilink_href(target: str, subpath: str | None) -> str:
    """A plain relative URL for the default renderer (the site renderer resolves)."""
    href = quote(target, safe="/") if target else ""
    if subpath is not None:
        href += "#" + quote(subpath, safe="^")
    return href


def wikilink_text(meta: dict[str, object]) -> str:
    """What Obsidian shows for a link without display text: ``T > H1 > H2``."""
    display, subpath = meta.get("display"), meta.get("subpath")
    return link_label(str(meta.get("target") or ""), str(subpath) if subpath else None,
                      str(display) if display else None)


def render_wikilink(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """``<a class="wikilink">`` for links, ``<span class="embed">`` for embeds."""
    meta = tokens[idx].meta
    href = escapeHtml(wikilink_href(meta["target"], meta["subpath"]))
    text = escapeHtml(wikilink_text(meta))
    if meta["embed"]:
        return f'<span class="embed" data-src="{href}">{text}</span>'
    return f'<a class="wikilink" href="{href}">{text}</a>'


def render_wikilink_invalid(
    self: RendererProtocol,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Invalid wikilinks show exactly what was typed."""
    return escapeHtml(tokens[idx].content)
