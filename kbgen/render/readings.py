"""Reading lists on note pages: level badges on entry bullets, and the "Related notes" section.

Both come from the graph built once per vault (``reading:<key>`` nodes with their
deduped ``level``, ``cites`` edges with the citing line), never from a re-parse:
a list item is a reading entry when a ``cites`` edge of its note starts on its line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markdown_it.token import Token

from kbgen.readings.kinds import normalise_level
from kbgen.readings.walk import leading_level
from kbgen.render.backlinks import HEADERLINK, source_title
from kbgen.render.context import Scope

RELATED_ID = "related-notes"
RELATED_TITLE = "Related notes"
LEVEL_TITLES = {
    "cult": "cult: deep, heavily cited",
    "introductionary": "introductionary: a good first read",
}
_WRITTEN_LEVEL = re.compile(r"^\s*(cult|introductionary|introductory)(?=\s*:)", re.I)

def level_badge(level: str, title: str | None = None) -> str:
    """The small pill shown for a level, in note pages and the reading-list tables."""
    title = title or LEVEL_TITLES.get(level, level)
    return (f'<span class="kbgen-level kbgen-level-{escape(level)}" title="{escape(title)}">'
            f"{escape(level)}</span>")


def reading_ids(keys_by_line: Mapping[int, str]) -> dict[int, str]:
    """Line -> id of the reading bullet there: ``reading-<key>``, then ``reading-<key>-2``...
    when one note cites a work twice.  The Reading list's "Cited in" links use the same ids."""
    seen: Counter[str] = Counter()
    out: dict[int, str] = {}
    for line in sorted(keys_by_line):
        key = keys_by_line[line]
        seen[key] += 1
        out[line] = f"reading-{key}" + (f"-{seen[key]}" if seen[key] > 1 else "")
    return out


@dataclass(frozen=True, slots=True)
class CitedLines:
    """What the graph says about one note's reading bullets, by line."""

    levels: dict[int, str]
    ids: dict[int, str]


def cited_lines(scope: Scope) -> CitedLines:
    """The note's reading lines, asked of the graph once per page and note (not per bullet)."""
    path = scope.note.path
    cached = scope.page.cited.get(path)
    if isinstance(cached, CitedLines):
        return cached
    graph = scope.page.graph
    found = CitedLines(graph.cited_levels(path), reading_ids(graph.cited_keys(path))) if graph is not None \
        else CitedLines({}, {})
    scope.page.cited[path] = found
    return found


def _item_line(tokens: Sequence[Token], idx: int) -> int | None:
    """The line of the list item whose first paragraph's inline token is at ``idx``."""
    if idx < 2 or tokens[idx - 1].type != "paragraph_open" or tokens[idx - 2].type != "list_item_open":
        return None
    item = tokens[idx - 2]
    return item.map[0] + 1 if item.map else None


def item_id(token: Token, scope: Scope) -> str | None:
    """The id a reading bullet's ``<li>`` gets, so "Cited in" lands on the bullet itself."""
    return cited_lines(scope).ids.get(token.map[0] + 1) if token.map else None


def _badge(stated: str, level: str) -> str:
    """The author's level word as a badge; the tooltip says when the work ranks higher elsewhere."""
    title = LEVEL_TITLES.get(stated, stated)
    if level != stated:
        title += f" (cited as {level} elsewhere)"
    return level_badge(stated, title)


def badge_split(tokens: Sequence[Token], idx: int, scope: Scope) -> tuple[list[Token], str, list[Token]] | None:
    """For the inline token at ``idx``: (children before the badge, badge HTML, children after).

    Only the first paragraph of a list item that cites a work with a level gets one.  A
    level the author wrote (``*cult*:`` or ``cult:``) becomes the badge, so the word is
    shown once; otherwise the work's level is put first.
    """
    line = _item_line(tokens, idx)
    level = cited_lines(scope).levels.get(line) if line is not None else None
    if level is None:
        return None
    children = list(tokens[idx].children or [])
    stated, rest = leading_level(children)
    if stated is not None:
        start = len(children) - len(rest) - 3  # the emphasis opener, the word, the closer
        return children[:start], _badge(stated, level), rest
    first = next((i for i, c in enumerate(children) if c.type != "text" or c.content.strip()), None)
    written = _WRITTEN_LEVEL.match(children[first].content) if first is not None and \
        children[first].type == "text" else None
    if first is not None and written is not None:
        stated = normalise_level(written.group(1)) or level
        cut = children[first].copy(content=children[first].content[written.end():])  # tokens are shared
        return children[:first], _badge(stated, level), [cut, *children[first + 1:]]
    return [], level_badge(level) + " ", children


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
