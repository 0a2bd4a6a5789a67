"""Run one view of a base over the published notes: filter, sort, limit, group, cells.

Order, as documented for Bases: the rows matching the base's filters AND the view's,
sorted by the view's ``sort`` keys in turn (empty values last in either direction), ties
by file name then path (so a build is deterministic); ``limit`` keeps the first rows; then
``groupBy`` gathers them under their group's value, groups in its direction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kbgen.bases import expr as ast
from kbgen.bases.evaluate import Evaluator
from kbgen.bases.facts import FileFacts
from kbgen.bases.runtime import EvalError
from kbgen.bases.spec import CODE, BaseSpec, Filter, SortKey, Statement, ViewSpec
from kbgen.bases.values import FileValue, LinkValue, display_text, sort_key, truthy
from kbgen.model import Finding

Report = Callable[[Finding], None]


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    label: str


@dataclass(slots=True)
class ResultRow:
    path: str
    cells: list[Any]
    image: Any = None


@dataclass(slots=True)
class ResultGroup:
    value: Any  # the group's value (None: rows without one); no groupBy: one group, value None
    rows: list[ResultRow] = field(default_factory=list)


@dataclass(slots=True)
class ViewResult:
    name: str
    type: str
    supported: bool
    columns: list[Column]
    groups: list[ResultGroup]
    total: int  # rows matching the filters, before ``limit``
    grouped: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> list[ResultRow]:
        return [row for group in self.groups for row in group.rows]


def columns_of(spec: BaseSpec, view: ViewSpec) -> list[Column]:
    order = view.order or ["file.name"]
    return [Column(prop, spec.label(prop)) for prop in dict.fromkeys(order)]


def run_view(spec: BaseSpec, view: ViewSpec, evaluator: Evaluator, rows: list[FileFacts],
             report: Report) -> ViewResult:
    """The rows of ``view``, each with its cells (values, links unresolved ones included)."""
    columns = columns_of(spec, view)
    if not view.supported:
        return ViewResult(view.name, view.type, False, columns, [], 0, options=view.options)
    errors: set[tuple[int, str]] = set()

    def failed(statement_line: int, what: str, error: EvalError) -> None:
        key = (statement_line, str(error))
        if key not in errors:
            errors.add(key)
            report(Finding(spec.source, statement_line, CODE, f"{what}: {error}"))

    matching = [row for row in rows
                if _passes(spec.filters, evaluator, row, failed) and _passes(view.filters, evaluator, row, failed)]
    value = functools.partial(property_value, spec, evaluator, failed=failed)
    matching.sort(key=lambda r: (r.name.casefold(), r.path))
    if view.sort:
        keyed = [(row, [value(row, key.property) for key in view.sort]) for row in matching]
        keyed.sort(key=functools.cmp_to_key(lambda a, b: _compare(a[1], b[1], view.sort)))
        matching = [row for row, _ in keyed]
    total = len(matching)
    if view.limit is not None:
        matching = matching[: view.limit]
    image = view.options.get("image")
    result_rows = [ResultRow(row.path, [value(row, c.id) for c in columns],
                             value(row, str(image)) if isinstance(image, str) and image.strip() else None)
                   for row in matching]
    groups = [ResultGroup(None, result_rows)]
    if view.group_by is not None:
        groups = _group(view.group_by, [(r, value(f, view.group_by.property)) for r, f in zip(result_rows, matching)])
    return ViewResult(view.name, view.type, True, columns, groups, total, view.group_by is not None, view.options)


def property_value(spec: BaseSpec, evaluator: Evaluator, row: FileFacts, prop: str, *,
                   failed: Callable[[int, str, EvalError], None]) -> Any:
    """What a column (or sort/group key) holds for ``row``: ``file.name`` is a link to the
    row's note; ``formula.x`` the formula; anything else a front-matter property."""
    pid = prop.strip()
    try:
        if pid == "file.name":
            return evaluator.world.resolve(LinkValue(_no_md(row.path), None, row.basename, evaluator.this or row.path))
        if pid.startswith("file."):
            return evaluator.evaluate(ast.Member(ast.Name("file"), pid[len("file."):]), row)
        if pid.startswith("formula."):
            name = pid[len("formula."):]
            statement = spec.formulas.get(name)
            if statement is None or statement.node is None:
                return None  # reported when the base was read
            return evaluator.formula(name, row)
        return evaluator.property(row, pid[len("note."):] if pid.startswith("note.") else pid)
    except EvalError as error:
        statement = spec.formulas.get(pid[len("formula."):]) if pid.startswith("formula.") else None
        failed(statement.line if statement else 1, f"property {pid}", error)
        return None


def _no_md(path: str) -> str:
    return path[:-3] if path.lower().endswith(".md") else path


def _passes(node: Filter | None, evaluator: Evaluator, row: FileFacts,
            failed: Callable[[int, str, EvalError], None]) -> bool:
    if node is None:
        return True
    if node.op == "is":
        statement: Statement = node.statement  # type: ignore[assignment]
        try:
            return truthy(evaluator.evaluate(statement.node, row))  # type: ignore[arg-type]
        except EvalError as error:
            failed(statement.line, f"filter {statement.text[:80]!r} failed", error)
            return False
    results = (_passes(child, evaluator, row, failed) for child in node.children)
    if node.op == "and":
        return all(results)
    if node.op == "or":
        return any(results) if node.children else True
    return not any(results)  # not: none of them


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _compare(a: list[Any], b: list[Any], keys: list[SortKey]) -> int:
    for x, y, key in zip(a, b, keys):
        ex, ey = _empty(x), _empty(y)
        if ex or ey:
            if ex != ey:
                return 1 if ex else -1  # empty last, whatever the direction
            continue
        kx, ky = sort_key(x), sort_key(y)
        if kx[0] != ky[0]:  # numbers, dates, text: a mixed column keeps kinds together
            return -1 if kx[0] < ky[0] else 1
        if kx != ky:
            less = kx < ky
            return (1 if less else -1) if key.descending else (-1 if less else 1)
    return 0


def group_key(value: Any) -> Any:
    if isinstance(value, LinkValue):
        return ("link", value.path or value.target.casefold())
    if isinstance(value, FileValue):
        return ("link", value.path)
    if isinstance(value, (list, tuple)):
        return ("list", tuple(group_key(v) for v in value))
    return ("text", display_text(value).casefold())


def _group(by: SortKey, rows: list[tuple[ResultRow, Any]]) -> list[ResultGroup]:
    groups: dict[Any, ResultGroup] = {}
    for row, value in rows:
        key = None if _empty(value) else group_key(value)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ResultGroup(None if key is None else value)
        group.rows.append(row)
    ordered = [g for k, g in groups.items() if k is not None]
    ordered.sort(key=functools.cmp_to_key(lambda a, b: _compare([a.value], [b.value], [by])))
    empty = groups.get(None)
    return ordered + ([empty] if empty is not None else [])


def cell_links(result: ViewResult) -> list[LinkValue]:
    """Every link a view shows (in cells and card images), in reading order."""
    out: list[LinkValue] = []
    for row in result.rows:
        for value in [*row.cells, row.image]:
            _links(value, out)
    for group in result.groups:
        _links(group.value, out)
    return out


def _links(value: Any, out: list[LinkValue]) -> None:
    if isinstance(value, LinkValue) and value.url is None:
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _links(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _links(item, out)
