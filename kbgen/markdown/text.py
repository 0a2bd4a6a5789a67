"""What a reader sees of inline tokens: for titles, backlink contexts, reading fields."""

from __future__ import annotations

from markdown_it.token import Token

_BREAKS = frozenset({"softbreak", "hardbreak"})
LINK_SEP = " > "  # Obsidian's reading view: [[Note#A#B]] reads "Note > A > B"


def link_label(target: str | None, subpath: str | None, display: str | None = None) -> str:
    """What Obsidian shows for a wikilink: the ``|alias``, else what was typed.

    ``[[target]]`` -> ``target`` (never the target note's title), ``[[Note#A#B]]`` ->
    ``Note > A > B``, ``[[#Heading]]`` -> ``Heading``, ``[[Note#^id]]`` -> ``Note > ^id``.
    """
    if display:
        return display
    parts = [target] if target else []
    parts.extend((subpath or "").split("#"))
    return LINK_SEP.join(p.strip() for p in parts if p and p.strip())


def visible(token: Token, line_break: str = " ") -> str:
    """The text one inline token shows (markup tokens show nothing)."""
    kind = token.type
    if kind in ("text", "code_inline", "math_inline"):
        return token.content
    if kind in _BREAKS:
        return line_break
    if kind == "wikilink":
        meta = token.meta or {}
        return link_label(str(meta.get("target") or ""), meta.get("subpath"), meta.get("display"))
    if kind == "tag":
        return "#" + str((token.meta or {}).get("tag", ""))
    if kind == "image":
        return "".join(visible(child, line_break) for child in token.children or [])
    return ""


def plain_text(children: list[Token]) -> str:
    """Visible text of inline tokens with whitespace collapsed."""
    return " ".join("".join(visible(child) for child in children).split())
