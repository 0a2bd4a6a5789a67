"""Evaluate a parsed Bases expression for one row (a note), with ``this`` and formulas.

Names follow "Bases syntax": ``author`` and ``note.author`` are the row's front-matter
properties, ``file`` the row's file, ``formula.x`` another formula (cycles refused),
``this`` the file that shows the base (the embedding note, or the ``.base`` file itself).
Errors raise ``EvalError``; the caller decides what a failing filter or cell shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kbgen.bases import expr as ast
from kbgen.bases.facts import FileFacts
from kbgen.bases.functions import call_global, call_method, compile_regex, field_of
from kbgen.bases.runtime import EvalError, ThisRef, World, number
from kbgen.bases.values import (
    DateValue, Duration, FileValue, Properties, RegexValue, add_duration, display_text, equals,
    parse_date, parse_duration, parse_wikilink, sort_key, truthy,
)

MAX_DEPTH = 200  # formulas calling formulas, nested lists: deeper is a mistake, not data


@dataclass(slots=True)
class Evaluator:
    """Evaluates expressions of one base (its formulas) for rows, with ``this`` fixed."""

    world: World
    formulas: dict[str, ast.Node]
    this: str | None = None
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict)
    _active: set[tuple[str, str]] = field(default_factory=set)

    def evaluate(self, node: ast.Node, row: FileFacts) -> Any:
        return _Run(self, row, {}, 0).eval(node)

    def formula(self, name: str, row: FileFacts) -> Any:
        key = (row.path, name)
        if key in self._memo:
            return self._memo[key]
        node = self.formulas.get(name)
        if node is None:
            raise EvalError(f"no formula named {name!r}")
        if key in self._active:
            raise EvalError(f"formula {name!r} refers to itself")
        self._active.add(key)
        try:
            value = self.evaluate(node, row)
        finally:
            self._active.discard(key)
        self._memo[key] = value
        return value

    def value_of(self, raw: Any, source: str) -> Any:
        """A front-matter value as a Bases value: ``"[[X]]"`` a link, ISO text a date."""
        if isinstance(raw, str):
            link = parse_wikilink(raw, source)
            if link is not None:
                return self.world.resolve(link)
            date = parse_date(raw)
            return date if date is not None else raw
        if isinstance(raw, list):
            return [self.value_of(v, source) for v in raw]
        if isinstance(raw, dict):
            return {str(k): self.value_of(v, source) for k, v in raw.items()}
        return raw

    def property(self, facts: FileFacts, name: str) -> Any:
        return self.value_of(facts.properties.get(name), facts.path)


@dataclass(slots=True)
class _Run:
    ev: Evaluator
    row: FileFacts
    local: dict[str, Any]
    depth: int

    def eval(self, node: ast.Node) -> Any:
        if self.depth > MAX_DEPTH:
            raise EvalError("expression nested too deep")
        self.depth += 1
        try:
            return getattr(self, "_" + type(node).__name__)(node)
        finally:
            self.depth -= 1

    # ---- leaves and names ------------------------------------------------------------
    def _Literal(self, node: ast.Literal) -> Any:
        return node.value

    def _Regex(self, node: ast.Regex) -> RegexValue:
        return compile_regex(node.pattern, node.flags)

    def _ListLit(self, node: ast.ListLit) -> list[Any]:
        return [self.eval(item) for item in node.items]

    def _ObjectLit(self, node: ast.ObjectLit) -> dict[str, Any]:
        return {key: self.eval(value) for key, value in node.items}

    def _Name(self, node: ast.Name) -> Any:
        name = node.name
        if name in self.local:
            return self.local[name]
        if name == "file":
            return FileValue(self.row.path)
        if name == "note":
            return Properties(self.row.properties)
        if name == "this":
            if self.ev.this is None:
                raise EvalError("'this' is only known where a base is shown")
            return ThisRef(self.ev.this)
        if name == "formula":
            raise EvalError("'formula' needs a name: formula.x")
        return self.ev.property(self.row, name)

    # ---- member access and indexing --------------------------------------------------
    def _Member(self, node: ast.Member) -> Any:
        target = node.target
        if isinstance(target, ast.Name) and target.name not in self.local:
            if target.name == "formula":
                return self.ev.formula(node.name, self.row)
            if target.name == "note":
                return self.ev.property(self.row, node.name)
        return self.member(self.eval(target), node.name)

    def member(self, value: Any, name: str) -> Any:
        if isinstance(value, ThisRef):
            facts = self.ev.world.facts.get(value.path)
            if name == "file":
                return FileValue(value.path)
            if name == "note":
                return Properties(facts.properties)
            return self.ev.property(facts, name)
        if isinstance(value, Properties):
            return self.ev.value_of(value.data.get(name), self.row.path)
        return field_of(self, value, name)

    def _Index(self, node: ast.Index) -> Any:
        target = node.target
        index = self.eval(node.index)
        if isinstance(target, ast.Name) and target.name == "formula" and "formula" not in self.local:
            return self.ev.formula(str(index), self.row)
        value = self.eval(target)
        if isinstance(value, (list, tuple)) and isinstance(index, (int, float)) and not isinstance(index, bool):
            i = int(index)
            return value[i] if -len(value) <= i < len(value) else None
        if isinstance(value, str) and isinstance(index, (int, float)) and not isinstance(index, bool):
            i = int(index)
            return value[i] if -len(value) <= i < len(value) else None
        if isinstance(index, str):
            return self.member(value, index)
        return None

    # ---- calls -------------------------------------------------------------------------
    def _Call(self, node: ast.Call) -> Any:
        return call_global(self, node.name, node.args)

    def _Method(self, node: ast.Method) -> Any:
        target = self.eval(node.target)
        return call_method(self, target, node.name, node.args)

    def with_locals(self, **values: Any) -> _Run:
        return _Run(self.ev, self.row, {**self.local, **values}, self.depth)

    # ---- operators ---------------------------------------------------------------------
    def _Unary(self, node: ast.Unary) -> Any:
        value = self.eval(node.operand)
        if node.op == "!":
            return not truthy(value)
        amount = number(value)
        if amount is None:
            raise EvalError(f"cannot negate {display_text(value)!r}")
        return -amount

    def _Binary(self, node: ast.Binary) -> Any:
        op = node.op
        if op == "&&":
            left = self.eval(node.left)
            return self.eval(node.right) if truthy(left) else left
        if op == "||":
            left = self.eval(node.left)
            return left if truthy(left) else self.eval(node.right)
        left, right = self.eval(node.left), self.eval(node.right)
        if op == "==":
            return equals(_this_file(left), _this_file(right))
        if op == "!=":
            return not equals(_this_file(left), _this_file(right))
        if op in ("<", ">", "<=", ">="):
            return compare(op, left, right)
        return arithmetic(op, left, right)


def _this_file(value: Any) -> Any:
    return FileValue(value.path) if isinstance(value, ThisRef) else value


def compare(op: str, left: Any, right: Any) -> bool:
    """``<``, ``>``…: numbers, dates and text; ``null`` is never greater or smaller."""
    if left is None or right is None:
        return False
    dl, dr = parse_date(left), parse_date(right)
    if dl is not None and dr is not None:
        a, b = dl.when, dr.when
    elif isinstance(left, str) and isinstance(right, str):
        a, b = left, right
    else:
        na, nb = number(left), number(right)
        if na is None or nb is None:
            a, b = sort_key(left), sort_key(right)
        else:
            a, b = na, nb
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    return a >= b


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """Numbers; ``+`` joins text; dates plus or minus durations; date minus date in ms."""
    date = parse_date(left) if isinstance(left, (DateValue, dt.date)) else None
    if date is not None and op in ("+", "-"):
        other = parse_date(right) if isinstance(right, (DateValue, dt.date)) else None
        if other is not None and op == "-":
            return (date.when - other.when).total_seconds() * 1000
        duration = parse_duration(right)
        if duration is None:
            raise EvalError(f"not a duration: {display_text(right)!r}")
        return add_duration(date, duration, 1 if op == "+" else -1)
    if isinstance(left, Duration) and isinstance(right, (int, float)) and op in ("*", "/"):
        factor = right if op == "*" else 1 / right if right else 0
        return Duration(int(left.months * factor), left.millis * factor)
    if op == "+" and (isinstance(left, str) or isinstance(right, str)):
        return display_text(left) + display_text(right)
    if op == "+" and isinstance(left, list) and isinstance(right, list):
        return left + right
    a, b = number(left), number(right)
    if a is None or b is None:
        if left is None or right is None:
            return None
        raise EvalError(f"cannot compute {display_text(left)!r} {op} {display_text(right)!r}")
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b if b else None
    if op == "%":
        return a % b if b else None
    raise EvalError(f"unknown operator {op}")
