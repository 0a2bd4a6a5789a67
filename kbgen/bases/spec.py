"""A base (a ``.base`` file or a ```` ```base ```` block) read from its YAML: filters,
formulas, property display names and views, each expression parsed once.

Broken YAML, an expression that does not parse or calls an unknown function: a warning
naming the file and the line, and the base keeps what it could read (a broken filter
statement is left out, a broken formula shows empty cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from kbgen.bases import expr as ast
from kbgen.bases.expr import ExprError, parse_expression
from kbgen.bases.functions import GLOBALS, METHODS
from kbgen.model import Finding

CODE = "base"
VIEW_TYPES = frozenset({"table", "cards", "list"})


class _LineStr(str):
    """A YAML string that remembers its 1-based line in the YAML text."""

    line: int = 1


class _Loader(yaml.SafeLoader):
    """The safe loader, with strings carrying their line (for warnings)."""


def _construct_str(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> _LineStr:
    value = _LineStr(loader.construct_scalar(node))
    value.line = node.start_mark.line + 1
    return value


_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)


@dataclass(slots=True)
class Statement:
    """One expression as written; ``node`` is None when it did not parse."""

    text: str
    line: int
    node: ast.Node | None = None


@dataclass(slots=True)
class Filter:
    """``and``/``or``/``not`` over children, or one statement (``op == "is"``)."""

    op: str
    children: list[Filter] = field(default_factory=list)
    statement: Statement | None = None


@dataclass(frozen=True, slots=True)
class SortKey:
    property: str
    descending: bool = False


@dataclass(slots=True)
class ViewSpec:
    type: str
    name: str
    line: int
    filters: Filter | None = None
    order: list[str] = field(default_factory=list)
    sort: list[SortKey] = field(default_factory=list)
    group_by: SortKey | None = None
    limit: int | None = None
    options: dict[str, Any] = field(default_factory=dict)  # cards: image, imageFit, imageAspectRatio…

    @property
    def supported(self) -> bool:
        return self.type in VIEW_TYPES


@dataclass(slots=True)
class BaseSpec:
    """A whole base; ``source`` is the file its warnings name, ``first_line`` where its YAML starts."""

    source: str
    filters: Filter | None = None
    formulas: dict[str, Statement] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # property id -> display name
    views: list[ViewSpec] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    uses_this: bool = False

    def view(self, name: str | None) -> ViewSpec | None:
        """The view called ``name`` (case-insensitively), the first one for None."""
        if name is None:
            return self.views[0] if self.views else None
        wanted = name.strip().casefold()
        return next((v for v in self.views if v.name.casefold() == wanted), None)

    def label(self, prop: str) -> str:
        """A column's header: the display name given in ``properties``, else its name."""
        pid = property_id(prop)
        for key in (pid, prop, f"note.{pid}"):
            if key in self.display:
                return self.display[key]
        if pid.startswith("formula."):
            return pid[len("formula."):]
        if pid.startswith("file."):
            return "file " + pid[len("file."):]
        return pid


def property_id(prop: str) -> str:
    """``note.author`` and ``author`` are one property; ``file.x`` and ``formula.x`` stay."""
    prop = str(prop).strip()
    return prop[len("note."):] if prop.startswith("note.") else prop


def parse_base(text: str, source: str, first_line: int = 1) -> BaseSpec:
    """The base written in ``text`` (YAML); ``first_line`` is the line of its first YAML line."""
    spec = BaseSpec(source)
    offset = first_line - 1

    def warn(line: int | None, message: str) -> None:
        spec.findings.append(Finding(source, (line or 1) + offset, CODE, message))

    try:
        data = yaml.load(text, Loader=_Loader) if text.strip() else {}  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        warn(mark.line + 1 if mark is not None else 1,
             f"base not read, broken YAML: {getattr(error, 'problem', None) or str(error).splitlines()[0]}")
        return spec
    if data is None:
        data = {}
    if not isinstance(data, dict):
        warn(1, f"base not read: the YAML is a {type(data).__name__}, not a mapping")
        return spec
    statements: list[Statement] = []
    spec.filters = _filter(data.get("filters"), warn, statements, _line(data, "filters"))
    formulas = data.get("formulas") or {}
    if isinstance(formulas, dict):
        for name, value in formulas.items():
            statement = _statement(value, _line_of(name), warn, "formula " + str(name))
            if statement is not None:
                spec.formulas[str(name)] = statement
                statements.append(statement)
    else:
        warn(_line(data, "formulas"), "formulas: expected a mapping of name: expression")
    properties = data.get("properties") or {}
    if isinstance(properties, dict):
        for prop, config in properties.items():
            if isinstance(config, dict) and config.get("displayName") is not None:
                spec.display[property_id(str(prop))] = str(config["displayName"])
    views = data.get("views")
    if views is None:
        views = [{"type": "table", "name": "Table"}]
    if not isinstance(views, list):
        warn(_line(data, "views"), "views: expected a list of views")
        views = []
    for position, raw in enumerate(views):
        view = _view(raw, position, warn, statements)
        if view is not None:
            spec.views.append(view)
    spec.uses_this = any(_mentions_this(s.node) for s in statements if s.node is not None)
    for statement in statements:  # warnings at run time name the line in the file
        statement.line += offset
    return spec


