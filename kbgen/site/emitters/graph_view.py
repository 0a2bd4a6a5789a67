"""The graph view: the graph data files (one global, one small neighbourhood file per node,
from ``kbgen.site.graph_data``) and the global graph page; note, missing-note and tag
pages carry a local graph container that fetches only their own neighbourhood."""

from __future__ import annotations

from collections.abc import Iterator

from kbgen.site import html
from kbgen.site.addresses import generated_output
from kbgen.site.context import SiteContext
from kbgen.site.graph_data import GLOBAL_FILE, GraphData, graph_files, local_file, node_ids
from kbgen.site.model import PageBody, PlannedFile, PlannedPage
from kbgen.urls import relative_url

KIND = "graph"
DATA = "graph-data"
SPECIAL = "graph"
TITLE = "Graph view"
GRAPH_JS = "_kbgen/assets/graph.js"


def graph_data(site: SiteContext) -> GraphData:
    """Built once per build (in planning; workers inherit it); in a serve session, from the
    last build's where the graph nodes a save touched do not reach."""
    def make() -> GraphData:
        state, change = site.state, site.loaded.graph_change
        data = graph_files(site.graph, site.urls, {p: n.title for p, n in site.vault.notes.items()},
                           previous=state.graph_data if state is not None else None, keep=state is not None,
                           touched=change.touched if change is not None else None)
        if state is not None:
            state.graph_data = data
        return data
    return site.memo("graph_data", make)


def graph_ids(site: SiteContext) -> dict[str, str]:
    """Every drawn node's id by key; ids need no URLs, so planning can name the files."""
    def make() -> dict[str, str]:  # in planning (a render finds it made: it reads no kept state)
        kept = site.state.graph_data if site.state is not None else None
        return node_ids(site.graph, kept.digests if kept is not None else None)
    return site.memo("graph_ids", make)


def node_id(site: SiteContext, key: str) -> str | None:
    """The graph node id of a note path, ``missing:<key>`` or ``tag:<key>`` (a pure
    function of the key: a page's graph box does not change when other notes do)."""
    return graph_ids(site).get(key)


def root_of(page_url: str) -> str:
    """The relative URL from a page to the site root, ending in ``/`` (``./`` at the root)."""
    rel = relative_url(page_url, "")
    return rel if rel.endswith("/") else rel + "/"


def plan(site: SiteContext) -> Iterator[PlannedPage | PlannedFile]:
    """The data files' names (one per graph node); their bytes need the settled URLs."""
    depends = frozenset({"graph"})
    yield PlannedFile(DATA, GLOBAL_FILE, depends_on=depends)
    for node in graph_ids(site).values():
        yield PlannedFile(DATA, local_file(node), depends_on=depends)
    yield PlannedPage(KIND, SPECIAL, site.urls.special(SPECIAL), generated_output(site.urls.canonical.special(SPECIAL)),
                      TITLE, in_nav=True, depends_on=frozenset({"graph"}))


def render_file(site: SiteContext, planned: PlannedFile) -> bytes:
    return graph_data(site).files[planned.output]


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    return PageBody(html.render("graph.html", page.url, title=page.title, root=root_of(page.url),
                                script=GRAPH_JS))

