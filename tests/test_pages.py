"""Generated pages: missing note, wanted notes, tag index, tag page, home."""

from __future__ import annotations

import pytest
from test_render_helpers import Crawl, make_vault, urls_for

from kbgen.pages import home_page, missing_page, tag_page, tag_page_names, tags_index_page, wanted_page
from kbgen.urls import relative_url

VAULT = {
    "Index Like.md": "---\ntags: [project/alpha]\n---\nWe need [[Ghost]] and [[Ghost|a ghost]] and [[Phantom]].\n",
    "notes/Deep.md": "---\ntitle: Deep <thought>\n---\nAbout [[Ghost]] again. #project #Project/Beta\n",
    "notes/Other.md": "Nothing #idea\n",
    "pic.png": b"\x89PNG",
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    return make_vault(tmp_path_factory.mktemp("pages"), VAULT)


def hrefs_resolve(loaded, page_url: str, html: str) -> set[str]:
    """Site URLs the page's links lead to (relative hrefs applied to page_url)."""
    from urllib.parse import urljoin

    base = "https://h.example/repo/"
    out = set()
    for href in Crawl(html).hrefs:
        full = urljoin(base + page_url, href)
        assert full.startswith(base), href
        out.add(full[len(base):])
    return out


def test_missing_page_lists_every_referrer_with_line_and_context(loaded) -> None:
    urls = urls_for(loaded)
    ghost = next(m for m in loaded.graph.missing_targets() if m.key == "ghost")
    page_url = urls.missing(ghost.key)
    title, html = missing_page(ghost, loaded.graph, urls, page_url, vault=loaded.vault)
    assert title == "Ghost — not written yet"
    assert html.startswith("<h1>Ghost — not written yet</h1>")
    assert "3 links from 2 notes lead here." in html
    assert '<a href="../../../notes/Deep/">Deep &lt;thought&gt;</a>' in html
    assert '<span class="kbgen-line">line 4</span> About <mark>Ghost</mark> again.' in html
    assert "We need <mark>Ghost</mark> and a ghost" in html
    assert "We need Ghost and <mark>a ghost</mark>" in html
    assert hrefs_resolve(loaded, page_url, html) == {"Index%20Like/", "notes/Deep/"}


def test_missing_page_without_vault_still_links(loaded) -> None:
    urls = urls_for(loaded)
    ghost = next(m for m in loaded.graph.missing_targets() if m.key == "ghost")
    _, html = missing_page(ghost, loaded.graph, urls, urls.missing("ghost"))
    assert '<a href="../../../notes/Deep/">Deep</a>' in html
    assert "<mark>" not in html


def test_wanted_page_orders_by_referrers(loaded) -> None:
    urls = urls_for(loaded)
    title, html = wanted_page(loaded.graph, urls, urls.special("wanted"), vault=loaded.vault)
    assert title == "Wanted notes"
    assert html.index(">Ghost</a>") < html.index(">Phantom</a>")
    assert '<td><a class="kbgen-missing" href="../missing/ghost/">Ghost</a></td><td>3</td>' in html
    assert hrefs_resolve(loaded, urls.special("wanted"), html) >= {"_kbgen/missing/ghost/", "_kbgen/missing/phantom/"}


def test_wanted_page_when_nothing_is_missing(tmp_path) -> None:
    small = make_vault(tmp_path, {"A.md": "x"})
    _, html = wanted_page(small.graph, urls_for(small), "_kbgen/wanted/")
    assert "Nothing is wanted" in html


def test_tags_index_nests_children_with_counts(loaded) -> None:
    urls = urls_for(loaded)
    title, html = tags_index_page(loaded.graph, urls, urls.special("tags"))
    assert title == "Tags"
    project = html.index('href="project/">#project</a> <span class="kbgen-count">2</span><ul>')
    alpha = html.index('href="project/alpha/">#project/alpha</a> <span class="kbgen-count">1</span>')
    beta = html.index('#Project/Beta</a> <span class="kbgen-count">1</span>')
    assert html.index("#idea</a>") < project < alpha < beta
    assert '<a class="kbgen-tag" href="idea/">#idea</a> <span class="kbgen-count">1</span>' in html


def test_tag_page_includes_nested_children(loaded) -> None:
    urls = urls_for(loaded)
    page_url = urls.tag("project")
    title, html = tag_page("project", loaded.graph, urls, page_url, vault=loaded.vault)
    assert title == "#project"
    assert hrefs_resolve(loaded, page_url, html) >= {"Index%20Like/", "notes/Deep/",
                                                     "_kbgen/tags/project/alpha/", "_kbgen/tags/project/beta/"}
    assert "2 notes." in html
    assert "Deep &lt;thought&gt;" in html


def test_tag_page_of_child_links_parent(loaded) -> None:
    urls = urls_for(loaded)
    _, html = tag_page("project/alpha", loaded.graph, urls, urls.tag("project/alpha"), vault=loaded.vault)
    assert 'Part of <a class="kbgen-tag" href="../">#project</a>' in html
    assert "1 note." in html and "Index Like" in html and "Deep" not in html


def test_tag_page_names_include_parents(loaded) -> None:
    assert [n.casefold() for n in tag_page_names(loaded.graph)] == ["idea", "project", "project/alpha", "project/beta"]


def test_home_page_groups_by_folder(loaded) -> None:
    urls = urls_for(loaded)
    title, html = home_page(loaded.vault, loaded.graph, urls, urls.special("home"))
    assert title == "Home"
    assert "3 notes in 2 folders, 1 attachment, 4 tags, 2 wanted notes." in html
    assert '<h2>notes <span class="kbgen-count">2</span></h2>' in html
    assert html.index("Top level") < html.index("<h2>notes")
    assert hrefs_resolve(loaded, "", html) == {"_kbgen/wanted/", "_kbgen/tags/", "Index%20Like/",
                                               "notes/Deep/", "notes/Other/"}
    assert "Deep &lt;thought&gt;" in html


def test_pages_escape_hostile_names(tmp_path) -> None:
    hostile = make_vault(tmp_path, {"A.md": "[[<script>x</script>]] #t\n"})
    urls = urls_for(hostile)
    target = hostile.graph.missing_targets()[0]
    assert "<script>" in target.name
    for _, html in (missing_page(target, hostile.graph, urls, urls.missing(target.key), vault=hostile.vault),
                    wanted_page(hostile.graph, urls, "_kbgen/wanted/"),
                    home_page(hostile.vault, hostile.graph, urls, "")):
        assert "<script>" not in html


def test_page_links_are_relative(loaded) -> None:
    urls = urls_for(loaded)
    _, html = home_page(loaded.vault, loaded.graph, urls, "")
    assert all(not h.startswith("/") for h in Crawl(html).hrefs)
    assert relative_url("_kbgen/tags/a/", "") == "../../../"
