"""markdown-it-py parser factory and kbgen's plugins for Obsidian syntax.

Token types and meta keys are the contract in ARCHITECTURE.md ("Token contract").
"""

from .block_ids import block_ids_plugin
from .callouts import CALLOUT_CLOSE, CALLOUT_OPEN, callouts_plugin
from .comments import COMMENT, COMMENT_BLOCK, comments_plugin
from .highlight import highlight_plugin
from .parser import make_parser, parse
from .tags import TAG, tags_plugin
from .wikilinks import WIKILINK, WIKILINK_INVALID, split_wikilink, wikilinks_plugin

__all__ = [
    "CALLOUT_CLOSE",
    "CALLOUT_OPEN",
    "COMMENT",
    "COMMENT_BLOCK",
    "TAG",
    "WIKILINK",
    "WIKILINK_INVALID",
    "block_ids_plugin",
    "callouts_plugin",
    "comments_plugin",
    "highlight_plugin",
    "make_parser",
    "parse",
    "split_wikilink",
    "tags_plugin",
    "wikilinks_plugin",
]
