"""Page HTML from Jinja2 templates (``kbgen/templates``), autoescaped: see ``kbgen.templating``.

A template gets ``page_url`` (the page it is rendered for) and links with the ``href``
filter, which makes a site-root-relative URL relative to that page, so the site works
under any sub-path.  Every string a template prints is escaped unless marked safe.
"""

from __future__ import annotations

from kbgen.templating import environment, render, safe

__all__ = ["environment", "render", "safe"]
