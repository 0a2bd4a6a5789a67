"""Bases on the site: a ``.base`` page with every view, an embed of one view, a ```base
block using ``this``; the rows, their order, columns and display names, checked in the HTML."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bases_vault import VAULT
from html_dom import Element, parse
from test_render_helpers import make_vault

from kbgen.site import plan_site, render_pages

BOOKS = ["Books/Dune.md", "Books/Neuromancer.md", "Books/Snow Crash.md", "Books/The Hobbit.md"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    loaded = make_vault(tmp_path_factory.mktemp("bases"), VAULT)
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    return loaded, plan


def page(built, kind: str, key: str):
    found = built[1].page(kind, key)
    assert found is not None, (kind, key)
    return found


def views(html: str) -> dict[str, Element]:
    return {div.attrs["data-view"]: div for div in parse(html).find_all("div", "kbgen-base")}


def table(view: Element) -> tuple[list[str], list[str], list[list[str]]]:
    """(column headers, row paths, cell texts) of a table view."""
    headers = [th.text() for th in view.find_all("th")]
    rows = view.find("tbody").find_all("tr")
    return headers, [tr.attrs["data-path"] for tr in rows], [[td.text() for td in tr.find_all("td")] for tr in rows]


def target(page_url: str, href: str) -> str:
    base = "https://h.example/repo/"
    return unquote(urljoin(base + page_url, href)[len(base):])


def test_base_file_is_a_page_with_every_view(built) -> None:
    base = page(built, "base", "Books.base")
    assert base.url == "Books.base/" and base.output == "Books.base/index.html"
    assert base.title == "Books"
    shown = views(base.body.html)
    assert list(shown) == ["All books", "Top rated", "Gallery", "Where"]
    assert [t.title for t in base.body.toc] == ["All books", "Top rated", "Gallery", "Where", "Backlinks"]
    assert not any(f.output == "Books.base" for f in built[1].files)  # a page, not a copied file


def test_table_sorted_by_year_with_display_names(built) -> None:
    base = page(built, "base", "Books.base")
    headers, paths, cells = table(views(base.body.html)["All books"])
    assert headers == ["Title", "Author", "year", "rating"]  # displayName for file.name and author
    assert paths == ["Books/The Hobbit.md", "Books/Dune.md", "Books/Neuromancer.md", "Books/Snow Crash.md"]
    assert cells[0] == ["The Hobbit", "J. R. R. Tolkien", "1937", "5"]
    assert cells[1] == ["Dune", "Frank Herbert", "1965", "5"]


def test_second_table_filters_and_sorts_by_two_keys(built) -> None:
    base = page(built, "base", "Books.base")
    headers, paths, cells = table(views(base.body.html)["Top rated"])
    assert headers == ["Title", "rating", "Years since"]
    # rating >= 4, rating descending, then title ascending; the formula 2025 - year
    assert paths == ["Books/Dune.md", "Books/The Hobbit.md", "Books/Neuromancer.md"]
    assert [row[2] for row in cells] == ["60", "88", "41"]


def test_draft_and_other_categories_never_listed(built) -> None:
    html = page(built, "base", "Books.base").body.html
    assert "Draft Book" not in html and "Dune (film)" not in html
    listed = [e.attrs["data-path"] for view in views(html).values() for e in view.iter() if "data-path" in e.attrs]
    assert len(listed) == 4 + 3 + 4 and set(listed) == set(BOOKS)


def test_links_in_cells_are_resolved_links(built) -> None:
    base = page(built, "base", "Books.base")
    view = views(base.body.html)["All books"]
    dune = view.find("tr", data_path="Books/Dune.md")
    title, author = dune.find_all("a")[:2]
    assert target(base.url, title.attrs["href"]) == "Books/Dune/"
    assert target(base.url, author.attrs["href"]) == "People/Frank Herbert/"
    gibson = view.find("tr", data_path="Books/Neuromancer.md").find_all("a")[1]
    assert "kbgen-missing" in gibson.classes()  # not written yet: a red link to its page
    assert target(base.url, gibson.attrs["href"]).startswith("_kbgen/missing/")


def test_cards_view_with_cover_image(built) -> None:
    base = page(built, "base", "Books.base")
    gallery = views(base.body.html)["Gallery"]
    cards = gallery.find_all("li", "kbgen-base-card")
    assert [c.attrs["data-path"] for c in cards] == BOOKS  # sorted by file name
    dune = cards[0]
    assert dune.find("p", "kbgen-base-card-title").text() == "Dune"
    assert [dt.text() for dt in dune.find_all("dt")] == ["Author", "stars"]
    assert [dd.text() for dd in dune.find_all("dd")] == ["Frank Herbert", "★★★★★"]
    assert target(base.url, dune.find("img").attrs["src"]) == "dune.png"
    assert not cards[1].find_all("img")  # Neuromancer has no cover


def test_unsupported_view_type_says_so(built) -> None:
    where = views(page(built, "base", "Books.base").body.html)["Where"]
    box = where.find("div", "kbgen-base-unsupported")
    assert "View type not supported" in box.text() and "map" in box.text()
    assert not where.find_all("table")


def test_embed_shows_the_named_view(built) -> None:
    reading = page(built, "note", "Reading.md")
    embeds = parse(reading.body.html).find_all("div", "kbgen-base-embed")
    assert len(embeds) == 1
    shown = views(str(reading.body.html))
    assert list(shown) == ["Top rated"]
    _, paths, _ = table(shown["Top rated"])
    assert paths == ["Books/Dune.md", "Books/The Hobbit.md", "Books/Neuromancer.md"]
    title = embeds[0].find("div", "kbgen-embed-title").find("a")
    assert target(reading.url, title.attrs["href"]) == "Books.base/"


def test_block_uses_this_as_the_embedding_note(built) -> None:
    author = page(built, "note", "People/Frank Herbert.md")
    shown = views(author.body.html)
    items = shown["Books by"].find_all("li")
    # author == this: Dune only (the draft by the same author is unpublished)
    assert [li.attrs["data-path"] for li in items] == ["Books/Dune.md"]
    assert items[0].text() == "Dune , 1965"


def test_rows_count_as_links_in_graph_and_backlinks(built) -> None:
    loaded, _ = built
    sources = {(b.source, b.via) for b in loaded.graph.backlinks("Books/Dune.md")}
    assert ("Books.base", "base") in sources and ("People/Frank Herbert.md", "base") in sources
    dune = page(built, "note", "Books/Dune.md")
    backlinks = parse(dune.body.html).find("section", "kbgen-backlinks")
    entries = {li.find("a").text(): li for li in backlinks.find_all("li")}
    assert "Base Books" in entries
    assert target(dune.url, entries["Base Books"].find("a").attrs["href"]) == "Books.base/"
    assert "listed in the view" in entries["Base Books"].text()
    assert "Books/Draft Book.md" not in {b.source for b in loaded.graph.backlinks("People/Frank Herbert.md")}


def test_bad_expressions_are_warnings_with_file_and_line(tmp_path: Path) -> None:
    files = dict(VAULT)
    files["Broken.base"] = ("filters:\n  and:\n    - 'rating >'\n    - nosuch(rating)\n"
                            "formulas:\n  twice: rating * 2\nviews:\n  - type: table\n    name: T\n"
                            "    order: [file.name, formula.twice]\n")
    files["Block.md"] = "Text\n\n```base\nfilters: 'year >= 1980 &&'\nviews:\n  - type: list\n```\n"
    loaded = make_vault(tmp_path, files)
    found = {(f.source, f.line): f.message for f in loaded.findings if f.code == "base"}
    assert "does not parse" in found[("Broken.base", 3)]
    assert "unknown function nosuch()" in found[("Broken.base", 4)]
    assert "does not parse" in found[("Block.md", 4)]  # the YAML's line 1 is the note's line 4
    # the view still shows what it can: the broken statements are left out, the formula works
    shown = loaded.vault.bases.files["Broken.base"].views[0]
    assert len(shown.rows) == len([p for p in loaded.vault.notes if loaded.vault.is_published(p)])
    dune = next(r for r in shown.rows if r.path == "Books/Dune.md")
    assert dune.cells[1] == 10


def test_embed_of_missing_view_is_a_warning(tmp_path: Path) -> None:
    files = dict(VAULT)
    files["Other.md"] = "See ![[Books.base#Nope]]\n"
    loaded = make_vault(tmp_path, files)
    assert any(f.source == "Other.md" and f.line == 1 and "no view named 'Nope'" in f.message
               for f in loaded.findings)


def test_builds_are_deterministic(tmp_path: Path) -> None:
    bodies = []
    for name in ("one", "two"):
        loaded = make_vault(tmp_path / name, VAULT)
        plan, site = plan_site(loaded)
        render_pages(plan, site, jobs=1)
        bodies.append({(p.kind, p.key): p.body.html for p in plan.pages if p.kind in ("base", "canvas", "note")})
    assert bodies[0] == bodies[1] and len(bodies[0]) > 8


GROUPED = """\
filters: 'categories.contains(link("Books"))'
views:
  - type: table
    name: By rating
    groupBy:
      property: rating
      direction: DESC
    sort:
      - property: year
        direction: DESC
    limit: 3
    order: [file.name, year]
  - type: list
    name: Numbered
    markers: numbers
    order: [file.name, note.year]
    sort: [{property: file.name, direction: DESC}]
