"""End-to-end `build_site` over the user's notes and the fixture vault: real MkDocs, real files.

The built HTML is read back with a small stdlib tree parser, so the checks are about
structure (a nested <ul> inside an <li>, an <em>), not about strings that happen to match.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from kbgen import site_build
from kbgen.pipeline import load_vault
from kbgen.site_build import BuildResult, SiteDirError, build_site
from kbgen.urls import DirectoryUrls
from site_checks import broken_internal_links, remote_asset_urls

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "notes"
FIXTURE = REPO / "tests" / "fixtures" / "site_vault"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SITEMAPS = {"sitemap.xml", "sitemap.xml.gz"}


# ---- a tiny DOM over html.parser ---------------------------------------------------------

@dataclass(eq=False)
class El:
    tag: str
    attrs: dict[str, str]
    parent: El | None = None
    children: list[El | str] = field(default_factory=list)

    def iter(self) -> Iterator[El]:
        yield self
        for child in self.children:
            if isinstance(child, El):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[El]:
        return [e for e in self.iter() if (tag is None or e.tag == tag)
                and (cls is None or cls in e.attrs.get("class", "").split())]

    def find(self, tag: str | None = None, cls: str | None = None) -> El:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls}> in <{self.tag}>"
        return found[0]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def own_text(self) -> str:
        """Text outside nested lists: what a list item itself says."""
        return "".join(c if isinstance(c, str) else ("" if c.tag in ("ul", "ol") else c.own_text())
                       for c in self.children)

    def kids(self, tag: str) -> list[El]:
        return [c for c in self.children if isinstance(c, El) and c.tag == tag]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = El("#document", {})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = El(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(el)
        if tag not in VOID:
            self.current = el

    def handle_endtag(self, tag: str) -> None:
        node: El | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(path: Path) -> El:
    builder = _Builder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def page_file(site: Path, url: str) -> Path:
    """The file MkDocs wrote for the directory URL ``url`` ("" is the home page)."""
    return site / unquote(url) / "index.html"


def article(site: Path, url: str) -> El:
    return parse_html(page_file(site, url)).find("article")


def resolve(page_url: str, href: str) -> str:
    """Site-root-relative URL a relative ``href`` on the page at ``page_url`` leads to."""
    return urlsplit(urljoin("http://site/" + page_url, href)).path.lstrip("/")


def tree_digest(root: Path, skip: set[str] = frozenset()) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name not in skip}


def build_ok(vault: Path, site: Path, config: Path | None = None, strict: bool = False) -> BuildResult:
    result = build_site(vault, site, config, strict)
    assert result.ok, result.message
    return result


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's notes with the repository's mkdocs.yml."""
    site = tmp_path_factory.mktemp("notes") / "site"
    build_ok(NOTES, site, REPO / "mkdocs.yml")
    return site


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture vault with kbgen's built-in config (it has findings: not strict)."""
    site = tmp_path_factory.mktemp("fixture") / "site"
    result = build_ok(FIXTURE, site)
    assert result.findings_count == len(load_vault(FIXTURE).findings) > 0
    return site


def test_the_notes_have_notices_only(tmp_path: Path) -> None:
    """Red links, reading-title conflicts and the one malformed `[text]((url)` link in the
    user's notes are notices: nothing there fails `kbgen build --strict` (see test_ci_workflow)."""
    findings = load_vault(NOTES).findings
    assert [f for f in findings if not f.is_notice] == []
    assert ("Machine Learning.md", 9, "malformed-link") in [(f.source, f.line, f.code) for f in findings]
    build_ok(NOTES, tmp_path / "site", REPO / "mkdocs.yml", strict=True)


# ---- pages and links ------------------------------------------------------------------------

