"""The built site in real headless Chromium: navigation, backlinks, missing notes, search,
math and diagrams, dark mode, and serving under a sub-path (GitHub Pages project sites).

Chromium here cannot reach any host but 127.0.0.1, so ``console_errors() == []`` also
proves the pages load nothing from the network.  Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from kbgen.site_build import build_site

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_vault"
WAIT = 15


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = build_site(FIXTURE, out, None, False)
    assert result.ok, result.message
    return out


def wait(chrome: WebDriver) -> WebDriverWait:
    return WebDriverWait(chrome, WAIT)


def link_in_article(chrome: WebDriver, text: str, css: str = "a") -> WebElement:
    for a in chrome.find_elements(By.CSS_SELECTOR, f"article {css}"):
        if a.text.strip() == text:
            return a
    raise AssertionError(f"no link {text!r} in the article of {chrome.current_url}")


def show(chrome: WebDriver, selector: str) -> None:
    """Scroll so the element is near the top of the viewport, below material's header."""
    chrome.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -60);",
                          chrome.find_element(By.CSS_SELECTOR, selector))


def h1(chrome: WebDriver) -> str:
    return chrome.find_element(By.CSS_SELECTOR, "article h1").text.replace("¶", "").strip()


def test_follow_links_backlinks_and_missing_notes(
    chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    base = serve_dir(site)
    chrome.get(base)
    assert h1(chrome) == "Home"
    screenshot("site_home")
    assert console_errors() == []

    link_in_article(chrome, "Welcome to the Fixture Vault").click()
    wait(chrome).until(ec.url_contains("/Welcome/"))
    images = chrome.find_elements(By.CSS_SELECTOR, "article img")
    assert images and all(chrome.execute_script("return arguments[0].naturalWidth", i) > 0 for i in images)
    show(chrome, "#embeds")
    screenshot("site_embeds")
    chrome.execute_script("window.scrollTo(0, 0)")
    link_in_article(chrome, "Graph Theory", "a.wikilink").click()
    wait(chrome).until(ec.url_contains("/Topics/Graph%20Theory/"))
    assert h1(chrome) == "Graph Theory"

    backlinks = chrome.find_element(By.CSS_SELECTOR, "section.kbgen-backlinks")
    chrome.execute_script("arguments[0].scrollIntoView()", backlinks)
    sources = [a.text for a in backlinks.find_elements(By.CSS_SELECTOR, "li > a")]
    assert "Welcome to the Fixture Vault" in sources
    contexts = [p.text for p in backlinks.find_elements(By.CSS_SELECTOR, ".kbgen-backlink-context")]
    assert any("Start at Graph Theory" in c for c in contexts)
    marked = backlinks.find_elements(By.CSS_SELECTOR, ".kbgen-backlink-context mark")
    assert "Graph Theory" in [m.text for m in marked]
    screenshot("site_backlinks")

    # KaTeX typeset the formulas and mermaid drew the diagram, from the vendored files.
    wait(chrome).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".arithmatex .katex"))
    wait(chrome).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".kbgen-mermaid-diagram svg"))
    assert not chrome.find_element(By.CSS_SELECTOR, "pre.kbgen-mermaid").is_displayed()
    show(chrome, "#diagrams")
    screenshot("site_math_mermaid")
    assert console_errors() == []

    chrome.back()
    wait(chrome).until(ec.url_contains("/Welcome/"))
    link_in_article(chrome, "Nonexistent Note", "a.kbgen-missing").click()
    wait(chrome).until(ec.url_contains("/_kbgen/missing/nonexistent-note/"))
    assert h1(chrome) == "Nonexistent Note — not written yet"
    referrers = [a.text for a in chrome.find_elements(By.CSS_SELECTOR, "ul.kbgen-referrers li > a")]
    assert referrers == ["Welcome to the Fixture Vault"]
    screenshot("site_missing_note")
    assert console_errors() == []


