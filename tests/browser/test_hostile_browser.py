"""Hostile notes in real Chromium: no payload runs on any page, in the navigation, in the
search results (which material renders as HTML) or in search highlighting.

Every payload in the hostile vault sets ``window.__pwned`` if it ever runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the hostile vault helper
from hostile_vault import FOLDER_PAYLOAD, make_hostile_vault  # noqa: E402

from kbgen.site_build import build_site  # noqa: E402

pytestmark = pytest.mark.browser

# Fire every event a payload could listen for on every element of the page.
POKE = """
for (const el of document.querySelectorAll('body *')) {
  for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart', 'toggle', 'load', 'error']) {
    el.dispatchEvent(new Event(type));
  }
}
const live = [];  // what the page's own scripts (KaTeX, mermaid, the theme) put in the DOM
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    const value = attr.value.replace(/[\x00-\x20]/g, '').toLowerCase();
    if (attr.name.startsWith('on') || /^(javascript|vbscript):/.test(value)) live.push(el.outerHTML.slice(0, 120));
  }
}
if (live.length) return 'live DOM: ' + live.join(' | ');
return window.__pwned === undefined ? null : String(window.__pwned);
"""
PAGES = ["", "inject/titles/", "inject/links/", "inject/tags/", "inject/traversal/",
         "names/index%20of%20odd%20names/", quote(FOLDER_PAYLOAD) + "/inside/", "case/Note/",
         "_kbgen/tags/", "_kbgen/wanted/", "_kbgen/readings/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-browser")
    hostile = make_hostile_vault(root, heavy=False)
    result = build_site(hostile.vault, root / "site")
    assert result.ok, result.message
    return root / "site"


def assert_not_pwned(chrome: WebDriver) -> None:
    try:
        text = chrome.switch_to.alert.text
    except NoAlertPresentException:
        text = None
    assert text is None, f"an alert opened on {chrome.current_url}: {text!r}"
    assert chrome.execute_script(POKE) is None, chrome.current_url


@pytest.mark.parametrize("page", PAGES)
def test_no_payload_runs_on_the_page(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                                     page: str) -> None:
    chrome.get(serve_dir(site) + page)
    WebDriverWait(chrome, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert chrome.find_elements(By.CSS_SELECTOR, "article")
    if page == "inject/links/":  # wait for KaTeX and mermaid to have drawn
        WebDriverWait(chrome, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".katex, svg[id^=mermaid]"))
    assert_not_pwned(chrome)


def test_titles_show_as_text_in_nav_and_header(chrome: WebDriver, serve_dir: Callable[..., str],
                                               site: Path, screenshot: Callable[[str], Path]) -> None:
    chrome.get(serve_dir(site) + "inject/titles/")
    assert chrome.find_element(By.CSS_SELECTOR, "article h1").text.startswith('<img src=x onerror="window.')
    assert chrome.title.startswith("<img src=x")
    chrome.get(serve_dir(site) + quote(FOLDER_PAYLOAD) + "/inside/")
    WebDriverWait(chrome, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".kbgen-explorer summary"))
    labels = [e.get_attribute("textContent")
              for e in chrome.find_elements(By.CSS_SELECTOR, ".kbgen-explorer summary, .kbgen-breadcrumbs a")]
    assert sum("<img src=x onerror=window." in (label or "") for label in labels) >= 2, labels
    screenshot("hostile_folder_nav")
    assert_not_pwned(chrome)


def search(chrome: WebDriver, base: str, query: str) -> list[WebElement]:
    """Type ``query`` into the site's search box (Pagefind); the result items once it has run."""
    chrome.get(base)
    box = chrome.find_element(By.CSS_SELECTOR, "[data-kbgen-search]")
    field = WebDriverWait(chrome, 15).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "[data-kbgen-search] input")))
    field.click()
    field.send_keys(query)
    WebDriverWait(chrome, 15).until(lambda d: box.get_attribute("data-kbgen-search-state") in ("done", "error"))
    return [r for r in chrome.find_elements(By.CSS_SELECTOR, ".kbgen-search-result__item") if r.text.strip()]


def test_search_results_render_titles_as_text(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                                              screenshot: Callable[[str], Path]) -> None:
    results = search(chrome, serve_dir(site), "onerror")
    screenshot("hostile_search")
    assert_not_pwned(chrome)
    titled = [r for r in results if '<img src=x onerror="window.__pwned=1">' in r.text]  # the title, as text
    assert titled, [r.text for r in results]
    before = chrome.current_url
    titled[0].find_element(By.CSS_SELECTOR, "a").click()
    WebDriverWait(chrome, 15).until(lambda d: d.current_url != before)
    assert_not_pwned(chrome)


@pytest.mark.parametrize("query", ['<img src=x onerror="window.__pwned=98">', "<script>x", "&lt;img"])
def test_markup_typed_into_search_runs_nothing(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                                               query: str) -> None:
    search(chrome, serve_dir(site), query)
    assert_not_pwned(chrome)


@pytest.mark.parametrize("param", ["h", "q"])
def test_a_crafted_link_to_the_site_runs_nothing(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                                                 param: str) -> None:
    """``?h=`` highlights words on the page and ``?q=`` fills the search box: both from the URL."""
    payload = quote('<img src=x onerror="window.__pwned=99">')
    chrome.get(serve_dir(site) + f"inject/titles/?{param}={payload}")
    WebDriverWait(chrome, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert_not_pwned(chrome)
