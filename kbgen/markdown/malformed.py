"""Markdown links that did not parse (``[text]((url)``, ``[text] (https://…)``): shown as text.

Obsidian shows such a bullet as plain text too, so it is a notice, not an error; the
author most likely meant a link.  Only text markdown-it left outside any link is
looked at, so a valid link (``[a]((b))`` has the destination ``(b)``) never counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

_BRACKETS = re.compile(r"\[([^\[\]\n]+)\](\s?)\(")
_URLISH = re.compile(r"\(?(?:https?://|www\.)", re.I)
_BREAKS = frozenset({"softbreak", "hardbreak"})
MAX_SNIPPET = 100
MAX_LABEL = 40


def malformed_links(children: list[Token]) -> Iterator[tuple[int, str]]:
    """``(line offset, what was written)`` of each bracket text followed by ``(`` that is no link.

    ``[text](`` with no space is always meant as a link; with a space (``[sic] (see)``
    is prose) only when a URL follows.
    """
    breaks = 0
    depth = 0
    for position, child in enumerate(children):
        if child.type in _BREAKS:
            breaks += 1
        elif child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth = max(0, depth - 1)
        elif child.type == "text" and not depth:
            for match in _BRACKETS.finditer(child.content):
                after = child.content[match.end():]
                following = _following_url(children, position) if not after.strip("( ") else ""
                if match.group(2) and not (_URLISH.match(after) or following):
                    continue
                rest = child.content[match.end(1) + 1:]
                close = rest.find(")")
                rest = rest[:close + 1] if close >= 0 else rest + following
                yield breaks, _short(f"[{_short(match.group(1), MAX_LABEL)}]{rest}", MAX_SNIPPET)


def _following_url(children: list[Token], position: int) -> str:
    """The URL of an autolink right after ``position`` (``[t]((`` + ``https://…``), else ""."""
    if position + 2 < len(children):
        opener, text = children[position + 1], children[position + 2]
        if opener.type == "link_open" and opener.markup in ("autolink", "linkify") and text.type == "text":
            return text.content
    return ""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
