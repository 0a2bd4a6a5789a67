"""Footnotes (mdit-py-plugins ``footnote``) in the shape Python-Markdown gives material.

Material styles ``div.footnote`` and ``a.footnote-ref``/``footnote-backref``.  Ids are
numeric (``fn:1``, ``fnref:1``, ``fnref2:1`` for the second reference), never the
user's label, so they are always valid; embeds prefix them to keep them unique.
"""

from __future__ import annotations

from markdown_it.token import Token

BLOCK_OPEN = '<div class="footnote">\n<hr>\n<ol>\n'
BLOCK_CLOSE = "</ol>\n</div>\n"


def _number(token: Token) -> int:
    return int(token.meta["id"]) + 1


def _ref_id(number: int, sub: int, prefix: str) -> str:
    return f"{prefix}fnref{sub + 1 if sub else ''}:{number}"


def ref(token: Token, prefix: str) -> str:
    n = _number(token)
    sub = int(token.meta.get("subId", 0) or 0)
    return (
        f'<sup id="{_ref_id(n, sub, prefix)}"><a class="footnote-ref" href="#{prefix}fn:{n}">'
        f"{n}</a></sup>"
    )


def item_open(token: Token, prefix: str) -> str:
    return f'<li id="{prefix}fn:{_number(token)}">'


def backref(token: Token, prefix: str) -> str:
    n = _number(token)
    sub = int(token.meta.get("subId", 0) or 0)
    return (
        f'\u00a0<a class="footnote-backref" href="#{_ref_id(n, sub, prefix)}"'
        f' title="Jump back to footnote {n} in the text">↩</a>'
    )
