"""Where a canvas's nodes and edges are drawn: the board's bounds, each edge as a cubic
Bézier from side to side (as Obsidian draws them), its arrowheads and its label's spot."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kbgen.canvas.model import CanvasEdge, CanvasNode

PADDING = 40  # px of board around the outermost nodes
ARROW = 12  # arrowhead length, px

Point = tuple[float, float]
_NORMALS = {"top": (0.0, -1.0), "right": (1.0, 0.0), "bottom": (0.0, 1.0), "left": (-1.0, 0.0)}


@dataclass(frozen=True, slots=True)
class Bounds:
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class EdgeShape:
    path: str  # SVG path data, in board coordinates
    arrows: tuple[str, ...]  # SVG polygon points of each arrowhead
    label_at: Point  # the curve's middle: where its label goes


def bounds(nodes: list[CanvasNode]) -> Bounds:
    """The board: every node inside, with ``PADDING`` around (an empty board is small)."""
    if not nodes:
        return Bounds(0, 0, 2 * PADDING, 2 * PADDING)
    left = min(n.x for n in nodes) - PADDING
    top = min(n.y for n in nodes) - PADDING
    right = max(n.x + n.width for n in nodes) + PADDING
    bottom = max(n.y + n.height for n in nodes) + PADDING
    return Bounds(left, top, right - left, bottom - top)


def _centre(node: CanvasNode) -> Point:
    return (node.x + node.width / 2, node.y + node.height / 2)


def _side_towards(node: CanvasNode, other: CanvasNode) -> str:
    """The side of ``node`` facing ``other`` (when the file names none)."""
    (x1, y1), (x2, y2) = _centre(node), _centre(other)
    dx, dy = x2 - x1, y2 - y1
    if abs(dx) * node.height >= abs(dy) * node.width:
        return "right" if dx >= 0 else "left"
    return "bottom" if dy >= 0 else "top"


def anchor(node: CanvasNode, side: str) -> Point:
    x, y, w, h = node.x, node.y, node.width, node.height
    return {"top": (x + w / 2, y), "right": (x + w, y + h / 2), "bottom": (x + w / 2, y + h),
            "left": (x, y + h / 2)}[side]


def _arrow(tip: Point, towards: Point) -> str:
    """An arrowhead at ``tip`` pointing away from ``towards``."""
    dx, dy = tip[0] - towards[0], tip[1] - towards[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    bx, by = tip[0] - ux * ARROW, tip[1] - uy * ARROW
    half = ARROW * 0.5
    points = [tip, (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)


def edge_shape(edge: CanvasEdge, start: CanvasNode, end: CanvasNode, origin: Bounds) -> EdgeShape:
    """The curve of ``edge`` in board coordinates (``origin`` is the board's top-left)."""
    from_side = edge.from_side or _side_towards(start, end)
    to_side = edge.to_side or _side_towards(end, start)
    p0, p3 = anchor(start, from_side), anchor(end, to_side)
    reach = max(40.0, min(250.0, math.dist(p0, p3) / 2))
    n0, n3 = _NORMALS[from_side], _NORMALS[to_side]
    p1 = (p0[0] + n0[0] * reach, p0[1] + n0[1] * reach)
    p2 = (p3[0] + n3[0] * reach, p3[1] + n3[1] * reach)
    shift = lambda p: (p[0] - origin.left, p[1] - origin.top)  # noqa: E731
    p0, p1, p2, p3 = shift(p0), shift(p1), shift(p2), shift(p3)
    path = (f"M {p0[0]:.1f} {p0[1]:.1f} C {p1[0]:.1f} {p1[1]:.1f}, {p2[0]:.1f} {p2[1]:.1f}, "
            f"{p3[0]:.1f} {p3[1]:.1f}")
    arrows = []
    if edge.to_end == "arrow":
        arrows.append(_arrow(p3, p2))
    if edge.from_end == "arrow":
        arrows.append(_arrow(p0, p1))
    middle = ((p0[0] + 3 * p1[0] + 3 * p2[0] + p3[0]) / 8, (p0[1] + 3 * p1[1] + 3 * p2[1] + p3[1]) / 8)
    return EdgeShape(path, tuple(arrows), middle)
