"""Code blocks in mkdocs-material's markup, highlighted by Pygments at build time.

Highlighting here (not in the browser) keeps pages script-free and lets the theme's
``.highlight`` CSS colour the ``<span class="k">``-style tokens Pygments emits.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MERMAID = "mermaid"
_FORMATTER = HtmlFormatter(nowrap=True)  # stateless between calls; building one costs more than a block


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    """One lexer per language name (a lexer keeps no state between texts)."""
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def fence_language(info: str) -> str:
    """The language word of a fence's info string (```` ```py title="x" ```` -> ``py``)."""
    word = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    return word.lstrip("{.").rstrip("}").lower()


def highlight_code(code: str, language: str) -> str:
    """``<div class="language-X highlight"><pre><span></span><code>…</code></pre></div>``.

    Unknown or absent languages are shown as escaped plain text in the same frame,
    so every code block looks alike.
    """
    lang = language or "text"
    body = escape(code, quote=False)
    if language:
        lexer = _lexer(language)
        if lexer is not None:
            body = highlight(code, lexer, _FORMATTER)
    return (
        f'<div class="language-{escape(lang)} highlight"><pre><span></span>'
        f"<code>{body}</code></pre></div>\n"
    )


def mermaid_block(code: str) -> str:
    """Escaped diagram source; kbgen's bundled script (not material's CDN loader) draws it."""
    return f'<pre class="kbgen-mermaid"><code>{escape(code, quote=False)}</code></pre>\n'