"""


def test_group_by_limit_and_list_markers(tmp_path: Path) -> None:
    files = {**VAULT, "Grouped.base": GROUPED}
    loaded = make_vault(tmp_path, files)
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    html = plan.page("base", "Grouped.base").body.html
    grouped = views(html)["By rating"]
    # limit 3 of the 4 books by year descending (Snow Crash, Neuromancer, Dune), then grouped by rating
    labels = [p.find("span", "kbgen-base-group-label").text() for p in grouped.find_all("p", "kbgen-base-group")]
    assert labels == ["5", "4", "3"]
    groups = [[tr.attrs["data-path"] for tr in t.find_all("tr") if "data-path" in tr.attrs]
              for t in grouped.find_all("table")]
    assert groups == [["Books/Dune.md"], ["Books/Neuromancer.md"], ["Books/Snow Crash.md"]]
    assert "3 results of 4" in grouped.find("p", "kbgen-base-caption").text()
    numbered = views(html)["Numbered"]
    assert numbered.find_all("ol") and not numbered.find_all("ul")
    assert [li.attrs["data-path"] for li in numbered.find_all("li")] == list(reversed(BOOKS))


def test_hostile_values_are_escaped(tmp_path: Path) -> None:
    files = {
        "Evil.md": '---\ntitle: x\nnote: "<script>alert(1)</script>"\nrating: 5\n---\nbody\n',
        "Evil.base": ("formulas:\n  raw: 'html(\"<img src=x onerror=alert(1)><b>ok</b>\")'\n"
                      "  out: 'link(\"javascript:alert(1)\")'\n"
                      "properties:\n  note:\n    displayName: '<i onclick=x>Note</i>'\n"
                      "views:\n  - type: table\n    name: '<svg onload=alert(1)>'\n"
                      "    order: [file.name, note, formula.raw, formula.out]\n"),
    }
    loaded = make_vault(tmp_path, files)
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    html = plan.page("base", "Evil.base").body.html
    root = parse(html)
    assert not root.find_all("script") and not root.find_all("svg") and not root.find_all("i")
    assert all(not k.startswith("on") for e in root.iter() for k in e.attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert root.find("b").text() == "ok"  # html() keeps harmless markup, like raw HTML in notes
    assert all(not a.attrs.get("href", "").lower().startswith("javascript") for a in root.find_all("a"))


def test_base_page_is_searchable_but_not_its_backlinks(built) -> None:
    html = page(built, "base", "Books.base").body.html
    searchable = parse(html).find("div", "kbgen-page")
    assert "data-pagefind-body" in searchable.attrs and searchable.attrs["data-kbgen-title"] == "Books"
    assert "Dune" in searchable.text()
    assert not searchable.find_all("section", "kbgen-backlinks"), "backlinks stay out of the indexed part"
