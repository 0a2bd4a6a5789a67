"""From the one parse's flat token list to the shapes a reading list has.

A note's tokens are walked once into a small tree: list items (with their first
paragraph, later paragraphs and sub-items) and loose paragraphs, each tagged with
the heading path above it.  The inline children are then turned into ``Piece``s:
visible text and links, so the entry parser works on tokens, never on source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from kbgen.markdown.text import plain_text
from kbgen.markdown.text import visible as _visible

from kbgen.readings.kinds import normalise_level
from kbgen.readings.model import Level

_QUOTES = ("blockquote_open", "callout_open")
_UNQUOTES = ("blockquote_close", "callout_close")
_LISTS = ("bullet_list_open", "ordered_list_open")
_UNLISTS = ("bullet_list_close", "ordered_list_close")
_BREAKS = ("softbreak", "hardbreak")
_EMPHASIS = {"em_open": "em_close", "strong_open": "strong_close"}


@dataclass(slots=True)
class Item:
    """One list item: ``head`` is its first paragraph's inline token."""

    line: int
    topic: list[str]
    head: Token | None = None
    more: list[Token] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    """A paragraph outside any list (``AI Study Plan``'s reading list is one)."""

    inline: Token
    line: int
    topic: list[str]


@dataclass(slots=True)
class Link:
    href: str
    text: str
    auto: bool  # a bare URL (GFM autolink, or link text equal to the URL)


Piece = str | Link


def walk(tokens: list[Token]) -> list[Item | Paragraph]:
    """Top-level items and paragraphs in document order, sub-items nested."""
    roots: list[Item | Paragraph] = []
    headings: list[tuple[int, str]] = []
    stack: list[Item] = []
    quote = 0
    label: str | None = None  # a bold-only paragraph titling the list after it
    pending: str | None = None
    skip: int | None = None
    last_line = 1
    for index, token in enumerate(tokens):
        if token.map:
            last_line = token.map[0] + 1
        kind = token.type
        if kind == "heading_open" and index + 1 < len(tokens):
            level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, plain_text(tokens[index + 1].children or [])))
            skip, pending = index + 1, None
        elif kind in _QUOTES:
            quote += 1
        elif kind in _UNQUOTES:
            quote = max(0, quote - 1)
        elif kind in _LISTS and not stack:
            label, pending = pending, None
        elif kind in _UNLISTS and not stack:
            label = None
        elif kind == "list_item_open":
            topic = [text for _, text in headings] + ([label] if label else [])
            item = Item(last_line, topic)
            (stack[-1].children if stack else roots).append(item)
            stack.append(item)
        elif kind == "list_item_close" and stack:
            stack.pop()
        elif kind == "inline" and index != skip:
            if stack:
                top = stack[-1]
                if top.head is None:
                    top.head = token
                else:
                    top.more.append(token)
            elif not quote and (bold := _bold_label(token)) is not None:
                pending = bold
            else:
                pending = None
                roots.append(Paragraph(token, last_line, [text for _, text in headings]))
    return roots


def _bold_label(inline: Token) -> str | None:
    """``**Project ideas**`` alone in a paragraph: the text, else None."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 3 and children[0].type == "strong_open" and children[1].type == "text":
        return children[1].content.strip() or None
    return None


def visible(token: Token) -> str:
    """What a reader sees of one inline token; line breaks kept (entries are per line)."""
    return _visible(token, line_break="\n")


def split_lines(children: list[Token]) -> list[tuple[int, list[Token]]]:
    """Inline children cut at soft/hard breaks: (line offset, tokens of that line)."""
    lines: list[tuple[int, list[Token]]] = [(0, [])]
    for child in children:
        if child.type in _BREAKS:
            lines.append((len(lines), []))
        else:
            lines[-1][1].append(child)
    return lines


def leading_level(children: list[Token]) -> tuple[Level | None, list[Token]]:
    """``*cult*``/``_cult_``/``**cult**`` opening the inline: (level, the rest)."""
    start = 0
    while start < len(children) and children[start].type == "text" and not children[start].content.strip():
        start += 1
    if start + 2 < len(children):
        opener, word, closer = children[start:start + 3]
        if (opener.type in _EMPHASIS and closer.type == _EMPHASIS[opener.type]
                and word.type == "text" and normalise_level(word.content)):
            return normalise_level(word.content), children[start + 3:]
    return None, children


def pieces(children: list[Token]) -> list[Piece]:
    """Visible text and links; adjacent text merged, emphasis markup and ``#tags`` dropped.

    Tags are metadata on the bullet, not part of a title.
    """
    out: list[Piece] = []
    link: Token | None = None
    link_text: list[str] = []
    for child in children:
        if link is not None:
            if child.type == "link_close":
                text = "".join(link_text)
                href = str(link.attrs.get("href", ""))
                auto = link.markup == "autolink" or link.info == "auto" or _same_url(text, href)
                out.append(Link(href, " ".join(text.split()), auto))
                link = None
            else:
                link_text.append(visible(child))
        elif child.type == "link_open":
            link, link_text = child, []
        elif child.type != "tag":
            piece = visible(child)
            if piece and out and isinstance(out[-1], str):
                out[-1] += piece
            elif piece:
                out.append(piece)
    return out


def _same_url(text: str, href: str) -> bool:
    text = text.strip()
    return bool(text) and (text == href or href.endswith("//" + text) or href == "mailto:" + text)
