"""The Bases expression language, parsed with a grammar (lark, LALR) into a small AST.

Filters and formulas share one language (Obsidian's "Bases syntax"): literals, property
names (``author``, ``note.author``, ``note["my prop"]``, ``file.name``, ``formula.x``,
``this.file``), calls (``link("X")``, ``file.hasTag("a")``), indexing, ``!``/``-``,
arithmetic, comparisons, ``&&``/``||``, list and object literals and ``/regex/flags``.
Nothing is ever handed to Python's ``eval``: the evaluator walks these nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

MAX_LENGTH = 10_000  # an expression longer than this is refused (it would be a mistake)

GRAMMAR = r"""
?start: expr
?expr: or_expr
?or_expr: and_expr ("||" and_expr)*          -> or_
?and_expr: cmp_expr ("&&" cmp_expr)*         -> and_
?cmp_expr: sum_expr (CMP sum_expr)*          -> compare
?sum_expr: prod_expr (ADD prod_expr)*        -> arith
?prod_expr: unary (MUL unary)*               -> arith
?unary: "!" unary                            -> not_
      | "-" unary                            -> neg
      | postfix
?postfix: atom
        | postfix "." NAME "(" [args] ")"    -> method
        | postfix "." NAME                   -> member
        | postfix "[" expr "]"               -> index
        | NAME "(" [args] ")"                -> call
args: expr ("," expr)* ","?
?atom: NUMBER                                -> number
     | STRING                                -> string
     | REGEX                                 -> regex
     | "true"                                -> true
     | "false"                               -> false
     | "null"                                -> null
     | NAME                                  -> name
     | "(" expr ")"
     | "[" [args] "]"                        -> list_
     | "{" [pairs] "}"                       -> object_
pairs: pair ("," pair)* ","?
pair: (STRING | NAME) ":" expr

CMP: "==" | "!=" | ">=" | "<=" | ">" | "<"
ADD: "+" | "-"
MUL: "*" | "/" | "%"
NAME: /[^\W\d]\w*/
NUMBER: /\d+(\.\d+)?([eE][+-]?\d+)?/
STRING: /"(\\.|[^"\\\n])*"/ | /'(\\.|[^'\\\n])*'/
REGEX: /\/(\\.|[^\/\\\n])+\/[dgimsuy]*/
%ignore /\s+/
"""


class ExprError(ValueError):
    """An expression that does not parse; ``column`` is 1-based where known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


# ---- the AST -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Regex:
    pattern: str
    flags: str


@dataclass(frozen=True, slots=True)
class Name:
    name: str


@dataclass(frozen=True, slots=True)
class Member:
    target: Node
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    target: Node
    index: Node


@dataclass(frozen=True, slots=True)
class Call:
    """A global function: ``link("X")``, ``if(a, b)``, ``date("2024-01-01")``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Method:
    """A function of a value: ``file.hasTag("a")``, ``tags.contains("x")``."""

    target: Node
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "!" | "-"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # arithmetic, comparison, "&&", "||"
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class ListLit:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ObjectLit:
    items: tuple[tuple[str, Node], ...]


Node = Literal | Regex | Name | Member | Index | Call | Method | Unary | Binary | ListLit | ObjectLit


def _chain(items: list[Any]) -> Node:
    """``a OP b OP c`` (operators as tokens between operands) -> left-associative Binary."""
    node = items[0]
    for i in range(1, len(items), 2):
        node = Binary(str(items[i]), node, items[i + 1])
    return node


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")


def _string(token: str) -> str:
    """A quoted literal without its quotes, JavaScript escapes (``\\n``, ``\\u00e9``, ``\\"``) read."""
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)
    return _ESCAPE.sub(one, token[1:-1])


class _ToAst(Transformer):
    """Lark's parse tree -> the frozen dataclasses above."""

    @v_args(inline=True)
    def number(self, token: Token) -> Literal:
        text = str(token)
        return Literal(float(text) if any(c in text for c in ".eE") else int(text))

    @v_args(inline=True)
    def string(self, token: Token) -> Literal:
        return Literal(_string(str(token)))

    @v_args(inline=True)
    def regex(self, token: Token) -> Regex:
        text = str(token)
        end = text.rfind("/")
        return Regex(text[1:end], text[end + 1:])

    def true(self, _: list[Any]) -> Literal:
        return Literal(True)

    def false(self, _: list[Any]) -> Literal:
        return Literal(False)

    def null(self, _: list[Any]) -> Literal:
        return Literal(None)

    @v_args(inline=True)
    def name(self, token: Token) -> Name:
        return Name(str(token))

    def args(self, items: list[Node]) -> tuple[Node, ...]:
        return tuple(items)

    @v_args(inline=True)
    def list_(self, args: tuple[Node, ...] | None) -> ListLit:
        return ListLit(args or ())

    def pairs(self, items: list[tuple[str, Node]]) -> tuple[tuple[str, Node], ...]:
        return tuple(items)

    @v_args(inline=True)
    def pair(self, key: Token, value: Node) -> tuple[str, Node]:
        return (_string(str(key)) if key.type == "STRING" else str(key), value)

    @v_args(inline=True)
    def object_(self, pairs: tuple[tuple[str, Node], ...] | None) -> ObjectLit:
        return ObjectLit(pairs or ())

    @v_args(inline=True)
    def member(self, target: Node, name: Token) -> Member:
        return Member(target, str(name))

    @v_args(inline=True)
    def method(self, target: Node, name: Token, args: tuple[Node, ...] | None) -> Method:
        return Method(target, str(name), args or ())

    @v_args(inline=True)
    def call(self, name: Token, args: tuple[Node, ...] | None) -> Call:
        return Call(str(name), args or ())

    @v_args(inline=True)
    def index(self, target: Node, index: Node) -> Index:
        return Index(target, index)

    @v_args(inline=True)
    def not_(self, operand: Node) -> Unary:
        return Unary("!", operand)

    @v_args(inline=True)
    def neg(self, operand: Node) -> Node:
        if isinstance(operand, Literal) and isinstance(operand.value, (int, float)) \
                and not isinstance(operand.value, bool):
            return Literal(-operand.value)
        return Unary("-", operand)

    def compare(self, items: list[Any]) -> Node:
        return _chain(items)

    def arith(self, items: list[Any]) -> Node:
        return _chain(items)

    def and_(self, items: list[Node]) -> Node:
        return _chain([x for item in items for x in (item, "&&")][:-1])

    def or_(self, items: list[Node]) -> Node:
        return _chain([x for item in items for x in (item, "||")][:-1])


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", start="start", maybe_placeholders=True)


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Node:
    """``text`` as an AST; raises ``ExprError`` (with the column) when it does not parse."""
    if not isinstance(text, str):
        raise ExprError(f"an expression must be text, not {type(text).__name__}")
    if not text.strip():
        raise ExprError("empty expression")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    try:
        tree = _parser().parse(text)
    except UnexpectedEOF:
        raise ExprError("unexpected end of expression", len(text) + 1) from None
    except UnexpectedCharacters as error:
        raise ExprError(f"unexpected character {text[error.pos_in_stream]!r}", error.column) from None
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        if token is None or token.type == "$END":
            raise ExprError("unexpected end of expression", len(text) + 1) from None
        raise ExprError(f"unexpected {str(token)!r}", getattr(error, "column", None)) from None
    except (LarkError, RecursionError) as error:
        raise ExprError(f"cannot parse: {error.__class__.__name__}") from None
    try:
        return _ToAst().transform(tree)
    except RecursionError:
        raise ExprError("expression nested too deep") from None
