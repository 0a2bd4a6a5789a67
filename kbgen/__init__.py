"""kbgen: Obsidian-style notes to a cross-linked static site."""

__version__ = "0.1.0"
