"""HTML of base views (``kbgen/templates/base_view.html``): in a ```` ```base ```` block, an
embed ``![[Books.base#View]]``, or the ``.base`` file's own page.

The views were evaluated by the pipeline (``kbgen.bases.build``); here their values become
escaped HTML.  Links in cells go through the same code as links in notes (red links,
unpublished targets shown as text); ``html()`` values go through the notes' sanitiser;
images load only from the vault (an external image is shown as a link: the site stays offline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from kbgen import templating
from kbgen.bases.build import ShownBase
from kbgen.bases.query import ResultGroup, ViewResult
from kbgen.bases.values import (
    DateValue, FileValue, HtmlValue, IconValue, ImageValue, LinkValue, Properties, display_text,
)
from kbgen.markdown.text import link_label
from kbgen.model import Link, Resolution
from kbgen.render.context import Scope
from kbgen.render.embeds import IMAGE, extension
from kbgen.render.links import link_attrs, safe_href
from kbgen.render.sanitize import sanitize_html
from kbgen.render.unpublished import hides, written_text

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
LIST_ITEMS = 50  # values of one list cell shown before "…"


@dataclass(slots=True)
class _Group:
    label: Markup
    rows: list[Any]


@dataclass(slots=True)
class _Row:
    path: str
    cells: list[Markup]
    image: Markup | None


@dataclass(slots=True)
class _View:
    """A view result with every value already HTML, for the template."""

    name: str
    type: str
    supported: bool
    columns: list[Any]
    groups: list[_Group]
    total: int
    shown: int
    grouped: bool
    has_image: bool = False
    image_fit: str = "cover"
    image_ratio: float = 0.5
    card_width: int = 220
    list_tag: str = "ul"
    separator: str = ", "


def _resolution(value: LinkValue | FileValue) -> Resolution | None:
    if isinstance(value, LinkValue) and value.res is not None:
        return value.res
    path = value.path
    if not path:
        return None
    target = value.target if isinstance(value, LinkValue) else path.rsplit("/", 1)[-1].removesuffix(".md")
    link = Link(-1, target, None, getattr(value, "display", None), False, 1, "wikilink", f"[[{target}]]")
    kind = "note" if path.lower().endswith(".md") else "attachment"
    return Resolution(getattr(value, "source", ""), link, "resolved", kind, target_path=path)


def link_html(scope: Scope, value: LinkValue | FileValue) -> str:
    """``<a class="wikilink">`` to where the link leads (unpublished: its text; external: as is)."""
    if isinstance(value, LinkValue) and value.url:
        href = safe_href(value.url)
        return f'<a class="external" href="{escape(href)}" rel="noopener">{escape(value.text())}</a>'
    res = _resolution(value)
    display = value.display if isinstance(value, LinkValue) else None
    if res is None:
        return escape(display or display_text(value))
    if hides(scope, res):
        return escape(display or written_text(res))
    text = display or link_label(res.link.target, res.link.subpath, None)
    return f"<a{link_attrs(scope, res, 'wikilink')}>{escape(text)}</a>"


def image_html(scope: Scope, value: Any) -> str | None:
    """A card cover: a published image of the vault, or a hex colour; otherwise nothing shown
    as an image (external pictures would need the network)."""
    if isinstance(value, str) and _HEX.match(value.strip()):
        return f'<span class="kbgen-base-swatch" style="background-color: {value.strip()}"></span>'
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, (LinkValue, ImageValue)) and value.path:
        if extension(value.path) in IMAGE and scope.page.vault.is_published(value.path):
            src = scope.page.href(scope.page.urls.attachment(value.path))
            return f'<img src="{escape(src)}" alt="" loading="lazy">'
    return None


def cell_html(scope: Scope, value: Any) -> str:
    """One value as escaped HTML."""
    if value is None:
        return ""
    if isinstance(value, bool):
        checked = " checked" if value else ""
        return f'<input type="checkbox" disabled{checked} aria-label="{"yes" if value else "no"}">'
    if isinstance(value, (LinkValue, FileValue)):
        return link_html(scope, value)
    if isinstance(value, (list, tuple)):
        items = [cell_html(scope, v) for v in value[:LIST_ITEMS]]
        more = ", …" if len(value) > LIST_ITEMS else ""
        return '<span class="kbgen-base-values">' + ", ".join(i for i in items if i) + more + "</span>"
    if isinstance(value, ImageValue):
        image = image_html(scope, value)
        if image is not None:
            return image
        if value.url:
            return link_html(scope, LinkValue(value.url, url=value.url))
        return escape(value.target)
    if isinstance(value, HtmlValue):
        return sanitize_html(value.html)
    if isinstance(value, IconValue):
        return f'<span class="kbgen-base-icon" title="icon">{escape(value.name)}</span>'
    if isinstance(value, (dict, Properties)):
        data = value.data if isinstance(value, Properties) else value
        return "; ".join(f"{escape(str(k))}: {cell_html(scope, v)}" for k, v in data.items())
    if isinstance(value, DateValue):
        return f'<time datetime="{escape(value.iso())}">{escape(value.iso())}</time>'
    return escape(display_text(value))


def _number(value: Any, default: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return max(low, min(high, float(value)))


def prepare(scope: Scope, result: ViewResult) -> _View:
    groups = []
    for group in result.groups:
        rows = [_Row(r.path, [Markup(cell_html(scope, c)) for c in r.cells],
                     Markup(image) if (image := image_html(scope, r.image)) is not None else None)
                for r in group.rows]
        groups.append(_Group(_group_label(scope, group), rows))
    options = result.options
    view = _View(result.name, result.type, result.supported, result.columns, groups, result.total,
                 sum(len(g.rows) for g in groups), result.grouped)
    view.has_image = isinstance(options.get("image"), str)
    view.image_fit = "contain" if str(options.get("imageFit", "")).lower() == "contain" else "cover"
    view.image_ratio = _number(options.get("imageAspectRatio"), 0.5, 0.1, 4.0)
    view.card_width = int(_number(options.get("cardSize"), 220, 100, 800))
    marker = str(options.get("markers", options.get("marker", "bullet"))).lower()
    view.list_tag = "ol" if marker.startswith("number") else "ul"
    separator = options.get("separator")
    view.separator = separator if isinstance(separator, str) and len(separator) <= 10 else ", "
    if not groups and result.supported:
        view.groups = []
    return view


def _group_label(scope: Scope, group: ResultGroup) -> Markup:
    if group.value is None:
        return Markup('<span class="kbgen-empty">(none)</span>')
    return Markup(cell_html(scope, group.value))


def view_html(scope: Scope, result: ViewResult, *, caption: bool = True) -> str:
    view = prepare(scope, result)
    if result.supported and view.shown == 0:
        view.groups = []
    return templating.render("base_view.html", scope.page.page_url, view=view, caption=caption)


def shown_html(scope: Scope, shown: ShownBase | None, *, what: str) -> str:
    """Every view ``shown`` holds (a block, or an embed's one view)."""
    if shown is None:
        return f'<div class="kbgen-base kbgen-base-error"><p>This {escape(what)} could not be read.</p></div>\n'
    if shown.error is not None:
        return f'<div class="kbgen-base kbgen-base-error"><p>{escape(what.capitalize())}: {escape(shown.error)}.</p></div>\n'
    if not shown.views:
        return '<div class="kbgen-base kbgen-base-error"><p>This base has no views.</p></div>\n'
    return "".join(view_html(scope, view) for view in shown.views)


def _bases(scope: Scope) -> Any:
    return getattr(scope.page.vault, "bases", None)


def block_html(scope: Scope, fence_line: int) -> str:
    """A ```` ```base ```` block of the note in scope, evaluated with ``this`` = that note."""
    bases = _bases(scope)
    shown = bases.blocks.get((scope.note.path, fence_line)) if bases is not None else None
    return f'<div class="kbgen-base-block">\n{shown_html(scope, shown, what="base")}</div>\n'


def embed_html(scope: Scope, res: Resolution) -> str:
    """``![[Books.base]]`` / ``![[Books.base#View]]``: that view, titled with a link to the base."""
    bases = _bases(scope)
    shown = bases.embeds.get((scope.note.path, res.link.index)) if bases is not None else None
    title = escape(link_label(res.link.target.removesuffix(".base"), res.link.subpath, res.link.display))
    href = scope.page.href(scope.page.urls.attachment(res.target_path or ""))
    head = f'<div class="kbgen-embed-title"><a href="{escape(href)}">{title}</a></div>\n'
    return f'<div class="kbgen-embed kbgen-base-embed">\n{head}{shown_html(scope, shown, what="embed")}</div>\n'