def test_search_finds_a_note_by_a_word_in_its_body(
    chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(site))
    box = wait(chrome).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input")))
    box.click()  # the desktop header shows material's search box itself
    box.send_keys("xylophone")
    results = wait(chrome).until(lambda d: [
        r for r in d.find_elements(By.CSS_SELECTOR, ".md-search-result__item") if r.text.strip()])
    assert "Deep Note" in results[0].text
    screenshot("site_search")
    results[0].find_element(By.CSS_SELECTOR, "a").click()
    wait(chrome).until(ec.url_contains("/Topics/Sub/Deep%20Note/"))
    assert h1(chrome) == "Deep Note"
    assert console_errors() == []


def test_dark_mode_toggle(
    chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(site) + "Topics/Graph%20Theory/")
    body = chrome.find_element(By.TAG_NAME, "body")
    before = body.get_attribute("data-md-color-scheme")
    background = body.value_of_css_property("background-color")
    toggle = [b for b in chrome.find_elements(By.CSS_SELECTOR, "form[data-md-component=palette] label")
              if b.is_displayed()]
    assert len(toggle) == 1
    toggle[0].click()
    wait(chrome).until(lambda d: body.get_attribute("data-md-color-scheme") != before)
    assert {before, body.get_attribute("data-md-color-scheme")} == {"default", "slate"}
    assert body.value_of_css_property("background-color") != background
    screenshot("site_dark_mode")
    # The diagram is redrawn in mermaid's dark theme.
    wait(chrome).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".kbgen-mermaid-diagram svg"))
    show(chrome, "#diagrams")
    screenshot("site_dark_mode_diagram")
    assert console_errors() == []


def test_site_works_under_a_sub_path(
    chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    base = serve_dir(site, subpath="repo")
    assert base.endswith("/repo/")
    chrome.get(base)
    assert h1(chrome) == "Home"
    header = chrome.find_element(By.CSS_SELECTOR, "header.md-header")
    assert header.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)", "theme CSS loaded"
    link_in_article(chrome, "Topics").click()
    wait(chrome).until(ec.url_contains("/repo/Topics/"))
    link_in_article(chrome, "Café Notes").click()
    wait(chrome).until(ec.url_contains("/repo/Topics/Caf%C3%A9%20Notes/"))
    link_in_article(chrome, "a theorem nobody wrote", "a.kbgen-missing").click()
    wait(chrome).until(ec.url_contains("/repo/_kbgen/missing/missing-theorem/"))
    link_in_article(chrome, "Graph Theory", "ul.kbgen-referrers a").click()
    wait(chrome).until(ec.url_contains("/repo/Topics/Graph%20Theory/"))
    wait(chrome).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".arithmatex .katex"))
    screenshot("site_sub_path")
    chrome.find_element(By.CSS_SELECTOR, "a.md-header__button.md-logo").click()
    wait(chrome).until(lambda d: d.current_url.endswith("/repo/"))
    assert console_errors() == []


