"""The values a Bases expression computes with, beyond Python's own (None, bool, numbers,
str, list, dict): links, files, dates, durations, images, icons and HTML snippets.

Equality, ordering and truthiness follow Obsidian's documented rules: a link equals
another link or a file when both lead to the same file, dates compare by time, and
``null`` sorts after everything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from kbgen.model import Link

_WIKILINK = re.compile(r"^\s*!?\[\[([^\[\]]+)\]\]\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


@dataclass(frozen=True, slots=True)
class LinkValue:
    """A link as written (``target``, ``subpath``, ``display``) from file ``source``;
    ``path`` is the vault file it resolves to (None when missing), decided by the vault."""

    target: str
    subpath: str | None = None
    display: str | None = None
    source: str = ""
    path: str | None = None
    url: str | None = None  # an external link (``link("https://…")``)
    res: Any = field(default=None, compare=False, hash=False)  # the vault's Resolution, for rendering

    def as_link(self, index: int = 0, line: int = 1, context: str = "") -> Link:
        raw = f"[[{self.target}{'#' + self.subpath if self.subpath else ''}" \
              f"{'|' + self.display if self.display else ''}]]"
        return Link(index, self.target, self.subpath, self.display, False, line, "wikilink", raw, context)

    def text(self) -> str:
        return self.display or self.target or (self.url or "")


@dataclass(frozen=True, slots=True)
class FileValue:
    """A file of the vault (the row being evaluated, ``this``, or ``file("path")``)."""

    path: str


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date, or a date and time (``has_time``), always naive (the vault's local time)."""

    when: dt.datetime
    has_time: bool = False

    def iso(self) -> str:
        if not self.has_time:
            return self.when.date().isoformat()
        return self.when.isoformat(sep=" ", timespec="seconds")


@dataclass(frozen=True, slots=True)
class Duration:
    """``"1M"``, ``"2 weeks"``: calendar months apart from a fixed number of milliseconds."""

    months: int = 0
    millis: float = 0.0


@dataclass(frozen=True, slots=True)
class ImageValue:
    """``image(x)``: ``target`` a vault path or link text, or an external URL (``url``)."""

    target: str
    source: str = ""
    path: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class IconValue:
    name: str


@dataclass(frozen=True, slots=True)
class HtmlValue:
    """``html("…")``: shown as HTML after the site's sanitiser, like raw HTML in notes."""

    html: str


@dataclass(frozen=True, slots=True)
class RegexValue:
    pattern: re.Pattern[str]
    global_: bool = False


@dataclass(slots=True)
class Properties:
    """``note`` (the front matter of a row or of ``this``) as an object."""

    data: dict[str, Any] = field(default_factory=dict)


def parse_wikilink(text: str, source: str) -> LinkValue | None:
    """``"[[Books]]"`` (a whole value that is one wikilink) -> a link; else None."""
    match = _WIKILINK.match(text)
    if match is None:
        return None
    inner = match.group(1)
    target, _, display = inner.partition("|")
    target, _, subpath = target.partition("#")
    return LinkValue(target.strip(), subpath.strip() or None, display.strip() or None, source)


