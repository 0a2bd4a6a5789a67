"""What evaluation and the functions share: errors, ``this``, the world an expression
reads (file facts, link resolution, the build's clock), and small conversions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kbgen.bases.facts import FactIndex
from kbgen.bases.values import FileValue, LinkValue, parse_wikilink


class EvalError(Exception):
    """An expression that cannot be evaluated (unknown function, wrong type, cycle)."""


@dataclass(frozen=True, slots=True)
class ThisRef:
    """``this``: the file showing the base; ``this.file``, ``this.author``, ``this == x``."""

    path: str


@dataclass(slots=True)
class World:
    """What evaluation reads: file facts, link resolution, the build's clock."""

    facts: FactIndex
    resolve: Callable[[LinkValue], LinkValue]  # fills in ``path`` the way the vault resolves
    now: dt.datetime


def number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return None
    return None


def link_to(value: Any, world: World, source: str) -> LinkValue | None:
    """A link from a value: a link, a file, ``this``, or text (``"[[X]]"`` or a name)."""
    if isinstance(value, LinkValue):
        return value
    if isinstance(value, (FileValue, ThisRef)):
        facts = world.facts.get(value.path)
        return LinkValue(facts.basename if facts.is_note else facts.name, None, None, source, value.path)
    if isinstance(value, str) and value.strip():
        link = parse_wikilink(value, source)
        if link is None:
            target, _, display = value.partition("|")
            target, _, subpath = target.partition("#")
            link = LinkValue(target.strip(), subpath.strip() or None, display.strip() or None, source)
        return world.resolve(link)
    return None
