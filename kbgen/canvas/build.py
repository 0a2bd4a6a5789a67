"""Every ``.canvas`` of the vault read once, after the vault is resolved, before the graph.

Text cards are parsed with kbgen's own markdown parser (one pseudo-note per card, its
link indexes shifted so a canvas's links are numbered once across all its cards) and
their links resolved from the canvas's folder by the vault's rules; file cards and
group backgrounds are links too.  All of them count in the graph as links of the canvas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from kbgen.canvas.model import CODE, CanvasData, is_canvas, parse_canvas
from kbgen.derived import DerivedLink, read_text
from kbgen.files import SourceFile
from kbgen.markdown import make_parser
from kbgen.model import Finding, Link, Note, Resolution
from kbgen.notes import parse_note
from kbgen.vault import Vault

CONTEXT_CHARS = 200


@dataclass(slots=True)
class Canvas:
    """A canvas with its text cards parsed and every link resolved."""

    data: CanvasData
    cards: dict[str, Note] = field(default_factory=dict)  # text node id -> its parse
    files: dict[str, Resolution] = field(default_factory=dict)  # file node id -> where it leads
    backgrounds: dict[str, Resolution] = field(default_factory=dict)  # group id -> its image
    resolutions: list[Resolution] = field(default_factory=list)  # text cards' links, by link index

    @property
    def path(self) -> str:
        return self.data.path

    def resolution(self, index: int) -> Resolution:
        return self.resolutions[index]


@dataclass(slots=True)
class CanvasIndex:
    canvases: dict[str, Canvas] = field(default_factory=dict)  # published canvases by path
    findings: list[Finding] = field(default_factory=list)
    links: list[DerivedLink] = field(default_factory=list)


def _shift(tokens: list[Token], offset: int) -> None:
    """Add ``offset`` to every ``link_index`` (tokens and their inline children)."""
    todo = list(tokens)
    while todo:
        token = todo.pop()
        if token.meta and isinstance(token.meta.get("link_index"), int):
            token.meta["link_index"] += offset
        todo.extend(token.children or ())


def _resolve(vault: Vault, canvas: Canvas, link: Link, findings: list[Finding]) -> Resolution:
    res, missed = vault.resolve_link(canvas.path, link)
    findings.extend(missed)
    if res.status == "unresolved":
        what = "embed" if link.embed else "link"
        findings.append(Finding(canvas.path, link.line, "unresolved-link",
                                f"unresolved {what} to {res.missing_name!r}: no such note or file"))
    return res


def read_canvas(text: str, path: str, vault: Vault) -> tuple[Canvas, list[Finding]]:
    data = parse_canvas(text, path)
    canvas = Canvas(data)
    findings = list(data.findings)
    md = make_parser()
    for node in data.nodes:
        if node.type == "text" and node.text.strip():
            card = parse_note(SourceFile(path, node.text, ""), md)
            offset = len(canvas.resolutions)
            _shift(card.tokens, offset)
            for link in card.links:
                link.index += offset
                link.line = node.line
                canvas.resolutions.append(_resolve(vault, canvas, link, findings))
            for finding in card.findings:
                if finding.code not in ("empty", "front-matter"):
                    findings.append(Finding(path, node.line, finding.code, finding.message))
            canvas.cards[node.id] = card
        elif node.type == "file" and node.file:
            name = node.file.rsplit("/", 1)[-1]
            shown = name[:-3] if name.lower().endswith(".md") else name  # the card's title, as Obsidian shows it
            link = Link(-1, node.file, node.subpath, shown, True, node.line, "wikilink",
                        f"![[{node.file}]]", "file card")
            canvas.files[node.id] = _resolve(vault, canvas, link, findings)
        if node.type == "group" and node.background:
            link = Link(-1, node.background, None, None, True, node.line, "wikilink",
                        f"![[{node.background}]]", "group background")
            canvas.backgrounds[node.id] = _resolve(vault, canvas, link, findings)
    return canvas, findings


def load_canvases(root: Path | None, vault: Vault) -> CanvasIndex:
    """Read every canvas; the published ones are kept (with their links for the graph)."""
    index = CanvasIndex()
    for path in vault.attachments:
        if not is_canvas(path):
            continue
        text = read_text(root, path, index.findings)
        if text is None:
            continue
        canvas, findings = read_canvas(text, path, vault)
        index.findings.extend(findings)
        if not vault.is_published(path):
            continue
        index.canvases[path] = canvas
        index.links.extend(_links(canvas))
    index.findings.sort(key=lambda f: (f.source, f.line or 0, f.message))
    return index


def _links(canvas: Canvas) -> list[DerivedLink]:
    out = []
    for card in canvas.cards.values():
        for link in card.links:  # the paragraph around the link, as a note's backlinks show it
            context = link.context[:CONTEXT_CHARS] or "text card"
            out.append(DerivedLink(canvas.path, "canvas", canvas.resolutions[link.index], context, link.line))
    for node_id, res in canvas.files.items():
        out.append(DerivedLink(canvas.path, "canvas", res, "file card", res.link.line))
    return out


__all__ = ["CODE", "Canvas", "CanvasIndex", "load_canvases", "read_canvas"]
