"""The site plan: which outputs a build writes, their URLs, content and dependencies.

files -> notes -> vault -> graph -> ``plan_site`` (emitters) -> ``render_pages`` -> an
adapter (``kbgen.mkdocs_plugin``) hands the pages to a layout engine.  Nothing here
imports MkDocs.
"""

from kbgen.site.context import SiteContext, SiteOptions
from kbgen.site.model import PageBody, PlannedFile, PlannedPage, SitePlan
from kbgen.site.plan import plan_site
from kbgen.site.produce import ProducedSite, produce_site
from kbgen.site.render import render_pages

__all__ = ["PageBody", "PlannedFile", "PlannedPage", "ProducedSite", "SiteContext", "SiteOptions", "SitePlan",
           "plan_site", "produce_site", "render_pages"]