def _line(data: dict[str, Any], key: str) -> int:
    return next((_line_of(k) for k in data if k == key), 1)


def _line_of(value: Any) -> int:
    return value.line if isinstance(value, _LineStr) else 1


def _statement(value: Any, line: int, warn: Any, what: str) -> Statement | None:
    if isinstance(value, bool) or isinstance(value, (int, float)):
        value = str(value).lower() if isinstance(value, bool) else str(value)
    if not isinstance(value, str):
        warn(line, f"{what}: expected an expression, not a {type(value).__name__}")
        return None
    statement = Statement(str(value), _line_of(value) if isinstance(value, _LineStr) else line)
    try:
        node = parse_expression(statement.text)
    except ExprError as error:
        where = f" at column {error.column}" if error.column else ""
        warn(statement.line, f"{what}: expression does not parse ({error}{where}): {statement.text[:120]}")
        return statement
    unknown = sorted(_unknown_functions(node))
    if unknown:
        names = ", ".join(f"{n}()" for n in unknown)
        warn(statement.line, f"{what}: unknown function {names}: {statement.text[:120]}")
        return statement
    statement.node = node
    return statement


def _filter(value: Any, warn: Any, statements: list[Statement], line: int) -> Filter | None:
    if value is None:
        return None
    if isinstance(value, dict):
        if len(value) != 1:
            warn(line, f"filter: expected one of and/or/not, found {', '.join(map(str, value)) or 'nothing'}")
        children: list[Filter] = []
        for key, items in value.items():
            op = str(key).strip().lower()
            if op not in ("and", "or", "not"):
                warn(_line_of(key), f"filter: unknown operator {key!r} (and, or, not); ignored")
                continue
            items = items if isinstance(items, list) else [items]
            group = Filter(op, [f for f in (_filter(i, warn, statements, _line_of(key)) for i in items) if f])
            children.append(group)
        if len(children) == 1:
            return children[0]
        return Filter("and", children)
    statement = _statement(value, line, warn, "filter")
    if statement is None or statement.node is None:
        return None  # reported; the view shows what the other filters allow
    statements.append(statement)
    return Filter("is", statement=statement)


def _view(raw: Any, position: int, warn: Any, statements: list[Statement]) -> ViewSpec | None:
    if not isinstance(raw, dict):
        warn(1, f"view {position + 1}: expected a mapping")
        return None
    line = min((_line_of(k) for k in raw), default=1)
    kind = str(raw.get("type") or "table").strip().lower()
    name = str(raw.get("name") or f"{kind.title()} {position + 1}").strip()
    view = ViewSpec(kind, name, line)
    view.filters = _filter(raw.get("filters"), warn, statements, _line(raw, "filters"))
    order = raw.get("order") or []
    view.order = [str(p) for p in (order if isinstance(order, list) else [order]) if isinstance(p, str) and p.strip()]
    sort = raw.get("sort") or []
    for item in sort if isinstance(sort, list) else [sort]:
        key = _sort_key(item)
        if key is None:
            warn(_line(raw, "sort"), f"view {name!r}: sort entries need a property and a direction (ASC/DESC)")
        else:
            view.sort.append(key)
    group = raw.get("groupBy", raw.get("group_by"))
    if group is not None:
        view.group_by = _sort_key(group)
        if view.group_by is None:
            warn(_line(raw, "groupBy"), f"view {name!r}: groupBy needs a property")
    limit = raw.get("limit")
    if limit is not None:
        if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0:
            view.limit = limit
        else:
            warn(_line(raw, "limit"), f"view {name!r}: limit must be a whole number, not {limit!r}")
    view.options = {str(k): v for k, v in raw.items()
                    if k not in ("type", "name", "filters", "order", "sort", "groupBy", "group_by", "limit")}
    return view


def _sort_key(item: Any) -> SortKey | None:
    if isinstance(item, str) and item.strip():
        return SortKey(property_id(item))
    if isinstance(item, dict):
        prop = item.get("property", item.get("column"))
        if isinstance(prop, str) and prop.strip():
            direction = str(item.get("direction") or "ASC").strip().upper()
            return SortKey(property_id(prop), direction == "DESC")
    return None


def _walk(node: ast.Node) -> list[ast.Node]:
    out, todo = [], [node]
    while todo:
        current = todo.pop()
        out.append(current)
        for name in getattr(current, "__slots__", ()):
            child = getattr(current, name)
            if isinstance(child, tuple):
                for item in child:
                    if isinstance(item, tuple):
                        todo.extend(x for x in item if not isinstance(x, str))
                    elif not isinstance(item, str):
                        todo.append(item)
            elif not isinstance(child, (str, int, float, bool, type(None))):
                todo.append(child)
    return out


def _unknown_functions(node: ast.Node) -> set[str]:
    unknown = set()
    for item in _walk(node):
        if isinstance(item, ast.Call) and item.name not in GLOBALS:
            unknown.add(item.name)
        elif isinstance(item, ast.Method) and item.name not in METHODS:
            unknown.add(item.name)
    return unknown


def _mentions_this(node: ast.Node) -> bool:
    return any(isinstance(item, ast.Name) and item.name == "this" for item in _walk(node))
