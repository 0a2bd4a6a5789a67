"""``plan_site``: from the loaded vault, every output of the build, in a fixed order.

Generated pages claim their URLs first; vault notes and attachments are placed after,
moving aside where they would clash (``SiteUrls.settle``).  Nothing here renders HTML:
``kbgen.site.render.render_pages`` fills in the bodies, on all cores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kbgen.pipeline import LoadedVault
from kbgen.site.addresses import SiteUrls
from kbgen.site.context import PlanState, SiteContext, SiteOptions
from kbgen.site.emitters import (assets, attachments, bases, canvases, folders, graph_view, home, missing, notes,
                                  readings, tags)
from kbgen.site.model import PageBody, PlannedFile, PlannedPage, SitePlan

Renderer = Callable[[SiteContext, PlannedPage], PageBody]
FileRenderer = Callable[[SiteContext, PlannedFile], bytes]

# kind of data file -> the emitter function that writes it (files without content or source)
FILE_RENDERERS: dict[str, FileRenderer] = {
    folders.TREE: folders.render_file,
    graph_view.DATA: graph_view.render_file,
}

# kind of page -> the emitter function that renders its body
RENDERERS: dict[str, Renderer] = {
    notes.KIND: notes.render,
    missing.KIND: missing.render,
    missing.WANTED: missing.render,
    tags.KIND: tags.render,
    tags.INDEX: tags.render,
    folders.KIND: folders.render,
    home.KIND: home.render,
    readings.KIND: readings.render,
    graph_view.KIND: graph_view.render,
    bases.KIND: bases.render,
    canvases.KIND: canvases.render,
}


def plan_site(loaded: LoadedVault, options: SiteOptions | None = None,
              state: PlanState | None = None) -> tuple[SitePlan, SiteContext]:
    """The site plan of ``loaded`` and the context its pages render in (``state``: what the
    last build of a serve session left for this one, updated)."""
    options = options or SiteOptions()
    published = loaded.published
    urls = SiteUrls(published.notes, published.attachments, (t.key for t in loaded.graph.missing_targets()),
                    directory_urls=options.directory_urls, reserved=options.reserved)
    site = SiteContext(loaded, urls, options, state)
    plan = SitePlan()
    generated: list[PlannedPage | PlannedFile] = []
    for emitter in (home.plan, missing.plan, tags.plan, readings.plan, folders.plan, graph_view.plan, assets.plan):
        generated.extend(emitter(site))
    urls.claim(item.output for item in generated)
    urls.settle()
    plan.findings.extend(urls.findings)
    _add(plan, notes.plan(site))
    _add(plan, bases.plan(site))
    _add(plan, canvases.plan(site))
    _add(plan, generated)
    _add(plan, attachments.plan(site, plan.findings))
    for planned in plan.files:  # data files that list URLs are written now that URLs are settled
        if planned.content is None and planned.source is None:
            planned.content = FILE_RENDERERS[planned.kind](site, planned)
    return plan, site


def _add(plan: SitePlan, items: Iterable[PlannedPage | PlannedFile]) -> None:
    for item in items:
        (plan.pages if isinstance(item, PlannedPage) else plan.files).append(item)
