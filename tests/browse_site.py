"""A built site with graph view, previews and search, for browser tests and the benchmark.

The site plan emits all of it (graph data and pages, the search markup, the Pagefind
index written after the build); this module builds a vault with kbgen's built-in config
and hands back what the tests compare against: the loaded vault, its URLs and graph data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kbgen.pipeline import LoadedVault, load_vault
from kbgen.search_index import SEARCH_DIR
from kbgen.site import plan_site
from kbgen.site.addresses import SiteUrls
from kbgen.site.emitters.graph_view import graph_data
from kbgen.site.graph_data import GLOBAL_FILE, GraphData
from kbgen.site_build import build_site

GLOBAL_PAGE = "_kbgen/graph/"


@dataclass(slots=True)
class BrowseSite:
    site: Path
    loaded: LoadedVault
    urls: SiteUrls
    graph: GraphData
    message: str

    def page_url(self, note_path: str) -> str:
        return self.urls.note(note_path)


def build_browse_site(vault: Path, site: Path, work: Path | None = None) -> BrowseSite:
    """Build ``vault`` into ``site`` with ``kbgen build`` (no wiring: the plan does it all)."""
    result = build_site(vault, site)
    if not result.ok:
        raise AssertionError(result.message)
    loaded = load_vault(vault)
    _, context = plan_site(loaded)
    assert (site / GLOBAL_FILE).is_file() and (site / SEARCH_DIR / "pagefind.js").is_file()
    return BrowseSite(site, loaded, context.urls, graph_data(context), result.message)
