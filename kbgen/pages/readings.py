"""The Reading list page (every work once, as a filterable table), one page per level, exports.

Rows are rendered here, server-side, so the list reads and is searchable without
JavaScript; each ``<tr>`` carries ``data-*`` values that ``assets/readings.js``
filters and sorts in place (no data is fetched, nothing leaves the page).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape

from kbgen.pages.common import VaultLike, h1, link, note_title, plural
from kbgen.readings.export import to_bibtex, to_csl_json, to_csv
from kbgen.readings.model import Citation, Reading
from kbgen.render.links import safe_href
from kbgen.render.readings import level_badge, reading_ids
from kbgen.urls import UrlMap, relative_url

TITLE = "Reading list"
SPECIAL = "readings"  # urls.special(SPECIAL) is the page; levels live beneath it
LEVELS = ("cult", "introductionary")
TOPIC_SEP = " › "
EXPORTS = (("readings.json", "CSL-JSON"), ("readings.bib", "BibTeX"), ("readings.csv", "CSV"))
NO_KIND = "unspecified"
COLUMNS = ("Level", "Title", "Kind", "Year", "Authors", "Topic", "Cited in")  # readings.css labels cards alike


def level_special(level: str) -> str:
    """The ``urls.special`` name of a level's page: ``readings/cult``."""
    return f"{SPECIAL}/{level}"


def export_files(readings: Sequence[Reading]) -> dict[str, str]:
    """File name -> content of each export, written beside the page (``_kbgen/readings/``)."""
    items = list(readings)
    return {
        "readings.json": json.dumps(to_csl_json(items), ensure_ascii=False, indent=1) + "\n",
        "readings.bib": to_bibtex(items),
        "readings.csv": to_csv(items),
    }


def _topic(reading: Reading) -> str:
    """The heading path of the first place citing the work (citations are in note order)."""
    first = reading.citations[0].entry.topic if reading.citations else (reading.topics or [[]])[0]
    return TOPIC_SEP.join(first)


def bullet_ids(readings: Sequence[Reading]) -> dict[tuple[str, int], str]:
    """(note, line) -> id of the reading bullet there, as the note page renders it."""
    by_note: dict[str, dict[int, str]] = {}
    for reading in readings:
        for cite in reading.citations:
            by_note.setdefault(cite.note, {})[cite.line] = reading.key
    return {(note, line): anchor for note, lines in by_note.items()
            for line, anchor in reading_ids(lines).items()}


def _anchor(vault: VaultLike | None, cite: Citation, ids: Mapping[tuple[str, int], str]) -> str:
    """``#id`` of the citing bullet itself (its block id, else its reading id); for a
    paragraph line, the nearest heading above; "" when none is known."""
    note = vault.notes.get(cite.note) if vault is not None else None
    if note is None:
        return ""
    block = next((b for b in note.blocks if b.line == cite.line), None)
    if block is not None:
        return "#" + block.anchor
    if cite.entry.bullet and (cite.note, cite.line) in ids:
        return "#" + ids[(cite.note, cite.line)]
    heading = None
    for candidate in note.headings:
        if candidate.line > cite.line:
            break
        heading = candidate
    return "#" + heading.anchor if heading is not None else ""


def _cited_in(reading: Reading, vault: VaultLike | None, urls: UrlMap, page_url: str,
              ids: Mapping[tuple[str, int], str]) -> str:
    """A link per citing bullet, named by its note (no source line numbers for readers)."""
    links = []
    seen: Counter[str] = Counter()
    for cite in reading.citations:
        seen[cite.note] += 1
        title = note_title(vault, cite.note) + (f" ({seen[cite.note]})" if seen[cite.note] > 1 else "")
        target = urls.note(cite.note) + _anchor(vault, cite, ids)
        links.append(link(page_url, target, title))
    return "<br>".join(links)


def _row(reading: Reading, vault: VaultLike | None, urls: UrlMap, page_url: str,
         ids: Mapping[tuple[str, int], str]) -> str:
    title = reading.title or reading.url or reading.key
    topics = [TOPIC_SEP.join(t) for t in reading.topics]
    first_topic = _topic(reading)
    if first_topic and first_topic not in topics:
        topics.insert(0, first_topic)
    text = " ".join([title, *reading.authors, *topics]).casefold()
    data = {
        "key": reading.key, "level": reading.level or "none", "kind": reading.kind or "",
        "year": str(reading.year or ""), "topic": "\n".join(topics), "text": " ".join(text.split()),
        "title": title.casefold(),
    }
    attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in data.items())
    if reading.url:
        tip = f' title="{escape(reading.description)}"' if reading.description else ""
        shown = f'<a href="{escape(safe_href(reading.url))}" rel="noopener"{tip}>{escape(title)}</a>'
    else:
        shown = escape(title)
    more = [k for k in reading.kinds if k != reading.kind]
    kind = escape(reading.kind or "") + (
        f' <span class="kbgen-count">+ {escape(", ".join(more))}</span>' if more else "")
    badge = level_badge(reading.level) if reading.level else ""
    # Cards on phones label each cell from readings.css (td:nth-child), in COLUMNS order:
    # 5,000 rows do not carry 35,000 label attributes.
    cells = (badge, shown, kind, str(reading.year or ""), escape(", ".join(reading.authors)),
             escape(first_topic), _cited_in(reading, vault, urls, page_url, ids))
    return f"<tr{attrs}>{''.join(f'<td>{cell}</td>' for cell in cells)}</tr>\n"


