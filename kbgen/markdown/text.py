"""What a reader sees of inline tokens: for titles, backlink contexts, reading fields."""

from __future__ import annotations

from markdown_it.token import Token

_BREAKS = frozenset({"softbreak", "hardbreak"})


def visible(token: Token, line_break: str = " ") -> str:
    """The text one inline token shows (markup tokens show nothing)."""
    kind = token.type
    if kind in ("text", "code_inline", "math_inline"):
        return token.content
    if kind in _BREAKS:
        return line_break
    if kind == "wikilink":
        meta = token.meta or {}
        if meta.get("display"):
            return str(meta["display"])
        target, subpath = str(meta.get("target") or ""), meta.get("subpath")
        if subpath:
            return f"{target} › {subpath}" if target else str(subpath)
        return target
    if kind == "tag":
        return "#" + str((token.meta or {}).get("tag", ""))
    if kind == "image":
        return "".join(visible(child, line_break) for child in token.children or [])
    return ""


def plain_text(children: list[Token]) -> str:
    """Visible text of inline tokens with whitespace collapsed."""
    return " ".join("".join(visible(child) for child in children).split())
