"""The Reading list page (every work once, as a filterable table), one page per level, exports.

The page is ``templates/readings.html``; this module gathers what it shows.  Rows are
rendered server-side, so the list reads and is searchable without
JavaScript; each ``<tr>`` carries ``data-*`` values that ``assets/readings.js``
filters and sorts in place (no data is fetched, nothing leaves the page).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from kbgen.pages.common import VaultLike, note_title
from kbgen.readings.export import to_bibtex, to_csl_json, to_csv
from kbgen.readings.model import Citation, Reading
from kbgen.render.links import safe_href
from kbgen.render.readings import level_badge, reading_ids
from kbgen.templating import render
from kbgen.urls import UrlMap

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


def _cited_in(reading: Reading, vault: VaultLike | None, urls: UrlMap,
              ids: Mapping[tuple[str, int], str]) -> list[dict[str, str]]:
    """A link per citing bullet, named by its note (no source line numbers for readers)."""
    links = []
    seen: Counter[str] = Counter()
    for cite in reading.citations:
        seen[cite.note] += 1
        title = note_title(vault, cite.note) + (f" ({seen[cite.note]})" if seen[cite.note] > 1 else "")
        links.append({"title": title, "url": urls.note(cite.note) + _anchor(vault, cite, ids)})
    return links


def _row(reading: Reading, vault: VaultLike | None, urls: UrlMap,
         ids: Mapping[tuple[str, int], str]) -> dict[str, Any]:
    """What one table row shows, and the ``data-*`` values readings.js filters on."""
    title = reading.title or reading.url or reading.key
    topics = [TOPIC_SEP.join(t) for t in reading.topics]
    first_topic = _topic(reading)
    if first_topic and first_topic not in topics:
        topics.insert(0, first_topic)
    text = " ".join([title, *reading.authors, *topics]).casefold()
    data = [("key", reading.key), ("level", reading.level or "none"), ("kind", reading.kind or ""),
            ("year", str(reading.year or "")), ("topic", "\n".join(topics)), ("text", " ".join(text.split())),
            ("title", title.casefold())]
    return {
        "data": data, "title": title, "url": safe_href(reading.url) if reading.url else "",
        "tip": reading.description or "", "kind": reading.kind or "",
        "more": ", ".join(k for k in reading.kinds if k != reading.kind),
        "badge": Markup(level_badge(reading.level)) if reading.level else "",
        "year": str(reading.year or ""), "authors": ", ".join(reading.authors), "topic": first_topic,
        "cited": _cited_in(reading, vault, urls, ids),
    }


def _topic_options(readings: Sequence[Reading]) -> list[dict[str, str]]:
    """Every topic path and all its parents, so picking a heading includes what is under it."""
    paths: set[tuple[str, ...]] = set()
    for reading in readings:
        for topic in reading.topics:
            paths.update(tuple(topic[:depth]) for depth in range(1, len(topic) + 1))
    return [{"value": TOPIC_SEP.join(path), "label": "\u00a0\u00a0" * (len(path) - 1) + path[-1]}
            for path in sorted(paths, key=lambda p: [part.casefold() for part in p])]


def _boxes(counts: list[tuple[str, int]], labels: dict[str, str]) -> list[dict[str, object]]:
    return [{"value": value, "label": labels.get(value, value), "count": count} for value, count in counts]


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
    folder = base.rsplit("/", 1)[0] + "/"  # "_kbgen/readings/" or "…/index.html": its folder
    ids = bullet_ids(readings)
    levels = Counter(r.level or "none" for r in rows)
    kinds = Counter(r.kind or "" for r in rows)
    years = [r.year for r in rows if r.year is not None]
    return title, render(
        "readings.html", page_url, title=title, level=level, base=base, total_all=len(readings),
        cited=len({c.note for r in readings for c in r.citations}),
        level_links=[{"name": name, "url": urls.special(level_special(name)), "count": counts.get(name, 0)}
                     for name in LEVELS],
        exports=[{"url": folder + name, "label": label} for name, label in EXPORTS],
        empty=f"No reading is marked {level}." if level else "No note has a reading list yet.",
        rows=[_row(r, vault, urls, ids) for r in rows], columns=COLUMNS, script=script,
        level_boxes=_boxes([(k, levels[k]) for k in (*LEVELS, "none") if k in levels], {"none": "no level"}),
        kind_boxes=_boxes(sorted(kinds.items(), key=lambda kv: (kv[0] == "", kv[0])), {"": NO_KIND}),
        years=(min(years), max(years)) if years else None, topics=_topic_options(rows))