def _checkboxes(name: str, legend: str, counts: list[tuple[str, int]], labels: dict[str, str]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{escape(value)}"> '
        f'{escape(labels.get(value, value))} <span class="kbgen-count">{count}</span></label>'
        for value, count in counts
    )
    return f'<fieldset class="kbgen-filter-{name}"><legend>{legend}</legend>{boxes}</fieldset>'


def _topic_options(readings: Sequence[Reading]) -> str:
    """Every topic path and all its parents, so picking a heading includes what is under it."""
    paths: set[tuple[str, ...]] = set()
    for reading in readings:
        for topic in reading.topics:
            paths.update(tuple(topic[:depth]) for depth in range(1, len(topic) + 1))
    options = ['<option value="">All topics</option>']
    for path in sorted(paths, key=lambda p: [part.casefold() for part in p]):
        label = "\u00a0\u00a0" * (len(path) - 1) + path[-1]
        options.append(f'<option value="{escape(TOPIC_SEP.join(path))}">{escape(label)}</option>')
    return "".join(options)


def _filters(readings: Sequence[Reading], level: str | None) -> str:
    """The filter form; ``hidden`` until readings.js wires it (useless without the script)."""
    levels = Counter(r.level or "none" for r in readings)
    kinds = Counter(r.kind or "" for r in readings)
    years = [r.year for r in readings if r.year is not None]
    span = f' min="{min(years)}" max="{max(years)}"' if years else ""
    parts = [
        '<form class="kbgen-readings-filters" hidden aria-label="Filter readings">',
        "" if level else _checkboxes("level", "Level", [(k, levels[k]) for k in (*LEVELS, "none") if k in levels],
                                     {"none": "no level"}),
        _checkboxes("kind", "Kind", sorted(kinds.items(), key=lambda kv: (kv[0] == "", kv[0])), {"": NO_KIND}),
        '<fieldset class="kbgen-filter-more"><legend>Narrow down</legend>',
        f'<label>Year from <input type="number" name="year-from" inputmode="numeric"{span}></label>',
        f'<label>to <input type="number" name="year-to" inputmode="numeric"{span}></label>',
        f'<label>Topic <select name="topic">{_topic_options(readings)}</select></label>',
        '<label>Text <input type="search" name="text" placeholder="title, author, topic"></label>',
        '<label>Sort <select name="sort"><option value="">as in the notes</option>'
        '<option value="year-asc">year, oldest first</option>'
        '<option value="year-desc">year, newest first</option>'
        '<option value="title-asc">title, A–Z</option>'
        '<option value="title-desc">title, Z–A</option></select></label>',
        '<button type="reset" class="md-button">Clear</button></fieldset></form>',
    ]
    return "".join(parts) + "\n"


def reading_list_page(readings: Sequence[Reading], urls: UrlMap, page_url: str, *,
                      vault: VaultLike | None = None, level: str | None = None,
                      script: str | None = None) -> tuple[str, str]:
    """``(title, html)`` of the Reading list, or of one level's list when ``level`` is given.

    ``script`` is the site-root URL of readings.js, included (relative) on this page only.
    """
    title = f"{TITLE}: {level}" if level else TITLE
    rows = [r for r in readings if level is None or r.level == level]
    base = urls.special(SPECIAL)
    counts = Counter(r.level for r in readings)
    level_links = " · ".join(
        f"{link(page_url, urls.special(level_special(name)), name)} ({counts.get(name, 0)})" for name in LEVELS)
    if level:
        nav = f"<p>{link(page_url, base, 'All readings')} ({len(readings)}) · Levels: {level_links}</p>\n"
    else:
        cited = {c.note for r in readings for c in r.citations}
        folder = base.rsplit("/", 1)[0] + "/"  # "_kbgen/readings/" or "…/index.html": its folder
        downloads = " · ".join(link(page_url, folder + name, label) for name, label in EXPORTS)
        nav = (f'<p class="kbgen-stats">{plural(len(readings), "reading")} cited in '
               f'{plural(len(cited), "note")}, each listed once. Levels: {level_links}.</p>\n'
               f'<p class="kbgen-readings-downloads">Download: {downloads}</p>\n')
    if not rows:
        what = f"No reading is marked {escape(level)}." if level else "No note has a reading list yet."
        return title, h1(title) + nav + f'<p class="kbgen-empty">{what}</p>\n'
    ids = bullet_ids(readings)
    body = "".join(_row(r, vault, urls, page_url, ids) for r in rows)
    total = len(rows)
    src = f'<script src="{escape(relative_url(page_url, script))}"></script>\n' if script else ""
    return title, (
        h1(title) + nav + _filters(rows, level)
        + f'<p class="kbgen-readings-count" aria-live="polite"><span class="kbgen-shown">{total}</span>'
        f" of {total} readings</p>\n"
        + '<div class="kbgen-readings"><table>\n<thead><tr>'
        + "".join(f"<th>{escape(name)}</th>" for name in COLUMNS) + "</tr></thead>\n<tbody>\n"
        + body + "</tbody>\n</table></div>\n" + src
    )
