"""Graph view, hover previews and Pagefind search in real headless Chromium.

The site is a real ``kbgen build`` of tests/fixtures/browse_vault, wired the way the site
plan will wire it (tests/browse_site.py), with a real Pagefind index, served under a
sub-path (/repo/) as on GitHub Pages.  Chromium here reaches no host but 127.0.0.1, so
``console_errors() == []`` also shows that nothing is fetched from the network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browse_site import BrowseSite, build_browse_site
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "browse_vault"
WAIT = 20
GRAPH = "Topics/Graph%20Theory/"
CAFE = "Topics/Caf%C3%A9%20%26%20Co/"


@pytest.fixture(scope="module")
def browse(tmp_path_factory: pytest.TempPathFactory) -> BrowseSite:
    root = tmp_path_factory.mktemp("browse")
    (root / "work").mkdir()
    return build_browse_site(FIXTURE, root / "site", root / "work")


@pytest.fixture
def base(browse: BrowseSite, serve_dir: Callable[..., str]) -> str:
    return serve_dir(browse.site, subpath="repo")


def wait(chrome: WebDriver, timeout: float = WAIT) -> WebDriverWait:
    return WebDriverWait(chrome, timeout)


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


# -- graph view -------------------------------------------------------------------------


def graph_ready(chrome: WebDriver, selector: str = ".kbgen-graph") -> WebElement:
    box = chrome.find_element(By.CSS_SELECTOR, selector)
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    wait(chrome).until(lambda d: box.get_attribute("data-kbgen-state") in ("settled", "error"))
    assert box.get_attribute("data-kbgen-state") == "settled"
    return box


def drawn_nodes(chrome: WebDriver, box: WebElement) -> dict[str, dict[str, Any]]:
    """Title -> {id, kind, backlinks, x, y}: x/y are the node's offset from the canvas centre."""
    nodes = chrome.execute_script("""
        var g = arguments[0].kbgenGraph.graph, c = arguments[0].querySelector('canvas');
        return arguments[0].kbgenGraph.nodes().map(function (n) {
          var p = g.graph2ScreenCoords(n.x, n.y);
          return {title: n.title, id: n.id, kind: n.kind, backlinks: n.backlinks,
                  x: p.x - c.clientWidth / 2, y: p.y - c.clientHeight / 2};
        });""", box)
    return {n["title"]: n for n in nodes}


def painted_pixels(chrome: WebDriver, box: WebElement) -> int:
    return chrome.execute_script("""
        var c = arguments[0].querySelector('canvas'), d = c.getContext('2d')
          .getImageData(0, 0, c.width, c.height).data, n = 0;
        for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;""", box)


