"""The whole site, planned and rendered: files -> notes -> vault -> graph -> plan -> bodies.

What an adapter needs from the core in one call: the plan (pages with their bodies,
files) and every finding of the vault, of planning and of rendering, each once.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.cache.store import CacheStore
from kbgen.free_memory import give_back_free_memory
from kbgen.graph_update import KeptGraph
from kbgen.kept_notes import KeptNotes
from kbgen.model import Finding
from kbgen.pipeline import collector_paused, load_vault
from kbgen.publish import PublishRules
from kbgen.site.context import PlanState, SiteOptions
from kbgen.site.model import SitePlan
from kbgen.site.kept_bodies import KeptBodies
from kbgen.site.plan import plan_site
from kbgen.site.render import RenderStats, render_pages
from kbgen.vault_update import KeptVault


@dataclass(slots=True)
class ProducedSite:
    plan: SitePlan
    findings: list[Finding] = field(default_factory=list)  # vault, planning and rendering, each once
    unpublished: int = 0  # notes left out of the site
    stats: RenderStats = field(default_factory=RenderStats)


def produce_site(root: Path, publish: PublishRules | None = None,
                 options: SiteOptions | None = None, cache: CacheStore | None = None) -> ProducedSite:
    """Load the vault, plan the site and render every page's body.

    With a ``cache``, notes parsed before and bodies whose reads still hold are reused;
    the output is the same as without it (only faster).  Only the plan outlives this call:
    the model (notes, tokens, graph) is freed, its reference cycles collected and the
    freed heap handed back before the adapter lays pages out (10k notes: ~80 MB of cycles).
    Until then the cycle collector is paused: its automatic full passes over the growing
    model cost two seconds at 10k notes, and the one collection finds the same garbage."""
    with collector_paused():  # the collection below finds all the model's cycles at once
        produced = plan_and_render(root, publish, options or SiteOptions(), cache)
    gc.collect()
    give_back_free_memory()
    return produced


@dataclass(slots=True)
class KeptModel:
    """What a serve session keeps from one save to the next (``kbgen.site.live``)."""

    notes: KeptNotes = field(default_factory=KeptNotes)  # parsed notes, by file stamp
    vault: KeptVault = field(default_factory=KeptVault)  # the resolved vault
    graph: KeptGraph = field(default_factory=KeptGraph)  # the link graph, patched on each save
    state: PlanState = field(default_factory=PlanState)  # the last graph data
    bodies: KeptBodies = field(default_factory=KeptBodies)  # bodies and the questions they asked


def plan_and_render(root: Path, publish: PublishRules | None, options: SiteOptions, cache: CacheStore | None,
                    kept: KeptModel | None = None) -> ProducedSite:
    """load -> plan -> render, the model left as it is (``kept``: a serve session's)."""
    loaded = load_vault(root, publish=publish, cache=cache, kept=kept.notes if kept else None,
                        kept_vault=kept.vault if kept else None, kept_graph=kept.graph if kept else None)
    plan, site = plan_site(loaded, options, kept.state if kept else None)
    stats = render_pages(plan, site, options.jobs, cache, kept.bodies if kept else None)
    if kept is not None:
        kept.graph.acknowledge()  # the kept bodies have answered for the graph's changes
    findings = [*loaded.findings, *plan.findings, *_render_findings(plan, loaded.findings)]
    return ProducedSite(plan, findings, len(loaded.unpublished), stats)


def _render_findings(plan: SitePlan, known: list[Finding]) -> list[Finding]:
    """Findings met while rendering (embed cycles, unsafe HTML), each once."""
    seen = set(known)
    out = []
    for page in plan.pages:
        for finding in page.body.findings if page.body else ():
            if finding not in seen:
                seen.add(finding)
                out.append(finding)
    return out
