"""kbgen's own CSS/JS and the vendored libraries (KaTeX, mermaid), copied into ``_kbgen/assets``.

``EVERY_PAGE_*`` go on every page (the adapter hands them to the theme); the vendored
libraries only on pages that need them (``vendor_files``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kbgen.site.context import SiteContext
from kbgen.site.model import PlannedFile

KIND = "asset"
SOURCE = Path(__file__).resolve().parent.parent.parent / "assets"
SITE_ASSETS = "_kbgen/assets"
EVERY_PAGE_STYLES = tuple(f"{SITE_ASSETS}/{name}.css"
                          for name in ("kbgen", "readings", "explorer", "graph", "preview", "search",
                                       "bases"))
EVERY_PAGE_SCRIPTS = tuple(f"{SITE_ASSETS}/{name}.js" for name in ("kbgen", "explorer", "preview", "search"))
KATEX_CSS = f"{SITE_ASSETS}/vendor/katex/katex.min.css"
KATEX_JS = f"{SITE_ASSETS}/vendor/katex/katex.min.js"
MERMAID_JS = f"{SITE_ASSETS}/vendor/mermaid/mermaid.min.js"
READINGS_JS = f"{SITE_ASSETS}/readings.js"
CANVAS_CSS = f"{SITE_ASSETS}/canvas.css"  # canvas pages only
CANVAS_JS = f"{SITE_ASSETS}/canvas.js"


def asset_outputs() -> list[tuple[Path, str]]:
    """(file in the package, its path in the site), documentation files left out."""
    return [(p, f"{SITE_ASSETS}/{p.relative_to(SOURCE).as_posix()}")
            for p in sorted(SOURCE.rglob("*")) if p.is_file() and p.suffix != ".md"]


def plan(site: SiteContext) -> Iterator[PlannedFile]:
    for source, output in asset_outputs():
        yield PlannedFile(KIND, output, source=source)


def vendor_files(*, needs_math: bool, needs_mermaid: bool) -> tuple[list[str], list[str]]:
    """(stylesheets, scripts) a note page needs beyond what every page has."""
    styles, scripts = [], []
    if needs_math:
        styles.append(KATEX_CSS)
        scripts.append(KATEX_JS)
    if needs_mermaid:
        scripts.append(MERMAID_JS)
    return styles, scripts
