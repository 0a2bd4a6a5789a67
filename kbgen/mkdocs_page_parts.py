"""What the MkDocs adapter puts into MkDocs' page objects: kbgen's outline as MkDocs'
TOC tokens, and a ``render`` that leaves Python-Markdown out of kbgen's pages."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
