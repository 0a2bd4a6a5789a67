"""CSS from published attachments, cleaned with tinycss2 so it can load or run nothing.

An SVG ``<style>`` or a ``style=`` attribute can fetch (``url(…)``, ``@import``) or, in
old browsers, run (``expression()``, ``behavior``, ``-moz-binding``).  The CSS is parsed,
not pattern-matched: what survives is re-serialised from the parse, so a comment or an
escape cannot hide a ``url(``.  Only ``url(#id)`` (a reference inside the drawing) stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import tinycss2

NESTED_RULES = frozenset({"media", "supports", "layer", "container"})  # at-rules holding rules
KEYFRAMES = frozenset({"keyframes", "-webkit-keyframes"})
DECLARATION_BLOCKS = frozenset({"font-face", "page"})
_RUNS = frozenset({"behavior", "-ms-behavior", "-moz-binding"})
_URL_FUNCTIONS = frozenset({"image", "image-set", "-webkit-image-set", "src", "cross-fade",
                            "-webkit-cross-fade", "element", "-moz-element"})
_SCRIPT_URL = re.compile(r"(?:javascript|vbscript|data):", re.I)
_IGNORED = re.compile(r"[\x00-\x20\x7f\\]+")  # whitespace, controls and escapes browsers skip


@dataclass(slots=True)
class CssCleaning:
    """The cleaned CSS and what went, by kind (``"url() to another file"``…) with counts."""

    css: str
    removed: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str) -> None:
        self.removed[kind] = self.removed.get(kind, 0) + 1


def clean_stylesheet(css: str) -> CssCleaning:
    """A ``<style>`` sheet with every rule, at-rule or declaration that could load or run removed."""
    result = CssCleaning("")
    result.css = _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), result)
    return result


def clean_declarations(css: str) -> CssCleaning:
    """A ``style=`` attribute's declarations, cleaned the same way."""
    result = CssCleaning("")
    result.css = _declarations(css, result)
    return result


def _rules(rules: Iterable[Any], result: CssCleaning) -> str:
    out: list[str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            why = _dangerous(rule.prelude)
            if why:
                result.note(why)
                continue
            out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{_declarations(rule.content, result)}}}")
        elif rule.type == "at-rule":
            out.append(_at_rule(rule, result))
        elif rule.type == "error":
            result.note("unparsable part")
    return "\n".join(part for part in out if part)


def _at_rule(rule: Any, result: CssCleaning) -> str:
    name = rule.lower_at_keyword
    prelude = tinycss2.serialize(rule.prelude).strip()
    if rule.content is not None and name in NESTED_RULES | KEYFRAMES and not _dangerous(rule.prelude):
        inner = _rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), result)
        return f"@{name} {prelude}{{{inner}}}"
    if rule.content is not None and name in DECLARATION_BLOCKS and not _dangerous(rule.prelude):
        return f"@{name} {prelude}{{{_declarations(rule.content, result)}}}"
    result.note("@import" if name == "import" else f"@{name} rule")
    return ""


def _declarations(content: Any, result: CssCleaning) -> str:
    kept: list[str] = []
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration":
            result.note("unparsable part" if item.type == "error" else f"nested CSS {item.type}")
            continue
        value = tinycss2.serialize(item.value).strip()
        why = "behavior/binding property" if item.lower_name in _RUNS else _dangerous(item.value)
        if why is None and _SCRIPT_URL.search(_IGNORED.sub("", value)):
            why = "script or data: URL"  # ``x: javascript:…`` is no URL to CSS, but say none anyway
        if why:
            result.note(why)
            continue
        important = " !important" if item.important else ""
        kept.append(f"{item.name}:{value}{important}")
    return ";".join(kept)


def _dangerous(tokens: Iterable[Any]) -> str | None:
    """Why these component values could load or run something, else ``None``."""
    stack = [iter(tokens)]
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            continue
        kind = token.type
        if kind == "error":  # a bad url(…) among them: what a browser would make of it is unclear
            return "unparsable part"
        if kind == "url" and not token.value.strip().startswith("#"):
            return "url() to another file"
        if kind == "function":
            name = token.lower_name
            if name == "expression":
                return "expression()"
            if name == "url":
                target = "".join(getattr(t, "value", "") for t in token.arguments if t.type == "string")
                if not target.strip().startswith("#"):
                    return "url() to another file"
            if name in _URL_FUNCTIONS:
                return f"{name}() loading a file"
            stack.append(iter(token.arguments))
        elif kind in ("() block", "[] block", "{} block"):
            stack.append(iter(token.content))
        elif kind in ("ident", "string") and _SCRIPT_URL.search(_IGNORED.sub("", str(token.value))):
            return "script or data: URL"
        elif kind == "at-keyword" and token.lower_value == "import":
            return "@import"
    return None
