"""The documented Bases functions (obsidian-help ``Bases/Functions.md``): global ones
(``if``, ``link``, ``date``…) and those of a value's type (``file.hasTag``,
``list.contains``, ``string.lower``…), plus the fields of dates, files and lists.

``run`` is the evaluator's per-row state (``kbgen.bases.evaluate._Run``): functions that
take an expression (``filter``, ``map``, ``reduce``, ``if``) evaluate it lazily there.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from typing import Any

from kbgen.bases import expr as ast
from kbgen.bases.methods import date_method, list_method, need, number_method, string_method
from kbgen.bases.runtime import EvalError, ThisRef, link_to, number
from kbgen.bases.values import (
    DateValue, FileValue, HtmlValue, IconValue, ImageValue, LinkValue, Properties, RegexValue, display_text,
    equals, parse_date, parse_duration, truthy, type_name,
)

GLOBALS = frozenset({"if", "link", "list", "date", "now", "today", "number", "min", "max", "duration",
                     "file", "image", "icon", "html", "escapeHTML", "contains", "containsAll", "containsAny"})
METHODS = frozenset({
    "isTruthy", "isType", "toString", "isEmpty",  # any
    "date", "format", "time", "relative",  # date
    "contains", "containsAll", "containsAny", "endsWith", "startsWith", "lower", "upper", "title", "trim",
    "replace", "repeat", "reverse", "slice", "split",  # string
    "abs", "ceil", "floor", "round", "toFixed",  # number
    "filter", "map", "reduce", "flat", "join", "sort", "unique",  # list
    "asFile", "linksTo",  # link
    "asLink", "hasLink", "hasProperty", "hasTag", "inFolder",  # file
    "keys", "values",  # object
    "matches",  # regular expression
})


def compile_regex(pattern: str, flags: str) -> RegexValue:
    options = (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0) | (re.S if "s" in flags else 0)
    try:
        return RegexValue(re.compile(pattern, options), "g" in flags)
    except re.error as error:
        raise EvalError(f"bad regular expression /{pattern}/: {error}") from None


def _args(run: Any, nodes: Sequence[ast.Node]) -> list[Any]:
    return [run.eval(node) for node in nodes]


# ---- global functions ----------------------------------------------------------------------

def call_global(run: Any, name: str, nodes: Sequence[ast.Node]) -> Any:
    if name == "if":
        need("if", nodes, 2, 3)
        if truthy(run.eval(nodes[0])):
            return run.eval(nodes[1])
        return run.eval(nodes[2]) if len(nodes) > 2 else None
    if name not in GLOBALS:
        raise EvalError(f"unknown function {name}()")
    args = _args(run, nodes)
    world = run.ev.world
    if name == "link":
        need("link", args, 1, 2)
        return _link(run, args[0], args[1] if len(args) > 1 else None)
    if name == "list":
        need("list", args, 1)
        return args[0] if isinstance(args[0], list) else [args[0]]
    if name == "date":
        need("date", args, 1)
        date = parse_date(args[0])
        if date is None:
            raise EvalError(f"not a date: {display_text(args[0])!r}")
        return date
    if name == "now":
        return DateValue(world.now, True)
    if name == "today":
        return DateValue(dt.datetime(world.now.year, world.now.month, world.now.day))
    if name == "number":
        need("number", args, 1)
        return _to_number(args[0])
    if name in ("min", "max"):
        numbers = [n for n in (number(a) for a in args) if n is not None]
        return (min if name == "min" else max)(numbers) if numbers else None
    if name == "duration":
        need("duration", args, 1)
        duration = parse_duration(args[0])
        if duration is None:
            raise EvalError(f"not a duration: {display_text(args[0])!r}")
        return duration
    if name == "file":
        need("file", args, 1)
        link = link_to(args[0], world, run.row.path)
        return FileValue(link.path) if link is not None and link.path else None
    if name == "image":
        need("image", args, 1)
        return _image(run, args[0])
    if name == "icon":
        need("icon", args, 1)
        return IconValue(display_text(args[0]))
    if name == "html":
        need("html", args, 1)
        return HtmlValue(display_text(args[0]))
    if name == "escapeHTML":
        need("escapeHTML", args, 1)
        return html.escape(display_text(args[0]))
    need(name, args, 2, 1000)  # contains(haystack, …): the older global forms
    return call_value(run, args[0], name, args[1:])


def _link(run: Any, target: Any, display: Any) -> LinkValue | None:
    shown = display_text(display) if display is not None else None
    if isinstance(target, str) and re.match(r"^[a-z][a-z0-9+.-]*://", target.strip(), re.I):
        return LinkValue(target.strip(), None, shown, run.row.path, None, url=target.strip())
    link = link_to(target, run.ev.world, run.ev.this or run.row.path)
    if link is None:
        return None
    return LinkValue(link.target, link.subpath, shown or link.display, link.source, link.path, link.url)


def _image(run: Any, value: Any) -> ImageValue | None:
    if isinstance(value, str) and re.match(r"^https?://", value.strip(), re.I):
        return ImageValue(value.strip(), run.row.path, None, url=value.strip())
    link = link_to(value, run.ev.world, run.row.path)
    if link is None:
        return None
    return ImageValue(link.target, run.row.path, link.path, link.url)


def _to_number(value: Any) -> Any:
    if isinstance(value, DateValue):
        return value.when.replace(tzinfo=dt.timezone.utc).timestamp() * 1000
    result = number(value)
    if result is None:
        raise EvalError(f"not a number: {display_text(value)!r}")
    return result


# ---- fields --------------------------------------------------------------------------------

def field_of(run: Any, value: Any, name: str) -> Any:
    """``x.name`` where ``x`` is not ``note``/``this``: file, date, list and object fields."""
    if isinstance(value, FileValue):
        return _file_field(run, value, name)
    if isinstance(value, LinkValue) and value.path is not None:
        return _file_field(run, FileValue(value.path), name) if name not in ("target", "display") else None
    date = value if isinstance(value, DateValue) else None
    if date is not None:
        fields = {"year": date.when.year, "month": date.when.month, "day": date.when.day,
                  "hour": date.when.hour, "minute": date.when.minute, "second": date.when.second,
                  "millisecond": date.when.microsecond // 1000}
        if name in fields:
            return fields[name]
    if isinstance(value, (str, list, tuple)) and name == "length":
        return len(value)
    if isinstance(value, dict):
        return value.get(name)
    if value is None:
        return None
    raise EvalError(f"a {type_name(value)} has no field {name!r}")


def _file_field(run: Any, value: FileValue, name: str) -> Any:
    facts = run.ev.world.facts.get(value.path)
    simple = {"name": facts.name, "basename": facts.basename, "path": facts.path, "folder": facts.folder,
              "ext": facts.ext, "size": facts.size}
    if name in simple:
        return simple[name]
    if name == "file":
        return value
    if name == "tags":
        return list(facts.tags)
    if name == "links":
        return list(facts.links)
    if name == "embeds":
        return list(facts.embeds)
    if name == "backlinks":
        return [LinkValue(_stem(p), None, None, value.path, p) for p in run.ev.world.facts.backlinks(value.path)]
    if name == "properties":
        return Properties(facts.properties)
    if name == "ctime":
        return run.ev.value_of(facts.created(), facts.path)
    if name == "mtime":
        return run.ev.value_of(facts.modified(), facts.path)
    raise EvalError(f"a file has no field {name!r}")


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


# ---- methods -------------------------------------------------------------------------------

def call_method(run: Any, target: Any, name: str, nodes: Sequence[ast.Node]) -> Any:
    if name not in METHODS:
        raise EvalError(f"unknown function {name}()")
    if isinstance(target, (list, tuple)) and name in ("filter", "map", "reduce"):
        return _list_lambda(run, list(target), name, nodes)
    return call_value(run, target, name, _args(run, nodes))


def _list_lambda(run: Any, items: list[Any], name: str, nodes: Sequence[ast.Node]) -> Any:
    if name == "reduce":
        need("reduce", nodes, 1, 2)
        acc = run.eval(nodes[1]) if len(nodes) > 1 else None
        for index, value in enumerate(items):
            acc = run.with_locals(value=value, index=index, acc=acc).eval(nodes[0])
        return acc
    need(name, nodes, 1)
    out = []
    for index, value in enumerate(items):
        result = run.with_locals(value=value, index=index).eval(nodes[0])
        if name == "map":
            out.append(result)
        elif truthy(result):
            out.append(value)
    return out


def call_value(run: Any, target: Any, name: str, args: list[Any]) -> Any:
    """``target.name(*args)`` with ``args`` evaluated."""
    if isinstance(target, ThisRef):
        target = FileValue(target.path)
    if name == "isTruthy":
        return truthy(target)
    if name == "isType":
        need("isType", args, 1)
        return type_name(target) == display_text(args[0]).lower()
    if name == "toString":
        return display_text(target)
    if name == "isEmpty":
        if isinstance(target, DateValue):
            return False
        return target is None or (hasattr(target, "__len__") and len(target) == 0) or \
            (isinstance(target, Properties) and not target.data)
    if target is None:
        return None if name not in ("contains", "containsAll", "containsAny", "hasTag", "hasLink") else False
    if isinstance(target, FileValue) or (isinstance(target, LinkValue) and name in ("hasTag", "inFolder", "hasLink",
                                                                                     "hasProperty", "asLink")):
        return _file_method(run, target if isinstance(target, FileValue) else FileValue(target.path or ""), name, args)
    if isinstance(target, LinkValue):
        return _link_method(run, target, name, args)
    if isinstance(target, DateValue) or (isinstance(target, str) and name in ("date", "format", "time", "relative")):
        date = parse_date(target)
        if date is None:
            raise EvalError(f"not a date: {display_text(target)!r}")
        return date_method(run, date, name, args)
    if isinstance(target, str):
        return string_method(target, name, args)
    if isinstance(target, bool):
        raise EvalError(f"a boolean has no function {name}()")
    if isinstance(target, (int, float)):
        return number_method(target, name, args)
    if isinstance(target, (list, tuple)):
        return list_method(list(target), name, args)
    if isinstance(target, (dict, Properties)):
        data = target.data if isinstance(target, Properties) else target
        if name == "keys":
            return list(data)
        if name == "values":
            return list(data.values())
    if isinstance(target, RegexValue) and name == "matches":
        need("matches", args, 1)
        return target.pattern.search(display_text(args[0])) is not None
    raise EvalError(f"a {type_name(target)} has no function {name}()")


def _file_method(run: Any, target: FileValue, name: str, args: list[Any]) -> Any:
    facts = run.ev.world.facts.get(target.path)
    if name == "hasTag":
        wanted = [display_text(a).lstrip("#").casefold() for a in args]
        have = [t.casefold() for t in facts.tags]
        return any(t == w or t.startswith(w + "/") for w in wanted for t in have)
    if name == "inFolder":
        need("inFolder", args, 1)
        folder = display_text(args[0]).strip("/")
        return not folder or facts.folder == folder or facts.folder.startswith(folder + "/")
    if name == "hasLink":
        need("hasLink", args, 1)
        wanted = link_to(args[0], run.ev.world, facts.path)
        return wanted is not None and any(equals(link, wanted) for link in facts.links + facts.embeds)
    if name == "hasProperty":
        need("hasProperty", args, 1)
        return display_text(args[0]) in facts.properties
    if name == "asLink":
        shown = display_text(args[0]) if args else None
        return LinkValue(facts.basename if facts.is_note else facts.name, None, shown, run.row.path, target.path)
    if name in ("contains", "containsAll", "containsAny"):
        return string_method(facts.path, name, args)
    raise EvalError(f"a file has no function {name}()")


def _link_method(run: Any, target: LinkValue, name: str, args: list[Any]) -> Any:
    if name == "asFile":
        return FileValue(target.path) if target.path else None
    if name == "linksTo":
        need("linksTo", args, 1)
        return _file_method(run, FileValue(target.path), "hasLink", args) if target.path else False
    return string_method(target.text(), name, args)
