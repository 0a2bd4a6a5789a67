"""One module per kind of output.  Each has ``plan(site)`` (the outputs, cheap: no HTML)
and, for pages, ``render(site, page) -> PageBody`` (the body, run in worker processes)."""
