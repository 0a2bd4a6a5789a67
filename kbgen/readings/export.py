"""Readings out to reference managers: CSL-JSON (Zotero, Pandoc), BibTeX, CSV.

Each export is a pure function of the deduped readings, in their order, so the
output only changes when the notes do (stable keys, no timestamps).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from kbgen.readings.kinds import looks_personal, parse_date
from kbgen.readings.model import Reading

# CSL 1.0.2 types (tests/data/csl-data.json); "article" is CSL's preprint/working paper.
CSL_TYPES: dict[str | None, str] = {
    "book": "book", "paper": "article", "blog": "post-weblog", "video": "motion_picture",
    "course": "webpage", "website": "webpage", "repository": "software", "podcast": "broadcast",
    "article": "webpage", "talk": "speech", "other": "document", None: "document",
}

# Classic BibTeX entry types: every style and bibtexparser know them; biblatex reads
# @misc with a url like @online, so nothing is lost by not writing @online.
BIBTEX_TYPES: dict[str | None, str] = {"book": "book", "paper": "article"}

CSV_COLUMNS = (
    "key", "title", "authors", "level", "kind", "kinds", "kind_raw", "date", "year", "url",
    "description", "topics", "notes", "cited_in",
)

_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def to_csl_json(readings: list[Reading]) -> list[dict[str, Any]]:
    """CSL-JSON items (``json.dumps`` them); valid against the CSL 1.0.2 input schema."""
    items: list[dict[str, Any]] = []
    for reading in readings:
        item: dict[str, Any] = {"id": reading.key, "type": CSL_TYPES.get(reading.kind, "document")}
        if reading.title:
            item["title"] = reading.title
        if reading.authors:
            item["author"] = [_csl_name(name) for name in reading.authors]
        if reading.date:
            parsed = parse_date(reading.date)
            if parsed:
                item["issued"] = {"date-parts": [[int(p) for p in parsed[0].split("-")]]}
            else:
                item["issued"] = {"raw": reading.date}
        if reading.url:
            item["URL"] = reading.url
        if reading.kind_raw:
            item["genre"] = reading.kind_raw
        if reading.description:
            item["abstract"] = reading.description
        note = _note(reading)
        if note:
            item["note"] = note
        if reading.topics:
            item["categories"] = [" > ".join(topic) for topic in reading.topics]
        item["custom"] = {
            "level": reading.level,
            "kinds": reading.kinds,
            "urls": reading.urls,
            "notes": reading.notes,
            "cited_in": [c.where for c in reading.citations],
        }
        items.append(item)
    return items


def to_bibtex(readings: list[Reading]) -> str:
    """One BibTeX entry per reading: @book, @article (paper) or @misc, with url and level note."""
    blocks: list[str] = []
    for reading in readings:
        fields: list[tuple[str, str]] = []
        if reading.authors:
            fields.append(("author", " and ".join(_bibtex_name(n) for n in reading.authors)))
        if reading.title:
            fields.append(("title", "{" + bibtex_escape(reading.title) + "}"))  # keep its case
        if reading.year is not None:
            fields.append(("year", str(reading.year)))
        if reading.date and parse_date(reading.date):
            fields.append(("date", reading.date))  # biblatex; BibTeX ignores it
        if reading.url:
            url = _bibtex_url(reading.url)
            fields.append(("url", url))
            if BIBTEX_TYPES.get(reading.kind, "misc") == "misc":
                fields.append(("howpublished", r"\url{" + url.replace("%", r"\%").replace("#", r"\#") + "}"))
        if reading.description:
            fields.append(("abstract", bibtex_escape(reading.description)))
        note = _note(reading)
        if note:
            fields.append(("note", bibtex_escape(note)))
        if reading.topics:
            keywords = sorted({part for topic in reading.topics for part in topic})
            fields.append(("keywords", bibtex_escape(", ".join(keywords))))
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
        blocks.append(f"@{BIBTEX_TYPES.get(reading.kind, 'misc')}{{{reading.key},\n{body}}}\n")
    return "\n".join(blocks)


def to_csv(readings: list[Reading]) -> str:
    """A spreadsheet of the readings (``CSV_COLUMNS``); lists joined with ``; ``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in readings:
        writer.writerow([
            r.key, r.title or "", "; ".join(r.authors), r.level or "", r.kind or "",
            "; ".join(r.kinds), r.kind_raw or "", r.date or "", r.year if r.year is not None else "",
            r.url or "", r.description or "", "; ".join(" > ".join(t) for t in r.topics),
            "; ".join(r.notes), "; ".join(c.where for c in r.citations),
        ])
    return out.getvalue()


def to_table(readings: list[Reading], width: int = 60) -> str:
    """Aligned plain-text columns for a terminal: level, year, kind, title, authors, notes."""
    rows = [("LEVEL", "YEAR", "KIND", "TITLE", "AUTHORS", "CITED IN")]
    for r in readings:
        title = (r.title or r.url or r.key).replace("\n", " ")
        rows.append((r.level or "-", str(r.year or "-"), r.kind or "-",
                     title if len(title) <= width else title[: width - 1] + "…",
                     ", ".join(r.authors)[:30] or "-", ", ".join(sorted({c.note for c in r.citations}))))
    sizes = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join("  ".join(cell.ljust(size) for cell, size in zip(row, sizes)) + "  " + row[5]
                     for row in rows) + "\n"


def bibtex_escape(text: str) -> str:
    """Escape the characters special to (La)TeX inside a BibTeX field value."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group(0)], " ".join(text.split()))


def _note(reading: Reading) -> str:
    return f"Level: {reading.level}" if reading.level else ""


def _csl_name(name: str) -> dict[str, str]:
    words = name.split()
    if len(words) > 1 and looks_personal(name):
        return {"family": words[-1], "given": " ".join(words[:-1])}
    return {"literal": name}


def _bibtex_name(name: str) -> str:
    """People as written (BibTeX splits first/last); organisations braced whole."""
    escaped = bibtex_escape(name)
    return escaped if looks_personal(name) else "{" + escaped + "}"


def _bibtex_url(url: str) -> str:
    """URLs are verbatim in the url field; only unbalanced braces could break the entry."""
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")
