"""Links to notes and attachments the site leaves out: shown as the text the link was written
with, never as a link (not even a red one), so the reader learns only what the linking note says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from kbgen.model import Resolution
from kbgen.render.context import Scope

_SIZE = re.compile(r"\|\s*\d{1,5}\s*(?:[xX×]\s*\d{1,5})?\s*$|^\s*\d{1,5}\s*(?:[xX×]\s*\d{1,5})?\s*$")


def hides(scope: Scope, res: Resolution | None) -> bool:
    """Whether ``res`` leads to a note or attachment the site does not publish."""
    if res is None or res.target_path is None or res.kind not in ("note", "attachment"):
        return False
    return not scope.page.vault.is_published(res.target_path)


def written_text(res: Resolution) -> str:
    """The link's text as written: its display (an embed's ``|200`` size dropped), else
    the target with its ``#subpath`` (never the hidden note's title or headings)."""
    link = res.link
    display = (_SIZE.sub("", link.display) if link.embed else link.display or "").strip() if link.display else ""
    if display:
        return display
    return f"{link.target} › {link.subpath}" if link.subpath else link.target


def opener_of(tokens: Sequence[Token], idx: int) -> Token | None:
    """The ``link_open`` that the ``link_close`` at ``idx`` closes (links never nest)."""
    for j in range(idx - 1, -1, -1):
        if tokens[j].type == "link_open":
            return tokens[j]
    return None
