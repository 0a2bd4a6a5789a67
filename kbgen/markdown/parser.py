"""The one markdown-it-py configuration kbgen parses every note with.

CommonMark + GFM tables/strikethrough/task lists + bare-URL autolinks (as
Obsidian shows them) + front matter, footnotes and ``$``-math, plus kbgen's
Obsidian plugins.  Rule precedence comes from where each inline rule fires:
code spans, math, HTML and autolinks consume their whole span when the parser
reaches their first character, so a ``[[`` or ``#`` inside them is never seen.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from .block_ids import block_ids_plugin
from .callouts import callouts_plugin
from .comments import comments_plugin
from .highlight import highlight_plugin
from .nesting import nesting_plugin
from .tags import tags_plugin
from .wikilinks import wikilinks_plugin


def make_parser() -> MarkdownIt:
    """A fresh parser: cheap enough to build per use, and never shared mutable state."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.options["tasklists"] = True  # GFM `- [ ]` items (markdown-it-py >= 4.1)
    md.options["alerts"] = False  # GitHub alerts would clash with Obsidian callouts
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    # Pandoc-style `$`: no space inside the delimiters, no digit after the closer,
    # so "costs $5 and $10" stays text; `$$x$$` inside a paragraph is display math.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(gfm_autolink_plugin)
    md.use(comments_plugin)
    md.use(wikilinks_plugin)
    md.use(tags_plugin)
    md.use(highlight_plugin)
    md.use(callouts_plugin)
    md.use(block_ids_plugin)
    md.use(nesting_plugin)  # bounded recursion; deep quotes/lists flattened, never dropped
    return md


def parse(text: str, md: MarkdownIt | None = None) -> tuple[list[Token], dict[str, Any]]:
    """Parse ``text``; returns the token stream and the env (footnotes, references)."""
    parser = md if md is not None else make_parser()
    env: dict[str, Any] = {}
    tokens = parser.parse(text, env)
    return tokens, env
