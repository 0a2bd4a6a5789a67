"""Reading lists on the built site: the Reading list and level pages, exports, Related notes
and level badges, over the user's real notes (real MkDocs build) and small vaults."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import bibtexparser
import pytest
from site_checks import broken_internal_links, remote_asset_urls
from test_render_helpers import make_vault, render, urls_for

from kbgen.pages import reading_list_page
from kbgen.pipeline import LoadedVault, load_vault
from kbgen.site_build import build_site

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "notes"
BASE = "http://site.test/"


@dataclass
class Row:
    data: dict[str, str]
    cells: list[str] = field(default_factory=list)  # text of each <td>
    links: list[list[tuple[str, str]]] = field(default_factory=list)  # (href, text) per <td>
    badges: list[str] = field(default_factory=list)


class _Rows(HTMLParser):
    """The reading-list table rows (``tr`` with ``data-key``) of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self._row: Row | None = None
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-key" in a:
            self._row = Row({k[5:]: v for k, v in a.items() if k.startswith("data-")})
            self.rows.append(self._row)
        elif self._row is not None and tag == "td":
            self._row.cells.append("")
            self._row.links.append([])
        elif self._row is not None and tag == "a":
            self._href, self._text = a.get("href", ""), []
        elif self._row is not None and tag == "span" and "kbgen-level" in a.get("class", ""):
            self._row.badges.append(a["class"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        elif tag == "a" and self._row is not None and self._href is not None:
            self._row.links[-1].append((self._href, "".join(self._text)))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._row.cells:
            self._row.cells[-1] += data
            if self._href is not None:
                self._text.append(data)


@dataclass
class Item:
    """One ``<li>`` of a note: its id, its own text (sub-lists left out), what it holds."""

    id: str | None
    text: str = ""
    badges: list[tuple[str, str]] = field(default_factory=list)  # (class, title)
    ems: list[str] = field(default_factory=list)


class _Items(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self._stack: list[Item] = []
        self._em = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "li":
            self._stack.append(Item(a.get("id")))
            self.items.append(self._stack[-1])
        elif self._stack and tag == "span" and "kbgen-level" in a.get("class", "").split():
            self._stack[-1].badges.append((a["class"], a.get("title", "")))
        elif self._stack and tag == "em":
            self._em = True
            self._stack[-1].ems.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._stack:
            self._stack.pop()
        elif tag == "em":
            self._em = False

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1].text += data
            if self._em:
                self._stack[-1].ems[-1] += data


def items_of(html: str) -> list[Item]:
    parser = _Items()
    parser.feed(html)
    return parser.items


def rows_of(html: str) -> list[Row]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def page(site: Path, url: str) -> str:
    return (site / unquote(url) / "index.html").read_text(encoding="utf-8")


def follow(site: Path, page_url: str, href: str) -> tuple[Path, str]:
    """The file an href leads to from ``page_url`` and its fragment; the file must exist."""
    full = urljoin(BASE + page_url, href)
    assert full.startswith(BASE), href
    path, _, fragment = full[len(BASE):].partition("#")
    target = site / unquote(path)
    target = target / "index.html" if path.endswith("/") or not path else target
    assert target.is_file(), f"{href} from {page_url}: no {target}"
    if fragment:
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), f"{href}: no #{fragment}"
    return target, fragment


@pytest.fixture(scope="module")
def loaded() -> LoadedVault:
    return load_vault(NOTES)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("readings") / "site"
    result = build_site(NOTES, out, REPO / "mkdocs.yml", False)
    assert result.ok, result.message
    return out


def row_titled(rows: list[Row], title: str, author: str) -> Row:
    found = [r for r in rows if r.cells[1] == title and author in r.cells[4]]
    assert len(found) == 1, [r.cells[1] for r in rows]
    return found[0]


def test_one_row_per_reading(site: Path, loaded: LoadedVault) -> None:
    rows = rows_of(page(site, "_kbgen/readings/"))
    assert len(rows) == len(loaded.readings) > 50
    assert [r.data["key"] for r in rows] == [r.key for r in loaded.readings]
    assert f"{len(rows)} of {len(rows)} readings" in page(site, "_kbgen/readings/").replace(
        '<span class="kbgen-shown">', "").replace("</span>", "")


def test_deep_learning_row(site: Path) -> None:
    url = "_kbgen/readings/"
    row = row_titled(rows_of(page(site, url)), "Deep Learning", "Ian Goodfellow")
    assert (row.data["level"], row.data["kind"], row.data["year"]) == ("cult", "book", "2016")
    assert row.badges == ["kbgen-level kbgen-level-cult"] and row.cells[0] == "cult"
    assert (row.cells[2], row.cells[3], row.cells[4]) == ("book", "2016", "Ian Goodfellow")
    assert row.cells[5] == "Deep Learning › Overview"
    assert row.links[1] == [("https://www.deeplearningbook.org/", "Deep Learning")]
    cited = row.links[6]
    assert [text for _, text in cited] == ["Deep Learning", "Machine Learning Resources"]  # no line numbers
    assert not any(char.isdigit() for char in row.cells[6])
    targets = [follow(site, url, href) for href, _ in cited]
    assert [t.parent.name for t, _ in targets] == ["Deep Learning", "Machine Learning Resources"]
    for target, fragment in targets:  # each link lands on the citing bullet, not on a heading
        assert fragment == "reading-goodfellow2016deep"
        [item] = [i for i in items_of(target.read_text(encoding="utf-8")) if i.id == fragment]
        assert "Deep Learning" in item.text and "Goodfellow" in item.text
    assert all(not href.startswith(("/", "http")) for href, _ in cited)


def test_backprop_row(site: Path) -> None:
    row = row_titled(rows_of(page(site, "_kbgen/readings/")), "Yes you should understand backprop", "Karparthy")
    assert (row.data["level"], row.data["kind"], row.data["year"]) == ("introductionary", "blog", "2016")
    assert row.cells[4] == "Andrej Karparthy"
    assert row.badges == ["kbgen-level kbgen-level-introductionary"]


@pytest.mark.parametrize("level", ["cult", "introductionary"])
def test_level_pages_hold_only_their_level(site: Path, loaded: LoadedVault, level: str) -> None:
    html = page(site, f"_kbgen/readings/{level}/")
    rows = rows_of(html)
    assert {r.data["level"] for r in rows} == {level}
    assert len(rows) == sum(r.level == level for r in loaded.readings) > 0
    assert f"<h1>Reading list: {level}</h1>" in html
    assert 'name="level"' not in html  # the level is fixed: no level checkboxes
    main = page(site, "_kbgen/readings/")
    assert f'href="{level}/"' in main
    follow(site, f"_kbgen/readings/{level}/", "../")


def test_exports_exist_and_parse(site: Path, loaded: LoadedVault) -> None:
    folder = site / "_kbgen" / "readings"
    items = json.loads((folder / "readings.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == [r.key for r in loaded.readings]
    rows = list(csv.DictReader(io.StringIO((folder / "readings.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(loaded.readings)
    goodfellow = next(r for r in rows if r["title"] == "Deep Learning")
    assert (goodfellow["level"], goodfellow["kind"], goodfellow["year"]) == ("cult", "book", "2016")
    bib = bibtexparser.loads((folder / "readings.bib").read_text(encoding="utf-8"))
    assert len(bib.entries) == len(loaded.readings)
    assert "Download: " in page(site, "_kbgen/readings/")
    for href in ("readings.json", "readings.bib", "readings.csv"):
        assert f'href="{href}"' in page(site, "_kbgen/readings/")


def test_related_notes_on_deep_learning(site: Path, loaded: LoadedVault) -> None:
    html = page(site, "Deep%20Learning/")
    shared = {r.path: r.shared for r in loaded.graph.related_notes("Deep Learning.md")}
    assert shared["Machine Learning Resources.md"] > 1
    start = html.index('<section class="kbgen-related">')
    section = html[start:html.index("</section>", start)]
    assert '<h2 id="related-notes">Related notes' in section
    assert ('<a href="../Machine%20Learning%20Resources/">Machine Learning Resources</a> '
            f'<span class="kbgen-count">— {shared["Machine Learning Resources.md"]} shared readings</span>'
            ) in section
    assert start < html.index('<section class="kbgen-backlinks">')
    assert 'href="#related-notes"' in html  # in the table of contents
    follow(site, "Deep%20Learning/", "../Machine%20Learning%20Resources/")


def test_badges_in_deep_learning_list_items(site: Path, loaded: LoadedVault) -> None:
    html = page(site, "Deep%20Learning/")
    article = html[html.index("<article"):html.index("</article>")]
    body = article[:article.index('<section class="kbgen-related">')]
    cult_lines = {c.line for r in loaded.readings if r.level == "cult" for c in r.citations
                  if c.note == "Deep Learning.md"}
    assert body.count("kbgen-level-cult") == len(cult_lines) > 5
    [item] = [i for i in items_of(body) if i.id == "reading-goodfellow2016deep"]
    assert item.badges == [("kbgen-level kbgen-level-cult", "cult: deep, heavily cited")]
    assert item.ems == []  # the badge took the place of the written *cult*: the level shows once
    assert item.text.startswith('cult: "Deep Learning" Ian Goodfellow')


def test_home_and_site_checks(site: Path) -> None:
    home = page(site, "")
    assert '<a href="_kbgen/readings/">Reading list</a>' in home
    assert broken_internal_links(site) == []
    assert remote_asset_urls(site) == []
    assert '<script src="../assets/readings.js"></script>' in page(site, "_kbgen/readings/")
    assert "readings.js" not in home  # the script is on the reading-list pages only


SMALL = {
    "A.md": '# A\n\n## Books\n- *cult*: "Shared Work" [Jo Doe; book; 2001](https://x.org/w)\n'
            '- "Only A" [Jo Doe; paper; 1999](https://x.org/a)\n',
    "B.md": '- "Shared Work" [Jo Doe; book; 2001](https://x.org/w)\n- plain bullet\n',
    "C.md": "No readings here. [[A]]\n",
    "D.md": '## `<i>` topic\n'
            '- "a & \\<script\\>alert(1)\\</script\\> \\"q\\"" [O\'Neil; blog; 2020](https://x.org/"onmouseover=x)\n'
            '- `<script>` "T" [A; blog; 2020](https://y.org/?a=1&b="2")\n',
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> LoadedVault:
    return make_vault(tmp_path_factory.mktemp("small"), SMALL)


def test_badge_at_item_start_when_level_is_stated_elsewhere(small: LoadedVault) -> None:
    html = render(small, "B.md").html
    shared = items_of(html)[0]
    assert shared.badges == [("kbgen-level kbgen-level-cult", "cult: deep, heavily cited")]
    assert shared.text == 'cult "Shared Work" Jo Doe; book; 2001'
    assert html.count('<span class="kbgen-level ') == 1  # the plain bullet gets none
    assert "Related notes" in html and "A</a> <span class=\"kbgen-count\">— 1 shared reading</span>" in html
    a = render(small, "A.md")
    assert a.html.count('<span class="kbgen-level ') == 1  # "Only A" has no level
    assert [t.title for t in a.toc][-2:] == ["Related notes", "Backlinks"]


def test_no_related_section_without_shared_readings(small: LoadedVault) -> None:
    page_ = render(small, "C.md")
    assert "kbgen-related" not in page_.html
    assert "Related notes" not in [t.title for t in page_.toc]


def test_reading_list_escapes_everything(small: LoadedVault) -> None:
    urls = urls_for(small)
    _, html = reading_list_page(small.readings, urls, "_kbgen/readings/", vault=small.vault,
                                script="_kbgen/assets/readings.js")
    assert "<script>alert" not in html and "<script>" not in html.replace('<script src="', "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "O&#39;Neil" in html or "O&#x27;Neil" in html  # the quote escaped, in text and attributes
    assert '"onmouseover' not in html and "<i>" not in html and "&lt;i&gt; topic" in html
    rows = rows_of(html)
    assert len(rows) == len(small.readings) == 4
    assert rows[-1].links[1] == [("https://y.org/?a=1&b=%222%22", "<script>")]
    assert all(not href.startswith("/") for r in rows for cell in r.links for href, _ in cell)


LEVELS_WRITTEN = {
    "A.md": '- *cult*: "Shared" [Jo Doe; book; 2001](https://x.org/w)\n',
    "B.md": (
        '- *introductionary*: "Shared" [Jo Doe; book; 2001](https://x.org/w)\n'
        '- cult: "Plain Word" [Al Roe; paper; 2010](https://x.org/p)\n'
        '- **cult**: "Strong Word" [Al Roe; paper; 2011](https://x.org/s)\n'
        '- see again [the same](https://x.org/w)\n'
    ),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> LoadedVault:
    return make_vault(tmp_path_factory.mktemp("written"), LEVELS_WRITTEN)


def body_items(loaded: LoadedVault, path: str) -> list[Item]:
    """The note's own list items (not the Related notes / Backlinks sections)."""
    return items_of(render(loaded, path).html.split("<section")[0])


def test_written_level_becomes_the_badge_shown_once(written: LoadedVault) -> None:
    items = body_items(written, "B.md")
    intro, plain, strong, again = items
    # the author's word is kept as the badge; the tooltip tells that the work ranks higher elsewhere
    assert intro.badges == [("kbgen-level kbgen-level-introductionary",
                             "introductionary: a good first read (cited as cult elsewhere)")]
    assert intro.text.startswith('introductionary: "Shared"') and intro.ems == []
    for item, title in ((plain, "Plain Word"), (strong, "Strong Word")):
        assert [cls for cls, _ in item.badges] == ["kbgen-level kbgen-level-cult"]
        assert item.text.startswith(f'cult: "{title}"') and item.text.count("cult") == 1
    assert again.text.startswith("cult see again")  # no level written: the work's level first


def test_reading_bullets_have_unique_ids_from_their_key(written: LoadedVault) -> None:
    items = body_items(written, "B.md")
    key = next(r.key for r in written.readings if r.url == "https://x.org/w")
    assert [i.id for i in items][::3] == [f"reading-{key}", f"reading-{key}-2"]
    assert len({i.id for i in items}) == len(items) and all(i.id for i in items)
    assert body_items(written, "A.md")[0].id == f"reading-{key}"


def test_cited_in_names_each_bullet_and_lands_on_it(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {
        "A.md": '- *cult*: "Twice" [Jo Doe; book; 2001](https://x.org/t)\n- other\n'
                '- again [Twice](https://x.org/t)\n\n## Plan\n\nhttps://x.org/p\nA plan line\n',
    })
    _, html = reading_list_page(loaded.readings, urls_for(loaded), "_kbgen/readings/", vault=loaded.vault)
    rows = {r.cells[1]: r for r in rows_of(html)}
    key = next(r.key for r in loaded.readings if r.url == "https://x.org/t")
    assert rows["Twice"].links[6] == [("../../A/#reading-" + key, "A"), ("../../A/#reading-" + key + "-2", "A (2)")]
    page_ids = {i.id for i in items_of(render(loaded, "A.md").html)}
    assert {f"reading-{key}", f"reading-{key}-2"} <= page_ids
    # a reading on a paragraph line has no bullet of its own: the heading above it
    assert rows["A plan line"].links[6] == [("../../A/#plan", "A")]