def test_explorer_opens_a_folder_and_breadcrumbs_lead_back(
    chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    base = serve_dir(site, subpath="repo")
    chrome.get(base)
    explorer = wait(chrome).until(lambda d: d.find_element(By.CSS_SELECTOR, ".kbgen-explorer ul"))
    topics = next(s for s in explorer.find_elements(By.CSS_SELECTOR, "summary") if s.text.startswith("Topics"))
    assert not explorer.find_elements(By.LINK_TEXT, "Graph Theory"), "folders start closed"
    topics.click()
    note = wait(chrome).until(lambda d: d.find_element(By.CSS_SELECTOR, ".kbgen-explorer").find_element(
        By.LINK_TEXT, "Graph Theory"))
    screenshot("explorer_open_folder")
    note.click()
    wait(chrome).until(ec.url_contains("/repo/Topics/Graph%20Theory/"))
    assert h1(chrome) == "Graph Theory"
    current = wait(chrome).until(lambda d: d.find_element(By.CSS_SELECTOR, ".kbgen-explorer [aria-current=page]"))
    assert current.text == "Graph Theory", "the open note is marked and its folder open"
    crumbs = [a.text for a in chrome.find_elements(By.CSS_SELECTOR, "article .kbgen-breadcrumbs a")]
    assert crumbs == ["Home", "Topics"]
    chrome.find_element(By.CSS_SELECTOR, "article .kbgen-breadcrumbs").find_element(By.LINK_TEXT, "Topics").click()
    wait(chrome).until(lambda d: d.current_url.endswith("/repo/Topics/"))
    assert h1(chrome) == "Topics"
    assert link_in_article(chrome, "Graph Theory") is not None
    chrome.find_element(By.CSS_SELECTOR, "article .kbgen-breadcrumbs").find_element(By.LINK_TEXT, "Home").click()
    wait(chrome).until(lambda d: d.current_url.endswith("/repo/"))
    assert console_errors() == []


def test_explorer_on_a_phone(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                             screenshot: Callable[[str], Path]) -> None:
    chrome.set_window_size(400, 800)
    try:
        chrome.get(serve_dir(site) + "Topics/Sub/Deep%20Note/")
        chrome.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__drawer']").click()
        current = wait(chrome).until(lambda d: d.find_element(By.CSS_SELECTOR, ".kbgen-explorer [aria-current=page]"))
        drawer = chrome.find_element(By.CSS_SELECTOR, ".md-sidebar--primary")
        wait(chrome).until(lambda d: current.is_displayed() and drawer.rect["x"] >= 0)  # slid fully in
        assert current.text == "Deep Note"
        screenshot("explorer_phone_drawer")
    finally:
        chrome.set_window_size(1280, 900)


def test_machine_learning_shows_its_whole_outline(
    chrome: WebDriver, serve_dir: Callable[..., str], tmp_path: Path, screenshot: Callable[[str], Path],
) -> None:
    repo = FIXTURE.parents[2]
    out = tmp_path / "site"
    result = build_site(repo / "notes", out, repo / "mkdocs.yml", False)
    assert result.ok, result.message
    chrome.get(serve_dir(out) + "Machine%20Learning/")
    toc = wait(chrome).until(lambda d: d.find_element(By.CSS_SELECTOR, "nav.md-nav--secondary"))
    entries = [a.text for a in toc.find_elements(By.CSS_SELECTOR, "a.md-nav__link") if a.text]
    assert entries == ["Topics", "Tools", "Links", "Backlinks"]
    sizes = [float(h.value_of_css_property("font-size")[:-2]) for h in chrome.find_elements(By.CSS_SELECTOR, "article h1")]
    assert sizes[0] > max(sizes[1:]), "a body # heading does not look like a second page title"
    screenshot("machine_learning_toc")


def test_404_page_works_under_a_sub_path(
    chrome: WebDriver, site: Path, tmp_path: Path, screenshot: Callable[[str], Path],
    console_errors: Callable[[], list[str]],
) -> None:
    """Served like GitHub Pages serves a project site: /repo/…, and 404.html for any miss."""
    import functools
    import http.server
    import threading

    (tmp_path / "repo").symlink_to(site, target_is_directory=True)

    class Pages(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Pages, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/repo/"
        chrome.get(base + "Topics/No/Such/Page/")
        assert h1(chrome) == "404 - Not found"
        header = chrome.find_element(By.CSS_SELECTOR, "header.md-header")
        assert header.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)", "theme CSS loaded"
        wait(chrome).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".kbgen-explorer summary"))
        screenshot("site_404_sub_path")
        link_in_article(chrome, "Go to the home page").click()
        wait(chrome).until(lambda d: d.current_url == base)
        assert h1(chrome) == "Home"
        errors = [e for e in console_errors() if "404" not in e]  # the page itself answers 404
        assert errors == []
    finally:
        server.shutdown()
        server.server_close()
