"""Entries of all notes -> one ``Reading`` per work, with every place citing it.

Two entries are the same work when their URLs match after normalisation, or when
their normalised titles match and so do their years.  An entry with a title but
neither URL nor year (``*cult*: "Attention is all you need"``) joins the one work
of that title, if exactly one exists.  Entries nested under another entry
(``related``) are works too and are deduped the same way.

Choosing a value when places disagree: places are ranked by how explicitly they
state a work (a quoted title or ``Name: "..."`` beats text before a citation
bracket, which beats a link's text, which beats text before a bare URL), ties
broken by (note path, line), and the first non-empty value in that order wins.
``level`` is the exception: the highest wins (``cult`` > ``introductionary`` >
none), because calling a work cult anywhere is a claim about the work.  Places
written as reading-list entries (``ReadingEntry.explicit``) rank before links in an
ordinary list of links, and only they can conflict: a link's text is prose, not a
claim about the title.  An empty value never conflicts; a date that is a prefix of
another (``2017`` vs ``2017-06``) does not either.  Every other difference between
entries is a ``reading-conflict`` finding at the place that lost, naming the place
that won.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from kbgen.model import Finding
from kbgen.readings.entries import iter_entries
from kbgen.readings.kinds import looks_personal
from kbgen.readings.model import LEVEL_RANK, Citation, Reading, ReadingEntry

_TRACKING = re.compile(
    r"^(?:utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ab_channel|_hsenc|_hsmi|igshid)$", re.I)
_ARXIV = re.compile(r"^/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$")
FORM_RANK = {"quoted": 0, "title": 0, "named": 0, "cited": 1, "link": 2, "line": 2, "bare": 3}
_STOP = frozenset({"a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "is", "are",
                   "how", "what", "why", "from", "by", "at"})


def normalise_url(url: str) -> str:
    """A URL as a dedupe key: no scheme, ``www.``, trailing slash, fragment or tracking.

    ``https://www.youtube.com/watch?v=X&ab_channel=Y`` -> ``youtube.com/watch?v=X``;
    arXiv ``/pdf/ID.pdf`` and ``/abs/IDv2`` -> ``arxiv.org/abs/ID``; ``youtu.be/ID``
    -> ``youtube.com/watch?v=ID``.  The path keeps its case (servers may care).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = parts.path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    if host == "arxiv.org" and (arxiv := _ARXIV.match(path)):
        path, query = f"/abs/{arxiv.group(1)}", []
    elif host == "youtu.be" and path:
        host, query, path = "youtube.com", [("v", path.lstrip("/")), *query], "/watch"
    if host in ("youtube.com", "m.youtube.com") and path == "/watch":
        host, query = "youtube.com", [(k, v) for k, v in query if k == "v"]
    return host + path + ("?" + urlencode(sorted(query)) if query else "")


def title_key(title: str | None) -> str:
    """A title as a dedupe key: accents and case folded, punctuation and spaces collapsed."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def dedupe(entries: Iterable[ReadingEntry]) -> list[Reading]:
    """One ``Reading`` per work, in order of first citation; conflicts on each reading."""
    flat = sorted(iter_entries(entries), key=lambda e: (e.note, e.line))
    groups = _group(flat)
    readings = [_reading([flat[i] for i in members]) for members in groups]
    _assign_keys(readings)
    return readings


def dedupe_with_findings(entries: Iterable[ReadingEntry]) -> tuple[list[Reading], list[Finding]]:
    """``dedupe`` plus every reading's ``reading-conflict`` findings in one list."""
    readings = dedupe(entries)
    return readings, [finding for reading in readings for finding in reading.conflicts]


