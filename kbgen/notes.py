"""One markdown-it parse of a note -> ``Note``: title, headings, blocks, links, tags, tokens.

The tokens are kept on the note and annotated here (heading ids, ``link_index``), so
the site renders exactly what was analysed and never parses a note twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kbgen.files import SourceFile
from kbgen.frontmatter import FrontMatter, parse_front_matter
from kbgen.markdown.malformed import malformed_links
from kbgen.markdown.nesting import NESTING_CUT
from kbgen.markdown.text import plain_text, visible
from kbgen.model import BlockId, Finding, Heading, Link, Note
from kbgen.slugs import SlugAllocator

CONTEXT_CHARS = 200
RESERVED_IDS = frozenset({"backlinks", "kbgen-tags"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BREAKS = frozenset({"softbreak", "hardbreak"})


@dataclass(slots=True)
class _Collected:
    """What one walk over the tokens gathers, before it becomes a ``Note``."""

    headings: list[Heading] = field(default_factory=list)
    blocks: list[BlockId] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    front: FrontMatter | None = None
    base_blocks: list[tuple[int, str]] = field(default_factory=list)


def parse_note(source: SourceFile, md: MarkdownIt) -> Note:
    """Parse ``source`` once with ``md`` (see ``kbgen.markdown.make_parser``)."""
    tokens = md.parse(source.text, {})
    found = _Collected(findings=list(source.findings))
    slugs = SlugAllocator(set(RESERVED_IDS))
    for index, token in enumerate(tokens):
        if token.type == "front_matter":
            first_line = (token.map[0] if token.map else 0) + 1
            found.front = parse_front_matter(token.content, source.path, first_line)
            found.findings.extend(found.front.findings)
            _front_matter_links(found, found.front.data, token.content, first_line, source.path, md)
        elif token.type == "heading_open" and index + 1 < len(tokens):
            _heading(found, token, tokens[index + 1], slugs)
        elif token.type == "inline" or (token.type == "callout_open" and token.children):
            _inline(found, token, source.path)  # a callout's title is inline content too
        elif token.type == "fence" and token.info.lower().split(maxsplit=1)[:1] == ["base"]:
            found.base_blocks.append((_line(token), token.content))  # a Bases view, run after the vault
        if token.meta and "block_id" in token.meta:
            found.blocks.append(BlockId(token.meta["block_id"], _line(token), _block_end(tokens, index)))
        if token.meta and token.meta.get(NESTING_CUT):
            found.findings.append(Finding(source.path, _line(token), "nesting",
                                          "nested too deep: the rest is shown as plain text"))
    front = found.front or FrontMatter()
    first_h1 = found.headings[0].text if opens_with_h1(tokens) and found.headings[0].text else None
    stem = source.path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    return Note(
        path=source.path,
        title=front.title or first_h1 or stem,
        aliases=front.aliases,
        tags=_unique_tags(front.tags + found.tags),
        frontmatter=front.data,
        headings=found.headings,
        blocks=found.blocks,
        links=found.links,
        findings=found.findings,
        tokens=tokens,
        content_hash=source.content_hash,
        base_blocks=found.base_blocks,
        raw_html=any(t.type == "html_block" or any(c.type == "html_inline" for c in t.children or ())
                     for t in tokens),
    )


def opens_with_h1(tokens: list[Token]) -> bool:
    """Like MkDocs: an H1 names the note only when it opens it (a "# Topics" halfway
    down a note is a section, and the note keeps its file name, as in Obsidian)."""
    opening = next((t for t in tokens if t.type != "front_matter"), None)
    return opening is not None and opening.type == "heading_open" and opening.tag == "h1"


def _line(token: Token, offset: int = 0) -> int:
    return (token.map[0] if token.map else 0) + 1 + offset


def _block_end(tokens: list[Token], index: int) -> int:
    """Last line of the block an embed of ``^id`` shows: "^id" ending a list item's first
    paragraph stands for the whole item (as ``render.embeds.slice_tokens`` cuts it)."""
    token = tokens[index]
    if token.type == "paragraph_open" and index and tokens[index - 1].type == "list_item_open":
        token = tokens[index - 1]
    return token.map[1] if token.map else _line(tokens[index])


def _heading(found: _Collected, opener: Token, inline: Token, slugs: SlugAllocator) -> None:
    text = plain_text(inline.children or []).strip()
    anchor = slugs.allocate(text)
    opener.attrSet("id", anchor)
    found.headings.append(Heading(int(opener.tag[1]), text, anchor, _line(opener)))


def _inline(found: _Collected, inline: Token, path: str) -> None:
    """Links, tags and broken wikilinks of one paragraph, list item, heading or cell."""
    children = inline.children or []
    for offset, written in malformed_links(children):
        found.findings.append(Finding(path, _line(inline, offset), "malformed-link",
                                      f"malformed link, shown as text: {written}"))
    text, offsets = _plain_text_with_offsets(children)
    breaks = 0
    reported: set[tuple[int, str]] = set()
    for position, child in enumerate(children):
        if child.type in _BREAKS:
            breaks += 1
        elif child.type == "wikilink":
            meta = child.meta
            line = _line(inline, meta.get("line_offset", breaks))
            _add_link(found, child, meta["target"], meta.get("subpath"), meta.get("display"),
                      bool(meta.get("embed")), line, "wikilink", meta.get("raw", child.content),
                      _context(text, offsets.get(position)))
        elif child.type == "wikilink_invalid":
            line = _line(inline, child.meta.get("line_offset", breaks))
            reason = child.meta.get("reason", "invalid wikilink")
            if (line, reason) not in reported:  # once per line: "[[[[[[…" is one problem
                reported.add((line, reason))
                found.findings.append(Finding(path, line, "invalid-link", f"{reason}: {child.content[:80]}"))
        elif child.type == "tag":
            found.tags.append(child.meta["tag"])
        elif child.type in ("link_open", "image"):
            href = child.attrGet("href" if child.type == "link_open" else "src")
            target = internal_target(str(href or ""))
            if target is not None:
                display = plain_text(children[position + 1:position + 2]) if child.type == "link_open" \
                    else plain_text(child.children or [])
                _add_link(found, child, target[0], target[1], display or None, child.type == "image",
                          _line(inline, breaks), "markdown", str(href), _context(text, offsets.get(position)))


def _add_link(found: _Collected, token: Token | None, target: str, subpath: str | None, display: str | None,
              embed: bool, line: int, syntax: Any, raw: str, context: str) -> None:
    index = len(found.links)
    if token is not None:
        token.meta["link_index"] = index
    found.links.append(Link(index, target, subpath, display, embed, line, syntax, raw, context))


def internal_target(href: str) -> tuple[str, str | None] | None:
    """``(target, subpath)`` for a relative markdown link into the vault, else ``None``.

    URLs with a scheme (``https:``, ``mailto:``, ``javascript:``...) and protocol-relative
    ``//host`` links are external; ``#x`` alone is a link to a heading of the same note.
    """
    if not href or href.startswith("//") or _SCHEME.match(href):
        return None
    path, _, fragment = href.partition("#")
    path, fragment = unquote(path), unquote(fragment)
    if not path and not fragment:
        return None
    return path, fragment or None


def _front_matter_links(found: _Collected, data: Any, yaml_text: str, first_line: int, path: str,
                        md: MarkdownIt) -> None:
    """``related: "[[X]]"``: wikilinks in front-matter values are links too."""
    for value in _strings(data):
        if "[[" not in value:
            continue
        for child in md.parseInline(value, {})[0].children or []:
            if child.type != "wikilink":
                continue
            raw = child.meta.get("raw", child.content)
            where = yaml_text.find(raw)
            line = first_line + 1 + (yaml_text.count("\n", 0, where) if where >= 0 else 0)
            found.links.append(Link(len(found.links), child.meta["target"], child.meta.get("subpath"),
                                    child.meta.get("display"), bool(child.meta.get("embed")), line,
                                    "frontmatter", raw, "front matter: " + value[:CONTEXT_CHARS]))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _plain_text_with_offsets(children: list[Token]) -> tuple[str, dict[int, int]]:
    parts: list[str] = []
    offsets: dict[int, int] = {}
    size = 0
    for position, child in enumerate(children):
        offsets[position] = size
        piece = visible(child)
        if piece:
            parts.append(piece)
            size += len(piece)
    return "".join(parts), offsets


def _context(text: str, at: int | None) -> str:
    """The sentence or item around a link, cut to about ``CONTEXT_CHARS`` characters.

    Only a window around the link is looked at, so a paragraph with 100,000 links
    costs linear, not quadratic, time.
    """
    at = min(at or 0, len(text))
    lo, hi = max(0, at - 4 * CONTEXT_CHARS), min(len(text), at + 4 * CONTEXT_CHARS)
    cut_before, cut_after = lo > 0, hi < len(text)
    text, at = text[lo:hi], at - lo
    text = " ".join(text.split()) if "\n" in text or "  " in text else text
    start, end = 0, len(text)
    if len(text) > CONTEXT_CHARS:
        start = max(0, min(at - CONTEXT_CHARS // 2, len(text) - CONTEXT_CHARS))
        end = start + CONTEXT_CHARS
    before = "…" if start or cut_before else ""
    return before + text[start:end] + ("…" if end < len(text) or cut_after else "")


def _unique_tags(tags: list[str]) -> list[str]:
    seen: set[str] = set()
    return [t for t in tags if not (t.casefold() in seen or seen.add(t.casefold()))]
