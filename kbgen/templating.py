"""Jinja2 templates (``kbgen/templates``), autoescaped: the one way kbgen writes HTML pages
and page parts (note chrome, base views, canvas boards).

A template gets ``page_url`` (the page it is rendered for) and links with the ``href``
filter, which makes a site-root-relative URL relative to that page, so the site works
under any sub-path.  Every string a template prints is escaped unless marked safe.
This module imports nothing of the site plan, so the note renderer may use it too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from kbgen.urls import relative_url


@pass_context
def _href(context: Context, url: str) -> str:
    return relative_url(context["page_url"], url)


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One environment per process (templates are compiled once, then reused)."""
    env = Environment(loader=PackageLoader("kbgen", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["href"] = _href
    env.filters["plural"] = _plural
    return env


def render(template: str, page_url: str, **context: Any) -> str:
    """Render ``template`` for the page at ``page_url``."""
    return environment().get_template(template).render(page_url=page_url, **context)


def safe(html: str) -> Markup:
    """HTML kbgen's own renderer produced (already escaped): print it as it is."""
    return Markup(html)
