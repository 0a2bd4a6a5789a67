"""A built site carrying the graph / preview / search markup, for browser tests and the benchmark.

Until the site plan emits this markup itself, ``build_browse_site`` does what the lead's
templates will do, on top of a real ``kbgen build``:

- a temporary mkdocs.yml: kbgen's defaults + ``theme.custom_dir: kbgen/theme`` (the
  Pagefind search partial) + graph/preview/search CSS and JS on every page;
- each note page: ``data-pagefind-body`` etc. on its article, the aliases line,
  ``data-pagefind-ignore`` on Backlinks/Related, and the local graph container;
  missing-note and tag pages: the same as generated pages (``kind:page``);
- a global graph page at ``_kbgen/graph/``, the graph data files, and a Pagefind index.

The HTML is edited as text at material's fixed markers; a marker that is not found is an
error, so a change in the theme cannot silently leave a page unwired.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import yaml

from kbgen.pipeline import LoadedVault, load_vault
from kbgen.search_index import SearchIndexResult, index_site
from kbgen.site.graph_data import GLOBAL_FILE, GraphData, graph_files
from kbgen.site_build import DEFAULT_CONFIG, build_site
from kbgen.urls import DirectoryUrls, relative_url

KBGEN = Path(__file__).resolve().parents[1] / "kbgen"
ARTICLE = '<article class="md-content__inner md-typeset">'
ASSETS = "_kbgen/assets"
CSS = [f"{ASSETS}/graph.css", f"{ASSETS}/preview.css", f"{ASSETS}/search.css"]
JS = [f"{ASSETS}/graph.js", f"{ASSETS}/preview.js", f"{ASSETS}/search.js"]
GLOBAL_PAGE = "_kbgen/graph/"


@dataclass(slots=True)
class BrowseSite:
    site: Path
    loaded: LoadedVault
    urls: DirectoryUrls
    graph: GraphData
    search: SearchIndexResult

    def page_url(self, note_path: str) -> str:
        return self.urls.note(note_path)


def write_config(folder: Path) -> Path:
    """kbgen's built-in mkdocs.yml plus the theme override folder and the browse assets."""
    config = yaml.safe_load(DEFAULT_CONFIG.read_text("utf-8"))
    config["theme"]["custom_dir"] = str(KBGEN / "theme")
    config["extra_css"] = CSS
    config["extra_javascript"] = JS
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return path


def output_file(site: Path, url: str) -> Path:
    return site / unquote(url) / "index.html" if url else site / "index.html"


def root_of(url: str) -> str:
    """Relative URL from the page at ``url`` to the site root ("./" for the home page)."""
    rel = relative_url(url, "")
    return rel if rel.endswith("/") else rel + "/"


def graph_container(root: str, node_id: int | None) -> str:
    if node_id is None:
        return f'<div class="kbgen-graph kbgen-graph-global" data-kbgen-root="{root}"></div>'
    return f'<div class="kbgen-graph" data-kbgen-node="{node_id}" data-kbgen-root="{root}"></div>'


def wire_page(path: Path, url: str, *, title: str, kind: str, node_id: int | None,
              terms: list[str] = ()) -> None:
    """Add the markup contract to one built page (see kbgen/assets/search.js and graph.js)."""
    text = path.read_text("utf-8")
    if text.count(ARTICLE) != 1:
        raise AssertionError(f"{path}: material's article marker not found once")
    attrs = (f' data-pagefind-body data-pagefind-filter="kind:{kind}" '
             f'data-pagefind-meta="title[data-kbgen-title]" data-kbgen-title="{html.escape(title)}"')
    opened = ARTICLE[:-1] + attrs + ">"
    if terms:
        opened += ('<div class="kbgen-search-terms" hidden data-pagefind-weight="7">'
                   + html.escape(" · ".join(terms)) + "</div>")
    text = text.replace(ARTICLE, opened)
    for section in ('<section class="kbgen-backlinks"', '<section class="kbgen-related"'):
        text = text.replace(section, section + " data-pagefind-ignore")
    container = graph_container(root_of(url), node_id).replace("<div ", "<div data-pagefind-ignore ", 1)
    where = text.find('<section class="kbgen-backlinks"')
    if where == -1:
        where = text.index("</article>")
    text = text[:where] + container + "\n" + text[where:]
    path.write_text(text, "utf-8")


def write_global_page(site: Path) -> Path:
    """The global graph page, made from the built Wanted page (same folder depth)."""
    source = (site / "_kbgen" / "wanted" / "index.html").read_text("utf-8")
    start = source.index(ARTICLE) + len(ARTICLE)
    end = source.index("</article>", start)
    body = "\n<h1>Graph</h1>\n" + graph_container(root_of(GLOBAL_PAGE), None) + "\n"
    target = output_file(site, GLOBAL_PAGE)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source[:start] + body + source[end:], "utf-8")
    return target


def build_browse_site(vault: Path, site: Path, work: Path) -> BrowseSite:
    """Build ``vault`` into ``site`` and wire graph, previews and search into it."""
    result = build_site(vault, site, write_config(work))
    if not result.ok:
        raise AssertionError(result.message)
    loaded = load_vault(vault)
    urls = DirectoryUrls(loaded.vault.missing_targets())
    data = graph_files(loaded.graph, urls)
    for rel, blob in data.files.items():
        out = site / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(blob)
    for path, note in loaded.notes.items():
        url = urls.note(path)
        wire_page(output_file(site, url), url, title=note.title, kind="note",
                  node_id=data.node_ids[path], terms=note.aliases)  # tags are in .kbgen-tags already
    for key, missing in loaded.vault.missing_targets().items():
        url = urls.missing(key)
        wire_page(output_file(site, url), url, title=missing.name, kind="page",
                  node_id=data.node_ids[f"missing:{key}"])
    for tag in loaded.graph.tags():
        url = urls.tag(tag)
        wire_page(output_file(site, url), url, title=f"#{tag}", kind="page",
                  node_id=data.node_ids[f"tag:{tag.casefold()}"])
    write_global_page(site)
    assert (site / GLOBAL_FILE).is_file()
    search = index_site(site)
    if not search.ok:
        raise AssertionError(search.message)
    return BrowseSite(site, loaded, urls, data, search)
