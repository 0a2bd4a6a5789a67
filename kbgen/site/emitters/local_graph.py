"""The local graph box a page carries: its node in the graph data, and where the root is."""

from __future__ import annotations

from dataclasses import dataclass

from kbgen.site.context import SiteContext
from kbgen.site.emitters.graph_view import GRAPH_JS, node_id, root_of

HEADING_ID = "kbgen-graph"


@dataclass(frozen=True, slots=True)
class LocalGraph:
    node: str
    root: str
    heading_id: str = HEADING_ID
    script: str = GRAPH_JS


def local_graph(site: SiteContext, key: str, page_url: str) -> LocalGraph | None:
    """The box for the node ``key`` (a note path, ``missing:<key>``, ``tag:<key>``)."""
    node = node_id(site, key)
    return LocalGraph(node, root_of(page_url)) if node is not None else None
