"""Functions of strings, numbers, lists and dates (obsidian-help ``Bases/Functions.md``),
called by ``kbgen.bases.functions.call_value`` with their arguments evaluated."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from kbgen.bases.runtime import EvalError, number
from kbgen.bases.values import DateValue, RegexValue, display_text, equals, sort_key

_MOMENT = re.compile(r"\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|SSS|A|a")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def need(name: str, args: list[Any], low: int, high: int | None = None) -> None:
    """Refuse a call with too few or too many arguments."""
    high = low if high is None else high
    if not low <= len(args) <= high:
        wanted = f"{low}" if low == high else f"{low} to {high}"
        raise EvalError(f"{name}() takes {wanted} argument{'s' if high != 1 else ''}, not {len(args)}")


def date_method(run: Any, date: DateValue, name: str, args: list[Any]) -> Any:
    if name == "date":
        return DateValue(dt.datetime(date.when.year, date.when.month, date.when.day))
    if name == "time":
        return date.when.strftime("%H:%M:%S")
    if name == "format":
        need("format", args, 1)
        return moment_format(date.when, display_text(args[0]))
    if name == "relative":
        return relative(date.when, run.ev.world.now)
    raise EvalError(f"a date has no function {name}()")


def moment_format(when: dt.datetime, pattern: str) -> str:
    """The Moment.js tokens people use (``YYYY-MM-DD``, ``D MMM YYYY``, ``HH:mm``, ``[text]``)."""
    def one(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        token = match.group(0)
        hour12 = when.hour % 12 or 12
        table = {"YYYY": f"{when.year:04d}", "YY": f"{when.year % 100:02d}", "MMMM": _MONTHS[when.month - 1],
                 "MMM": _MONTHS[when.month - 1][:3], "MM": f"{when.month:02d}", "M": str(when.month),
                 "DD": f"{when.day:02d}", "D": str(when.day), "dddd": _DAYS[when.weekday()],
                 "ddd": _DAYS[when.weekday()][:3], "HH": f"{when.hour:02d}", "H": str(when.hour),
                 "hh": f"{hour12:02d}", "h": str(hour12), "mm": f"{when.minute:02d}", "m": str(when.minute),
                 "ss": f"{when.second:02d}", "s": str(when.second), "SSS": f"{when.microsecond // 1000:03d}",
                 "A": "AM" if when.hour < 12 else "PM", "a": "am" if when.hour < 12 else "pm"}
        return table[token]
    return _MOMENT.sub(one, pattern)


def relative(when: dt.datetime, now: dt.datetime) -> str:
    seconds = (now - when).total_seconds()
    ago = seconds >= 0
    seconds = abs(seconds)
    for size, unit in ((365 * 86400, "year"), (30 * 86400, "month"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"{text} ago" if ago else f"in {text}"
    return "just now"


def string_method(text: str, name: str, args: list[Any]) -> Any:
    words = [display_text(a) for a in args]
    simple = {"lower": text.lower, "upper": text.upper, "trim": text.strip,
              "title": lambda: re.sub(r"\b(\w)", lambda m: m.group(1).upper(), text),
              "reverse": lambda: text[::-1]}
    if name in simple:
        return simple[name]()
    if name == "contains":
        need("contains", args, 1)
        return words[0] in text
    if name == "containsAll":
        return all(w in text for w in words)
    if name == "containsAny":
        return any(w in text for w in words)
    if name in ("startsWith", "endsWith"):
        need(name, args, 1)
        return text.startswith(words[0]) if name == "startsWith" else text.endswith(words[0])
    if name == "repeat":
        need("repeat", args, 1)
        count = int(number(args[0]) or 0)
        return text * max(0, min(count, 10_000 // max(1, len(text))))
    if name == "slice":
        need("slice", args, 1, 2)
        return text[int(number(args[0]) or 0): int(number(args[1]) or 0) if len(args) > 1 else None]
    if name == "replace":
        need("replace", args, 2)
        if isinstance(args[0], RegexValue):
            return args[0].pattern.sub(words[1].replace("\\", "\\\\"), text, count=0 if args[0].global_ else 1)
        return text.replace(words[0], words[1])
    if name == "split":
        need("split", args, 1, 2)
        parts = args[0].pattern.split(text) if isinstance(args[0], RegexValue) else text.split(words[0]) \
            if words[0] else list(text)
        return parts[: int(number(args[1]) or 0)] if len(args) > 1 else parts
    raise EvalError(f"a string has no function {name}()")


def number_method(value: float, name: str, args: list[Any]) -> Any:
    if name == "abs":
        return abs(value)
    if name == "ceil":
        return math.ceil(value)
    if name == "floor":
        return math.floor(value)
    if name == "round":
        digits = int(number(args[0]) or 0) if args else 0
        rounded = math.floor(value * 10 ** digits + 0.5) / 10 ** digits  # JavaScript rounds half up
        return int(rounded) if digits == 0 else rounded
    if name == "toFixed":
        need("toFixed", args, 1)
        return f"{value:.{max(0, min(int(number(args[0]) or 0), 100))}f}"
    raise EvalError(f"a number has no function {name}()")


def list_method(items: list[Any], name: str, args: list[Any]) -> Any:
    if name == "contains":
        need("contains", args, 1)
        return any(equals(item, args[0]) for item in items)
    if name == "containsAll":
        return all(any(equals(item, a) for item in items) for a in args)
    if name == "containsAny":
        return any(equals(item, a) for item in items for a in args)
    if name == "flat":
        return [x for item in items for x in (item if isinstance(item, list) else [item])]
    if name == "join":
        return (display_text(args[0]) if args else ",").join(display_text(i) for i in items)
    if name == "reverse":
        return items[::-1]
    if name == "slice":
        need("slice", args, 1, 2)
        return items[int(number(args[0]) or 0): int(number(args[1]) or 0) if len(args) > 1 else None]
    if name == "sort":
        return sorted(items, key=sort_key)
    if name == "unique":
        out: list[Any] = []
        for item in items:
            if not any(equals(item, seen) for seen in out):
                out.append(item)
        return out
    raise EvalError(f"a list has no function {name}()")