def parse_date(value: Any) -> DateValue | None:
    """A date from a ``DateValue``, a date object, or ISO text (``2024-05-01``, ``…T10:00``)."""
    if isinstance(value, DateValue):
        return value
    if isinstance(value, dt.datetime):
        return DateValue(value.replace(tzinfo=None), True)
    if isinstance(value, dt.date):
        return DateValue(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        text = value.strip().replace(" ", "T", 1)
        try:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return DateValue(when.replace(tzinfo=None), "T" in text)
    return None


_UNITS = {
    "y": ("months", 12), "year": ("months", 12), "years": ("months", 12),
    "M": ("months", 1), "month": ("months", 1), "months": ("months", 1),
    "w": ("millis", 7 * 86_400_000), "week": ("millis", 7 * 86_400_000), "weeks": ("millis", 7 * 86_400_000),
    "d": ("millis", 86_400_000), "day": ("millis", 86_400_000), "days": ("millis", 86_400_000),
    "h": ("millis", 3_600_000), "hour": ("millis", 3_600_000), "hours": ("millis", 3_600_000),
    "m": ("millis", 60_000), "minute": ("millis", 60_000), "minutes": ("millis", 60_000),
    "s": ("millis", 1000), "second": ("millis", 1000), "seconds": ("millis", 1000),
}
_DURATION_PART = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*")


def parse_duration(text: Any) -> Duration | None:
    """``"1M"``, ``"2 weeks"``, ``"1d 4h"`` -> a duration (``m`` is minutes, ``M`` months)."""
    if isinstance(text, Duration):
        return text
    if not isinstance(text, str) or not text.strip():
        return None
    months, millis, pos = 0, 0.0, 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        amount, unit = float(match.group(1)), match.group(2)
        kind = _UNITS.get(unit) or _UNITS.get(unit.lower() if len(unit) > 1 else unit)
        if kind is None:
            return None
        if kind[0] == "months":
            months += int(amount * kind[1])
        else:
            millis += amount * kind[1]
        pos = match.end()
    return Duration(months, millis) if pos == len(text) and pos else None


def add_duration(date: DateValue, duration: Duration, sign: int = 1) -> DateValue:
    when = date.when
    if duration.months:
        total = when.year * 12 + (when.month - 1) + sign * duration.months
        year, month = divmod(total, 12)
        day = min(when.day, _month_days(year, month + 1))
        when = when.replace(year=year, month=month + 1, day=day)
    when = when + dt.timedelta(milliseconds=sign * duration.millis)
    return DateValue(when, date.has_time or bool(duration.millis % 86_400_000))


def _month_days(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def truthy(value: Any) -> bool:
    """JavaScript's truthiness, except that an empty list or object is false (``if(tags, …)``)."""
    if value is None:
        return False
    if isinstance(value, (bool, int, float, str, list, dict, tuple)):
        return bool(value)
    if isinstance(value, Properties):
        return bool(value.data)
    return True


def type_name(value: Any) -> str:
    """The type names ``isType()`` knows."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, (dict, Properties)):
        return "object"
    return {LinkValue: "link", FileValue: "file", DateValue: "date", Duration: "duration",
            ImageValue: "image", IconValue: "icon", HtmlValue: "html", RegexValue: "regexp"}.get(type(value), "unknown")


def same_target(a: Any, b: Any) -> bool | None:
    """Equality of links and files (None when neither is one): same file, else same text."""
    def path(v: Any) -> str | None:
        if isinstance(v, FileValue):
            return v.path
        if isinstance(v, LinkValue):
            return v.path
        return None
    if not isinstance(a, (LinkValue, FileValue)) and not isinstance(b, (LinkValue, FileValue)):
        return None
    if isinstance(a, str):
        a = parse_wikilink(a, "") or a
    if isinstance(b, str):
        b = parse_wikilink(b, "") or b
    pa, pb = path(a), path(b)
    if pa is not None and pb is not None:
        return pa == pb
    ta = a.target if isinstance(a, LinkValue) else a if isinstance(a, str) else None
    tb = b.target if isinstance(b, LinkValue) else b if isinstance(b, str) else None
    if ta is None or tb is None:
        return False
    return ta.casefold() == tb.casefold()


def equals(a: Any, b: Any) -> bool:
    linked = same_target(a, b)
    if linked is not None:
        return linked
    if isinstance(a, (DateValue, dt.date)) or isinstance(b, (DateValue, dt.date)):
        da, db = parse_date(a), parse_date(b)
        return da is not None and db is not None and da.when == db.when
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(equals(x, y) for x, y in zip(a, b))
    return a == b


def sort_key(value: Any) -> tuple[int, Any]:
    """A total order for sorting rows: numbers, then dates, then text (case-insensitive),
    then everything else by its text; empty values (null, "", []) last."""
    if value is None or value == "" or value == [] or value == ():
        return (9, "")
    if isinstance(value, bool):
        return (0, float(value))
    if isinstance(value, (int, float)):
        return (0, float(value))
    date = parse_date(value)
    if date is not None:
        return (1, date.when.isoformat())
    if isinstance(value, (list, tuple)):
        return sort_key(value[0])
    return (2, display_text(value).casefold())


def display_text(value: Any) -> str:
    """Plain text of a value (``toString()``, joins, sorting)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(display_text(v) for v in value)
    if isinstance(value, LinkValue):
        return value.text()
    if isinstance(value, FileValue):
        name = value.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name
    if isinstance(value, DateValue):
        return value.iso()
    if isinstance(value, Duration):
        return f"{value.months}M {value.millis / 1000:g}s" if value.months else f"{value.millis / 1000:g}s"
    if isinstance(value, (dict, Properties)):
        data = value.data if isinstance(value, Properties) else value
        return ", ".join(f"{k}: {display_text(v)}" for k, v in data.items())
    if isinstance(value, ImageValue):
        return value.target
    if isinstance(value, IconValue):
        return value.name
    if isinstance(value, HtmlValue):
        return value.html
    if isinstance(value, RegexValue):
        return f"/{value.pattern.pattern}/"
    return str(value)
