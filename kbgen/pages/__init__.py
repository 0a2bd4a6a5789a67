"""HTML bodies of the pages kbgen generates (no MkDocs here): each returns ``(title, html)``.

All hrefs are relative to ``page_url`` (see ``kbgen.urls``) so the site works under
any sub-path; every name and title is escaped.
"""

from kbgen.pages.home import home_page
from kbgen.pages.missing import missing_page, wanted_page
from kbgen.pages.readings import export_files, level_special, reading_list_page
from kbgen.pages.tags import tag_page, tag_page_names, tags_index_page

__all__ = [
    "export_files", "home_page", "level_special", "missing_page", "reading_list_page", "tag_page",
    "tag_page_names", "tags_index_page", "wanted_page",
]