def _group(flat: list[ReadingEntry]) -> list[list[int]]:
    parent = list(range(len(flat)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    seen: dict[Any, int] = {}
    for i, entry in enumerate(flat):
        keys: list[Any] = [("url", normalise_url(entry.url))] if entry.url else []
        if entry.title and entry.year is not None:
            keys.append(("title", title_key(entry.title), entry.year))
        for key in keys:
            if key in seen:
                union(i, seen[key])
            else:
                seen[key] = i
    for i, entry in enumerate(flat):
        if entry.title and entry.year is None and not entry.url:
            key = title_key(entry.title)
            same = [j for j, other in enumerate(flat) if j != i and title_key(other.title) == key]
            anchored = {find(j) for j in same if flat[j].url or flat[j].year is not None}
            targets = anchored if anchored else {find(j) for j in same}
            if len(anchored) <= 1:
                for root in targets:
                    union(i, root)
    groups: dict[int, list[int]] = {}
    for i in range(len(flat)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda members: members[0])


def _reading(cites: list[ReadingEntry]) -> Reading:
    ranked = sorted(cites, key=lambda e: (not e.explicit, FORM_RANK.get(e.form, 9), e.note, e.line))
    title_from = _first(ranked, lambda e: e.title)
    level_from = max(ranked, key=lambda e: LEVEL_RANK[e.level])  # max keeps the first of equals
    kind_from = _first(ranked, lambda e: e.kind)
    date_from = _first(ranked, lambda e: e.date)
    authors_from = _first(ranked, lambda e: e.authors)
    reading = Reading(
        key="",
        title=title_from.title if title_from else None,
        url=next((e.url for e in ranked if e.url), None),
        level=level_from.level,
        description=next((e.description for e in ranked if e.description), None),
        authors=list(authors_from.authors) if authors_from else [],
        kind=kind_from.kind if kind_from else None,
        kinds=list(kind_from.kinds) if kind_from else [],
        kind_raw=kind_from.kind_raw if kind_from else None,
        date=date_from.date if date_from else None,
        year=date_from.year if date_from else next((e.year for e in ranked if e.year), None),
        citations=[Citation(e.note, e.line, e.level, e) for e in cites],
    )
    for entry in ranked:
        for url in [entry.url] if entry.url else []:
            if url not in reading.urls:
                reading.urls.append(url)
        if entry.topic and entry.topic not in reading.topics:
            reading.topics.append(list(entry.topic))
        reading.notes.extend(n for n in entry.notes if n not in reading.notes)
    name = reading.title or reading.url or "reading"
    checks: list[tuple[str, ReadingEntry | None, Callable[[ReadingEntry], Any], Callable[[Any, Any], bool]]] = [
        ("title", title_from, lambda e: " ".join((e.title or "").split()), lambda a, b: a == b),
        ("level", level_from, lambda e: e.level, lambda a, b: a == b),
        ("kind", kind_from, lambda e: e.kind, lambda a, b: a == b),
        ("date", date_from, lambda e: e.date, lambda a, b: a.startswith(b) or b.startswith(a)),
        ("authors", authors_from, lambda e: tuple(e.authors), lambda a, b: a == b),
    ]
    for field_name, winner, value, agree in checks:
        if winner is None or not value(winner) or not winner.explicit:
            continue
        for entry in (e for e in cites if e.explicit):
            mine = value(entry)
            if mine and not agree(mine, value(winner)):
                reading.conflicts.append(Finding(
                    entry.note, entry.line, "reading-conflict",
                    f"{field_name} of reading {name!r} is {_show(mine)} here but {_show(value(winner))} "
                    f"at {winner.where}; using {_show(value(winner))}"))
    return reading


def _first(cites: list[ReadingEntry], value: Callable[[ReadingEntry], Any]) -> ReadingEntry | None:
    return next((e for e in cites if value(e)), None)


def _show(value: Any) -> str:
    return repr(" & ".join(value)) if isinstance(value, tuple) else repr(value)


def _assign_keys(readings: list[Reading]) -> None:
    """``goodfellow2016deep``: first author, year, first title word; ``a``, ``b``... on clashes.

    Readings are in order of first citation, so a key only changes when the notes do.
    """
    used: set[str] = set()
    for reading in readings:
        base = _key_base(reading)
        key, n = base, 0
        while key in used:
            key = base + _letters(n)
            n += 1
        used.add(key)
        reading.key = key


def _key_base(reading: Reading) -> str:
    if reading.authors:
        words = reading.authors[0].split()
        who = words[-1] if looks_personal(reading.authors[0]) and len(words) > 1 else words[0]
    elif reading.url:
        labels = (urlsplit(reading.url).hostname or "").removeprefix("www.").split(".")
        who = labels[-2] if len(labels) >= 2 else labels[0]
    else:
        who = ""
    words = [w for w in title_key(reading.title).split() if w not in _STOP]
    word = _ascii(words[0]) if words else ""
    who = "" if _ascii(who) == word else who  # "pytorch", not "pytorchpytorch"
    base = _ascii(who) + (str(reading.year) if reading.year else "") + word
    return base or "reading"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: suffixes for clashing keys."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
