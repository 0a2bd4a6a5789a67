"""What the MkDocs adapter puts into MkDocs' page objects: kbgen's outline as MkDocs'
TOC tokens, and a ``render`` that leaves Python-Markdown out of kbgen's pages."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import is_markdown_file
from mkdocs.structure.pages import Page

from kbgen.render.toc import TocEntry


def toc_tokens(entries: list[TocEntry], shift: int | None = None) -> list[dict[str, Any]]:
    """kbgen's TocEntry tree as the ``{level, id, name, children}`` dicts ``get_toc`` takes.

    Material reads a leading level-1 entry as the page title and hides it, so the outline's
    top level is shifted to 2 (a note's own ``# Topics`` stays in the table of contents)."""
    if shift is None:
        shift = max(0, 2 - min((e.level for e in entries), default=2))
    return [{"level": e.level + shift, "id": e.id, "name": html.escape(e.title, quote=False),
             "children": toc_tokens(e.children, shift)} for e in entries]


def rendered_by_kbgen(page: Page) -> Callable[[MkDocsConfig, Files], None]:
    """What MkDocs' ``page.render`` does for a kbgen page: nothing (the body comes in
    ``on_page_content``), so Python-Markdown is never even set up for a note."""
    def render(config: MkDocsConfig, files: Files) -> None:
        page.content, page.present_anchor_ids = "", set()
    return render


def generated_file(config: MkDocsConfig, output: str, inclusion: InclusionLevel, *,
                   content: bytes | str | None = None, source: Path | None = None) -> File:
    """The MkDocs ``File`` of one planned output: a page (empty content, the body comes
    later) or a file copied or written as it is."""
    is_page = output.endswith(".html") and content == ""
    uri = src_uri(output) if is_page else output
    if not is_page and is_markdown_file(uri):
        uri += ".raw"  # an attachment named like Markdown is copied, never rendered
    if source is not None:
        file = File.generated(config, uri, abs_src_path=str(source), inclusion=inclusion)
    else:
        file = File.generated(config, uri, content=content or b"", inclusion=inclusion)
    file.dest_uri = output
    return file


def src_uri(output: str) -> str:
    """The virtual Markdown source of a page written to ``output`` (``a/B/index.html`` ->
    ``a/B/index.md``): unique, since outputs are."""
    return output[: -len(".html")] + ".md"


PAGE_RELATIVE_FILTERS = ("url", "script_tag")  # MkDocs' filters whose output depends on the page


class LayoutFragments:
    """``{% call kbgen_fragment(name, *key) %}…{% endcall %}`` in kbgen's theme overrides:
    a part of the layout that comes out the same on many pages (the header's buttons, the
    primary navigation) is rendered once, not once per page.

    A part may differ between pages only through the relative root (``base_url``), the
    active page of the nav, what the template adds as key, and its relative links: every
    page-relative filter call (``url``, ``script_tag``) made while rendering a part is
    recorded, and a stored part is reused for a page only when each of those comes out the
    same from that page.
    One is made per build (``install`` in ``on_env``), so nothing outlives the config.
    """

    MAX_VARIANTS = 32  # per key; a part that differs more often is simply rendered each time

    def __init__(self) -> None:
        self._parts: dict[tuple[Any, ...], list[tuple[tuple[tuple[str, Any, str], ...], str]]] = {}
        self._recording: list[tuple[str, Any, str]] | None = None

    def install(self, env: jinja2.Environment) -> None:
        made = {name: env.filters[name] for name in PAGE_RELATIVE_FILTERS if name in env.filters}

        def recording(name: str, make: Callable[..., str]) -> Callable[..., str]:
            @jinja2.pass_context
            def filter_(context: Any, value: Any) -> str:
                out = make(context, value)
                if self._recording is not None:
                    self._recording.append((name, value, out))
                return out
            return filter_

        @jinja2.pass_context
        def fragment(context: Any, name: str, *key: Any, caller: Callable[[], str]) -> str:
            whole = (name, context.get("base_url"), _active_urls(context), *map(_hashable, key))
            variants = self._parts.setdefault(whole, [])
            for links, part in variants:
                if all(made[kind](context, value) == out for kind, value, out in links):
                    return part
            outer, self._recording = self._recording, []
            try:
                part = caller()
            finally:
                links_made, self._recording = self._recording, outer
            if outer is not None:  # a part inside a part: the outer one made these links too
                outer.extend(links_made)
            if len(variants) < self.MAX_VARIANTS:
                variants.append((tuple(links_made), part))
            return part

        for name, make in made.items():
            env.filters[name] = recording(name, make)
        env.globals["kbgen_fragment"] = fragment


def _active_urls(context: Any) -> tuple[str, ...]:
    """The URLs of the nav's active pages (none on most pages: notes are not in the nav)."""
    nav = context.get("nav")
    return tuple(p.url for p in nav.pages if p.active) if nav else ()


def _hashable(value: Any) -> Any:
    return tuple(map(_hashable, value)) if isinstance(value, (list, tuple)) else value
