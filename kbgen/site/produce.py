"""The whole site, planned and rendered: files -> notes -> vault -> graph -> plan -> bodies.

What an adapter needs from the core in one call: the plan (pages with their bodies,
files) and every finding of the vault, of planning and of rendering, each once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kbgen.model import Finding
from kbgen.pipeline import load_vault
from kbgen.publish import PublishRules
from kbgen.site.context import SiteOptions
from kbgen.site.model import SitePlan
from kbgen.site.plan import plan_site
from kbgen.site.render import render_pages


@dataclass(slots=True)
class ProducedSite:
    plan: SitePlan
    findings: list[Finding] = field(default_factory=list)  # vault, planning and rendering, each once
    unpublished: int = 0  # notes left out of the site


def produce_site(root: Path, publish: PublishRules | None = None,
                 options: SiteOptions | None = None) -> ProducedSite:
    """Load the vault, plan the site and render every page's body."""
    options = options or SiteOptions()
    loaded = load_vault(root, publish=publish)
    plan, site = plan_site(loaded, options)
    render_pages(plan, site, options.jobs)
    return ProducedSite(plan, [*loaded.findings, *plan.findings, *_render_findings(plan, loaded.findings)],
                        len(loaded.unpublished))


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
