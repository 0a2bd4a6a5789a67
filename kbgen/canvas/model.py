"""A ``.canvas`` file (the open JSON Canvas 1.0 format) read into nodes and edges.

Every value is checked: a node or edge that is not what the spec says is left out with
a warning naming the file and the line of its ``id``; numbers are rounded, colours are
a preset ``"1"``–``"6"`` or a hex code, anything else is dropped.  Nodes keep the file's
order, which is their stacking order (the first is drawn at the bottom).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from kbgen.model import Finding

CODE = "canvas"
SUFFIX = ".canvas"
NODE_TYPES = frozenset({"text", "file", "link", "group"})
SIDES = frozenset({"top", "right", "bottom", "left"})
MAX_SIZE = 1_000_000  # px: a board wider than this is a mistake (and would break the layout)
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_ID_LINE = re.compile(r'"id"\s*:\s*"((?:\\.|[^"\\])*)"')


def is_canvas(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


@dataclass(slots=True)
class CanvasNode:
    id: str
    type: str
    x: int
    y: int
    width: int
    height: int
    line: int
    color: str | None = None
    text: str = ""  # text nodes: markdown
    file: str = ""  # file nodes: vault path
    subpath: str | None = None  # file nodes: heading or block, without "#"
    url: str = ""  # link nodes
    label: str = ""  # groups
    background: str = ""  # groups: an image in the vault
    background_style: str = "cover"


@dataclass(slots=True)
class CanvasEdge:
    id: str
    from_node: str
    to_node: str
    line: int
    from_side: str | None = None
    to_side: str | None = None
    from_end: str = "none"
    to_end: str = "arrow"
    color: str | None = None
    label: str = ""


@dataclass(slots=True)
class CanvasData:
    path: str
    nodes: list[CanvasNode] = field(default_factory=list)
    edges: list[CanvasEdge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def color_of(value: Any) -> str | None:
    """A preset colour ``"1"``–``"6"`` or ``#hex``; anything else is no colour."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value in {"1", "2", "3", "4", "5", "6"} or _HEX.match(value):
        return value.lower()
    return None


def parse_canvas(text: str, path: str) -> CanvasData:
    canvas = CanvasData(path)

    def warn(line: int | None, message: str) -> None:
        canvas.findings.append(Finding(path, line, CODE, message))

    if not text.strip():
        return canvas
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        line = getattr(error, "lineno", None)
        warn(line, f"canvas not read, broken JSON: {getattr(error, 'msg', 'nested too deep')}")
        return canvas
    if not isinstance(data, dict):
        warn(1, f"canvas not read: the JSON is a {type(data).__name__}, not an object")
        return canvas
    lines: dict[str, int] = {}
    for match in _ID_LINE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    seen: set[str] = set()
    for position, raw in enumerate(_list(data.get("nodes"), "nodes", warn)):
        node = _node(raw, position, lines, warn)
        if node is None:
            continue
        if node.id in seen:
            warn(node.line, f"node {node.id!r} appears twice; the second is left out")
            continue
        seen.add(node.id)
        canvas.nodes.append(node)
    for position, raw in enumerate(_list(data.get("edges"), "edges", warn)):
        edge = _edge(raw, position, lines, seen, warn)
        if edge is not None:
            canvas.edges.append(edge)
    return canvas


def _list(value: Any, what: str, warn: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        warn(1, f"{what}: expected a list; ignored")
        return []
    return value


def _number(raw: dict[str, Any], key: str, default: int | None = None) -> int | None:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:  # NaN
        return None
    return max(-MAX_SIZE, min(MAX_SIZE, round(value)))


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


def _node(raw: Any, position: int, lines: dict[str, int], warn: Any) -> CanvasNode | None:
    if not isinstance(raw, dict):
        warn(1, f"node {position + 1}: expected an object; left out")
        return None
    node_id = raw.get("id")
    line = lines.get(node_id, 1) if isinstance(node_id, str) else 1
    if not isinstance(node_id, str) or not node_id:
        warn(line, f"node {position + 1}: no id; left out")
        return None
    kind = raw.get("type")
    if kind not in NODE_TYPES:
        warn(line, f"node {node_id!r}: unknown type {kind!r} (text, file, link, group); left out")
        return None
    box = [_number(raw, k) for k in ("x", "y", "width", "height")]
    if any(v is None for v in box):
        warn(line, f"node {node_id!r}: x, y, width and height must be numbers; left out")
        return None
    x, y, width, height = box  # type: ignore[misc]
    node = CanvasNode(node_id, kind, x, y, max(1, min(width, MAX_SIZE)), max(1, min(height, MAX_SIZE)),  # type: ignore[arg-type]
                      line, color_of(raw.get("color")))
    if raw.get("color") is not None and node.color is None:
        warn(line, f"node {node_id!r}: colour {raw.get('color')!r} is neither 1-6 nor #hex; ignored")
    node.text = _text(raw, "text")
    node.file = _text(raw, "file")
    subpath = _text(raw, "subpath").lstrip("#").strip()
    node.subpath = subpath or None
    node.url = _text(raw, "url").strip()
    node.label = _text(raw, "label")
    node.background = _text(raw, "background")
    style = _text(raw, "backgroundStyle")
    node.background_style = style if style in ("cover", "ratio", "repeat") else "cover"
    if kind == "file" and not node.file:
        warn(line, f"file node {node_id!r} names no file")
    if kind == "link" and not node.url:
        warn(line, f"link node {node_id!r} has no url")
    return node


def _edge(raw: Any, position: int, lines: dict[str, int], nodes: set[str], warn: Any) -> CanvasEdge | None:
    if not isinstance(raw, dict):
        warn(1, f"edge {position + 1}: expected an object; left out")
        return None
    edge_id = raw.get("id") if isinstance(raw.get("id"), str) else f"edge-{position + 1}"
    line = lines.get(edge_id, 1)
    ends = raw.get("fromNode"), raw.get("toNode")
    if not all(isinstance(e, str) and e in nodes for e in ends):
        warn(line, f"edge {edge_id!r}: connects a node that does not exist; left out")
        return None
    edge = CanvasEdge(edge_id, ends[0], ends[1], line, color=color_of(raw.get("color")), label=_text(raw, "label"))  # type: ignore[arg-type]
    edge.from_side = raw.get("fromSide") if raw.get("fromSide") in SIDES else None
    edge.to_side = raw.get("toSide") if raw.get("toSide") in SIDES else None
    edge.from_end = "arrow" if raw.get("fromEnd") == "arrow" else "none"
    edge.to_end = "none" if raw.get("toEnd") == "none" else "arrow"
    return edge