@pytest.mark.parametrize("vault, site_fixture", [(NOTES, "notes_site"), (FIXTURE, "fixture_site")])
def test_a_page_per_note(vault: Path, site_fixture: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    loaded = load_vault(vault)
    urls = DirectoryUrls()
    for path, note in loaded.vault.notes.items():
        page = page_file(site, urls.note(path))
        assert page.is_file(), path
        title = parse_html(page).find("title").text()
        assert title.startswith(note.title), (path, title)


def test_deep_learning_nested_list_and_emphasis(notes_site: Path) -> None:
    body = article(notes_site, "Deep%20Learning/")
    items = [li for li in body.find_all("li") if "Software 2.0" in li.own_text()
             and "Karpathy" in li.own_text()]
    assert len(items) == 1
    nested = items[0].kids("ul")
    assert len(nested) == 1, "the 'see also' bullet must be a nested <ul> inside the item"
    sub_items = nested[0].kids("li")
    assert sub_items[0].own_text().strip().startswith("see also")
    # the written *cult* became the level badge: the word shows once
    assert [b.text() for b in items[0].find_all("span", "kbgen-level-cult")] == ["cult"]
    assert not [em for em in items[0].kids("em") if em.text() == "cult"]
    assert items[0].own_text().count("cult") == 1
    assert all("*cult*" not in li.own_text() for li in body.find_all("li"))


def missing_pages_of_machine_learning(site: Path) -> dict[str, El]:
    """Generated page URL -> its <article>, for every missing-styled link in Machine Learning."""
    page_url = "Machine%20Learning/"
    missing = article(site, page_url).find_all("a", "kbgen-missing")
    assert len(missing) == 10
    return {url: article(site, url) for url in {resolve(page_url, a.attrs["href"]) for a in missing}}


def referrer_links(page_url: str, page: El, to_url: str) -> list[El]:
    return [a for a in page.find_all("a") if resolve(page_url, a.attrs.get("href", "")) == to_url]


def test_machine_learning_missing_links(notes_site: Path) -> None:
    pages = missing_pages_of_machine_learning(notes_site)
    assert len(pages) == 9
    wanted = {t.name for t in load_vault(NOTES).graph.missing_targets()}
    assert {page.find("h1").text().split(" — ")[0] for page in pages.values()} == wanted
    for url, page in pages.items():
        assert url.startswith("_kbgen/missing/"), url
        assert referrer_links(url, page, "Machine%20Learning/"), f"{url} does not list Machine Learning"


def test_missing_pages_name_the_referrer_machine_learning(notes_site: Path) -> None:
    for url, page in missing_pages_of_machine_learning(notes_site).items():
        assert [a.text() for a in referrer_links(url, page, "Machine%20Learning/")] == ["Machine Learning"]


def test_alias_text_is_shown(notes_site: Path) -> None:
    body = article(notes_site, "Machine%20Learning/")
    texts = [a.text() for a in body.find_all("a", "kbgen-missing")]
    assert "Mathematical Reasoning" in texts
    assert texts.count("Machine Learning and Mathematical Reasoning") == 1


def test_fixture_links_and_embeds(fixture_site: Path) -> None:
    body = article(fixture_site, "Welcome/")
    hrefs = {a.text(): resolve("Welcome/", a.attrs["href"]) for a in body.find_all("a", "wikilink")}
    assert hrefs["shortest paths"] == "Topics/Graph%20Theory/"
    assert hrefs["Café Notes"] == "Topics/Caf%C3%A9%20Notes/"
    assert hrefs["a piped alias"] == "Topics/Graph%20Theory/"
    images = [resolve("Welcome/", img.attrs["src"]) for img in body.find_all("img")]
    assert "attachments/diagram.png" in images
    assert (fixture_site / "attachments" / "diagram.png").read_bytes() == (
        FIXTURE / "attachments" / "diagram.png").read_bytes()
    assert (fixture_site / "attachments" / "paper.pdf").is_file()
    assert body.find_all(cls="kbgen-embed"), "note and section embeds are rendered in place"


@pytest.mark.parametrize("site_fixture", ["notes_site", "fixture_site"])
def test_no_broken_links_no_remote_assets(site_fixture: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    assert broken_internal_links(site) == []
    assert remote_asset_urls(site) == []


def test_bad_bytes_and_broken_yaml_still_build(fixture_site: Path) -> None:
    assert article(fixture_site, "Odd/Broken%20YAML/").find("h1").text().startswith("Broken YAML")
    latin = article(fixture_site, "Odd/Latin1%20Note/").text()
    assert "caf\ufffd" in latin and "Welcome" in latin


# ---- generated pages, navigation, scripts ---------------------------------------------------

def test_site_indexes_in_nav_notes_in_the_explorer(fixture_site: Path) -> None:
    home = parse_html(page_file(fixture_site, ""))
    links = {resolve("", a.attrs["href"]) for a in home.find("article").find_all("a")}
    assert {"_kbgen/wanted/", "_kbgen/tags/"} <= links
    for page in fixture_site.rglob("index.html"):
        url = page.parent.relative_to(fixture_site).as_posix() + "/"
        url = "" if url == "./" else url
        nav = parse_html(page).find("nav", "md-nav--primary")
        hrefs = {resolve(url, a.attrs["href"]) for a in nav.find_all("a")}
        assert {"_kbgen/wanted/", "_kbgen/tags/", "_kbgen/readings/"} <= hrefs, page
        assert not [h for h in hrefs if h and not h.startswith("_kbgen/")], "notes are drawn by the explorer"
        assert nav.find("div", "kbgen-explorer") is not None
    for tag in ("math", "math/graphs", "math/graphs/paths", "meta/overview", "fixture"):
        assert page_file(fixture_site, f"_kbgen/tags/{tag}/").is_file(), tag


def test_math_and_mermaid_scripts_only_where_needed(fixture_site: Path) -> None:
    def scripts(url: str) -> set[str]:
        return {resolve(url, s.attrs["src"]) for s in parse_html(page_file(fixture_site, url)).find_all("script")
                if "src" in s.attrs}

    graph = scripts("Topics/Graph%20Theory/")
    assert {"_kbgen/assets/vendor/katex/katex.min.js", "_kbgen/assets/vendor/mermaid/mermaid.min.js",
            "_kbgen/assets/kbgen.js"} <= graph
    deep = scripts("Topics/Sub/Deep%20Note/")
    assert "_kbgen/assets/kbgen.js" in deep
    assert not [s for s in deep if "vendor" in s]
    for path in ("katex/katex.min.css", "katex/fonts/KaTeX_Main-Regular.woff2", "mermaid/mermaid.min.js"):
        assert (fixture_site / "_kbgen/assets/vendor" / path).is_file()
    assert not (fixture_site / "_kbgen/assets/vendor/README.md").exists()


def test_toc_comes_from_kbgen(fixture_site: Path) -> None:
    toc = parse_html(page_file(fixture_site, "Topics/Graph%20Theory/")).find("nav", "md-nav--secondary")
    anchors = [a.attrs["href"] for a in toc.find_all("a")]
    assert anchors[:3] == ["#shortest-paths", "#code", "#diagrams"]
    assert "#backlinks" in anchors
    shortest = next(a.parent for a in toc.find_all("a") if a.attrs["href"] == "#shortest-paths")
    assert shortest is not None
    assert "#code" in [a.attrs["href"] for a in shortest.find_all("a")], "H3 nested under its H2"


# ---- reproducibility and safety of the swap -------------------------------------------------

def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_ok(FIXTURE, tmp_path / "a" / "site")
    build_ok(FIXTURE, tmp_path / "b" / "site")
    first = tree_digest(tmp_path / "a" / "site", SITEMAPS)
    second = tree_digest(tmp_path / "b" / "site", SITEMAPS)
    # Pagefind (1.5) writes its filter index in hash-map order: those files differ run to
    # run on the same pages.  Everything kbgen writes is compared byte for byte.
    search = "_kbgen/pagefind/"
    assert not [k for k in first if k.startswith("_kbgen-search-")], "the search scratch folder is gone"
    assert {k: v for k, v in first.items() if not k.startswith(search)} == {
        k: v for k, v in second.items() if not k.startswith(search)}
    assert sorted(k for k in first if k.startswith(search) and "/fragment/" in k) == sorted(
        k for k in second if k.startswith(search) and "/fragment/" in k), "the same pages are indexed"
    assert len(first) > 50


def test_failed_strict_build_keeps_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    build_ok(FIXTURE, site)
    before = tree_digest(site)
    result = build_site(FIXTURE, site, None, strict=True)
    assert not result.ok
    assert "strict" in result.message
    assert tree_digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "no temp folder left behind"


def test_crash_keeps_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    build_ok(FIXTURE, site)
    before = tree_digest(site)

    def explode(config: object, **kwargs: object) -> None:
        Path(str(getattr(config, "site_dir"))).mkdir(parents=True, exist_ok=True)
        raise RuntimeError("boom")

    monkeypatch.setattr(site_build, "build", explode)
    with pytest.raises(RuntimeError, match="boom"):
        build_site(FIXTURE, site, None, False)
    assert tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_successful_rebuild_replaces_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old site")
    (site / "stale.html").write_text("stale")
    build_ok(FIXTURE, site)
    assert not (site / "stale.html").exists()
    assert "old site" not in (site / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_unsafe_site_dirs_are_refused(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURE, vault)
    before = tree_digest(vault)
    other = tmp_path / "docs"
    other.mkdir()
    (other / "thesis.tex").write_text("not a site")
    for site in (vault / "site", vault, vault / "Topics" / "out", tmp_path, other):
        with pytest.raises(SiteDirError):
            build_site(vault, site, None, False)
    assert tree_digest(vault) == before
    assert (other / "thesis.tex").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_default_config_is_the_root_config_minus_folders() -> None:
    import yaml

    root = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    default = yaml.safe_load(site_build.DEFAULT_CONFIG.read_text(encoding="utf-8"))
    assert root.pop("docs_dir") == "notes" and root.pop("site_dir") == "site"
    assert "docs_dir" not in default and "site_dir" not in default
    assert root["theme"] == default["theme"]
    assert "navigation.prune" in default["theme"]["features"]
    assert default["theme"]["font"] is False
    assert os.fspath(site_build.DEFAULT_CONFIG).endswith("kbgen/default_mkdocs.yml")


def test_a_note_without_an_opening_h1_is_titled_by_its_file_name(notes_site: Path) -> None:
    """Machine Learning.md opens with a list; its '# Topics' halfway down is a section."""
    headings = article(notes_site, "Machine%20Learning/").find_all("h1")
    assert [h.text().strip("¶ ") for h in headings][:2] == ["Machine Learning", "Topics"]


def test_machine_learning_outline_in_the_table_of_contents(notes_site: Path) -> None:
    page = parse_html(page_file(notes_site, "Machine%20Learning/"))
    toc = page.find("nav", "md-nav--secondary")
    top = [li for li in toc.find("ul").children if not isinstance(li, str) and li.tag == "li"]
    assert [li.find("a").text().strip() for li in top] == ["Topics", "Tools", "Links", "Backlinks"]
    h1s = page.find("article").find_all("h1")
    assert [h.text().strip() for h in h1s][:1] == ["Machine Learning"], "the page title comes first"
    assert len(h1s) == 4, "the note's own # headings stay headings"


def test_summary_counts_every_warning_line_printed(tmp_path: Path) -> None:
    import re
    import subprocess
    import sys
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "A.md").write_text("# A\n\n![[B]]\n\n[[Nowhere]]\n", encoding="utf-8")
    (vault / "B.md").write_text("# B\n\n![[A]]\n", encoding="utf-8")  # an embed cycle
    (vault / "Bad.md").write_text("---\ntitle: [never closed\n---\n# Bad\n", encoding="utf-8")
    (vault / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                                   '<rect onload="x()"/></svg>', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kbgen", "build", str(vault), "-o", str(tmp_path / "site")],
                         capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr
    printed = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    summary = re.search(r"\((\d+) warning\(s\)", run.stdout + run.stderr)
    assert summary is not None, run.stdout + run.stderr
    assert int(summary.group(1)) == len(printed) >= 3, printed
    assert any("pic.svg" in line for line in printed) and any("embed" in line for line in printed)
