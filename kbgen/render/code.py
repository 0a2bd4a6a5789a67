"""Code blocks in mkdocs-material's markup, highlighted by Pygments at build time.

Highlighting here (not in the browser) keeps pages script-free and lets the theme's
``.highlight`` CSS colour the ``<span class="k">``-style tokens Pygments emits.
"""

from __future__ import annotations

from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MERMAID = "mermaid"


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
        try:
            lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False)
        except ClassNotFound:
            lexer = None
        if lexer is not None:
            body = highlight(code, lexer, HtmlFormatter(nowrap=True))
    return (
        f'<div class="language-{escape(lang)} highlight"><pre><span></span>'
        f"<code>{body}</code></pre></div>\n"
    )


def mermaid_block(code: str) -> str:
    """Escaped diagram source; kbgen's bundled script (not material's CDN loader) draws it."""
    return f'<pre class="kbgen-mermaid"><code>{escape(code, quote=False)}</code></pre>\n'
