"""HTML of the reading-list pages (``kbgen.site.emitters.readings`` plans them)."""

from kbgen.pages.readings import export_files, level_special, reading_list_page

__all__ = ["export_files", "level_special", "reading_list_page"]
