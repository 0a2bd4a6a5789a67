"""A canvas board as HTML (``kbgen/templates/canvas_board.html``): cards absolutely placed
on a board, edges in one SVG layer under them, labels above.

Text cards are rendered by kbgen's own renderer from their one parse (wikilinks resolved
from the canvas's folder) and cleaned by the notes' sanitiser; file cards show a note as
an embed shows it, an image as an image; link cards show their address (no frame: the
site loads nothing from the network).  Every position, size and colour written into the
page is a number or a checked colour, never text from the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from kbgen import templating
from kbgen.canvas.build import Canvas
from kbgen.canvas.geometry import Bounds, bounds, edge_shape
from kbgen.canvas.model import CanvasNode
from kbgen.model import Finding, Note, Resolution
from kbgen.render.context import PageState, Scope
from kbgen.render.embeds import render_embed
from kbgen.render.links import safe_href
from kbgen.render.renderer import KbgenRenderer, render_options
from kbgen.render.sanitize import sanitize_body


class CanvasVault:
    """The vault as a canvas's cards see it: links of the canvas answer from the canvas."""

    def __init__(self, vault: Any, canvas: Canvas) -> None:
        self._vault = vault
        self._canvas = canvas
        self.notes: Mapping[str, Note] = vault.notes

    def resolution(self, source: str, index: int) -> Resolution:
        if source == self._canvas.path:
            return self._canvas.resolution(index)
        return self._vault.resolution(source, index)

    def is_published(self, path: str) -> bool:
        return self._vault.is_published(path)

    def __getattr__(self, name: str) -> Any:  # bases, canvases… as the real vault has them
        return getattr(self._vault, name)


@dataclass(slots=True)
class _Card:
    id: str
    type: str
    left: int
    top: int
    width: int
    height: int
    color_class: str
    color_style: str
    body: Markup
    label: str = ""


@dataclass(slots=True)
class _Edge:
    id: str
    path: str
    arrows: tuple[str, ...]
    color_class: str
    color_style: str
    label: str
    label_left: float
    label_top: float


@dataclass(slots=True)
class Board:
    bounds: Bounds
    groups: list[_Card] = field(default_factory=list)
    cards: list[_Card] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _colour(value: str | None) -> tuple[str, str]:
    """(class, style) for a preset colour or a checked ``#hex`` (model.color_of)."""
    if value is None:
        return "", ""
    if value.startswith("#"):
        return "kbgen-canvas-custom", f"--kbgen-canvas-color: {value}"
    return f"kbgen-canvas-color-{value}", ""


def _card_scope(page: PageState, canvas: Canvas, card: Note, number: int) -> Scope:
    return Scope(page=page, note=card, prefix=f"c{number}--", depth=1, stack=((canvas.path, None),))


def _text_body(page: PageState, canvas: Canvas, node: CanvasNode, number: int) -> str:
    card = canvas.cards.get(node.id)
    if card is None:
        return ""
    scope = _card_scope(page, canvas, card, number)
    html = KbgenRenderer().render(card.tokens, render_options(), scope.env())
    return sanitize_body(html, card, page.vault, page.add_finding)


def _file_body(page: PageState, canvas: Canvas, node: CanvasNode, number: int) -> str:
    res = canvas.files.get(node.id)
    if res is None:
        return f'<p class="kbgen-empty">{escape(node.file or "no file")}</p>'
    if res.target_path is not None and not page.vault.is_published(res.target_path):
        return '<p class="kbgen-empty">(not published)</p>'  # neither its content nor its name
    stub = Note(path=canvas.path, title=canvas.path)
    scope = _card_scope(page, canvas, stub, number)
    renderer = KbgenRenderer()
    html = render_embed(scope, res, lambda body, child: renderer.render(body, render_options(), child.env()))
    if res.kind == "note" and res.target_path and page.vault.is_published(res.target_path):
        note = page.vault.notes.get(res.target_path)
        if note is not None:
            html = sanitize_body(html, note, page.vault, page.add_finding)
    return html


def _link_body(node: CanvasNode) -> str:
    href = safe_href(node.url)
    host = urlsplit(node.url).netloc if "://" in node.url else ""
    shown = escape(host or node.url)
    return (f'<a class="kbgen-canvas-link external" href="{escape(href)}" rel="noopener">'
            f'<span class="kbgen-canvas-host">{shown}</span><span class="kbgen-canvas-url">{escape(node.url)}</span></a>')


def _group_body(page: PageState, canvas: Canvas, node: CanvasNode) -> str:
    res = canvas.backgrounds.get(node.id)
    if res is None or res.target_path is None or not page.vault.is_published(res.target_path):
        return ""
    src = page.href(page.urls.attachment(res.target_path))
    return (f'<img class="kbgen-canvas-background kbgen-canvas-bg-{escape(node.background_style)}"'
            f' src="{escape(src)}" alt="" loading="lazy">')


def board(canvas: Canvas, page: PageState) -> Board:
    """Every card and edge of ``canvas``, placed relative to the board's top-left."""
    page.vault = CanvasVault(page.vault, canvas)
    nodes = canvas.data.nodes
    box = bounds(nodes)
    out = Board(box)
    by_id = {n.id: n for n in nodes}
    for number, node in enumerate(nodes, start=1):
        before = len(page.findings)
        if node.type == "text":
            body = _text_body(page, canvas, node, number)
        elif node.type == "file":
            body = _file_body(page, canvas, node, number)
        elif node.type == "link":
            body = _link_body(node)
        else:
            body = _group_body(page, canvas, node)
        for i in range(before, len(page.findings)):  # a card's lines are lines of its text: name the node's
            found = page.findings[i]
            if found.source == canvas.path:
                page.findings[i] = Finding(found.source, node.line, found.code, found.message)
        colour_class, colour_style = _colour(node.color)
        card = _Card(node.id, node.type, node.x - box.left, node.y - box.top, node.width, node.height,
                     colour_class, colour_style, Markup(body), node.label)
        (out.groups if node.type == "group" else out.cards).append(card)
    for edge in canvas.data.edges:
        shape = edge_shape(edge, by_id[edge.from_node], by_id[edge.to_node], box)
        colour_class, colour_style = _colour(edge.color)
        out.edges.append(_Edge(edge.id, shape.path, shape.arrows, colour_class, colour_style, edge.label,
                               round(shape.label_at[0], 1), round(shape.label_at[1], 1)))
    out.findings = list(page.findings)
    return out


def board_html(canvas: Canvas, page: PageState) -> tuple[str, list[Finding]]:
    drawn = board(canvas, page)
    html = templating.render("canvas_board.html", page.page_url, board=drawn, name=canvas.path)
    return html, drawn.findings
