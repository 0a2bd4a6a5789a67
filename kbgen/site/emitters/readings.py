"""The Reading list, a page per level, and the exports (CSL-JSON, BibTeX, CSV) beside them."""

from __future__ import annotations

from collections.abc import Iterator

from kbgen.pages.readings import LEVELS, SPECIAL, export_files, level_special, reading_list_page
from kbgen.site.addresses import generated_output
from kbgen.site.context import SiteContext
from kbgen.site.emitters.assets import READINGS_JS
from kbgen.site.model import PageBody, PlannedFile, PlannedPage

KIND = "readings"
EXPORT = "readings-export"


def plan(site: SiteContext) -> Iterator[PlannedPage | PlannedFile]:
    urls = site.urls
    depends = frozenset({"readings"})
    yield PlannedPage(KIND, "", urls.special(SPECIAL), generated_output(urls.canonical.special(SPECIAL)),
                      "Reading list", in_nav=True, depends_on=depends)
    for level in LEVELS:
        name = level_special(level)
        yield PlannedPage(KIND, level, urls.special(name), generated_output(urls.canonical.special(name)),
                          f"Reading list: {level}", depends_on=depends)
    folder = generated_output(urls.canonical.special(SPECIAL)).rpartition("/")[0]
    for name, content in export_files(site.loaded.readings).items():
        yield PlannedFile(EXPORT, f"{folder}/{name}", content=content.encode("utf-8"), depends_on=depends)


def render(site: SiteContext, page: PlannedPage) -> PageBody:
    _, body = reading_list_page(site.loaded.readings, site.urls, page.url, vault=site.vault,
                                level=page.key or None, script=READINGS_JS)
    return PageBody(body)
