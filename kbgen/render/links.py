"""Where a link goes and what it says: wikilinks and markdown links into the vault.

Links are never re-resolved here: ``notes.py`` put ``meta["link_index"]`` on each
token and ``vault.resolution()`` already decided (Obsidian's rules) where it leads.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any
from urllib.parse import quote

from kbgen.markdown.text import link_label
from kbgen.model import Note, Resolution
from kbgen.render.context import Scope
from kbgen.render.unpublished import hides, written_text

_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data|file):")
_SAFE_IMAGE_DATA = re.compile(r"^data:image/(gif|png|jpeg|webp);")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
MISSING_TITLE = "Not written yet"


def safe_href(href: str, *, image: bool = False) -> str:
    """``javascript:`` & co. become ``#``; markdown-it already refuses them, this is the belt."""
    probe = _IGNORED.sub("", unescape(href)).lower()
    if _UNSAFE_SCHEME.match(probe) and not (image and _SAFE_IMAGE_DATA.match(probe)):
        return "#"
    return href


def target_note(scope: Scope, res: Resolution) -> Note | None:
    if res.kind in ("note", "self") and res.target_path:
        return scope.page.vault.notes.get(res.target_path)
    return None


def attachment_fragment(subpath: str | None) -> str:
    """``#page=2`` for PDFs (the browser's viewer reads it); nothing for a block id."""
    if not subpath or subpath.startswith("^"):
        return ""
    return "#" + quote(subpath, safe="=&;,")


def site_url(scope: Scope, res: Resolution) -> str | None:
    """Site-root-relative URL (with ``#anchor``) of the link's target; None if nowhere."""
    urls = scope.page.urls
    link = res.link
    if res.kind == "missing":
        key = res.missing_key or (res.missing_name or link.target).casefold()
        return urls.missing(key)
    if not res.target_path:
        return None
    if res.kind == "attachment":
        return urls.attachment(res.target_path) + attachment_fragment(link.subpath)
    return urls.note(res.target_path) + (f"#{res.anchor}" if res.anchor else "")


def href_for(scope: Scope, res: Resolution) -> str:
    """Relative href; a link to an anchor of the page being built is just ``#anchor``."""
    url = site_url(scope, res)
    if url is None:
        return "./"
    path, _, fragment = url.partition("#")
    if fragment and path == scope.page.page_url:
        return "#" + fragment
    return scope.page.href(url)


def link_text(res: Resolution) -> str:
    """What a wikilink shows (plain text): its ``|alias``, else the link as written.

    As in Obsidian, never the target's title: ``[[target]]`` reads "target" and
    ``[[Note#A#B]]`` reads "Note > A > B", whatever the note or heading is called.
    """
    link = res.link
    return link_label(link.target, link.subpath, link.display)


def link_attrs(scope: Scope, res: Resolution, base_class: str | None) -> str:
    """``href`` plus the classes/title that mark missing notes and missed sections."""
    classes = [base_class] if base_class else []
    title = ""
    if res.kind == "missing":
        classes.append("kbgen-missing")
        title = MISSING_TITLE
    elif res.subpath_missed:
        classes.append("kbgen-anchor-missing")
        title = "Section not found"
    out = f' href="{escape(href_for(scope, res))}"'
    if classes:
        out = f' class="{" ".join(classes)}"' + out
    if title:
        out += f' title="{title}"'
    return out


def render_wikilink(scope: Scope, res: Resolution | None, meta: dict[str, Any]) -> str:
    """``<a class="wikilink" href=…>text</a>``.

    Without a resolution (a token ``notes.py`` did not index) the link text is shown
    unlinked rather than guessed at.
    """
    if res is None:
        sub, display = meta.get("subpath"), meta.get("display")
        text = link_label(str(meta.get("target") or ""), str(sub) if sub else None,
                          str(display) if display else None)
        return f'<span class="wikilink kbgen-unindexed">{escape(text)}</span>'
    if hides(scope, res):  # an unpublished note: the words as written, no link
        return escape(written_text(res))
    return f"<a{link_attrs(scope, res, 'wikilink')}>{escape(link_text(res))}</a>"
