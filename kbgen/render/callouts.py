"""Obsidian callouts (``> [!tip]- Title``) as mkdocs-material admonitions.

Material already styles ``.admonition.<kind>`` and ``details.<kind>``; mapping
Obsidian's kinds onto material's twelve keeps icons and colours without new CSS.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it.token import Token

# Obsidian kind (and its aliases) -> material admonition class.
MATERIAL_KIND: dict[str, str] = {
    "note": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info", "todo": "info",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote", "cite": "quote",
}


def material_kind(kind: str) -> str:
    """Unknown kinds get ``note`` styling (Obsidian does the same) but keep their title."""
    return MATERIAL_KIND.get(kind.strip().lower(), "note")


def default_title(kind: str) -> str:
    kind = kind.strip()
    return kind[:1].upper() + kind[1:] if kind else "Note"


def callout_open(token: Token, title_html: str | None = None, attrs: str = "") -> str:
    """``title_html`` is the rendered title (links, markup); else the escaped plain title."""
    meta = token.meta or {}
    kind = str(meta.get("kind") or "note")
    title = title_html or escape(str(meta.get("title") or default_title(kind)))
    css = material_kind(kind)
    data = f' data-callout="{escape(kind.lower())}"{attrs}'
    fold = meta.get("fold")
    if fold in ("-", "+"):
        opened = " open" if fold == "+" else ""
        return f'<details class="{css}"{data}{opened}>\n<summary>{title}</summary>\n'
    return (
        f'<div class="admonition {css}"{data}>\n'
        f'<p class="admonition-title">{title}</p>\n'
    )


def callout_close(tokens: Sequence[Token], idx: int) -> str:
    """Close with the element the matching ``callout_open`` opened (same nesting level)."""
    close = tokens[idx]
    for back in range(idx - 1, -1, -1):
        opener = tokens[back]
        if opener.type == "callout_open" and opener.level == close.level:
            if (opener.meta or {}).get("fold") in ("-", "+"):
                return "</details>\n"
            break
    return "</div>\n"
