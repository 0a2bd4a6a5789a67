"""``![[...]]`` embeds: media for attachments, re-rendered tokens for notes.

A note embed re-renders the *target's* existing tokens (whole, one heading's section
or one block) with the target's own link resolutions; it never parses again.  Ids
inside get a per-embed prefix so the host page's anchors stay unique.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from markdown_it.token import Token

from kbgen.derived import is_page_file
from kbgen.model import Finding, Note, Resolution
from kbgen.render.context import MAX_EMBED_DEPTH, Scope
from kbgen.render.unpublished import hides, written_text
from kbgen.render.links import attachment_fragment, href_for, link_attrs, link_text, target_note
from kbgen.token_store import tokens_of

IMAGE = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp"})
AUDIO = frozenset({"mp3", "wav", "ogg", "m4a", "flac"})
VIDEO = frozenset({"mp4", "webm", "mov", "mkv", "ogv"})
_SIZE = re.compile(r"^\s*(\d{1,5})\s*(?:[xX×]\s*(\d{1,5}))?\s*$")

RenderTokens = Callable[[Sequence[Token], Scope], str]


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def split_size(text: str | None) -> tuple[str | None, int | None, int | None]:
    """``"alt|200x100"`` -> ``("alt", 200, 100)``; ``"200"`` -> ``(None, 200, None)``."""
    if not text:
        return None, None, None
    head, bar, tail = text.rpartition("|")
    match = _SIZE.match(tail)
    if match is None:
        return text, None, None
    width, height = int(match.group(1)), match.group(2)
    return (head.strip() or None) if bar else None, width, int(height) if height else None


def size_attrs(width: int | None, height: int | None) -> str:
    return (f' width="{width}"' if width else "") + (f' height="{height}"' if height else "")


def media_html(scope: Scope, res: Resolution) -> str:
    """``<img>``, PDF ``<iframe>``, ``<audio>``, ``<video>``, or a plain link for other files."""
    path = res.target_path or ""
    name = path.rsplit("/", 1)[-1]
    src = scope.page.href(scope.page.urls.attachment(path))
    alt, width, height = split_size(res.link.display)
    ext = extension(path)
    sizes = size_attrs(width, height)
    if ext in IMAGE:
        return f'<img src="{escape(src)}" alt="{escape(alt or name)}" loading="lazy"{sizes}>'
    if ext == "pdf":
        frag = attachment_fragment(res.link.subpath)
        return (
            f'<iframe class="kbgen-pdf" src="{escape(src + frag)}" title="{escape(alt or name)}"'
            f' loading="lazy"{sizes}></iframe>'
        )
    if ext in AUDIO:
        return f'<audio class="kbgen-audio" controls preload="metadata" src="{escape(src)}"></audio>'
    if ext in VIDEO:
        return (
            f'<video class="kbgen-video" controls preload="metadata" src="{escape(src)}"'
            f"{sizes}></video>"
        )
    return f"<a{link_attrs(scope, res, 'wikilink')}>{escape(alt or name)}</a>"


def is_block_embed(scope: Scope, token: Token) -> bool:
    """A note embed renders a ``<div>``, which may not sit inside a ``<p>``."""
    if not (token.type == "image" or (token.type == "wikilink" and token.meta.get("embed"))):
        return False
    index = token.meta.get("link_index")
    res = scope.resolution(index) if isinstance(index, int) else None
    if res is None or res.target_path is None or hides(scope, res):
        return False
    return res.kind in ("note", "self") or (res.kind == "attachment" and is_page_file(res.target_path))


def render_embed(scope: Scope, res: Resolution, render: RenderTokens) -> str:
    if hides(scope, res):  # an unpublished note or file: only the words as written
        return escape(written_text(res))
    if res.kind == "attachment":
        if is_page_file(res.target_path or ""):
            return page_file_embed(scope, res)
        return media_html(scope, res)
    note = target_note(scope, res)
    if note is None:  # missing (or a note the vault does not know): a missing-styled link
        text = escape(link_text(res))
        return f"<a{link_attrs(scope, res, 'wikilink kbgen-embed-missing')}>{text}</a>"
    return note_embed(scope, res, note, render)


def page_file_embed(scope: Scope, res: Resolution) -> str:
    """``![[Books.base#View]]``: that view of the base; ``![[Plan.canvas]]``: a card leading to
    the board's page (a board needs the room of its own page to be read)."""
    path = res.target_path or ""
    if path.lower().endswith(".base"):
        from kbgen.render.bases import embed_html  # render.bases builds on this module
        return embed_html(scope, res)
    href = scope.page.href(scope.page.urls.attachment(path))
    name = path.rsplit("/", 1)[-1].removesuffix(".canvas")
    return (f'<div class="kbgen-embed kbgen-canvas-embed"><div class="kbgen-embed-title">'
            f'<a href="{escape(href)}">{escape(res.link.display or name)}</a></div>'
            f'<p>Canvas: <a href="{escape(href)}">open the board</a></p></div>\n')


def _error(scope: Scope, res: Resolution, code: str, why: str) -> str:
    link = res.link
    name = link.target or scope.note.title
    if link.subpath:
        name += "#" + link.subpath
    scope.page.add_finding(Finding(scope.note.path, link.line, code, f"embed of {name!r} stopped: {why}"))
    return (
        f'<div class="kbgen-embed kbgen-embed-error">Embed of {escape(name)} stopped: '
        f"{escape(why)}</div>\n"
    )


def note_embed(scope: Scope, res: Resolution, note: Note, render: RenderTokens) -> str:
    title = (
        f'<div class="kbgen-embed-title"><a href="{escape(href_for(scope, res))}">'
        f"{escape(link_text(res))}</a></div>\n"
    )
    tokens = tokens_of(note)
    body = None if res.subpath_missed else slice_tokens(tokens, res.anchor)
    if body is None:  # vault.py already reported the missed heading/block
        what = escape(res.link.subpath or "")
        return f'<div class="kbgen-embed kbgen-embed-error">{title}<p>Section {what} not found.</p></div>\n'
    key = (note.path, res.anchor)
    if key in scope.stack:
        chain = " → ".join(p for p, _ in scope.stack[scope.stack.index(key):]) + f" → {note.path}"
        return _error(scope, res, "embed-cycle", f"cycle ({chain})")
    if scope.depth >= MAX_EMBED_DEPTH:
        return _error(scope, res, "embed-depth", f"too deep (more than {MAX_EMBED_DEPTH} levels)")
    scope.page.embed_count += 1
    child = Scope(
        page=scope.page,
        note=note,
        prefix=f"e{scope.page.embed_count}--",  # slugify never makes "--": no clash with host ids
        depth=scope.depth + 1,
        stack=scope.stack + (key,),
    )
    body = body + footnotes_for(body, tokens)
    return f'<div class="kbgen-embed">\n{title}{render(body, child)}</div>\n'


def slice_tokens(tokens: list[Token], anchor: str | None) -> list[Token] | None:
    """The tokens an embed shows: the note (no front matter/footnotes), a section, a block."""
    if anchor is None:
        return [t for t in _body(tokens) if t.type != "front_matter"]
    start = next((i for i, t in enumerate(tokens) if t.attrGet("id") == anchor), None)
    if start is None:
        return None
    if tokens[start].type == "paragraph_open" and start and tokens[start - 1].type == "list_item_open":
        start -= 1  # "^id" ending a list item is on its first paragraph: embed the whole item
    opener = tokens[start]
    if opener.type == "heading_open":
        return _section(tokens, start)
    if opener.nesting != 1:
        return [opener]
    end = next(
        (j for j in range(start + 1, len(tokens))
         if tokens[j].nesting == -1 and tokens[j].level == opener.level),
        len(tokens) - 1,
    )
    block = tokens[start:end + 1]
    if opener.type == "list_item_open":  # a lone <li> needs its list around it
        block = [Token("bullet_list_open", "ul", 1, block=True), *block,
                 Token("bullet_list_close", "ul", -1, block=True)]
    return block


def _body(tokens: list[Token]) -> list[Token]:
    end = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), len(tokens))
    return tokens[:end]


