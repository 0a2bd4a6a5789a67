"""Reading entries out of a note's tokens: which bullets cite a work, and what they say.

Recognised (level optional, ``*cult*``/``_cult_``/``**introductory**``/``cult:``):

* ``*cult*: "Title" [Authors; kind; date](url)`` and ``"Title" [...](url)``
* ``Name: "description" [Authors; kind; date](url)`` (title = Name)
* ``text [Authors; kind; date](url)`` (title = text, ``see also`` dropped)
* ``[Title](url)`` with optional text around (``Week 3: [Title](url)``)
* ``Title: https://...`` / ``Title https://...`` / a bare URL
* ``*cult*: "Title"`` (no link)
* in a paragraph outside lists, line by line: a URL line (its title on the next
  line, further plain lines its notes) and ``Name: URL`` lines.

Plain bullets without a link are not readings; they become topics of their
sub-bullets, or notes of the entry they sit under.  Sub-bullets that are entries
become ``related`` of the entry above.  ``*level*: text`` without quotes or link is
a legend item.  A bullet meant as an entry (a level, a citation bracket or a quoted
title) that does not parse becomes a ``reading-malformed`` finding, never a silent
drop; an ordinary list of links is never one.  Links into the vault (not
http/https) are not readings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from kbgen.model import Finding, Note
from kbgen.readings.kinds import DATE_LIKE, Fields, normalise_kind, normalise_level, parse_date, parse_fields
from kbgen.readings.model import Extraction, LegendItem, Level, ReadingEntry
from kbgen.readings.walk import (
    Item,
    Link,
    Paragraph,
    Piece,
    leading_level,
    pieces,
    plain_text,
    split_lines,
    walk,
)

_PH = re.compile(r"\x00(\d+)\x00")
_QUOTED = re.compile(r'^(?P<name>[^"“”]*)["“](?P<quoted>[^"“”]*)["”](?P<after>.*)$', re.S)
_TEXT_LEVEL = re.compile(r"^\s*(cult|introductionary|introductory)\s*:", re.I)
_SEE_ALSO = re.compile(r"^(?:see also|see|cf\.?|also)\b[\s:,-]*", re.I)
_NAME_URL = re.compile(r"^[^\x00\n]+?\s*:?\s*\x00\d+\x00$")
_WEB = re.compile(r"^https?://", re.I)
_EDGE = " \n\t:;,-–—"
_NAMED = re.compile(r'^[^"“”\x00]*:\s*["“]')  # "Name: "…": a plain-text name (no link) before the quote
_BROKEN_LINK = re.compile(r"\]\(|\]\s\(\x00")  # "[t](" left as text, "[t] (https://…": see markdown/malformed.py
MAX_BARE_TITLE = 120
MALFORMED_LINK = "malformed link"  # reported by notes.py for every note, not here  # longer text before a bare URL is a description, not its title


@dataclass(slots=True)
class _Problem:
    reason: str


_Outcome = ReadingEntry | LegendItem | _Problem | None


def extract(note_path: str, tokens: list[Token]) -> Extraction:
    """Entries, legend items and findings of one note, from its one parse."""
    out = Extraction()
    for node in walk(tokens):
        if isinstance(node, Paragraph):
            _paragraph(node, note_path, out)
        else:
            _visit(node, node.topic, note_path, out, None)
    return out


def extract_entries(note_path: str, tokens: list[Token]) -> tuple[list[ReadingEntry], list[Finding]]:
    """The reading entries of one note (sub-bullet entries under ``related``) + findings."""
    found = extract(note_path, tokens)
    return found.entries, found.findings


def extract_legend(note_path: str, tokens: list[Token]) -> list[LegendItem]:
    """The level legend (``*cult*: deeper, ...``) defined in one note, if any."""
    return extract(note_path, tokens).legend


def extract_notes(notes: Iterable[Note]) -> Extraction:
    """All notes of a vault, using the tokens kept on each ``Note`` (no re-parse)."""
    out = Extraction()
    for note in sorted(notes, key=lambda n: n.path):
        out.extend(extract(note.path, note.tokens))
    return out


def iter_entries(entries: Iterable[ReadingEntry]) -> Iterable[ReadingEntry]:
    """Every entry with its ``related`` entries, depth first, in document order."""
    for entry in entries:
        yield entry
        yield from iter_entries(entry.related)


def _visit(item: Item, topic: list[str], note: str, out: Extraction, parent: ReadingEntry | None) -> None:
    children = (item.head.children or []) if item.head else []
    outcome = _classify(children, note, item.line) if item.head else None
    if isinstance(outcome, ReadingEntry):
        outcome.topic = list(parent.topic if parent else topic)
        (parent.related if parent else out.entries).append(outcome)
        outcome.notes.extend(t for t in (plain_text(p.children or []) for p in item.more) if t)
        _report_date(outcome, out)
        for child in item.children:
            _visit(child, topic, note, out, outcome)
        return
    text = plain_text(children)
    if isinstance(outcome, LegendItem):
        out.legend.append(outcome)
    elif isinstance(outcome, _Problem) and outcome.reason != MALFORMED_LINK:
        out.findings.append(_malformed(note, item.line, outcome.reason, text))
    elif parent is not None and text:
        parent.notes.append(text)
    sub_topic = topic + [_label(text)] if parent is None and text and outcome is None else topic
    for child in item.children:
        _visit(child, sub_topic, note, out, parent)


def _paragraph(para: Paragraph, note: str, out: Extraction) -> None:
    """Line mode: ``URL`` / next line title / more lines notes; ``Name: URL`` lines."""
    awaiting: ReadingEntry | None = None  # a URL line waiting for its title line
    titled: ReadingEntry | None = None  # got its title from a line: later lines are notes
    for offset, children in split_lines(para.inline.children or []):
        line = para.line + offset
        level, rest = leading_level(children)
        template, links = _template(pieces(rest))
        text = " ".join(_render(template, links).split())
        if not text:
            continue
        if not links and level is None and not _TEXT_LEVEL.match(template):
            if awaiting is not None:
                awaiting.title, awaiting.form = text, "line"
                titled, awaiting = awaiting, None
            elif titled is not None:
                titled.notes.append(text)
            continue
        awaiting = titled = None
        alone = template.strip()
        entry_like = level is not None or _TEXT_LEVEL.match(template) or _NAME_URL.match(alone) or _PH.fullmatch(alone)
        if not entry_like:
            continue  # prose with a link in it
        outcome = _classify(children, note, line)
        if isinstance(outcome, ReadingEntry):
            outcome.topic = list(para.topic)
            outcome.bullet = False
            out.entries.append(outcome)
            _report_date(outcome, out)
            awaiting = outcome if outcome.title is None and outcome.url else None
        elif isinstance(outcome, LegendItem):
            out.legend.append(outcome)
        elif isinstance(outcome, _Problem) and outcome.reason != MALFORMED_LINK:
            out.findings.append(_malformed(note, line, outcome.reason, text))


def _classify(children: list[Token], note: str, line: int) -> _Outcome:
    """One bullet (or paragraph line) -> entry, legend item, problem, or None (plain)."""
    level, rest = leading_level(children)
    template, links = _template(pieces(rest))
    if level is None and (text_level := _TEXT_LEVEL.match(template)):
        level, template = normalise_level(text_level.group(1)), template[text_level.end():]
    elif level is not None:
        template = template.lstrip()
        template = template[1:] if template.startswith(":") else template
    raw = plain_text(children)
    problem = _problem(template, links, level)
    if problem:
        return _Problem(problem)
    if _QUOTED.match(template):
        entry = _quoted(template, links, level, note, line)
        if entry is not None:
            entry.raw = raw
            return entry
    if not links:
        if level is not None:
            return LegendItem(level, " ".join(_render(template, links).split()), note, line)
        return None
    entry = _linked(template, links, level, note, line)
    entry.raw = raw
    return entry


def _template(parts: list[Piece]) -> tuple[str, list[Link]]:
    """Text with each web link replaced by ``\\0<n>\\0``; vault links stay as text."""
    out: list[str] = []
    links: list[Link] = []
    for part in parts:
        if isinstance(part, Link) and _WEB.match(part.href):
            out.append(f"\x00{len(links)}\x00")
            links.append(part)
        elif isinstance(part, Link):
            out.append(part.text)
        else:
            out.append(part.replace("\x00", ""))
    return "".join(out), links


def _render(template: str, links: list[Link]) -> str:
    return _PH.sub(lambda m: links[int(m.group(1))].text, template)


def _problem(template: str, links: list[Link], level: Level | None) -> str | None:
    """Why a bullet that is meant as a reading cannot be read, or None.

    Only a bullet with a level, a citation bracket ``[authors; kind; date]`` or a quoted
    title before its link is meant as a reading: an ordinary list of links (``- [Site](url)
    - what it is``) is never a malformed entry, whatever else it holds.  A ``[text](url)``
    that did not parse makes no entry, and notes.py reports it (``malformed-link``).
    """
    text = _PH.sub(" ", template)
    cites = re.search(r"\[[^\]]*;[^\]]*\]?", text)
    # a quote opening the bullet or following "Name:" starts a title; elsewhere it is prose
    if links and _BROKEN_LINK.search(template):
        return MALFORMED_LINK  # no entry from a bullet whose link did not parse
    titled = level is not None or text.lstrip().startswith(('"', "“")) or _NAMED.match(template)
    if level is None and not cites and not (titled and links):
        return None  # a plain bullet or an ordinary link list
    if titled and (text.count('"') % 2 or text.count("“") != text.count("”")):
        return "unclosed quote"
    if text.count("[") != text.count("]"):
        return "unclosed bracket"
    if cites:
        return "citation [authors; kind; date] without a (url)"
    return None


def _quoted(template: str, links: list[Link], level: Level | None, note: str, line: int) -> ReadingEntry | None:
    """``"Title" [cite](url)``, ``Name: "description" [cite](url)``, ``*cult*: "Title"``."""
    match = _QUOTED.match(template)
    assert match is not None
    quoted = " ".join(match["quoted"].split())
    after = match["after"].lstrip()
    cite: Link | None = None
    url_index: int | None = None
    rest = match["after"]
    opening = _PH.match(after)
    if opening:
        url_index, rest = int(opening.group(1)), after[opening.end():]
        cite = None if links[url_index].auto else links[url_index]
    elif level is not None and (later := _PH.search(rest)) is not None:
        url_index = int(later.group(1))
    if level is None and url_index is None:
        return None  # a quotation in prose: the link forms may still apply
    name = _clean(_render(match["name"], links))
    rest_text = _clean(_render(rest, links))
    fields = parse_fields(cite.text) if cite else Fields()
    title: str | None
    if name:
        title, description = name, " ".join(p for p in (quoted, rest_text) if p) or None
    else:
        title, description = quoted or None, rest_text or None
    form = "named" if name else "quoted" if url_index is not None else "title"
    return _entry(note, line, form, title, description, level, fields, links, url_index)


def _linked(template: str, links: list[Link], level: Level | None, note: str, line: int) -> ReadingEntry:
    """Bullets whose reading is a link: a citation link, a titled link, or a bare URL."""
    index = next((i for i, link in enumerate(links) if not link.auto and _is_citation(link.text)), None)
    if index is not None:
        before, after = template.split(f"\x00{index}\x00", 1)
        title = _clean(_SEE_ALSO.sub("", _clean(_render(before, links))))
        return _entry(note, line, "cited", title or None, _clean(_render(after, links)) or None,
                      level, parse_fields(links[index].text), links, index)
    first = int(_PH.search(template).group(1))  # type: ignore[union-attr]
    before, after = (_render(part, links) for part in template.split(f"\x00{first}\x00", 1))
    link = links[first]
    if not link.auto:
        head, tail = _clean(before), _clean(after)
        description = " ".join(_render(template, links).split()) if head and tail else head or tail
        return _entry(note, line, "link", link.text or None, description or None, level, Fields(), links, first)
    title, description = _clean(before), _clean(after)
    if not title and after.lstrip(" \t").startswith("\n"):
        title_line, _, after = after.lstrip(" \t")[1:].partition("\n")
        title, description = _clean(title_line), _clean(after)
    if len(title) > MAX_BARE_TITLE:  # prose around a URL, not a name for it
        title, description = "", " ".join(p for p in (title, description) if p)
    return _entry(note, line, "bare", title or None, description or None, level, Fields(), links, first)


def _entry(note: str, line: int, form: str, title: str | None, description: str | None,
           level: Level | None, fields: Fields, links: list[Link], url_index: int | None) -> ReadingEntry:
    kind, kinds = normalise_kind(fields.kind_raw)
    url = links[url_index].href if url_index is not None else None
    others: list[str] = []
    for i, link in enumerate(links):
        if i != url_index and link.href != url and link.href not in others:
            others.append(link.href)
    return ReadingEntry(note=note, line=line, form=form, title=title, url=url, level=level,
                        description=description, authors=fields.authors, kind=kind, kinds=kinds,
                        kind_raw=fields.kind_raw, date=fields.date, year=fields.year, links=others)


def _report_date(entry: ReadingEntry, out: Extraction) -> None:
    """A date kept as written (not a valid YYYY[-MM[-DD]]) is worth telling the user."""
    if entry.date and parse_date(entry.date) is None:
        out.findings.append(Finding(entry.note, entry.line, "reading-date",
                                    f"reading date {entry.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD"))


def _is_citation(text: str) -> bool:
    return ";" in text or bool(DATE_LIKE.match(text.strip()))


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(_EDGE)


def _label(text: str) -> str:
    """A parent bullet as a topic: ``Contrastive Learning: *remark*`` -> ``Contrastive Learning``."""
    head, sep, tail = text.partition(": ")
    return head.strip() if sep and head.strip() and tail.strip() else text.rstrip(":").strip()


def _malformed(note: str, line: int, reason: str, text: str) -> Finding:
    snippet = text if len(text) <= 80 else text[:77] + "..."
    return Finding(note, line, "reading-malformed", f"reading entry does not parse ({reason}): {snippet}")
