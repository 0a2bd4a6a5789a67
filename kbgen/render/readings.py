"""Reading lists on note pages: level badges on entry bullets, and the "Related notes" section.

Both come from the graph built once per vault (``reading:<key>`` nodes with their
deduped ``level``, ``cites`` edges with the citing line), never from a re-parse:
a list item is a reading entry when a ``cites`` edge of its note starts on its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it.token import Token

from kbgen.readings.walk import leading_level
from kbgen.render.backlinks import HEADERLINK, source_title
from kbgen.render.context import Scope

RELATED_ID = "related-notes"
RELATED_TITLE = "Related notes"
LEVEL_TITLES = {
    "cult": "cult: deep, heavily cited",
    "introductionary": "introductionary: a good first read",
}

def level_badge(level: str) -> str:
    """The small pill shown for a level, in note pages and the reading-list tables."""
    title = LEVEL_TITLES.get(level, level)
    return (f'<span class="kbgen-level kbgen-level-{escape(level)}" title="{escape(title)}">'
            f"{escape(level)}</span>")


def badge_split(tokens: Sequence[Token], idx: int, scope: Scope) -> tuple[int, str] | None:
    """For the inline token at ``idx``: (child index to put the badge before, badge HTML).

    Only the first paragraph of a list item that cites a work with a level gets one;
    the badge goes after a leading ``*cult*`` emphasis (kept as written), else first.
    """
    if idx < 2 or tokens[idx - 1].type != "paragraph_open" or tokens[idx - 2].type != "list_item_open":
        return None
    item = tokens[idx - 2]
    graph = scope.page.graph
    if graph is None or not item.map:
        return None
    level = graph.cited_levels(scope.note.path).get(item.map[0] + 1)
    if level is None:
        return None
    children = list(tokens[idx].children or [])
    stated, rest = leading_level(children)
    at = len(children) - len(rest) if stated is not None else 0
    return at, (" " if at else "") + level_badge(level) + ("" if at else " ")


def related_section(scope: Scope, heading_id: str) -> str:
    """``<section class="kbgen-related">`` listing notes sharing readings; "" when none."""
    graph = scope.page.graph
    finder = getattr(graph, "related_notes", None)
    related = finder(scope.note.path) if finder is not None else []
    if not related:
        return ""
    items = []
    for other in related:
        href = scope.page.href(scope.page.urls.note(other.path))
        count = f"{other.shared} shared reading{'' if other.shared == 1 else 's'}"
        items.append(
            f'<li><a href="{escape(href)}">{escape(source_title(scope, other.path))}</a>'
            f' <span class="kbgen-count">— {count}</span></li>\n'
        )
    return (
        f'<section class="kbgen-related">\n<h2 id="{escape(heading_id)}">{RELATED_TITLE}'
        f"{HEADERLINK.format(id=escape(heading_id))}</h2>\n<ul>\n{''.join(items)}</ul>\n</section>\n"
    )