def test_local_graph_shows_neighbours_and_clicking_one_navigates(
    chrome: WebDriver, base: str, browse: BrowseSite, screenshot: Callable[[str], Path],
    console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(base + GRAPH)
    box = graph_ready(chrome)
    assert box.get_attribute("data-kbgen-node") == str(browse.graph.node_ids["Topics/Graph Theory.md"])
    nodes = drawn_nodes(chrome, box)
    assert set(nodes) == {"Graph Theory", "Start", "Café & Co", "Leaf Note"}
    assert painted_pixels(chrome, box) > 500

    canvas = box.find_element(By.CSS_SELECTOR, "canvas")
    cafe = nodes["Café & Co"]
    ActionChains(chrome).move_to_element_with_offset(canvas, round(cafe["x"]), round(cafe["y"])).perform()
    screenshot("browse_local_graph_hover")
    wait(chrome).until(lambda d: box.get_attribute("data-kbgen-hover") == str(cafe["id"]))

    box.find_element(By.CSS_SELECTOR, "input[name=depth2]").click()
    wait(chrome).until(lambda d: "Not Written Yet" in drawn_nodes(chrome, box))
    graph_ready(chrome)
    deeper = drawn_nodes(chrome, box)
    assert deeper["Not Written Yet"]["kind"] == "missing"
    assert "Lonely" not in deeper and "#math" not in deeper
    box.find_element(By.CSS_SELECTOR, "input[name=tags]").click()
    wait(chrome).until(lambda d: "#math" in drawn_nodes(chrome, box))
    screenshot("browse_local_graph_depth2_tags")

    box.find_element(By.CSS_SELECTOR, "input[name=depth2]").click()
    box.find_element(By.CSS_SELECTOR, "input[name=tags]").click()
    wait(chrome).until(lambda d: "Not Written Yet" not in drawn_nodes(chrome, box))
    graph_ready(chrome)
    cafe = drawn_nodes(chrome, box)["Café & Co"]
    ActionChains(chrome).move_to_element_with_offset(canvas, round(cafe["x"]), round(cafe["y"])).click().perform()
    wait(chrome).until(lambda d: path_of(d.current_url).endswith("/Topics/Café & Co/"))
    assert chrome.find_element(By.CSS_SELECTOR, "article h1").text.replace("¶", "").strip() == "Café & Co"
    assert console_errors() == []


def test_global_graph_draws_in_light_and_dark(
    chrome: WebDriver, base: str, browse: BrowseSite, screenshot: Callable[[str], Path],
    console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(base + "_kbgen/graph/")
    box = graph_ready(chrome, ".kbgen-graph-global")
    nodes = drawn_nodes(chrome, box)
    notes = {n.title for n in browse.loaded.notes.values()}
    assert set(nodes) == notes | {"Not Written Yet"}
    assert nodes["Graph Theory"]["backlinks"] == 3 and nodes["Lonely"]["backlinks"] == 0
    assert painted_pixels(chrome, box) > 1000
    screenshot("browse_global_graph")

    chrome.execute_script("document.body.setAttribute('data-md-color-scheme', 'slate')")
    box.find_element(By.CSS_SELECTOR, "input[name=tags]").click()
    wait(chrome).until(lambda d: {"#math", "#drinks"} <= set(drawn_nodes(chrome, box)))
    graph_ready(chrome, ".kbgen-graph-global")
    screenshot("browse_global_graph_dark_tags")
    assert console_errors() == []


# -- hover previews ---------------------------------------------------------------------


def link_to(chrome: WebDriver, href_part: str, scope: str = "article", css: str = "a[href]") -> WebElement:
    for a in chrome.find_elements(By.CSS_SELECTOR, f"{scope} {css}"):
        if unquote(href_part) in unquote(a.get_attribute("href") or "") and a.is_displayed():
            return a
    raise AssertionError(f"no visible link containing {href_part!r} in {scope}")


def open_preview(chrome: WebDriver, link: WebElement) -> WebElement:
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    # From the header first: a pointer already resting where the link lands sends no mouseover.
    header = chrome.find_element(By.CSS_SELECTOR, "header")
    ActionChains(chrome).move_to_element(header).move_to_element(link).perform()
    return wait(chrome).until(lambda d: next(
        (p for p in d.find_elements(By.CSS_SELECTOR, ".kbgen-preview") if p.is_displayed()), False))


def close_preview(chrome: WebDriver) -> None:
    ActionChains(chrome).send_keys(Keys.ESCAPE).perform()
    wait(chrome).until(lambda d: not any(p.is_displayed() for p in d.find_elements(By.CSS_SELECTOR, ".kbgen-preview")))


def test_hover_shows_the_note_scrolled_to_the_linked_heading(
    chrome: WebDriver, base: str, screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(base)
    link = link_to(chrome, GRAPH + "#shortest-paths")
    preview = open_preview(chrome, link)
    assert path_of(preview.get_attribute("data-kbgen-preview-url")) == "/repo/Topics/Graph Theory/"
    assert preview.get_attribute("data-kbgen-preview-target") == "shortest-paths"
    assert "Dijkstra relaxes every edge" in preview.text
    assert preview.find_elements(By.CSS_SELECTOR, ".kbgen-backlinks, #backlinks, .kbgen-graph, .kbgen-local-graph, #kbgen-graph") == []
    geometry = chrome.execute_script("""
        var p = arguments[0], t = p.querySelector('.kbgen-preview-target');
        var a = p.getBoundingClientRect(), b = t.getBoundingClientRect();
        return {scroll: p.scrollTop, top: b.top - a.top, bottom: a.bottom - b.bottom, tag: t.tagName,
                ids: p.querySelectorAll('[id]').length};""", preview)
    assert geometry["tag"] == "H2" and geometry["scroll"] > 100
    assert geometry["top"] >= 0 and geometry["bottom"] >= 0  # the heading is in view
    assert geometry["ids"] == 0  # no duplicate ids leak into the page
    images = preview.find_elements(By.CSS_SELECTOR, "img")
    assert all(i.get_attribute("src").startswith(base) for i in images)
    screenshot("browse_preview_heading")
    close_preview(chrome)
    assert console_errors() == []


@pytest.mark.parametrize(("page", "scope", "href_part", "expect_url", "expect_text", "expect_target"), [
    ("", "article", "_kbgen/missing/", "/repo/_kbgen/missing/not-written-yet/",
     "There is no note called", None),
    ("", "article .kbgen-page > ul", CAFE, "/repo/Topics/Café & Co/", "Zoë brews espresso", None),
    ("", "article .kbgen-page > ul", CAFE + "#%5Eespresso", "/repo/Topics/Café & Co/", "Zoë brews espresso", "^espresso"),
    ("", "article .kbgen-page > ul", "Deep/Leaf%20Note/", "/repo/Deep/Leaf Note/", "A leaf, two links away", None),
    ("", ".kbgen-embed", "Deep/Leaf%20Note/#leaf-heading", "/repo/Deep/Leaf Note/", "Leaves mention",
     "leaf-heading"),
    (GRAPH, ".kbgen-backlinks", "Deep/Leaf%20Note/", "/repo/Deep/Leaf Note/", "A leaf, two links away", None),
], ids=["missing-note", "unicode-ampersand", "block-id", "markdown-percent20", "in-embed", "in-backlinks"])
def test_previews_of_other_links(
    chrome: WebDriver, base: str, page: str, scope: str, href_part: str, expect_url: str,
    expect_text: str, expect_target: str | None, screenshot: Callable[[str], Path],
    console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(base + page)
    link = link_to(chrome, href_part, scope)
    if "/missing/" in expect_url:
        assert "kbgen-missing" in link.get_attribute("class").split()
    preview = open_preview(chrome, link)
    assert path_of(preview.get_attribute("data-kbgen-preview-url")) == expect_url
    assert expect_text in preview.text
    assert preview.get_attribute("data-kbgen-preview-target") == expect_target
    if expect_url.endswith("/missing/not-written-yet/"):
        screenshot("browse_preview_missing")
    close_preview(chrome)
    assert console_errors() == []


def test_keyboard_focus_opens_a_preview_and_escape_closes_it(chrome: WebDriver, base: str) -> None:
    chrome.get(base)
    link = link_to(chrome, CAFE, "article .kbgen-page > ul")
    chrome.execute_script("arguments[0].focus()", link)
    preview = wait(chrome).until(lambda d: next(
        (p for p in d.find_elements(By.CSS_SELECTOR, ".kbgen-preview") if p.is_displayed()), False))
    assert "Zoë brews espresso" in preview.text
    assert link.get_attribute("aria-expanded") == "true"
    close_preview(chrome)
    assert chrome.switch_to.active_element == link


def test_touch_never_opens_a_preview_and_closes_an_open_one(chrome: WebDriver, base: str) -> None:
    chrome.get(base)
    link = link_to(chrome, CAFE, "article .kbgen-page > ul")
    open_preview(chrome, link)
    chrome.execute_script("""
        var t = new Touch({identifier: 1, target: arguments[0], clientX: 5, clientY: 5});
        arguments[0].dispatchEvent(new TouchEvent('touchstart', {bubbles: true, touches: [t]}));
        arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));""", link)
    wait(chrome).until(lambda d: not d.find_element(By.CSS_SELECTOR, ".kbgen-preview").is_displayed())
    chrome.execute_script("return new Promise(function (r) { setTimeout(r, 900); })")
    assert not chrome.find_element(By.CSS_SELECTOR, ".kbgen-preview").is_displayed()


# -- search -----------------------------------------------------------------------------


def search(chrome: WebDriver, query: str) -> list[dict[str, str]]:
    box = chrome.find_element(By.CSS_SELECTOR, "[data-kbgen-search]")
    field = box.find_element(By.CSS_SELECTOR, "input")
    field.click()
    field.clear()
    field.send_keys(query)
    wait(chrome).until(lambda d: box.get_attribute("data-kbgen-search-state") in ("done", "error")
                       and field.get_attribute("value") == query)
    assert box.get_attribute("data-kbgen-search-state") == "done"
    return chrome.execute_script("""
        return Array.from(arguments[0].querySelectorAll('.kbgen-search-result__item')).map(function (li) {
          var a = li.querySelector('a');
          return {kind: li.getAttribute('data-kbgen-kind'), href: a.href, title: a.querySelector('h1').textContent,
                  marks: Array.from(a.querySelectorAll(':scope > article > p mark')).map(function (m) {
                    return m.textContent.toLowerCase(); })};
        });""", box)


def test_search_finds_notes_by_body_word_alias_and_title_first(
    chrome: WebDriver, base: str, screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(base + "Deep/Lonely/")
    by_body = search(chrome, "quokka")
    assert path_of(by_body[0]["href"]) == "/repo/Topics/Graph Theory/"
    assert "quokka" in by_body[0]["marks"]

    by_alias = search(chrome, "Networks of Things")
    assert path_of(by_alias[0]["href"]) == "/repo/Topics/Graph Theory/" and by_alias[0]["kind"] == "note"

    by_unicode = search(chrome, "xylophone")
    assert [path_of(r["href"]) for r in by_unicode] == ["/repo/Topics/Café & Co/"]

    mixed = search(chrome, "graph theory")
    kinds = [r["kind"] for r in mixed]
    assert path_of(mixed[0]["href"]) == "/repo/Topics/Graph Theory/"
    assert "page" in kinds and kinds == sorted(kinds)  # every note before every generated page
    screenshot("browse_search_results")

    chrome.find_element(By.CSS_SELECTOR, "[data-kbgen-search] a.md-search-result__link").click()
    wait(chrome).until(lambda d: path_of(d.current_url) == "/repo/Topics/Graph Theory/")
    loaded = chrome.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert not [u for u in loaded if "search_index.json" in u]  # material's lunr index is never fetched
    assert console_errors() == []


def test_backlinks_are_not_indexed_as_note_text(chrome: WebDriver, base: str) -> None:
    chrome.get(base)
    # Leaf Note's sentence is quoted in the Backlinks of Graph Theory (which it links to) and
    # embedded in Start: Start is a match (an embed is note text), Graph Theory is not.
    backlinks = chrome.execute_script("return fetch('Topics/Graph%20Theory/').then(r => r.text())")
    assert "Leaves mention" in backlinks
    quoted = search(chrome, "Leaves mention")
    paths = [path_of(r["href"]) for r in quoted]
    assert paths[0] == "/repo/Deep/Leaf Note/" and set(paths) == {"/repo/Deep/Leaf Note/", "/repo/"}


def test_a_clipped_web_page_is_not_previewed(chrome: WebDriver, base: str, browse: BrowseSite) -> None:
    clip = (browse.site / "clips" / "page.html").read_text("utf-8")
    assert 'class="md-content__inner"' in clip  # it even copies the theme's article class
    chrome.get(base)
    link = link_to(chrome, "clips/page.html")
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    ActionChains(chrome).move_to_element(chrome.find_element(By.CSS_SELECTOR, "header")).move_to_element(link).perform()
    fetched = "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/clips/page.html'))"
    wait(chrome).until(lambda d: d.execute_script(fetched))
    chrome.execute_script("return new Promise(function (r) { setTimeout(r, 500); })")
    assert not any(p.is_displayed() for p in chrome.find_elements(By.CSS_SELECTOR, ".kbgen-preview"))


def test_search_merges_the_shards_of_a_large_index(
    chrome: WebDriver, serve_dir: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    console_errors: Callable[[], list[str]],
) -> None:
    """A big vault's index is built in shards (Pagefind's memory); the browser merges them."""
    import gzip
    import json

    monkeypatch.setattr("kbgen.search_index.SHARD_PAGES", 2)
    shards = build_browse_site(FIXTURE, tmp_path / "site")
    listed = json.loads((shards.site / "_kbgen" / "pagefind" / "shards.json").read_text())
    assert len(listed) >= 2
    base = serve_dir(shards.site, subpath="repo")
    chrome.get(base)
    found = {path_of(r["href"]) for name in ("quokka", "xylophone", "Networks of Things")
             for r in search(chrome, name)}
    assert {"/repo/Topics/Graph Theory/", "/repo/Topics/Café & Co/"} <= found
    assert console_errors() == []
    bundle = shards.site / "_kbgen" / "pagefind"
    in_shards = b"".join(gzip.decompress(f.read_bytes()) for f in bundle.glob("shard-*/fragment/*"))
    in_main = b"".join(gzip.decompress(f.read_bytes()) for f in bundle.glob("fragment/*"))
    assert b"quokka" in in_shards + in_main and b"xylophone" in in_shards + in_main
    assert b"quokka" in in_shards or b"xylophone" in in_shards, "a found page lives in a merged shard"
