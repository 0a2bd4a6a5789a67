"""Front matter: YAML from the ``front_matter`` token, with Obsidian's fields typed.

Broken YAML or wrong types never stop a build: the note keeps what could be read and
a finding names the file and line.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from kbgen.model import Finding

# libyaml's loader is ~10x faster and parses the same YAML; pure Python where it is absent.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(slots=True)
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def parse_front_matter(yaml_text: str, path: str, first_line: int) -> FrontMatter:
    """Read the YAML block whose ``---`` opener is on ``first_line`` (1-based)."""
    result = FrontMatter()
    try:
        data = yaml.load(yaml_text, Loader=_Loader) if yaml_text.strip() else {}  # noqa: S506 (safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + 1 + mark.line if mark is not None else first_line
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        result.findings.append(Finding(path, line, "front-matter", f"broken YAML front matter ignored: {problem}"))
        return result
    if data is None:
        return result
    if not isinstance(data, dict):
        result.findings.append(
            Finding(path, first_line, "front-matter", f"front matter is a {type(data).__name__}, not a mapping; ignored")
        )
        return result
    result.data = {str(key): _plain(value) for key, value in data.items()}
    warn = lambda message: result.findings.append(Finding(path, first_line, "front-matter", message))  # noqa: E731
    result.title = _title(result.data.get("title"), warn)
    result.aliases = _string_list(result.data, ("aliases", "alias"), warn)
    result.tags = [t.lstrip("#") for t in _string_list(result.data, ("tags", "tag"), warn, split_spaces=True)]
    result.tags = [t for t in result.tags if t]
    return result


def _plain(value: Any) -> Any:
    """Dates become ISO strings so the data is JSON-ready and stable."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _title(value: Any, warn) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        warn(f"title should be text, got {value!r}; used as text")
        return str(value)
    warn(f"title should be text, got a {type(value).__name__}; ignored")
    return None


def _string_list(data: dict[str, Any], keys: tuple[str, ...], warn, *, split_commas: bool = False,
                 split_spaces: bool = False) -> list[str]:
    """Obsidian accepts a list or a single string (comma/space separated) for these fields."""
    out: list[str] = []
    for key in keys:
        if key not in data or data[key] is None:
            continue
        value = data[key]
        if isinstance(value, str):
            parts = [value]
            if split_commas or split_spaces:
                parts = [p for chunk in value.split(",") for p in (chunk.split() if split_spaces else [chunk])]
            out.extend(p.strip() for p in parts if p.strip())
        elif isinstance(value, list):
            for item in value:
                if item is None:
                    continue  # "tags:\n  -" leaves an empty entry: Obsidian ignores it, so do we
                if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                    if str(item).strip():
                        out.append(str(item).strip())
                else:
                    warn(f"{key}: entry {item!r} is not text; ignored")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            warn(f"{key} should be a list of text, got {value!r}; used as text")
            out.append(str(value))
        else:
            warn(f"{key} should be a list of text, got a {type(value).__name__}; ignored")
    seen: set[str] = set()
    return [x for x in out if not (x.casefold() in seen or seen.add(x.casefold()))]
