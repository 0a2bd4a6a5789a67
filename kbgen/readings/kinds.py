"""The vocabulary of a citation bracket ``[Authors; kind; date]``: levels, kinds, names, dates.

The notes are hand-written, so every field is normalised here in one place
(``YouTube`` -> video, ``introductory`` -> introductionary, ``A & B`` -> two authors)
and the entry parser never has to know the spellings.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from kbgen.readings.model import KIND_PRIORITY, Level

_LEVELS: dict[str, Level] = {
    "cult": "cult",
    "introductionary": "introductionary",
    "introductory": "introductionary",
}

_KIND_ALIASES: dict[str, str] = {}
for _kind, _spellings in {
    "book": ("book", "ebook", "e-book", "textbook", "handbook"),
    "paper": ("paper", "preprint", "publication", "research paper", "arxiv", "whitepaper"),
    "blog": ("blog", "blog post", "blogpost", "blog-post", "post", "weblog", "medium"),
    "video": ("video", "youtube", "youtube video", "vimeo", "lecture", "lecture video",
              "playlist", "youtube channel"),
    "course": ("course", "mooc", "class", "lectures", "online course"),
    "website": ("website", "web site", "site", "webpage", "web page", "homepage", "web", "wiki"),
    "repository": ("repository", "repo", "github", "gitlab", "code", "source code"),
    "podcast": ("podcast", "podcast episode"),
    "article": ("article", "news", "magazine", "essay", "tutorial", "guide"),
    "talk": ("talk", "keynote", "presentation", "slides", "conference talk"),
}.items():
    for _spelling in _spellings:
        _KIND_ALIASES[_spelling] = _kind

_KIND_SPLIT = re.compile(r"\s*(?:&|\+|/|,|\band\b)\s*", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_ORG_WORDS = frozenset({
    "podcast", "community", "center", "centre", "university", "institute", "lab", "labs",
    "research", "blog", "channel", "team", "group", "inc", "inc.", "ltd", "foundation",
    "school", "press", "project", "face", "progress", "company", "corporation",
})
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "del", "di", "la", "le", "du", "dos"})
DATE_LIKE = re.compile(r"^\d{4}(?:[-/.]\d{1,2}){0,2}$")
_TRAILING_DATE = re.compile(r"^(?P<head>.*?)\s*,\s*(?P<date>\d{4}(?:[-/.]\d{1,2}){0,2})$")


def normalise_level(word: str) -> Level | None:
    """``cult``/``Cult``/``introductory``/``introductionary`` -> the level, else None."""
    return _LEVELS.get(word.strip().strip("*_").strip().casefold())


def normalise_kind(raw: str | None) -> tuple[str | None, list[str]]:
    """Raw kind text -> (primary kind, all kinds in written order).

    ``Blog & Paper`` -> ("paper", ["blog", "paper"]): the primary kind is the first of
    ``KIND_PRIORITY`` present, so the choice does not depend on how the user ordered
    the words.  Unknown words become ``other`` (the raw text is kept by the caller).
    """
    if not raw or not raw.strip():
        return None, []
    kinds: list[str] = []
    for part in _KIND_SPLIT.split(raw.strip()):
        word = " ".join(part.casefold().split())
        if not word:
            continue
        kind = _KIND_ALIASES.get(word) or _KIND_ALIASES.get(word.rstrip("s")) or "other"
        if kind not in kinds:
            kinds.append(kind)
    if not kinds:
        return None, []
    return min(kinds, key=KIND_PRIORITY.index), kinds


def is_known_kind(text: str) -> bool:
    """True when every word of ``text`` is a known kind (so a lone field is a kind)."""
    kind, kinds = normalise_kind(text)
    return kind is not None and "other" not in kinds


def looks_personal(name: str) -> bool:
    """A person's name (``Ian Goodfellow``, ``Hinton``), not an organisation (``Meta AI``)."""
    words = name.split()
    if not 1 <= len(words) <= 4 or any(ch.isdigit() or ch in ":;()" for ch in name):
        return False
    if any(w.casefold() in _ORG_WORDS for w in words):
        return False
    capitalised = [w for w in words if w not in _PARTICLES]
    return bool(capitalised) and all(_name_word(w) for w in capitalised)


def _name_word(word: str) -> bool:
    """``Goodfellow``, ``LeCun``, ``François``, ``J.``: capitalised, letters, not all caps."""
    if not word[0].isupper() or not all(ch.isalpha() or ch in "'’.-" for ch in word):
        return False
    return any(ch.islower() for ch in word) or len(word.rstrip(".")) == 1


def split_authors(text: str) -> list[str]:
    """``A & B`` always splits; ``A, B`` and ``A and B`` only when every part is a name.

    The guard keeps organisations such as "Machine-learning and cloud technology
    blog" whole.
    """
    authors: list[str] = []
    for part in re.split(r"\s*&\s*", text.strip()):
        part = " ".join(part.split())
        if not part:
            continue
        pieces = [p.strip() for p in _AUTHOR_SPLIT.split(part) if p.strip()]
        if len(pieces) > 1 and all(looks_personal(p) for p in pieces):
            authors.extend(pieces)
        else:
            authors.append(part)
    return authors


def parse_date(text: str) -> tuple[str, int] | None:
    """``2016``, ``2022-6``, ``2021/03/04`` -> (``"2021-03-04"``, 2021); None if not a date."""
    text = text.strip()
    if not DATE_LIKE.match(text):
        return None
    parts = [int(p) for p in re.split(r"[-/.]", text)]
    year = parts[0]
    try:
        if len(parts) == 3:
            datetime.date(*parts)
        elif len(parts) == 2 and not 1 <= parts[1] <= 12:
            return None
    except ValueError:
        return None
    return "-".join([f"{year:04d}", *(f"{p:02d}" for p in parts[1:])]), year


@dataclass(slots=True)
class Fields:
    """The parsed inside of a citation bracket; ``date`` is as written when it fails."""

    authors: list[str] = field(default_factory=list)
    kind_raw: str | None = None
    date: str | None = None
    year: int | None = None


def parse_fields(text: str) -> Fields:
    """``Authors; kind; date`` with any part missing: ``[2021-03-04]``, ``[Outerbounds]``,
    ``[Meta AI; ; 2017-03]``, ``[Google; Blog & Paper, 2021-05]``.

    The last field is the date when it looks like one (or when there are three
    fields: then it is reported as a bad date); the field before it is the kind;
    the rest are authors.  A lone non-date field is a kind only if it is a known kind.
    """
    fields = [" ".join(f.split()) for f in text.split(";")]
    if fields and not DATE_LIKE.match(fields[-1]):
        trailing = _TRAILING_DATE.match(fields[-1])
        if trailing and trailing["head"] and len(fields) >= 2:
            fields[-1:] = [trailing["head"], trailing["date"]]
    out = Fields()
    if fields and (DATE_LIKE.match(fields[-1]) or len(fields) >= 3):
        out.date = fields.pop() or None
    if len(fields) >= 2 or (len(fields) == 1 and is_known_kind(fields[0])):
        out.kind_raw = fields.pop() or None
    for part in fields:
        out.authors.extend(split_authors(part))
    if out.date:
        parsed = parse_date(out.date)
        if parsed:
            out.date, out.year = parsed
        else:
            year = re.search(r"\b(\d{4})\b", out.date)
            out.year = int(year.group(1)) if year else None
    return out