def _section(tokens: list[Token], start: int) -> list[Token]:
    """From a heading to the next heading of the same or a higher level (or its container's end)."""
    opener = tokens[start]
    level = int(opener.tag[1:])
    end = start + 1
    while end < len(tokens):
        token = tokens[end]
        if token.type == "footnote_block_open" or token.level < opener.level:
            break
        if token.type == "heading_open" and int(token.tag[1:]) <= level:
            break
        end += 1
    return tokens[start:end]


def _footnote_refs(tokens: Sequence[Token]) -> set[tuple[int, int]]:
    refs: set[tuple[int, int]] = set()
    for token in tokens:
        for child in token.children or ():
            if child.type == "footnote_ref":
                refs.add((child.meta["id"], child.meta.get("subId", 0)))
    return refs


def footnotes_for(body: Sequence[Token], tokens: list[Token]) -> list[Token]:
    """The note's footnote list cut to the notes ``body`` refers to, so every link has its target."""
    refs = _footnote_refs(body)
    ids = {i for i, _ in refs}
    start = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), None)
    if start is None or not refs:
        return []
    out: list[Token] = []
    keep = True
    for token in tokens[start:]:
        if token.type == "footnote_open":
            keep = token.meta.get("id") in ids
        if token.type == "footnote_anchor":
            if (token.meta["id"], token.meta.get("subId", 0)) not in refs:
                continue
        if keep or token.type in ("footnote_block_open", "footnote_block_close"):
            out.append(token)
        if token.type == "footnote_close":
            keep = True
        if token.type == "footnote_block_close":
            break
    return out
