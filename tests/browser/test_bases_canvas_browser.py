"""Bases and canvases in headless Chromium, served under a sub-path: a base's table and
cards, an embedded view, and a canvas board that pans and zooms.  Screenshots go to
tests/artifacts/screenshots/ (bases-table, bases-cards, canvas-board, canvas-zoomed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kbgen.site_build import build_site

WAIT = 15


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bases_vault import VAULT
    from trees import write_tree_at

    vault = write_tree_at(tmp_path_factory.mktemp("bases-vault"), VAULT)
    out = tmp_path_factory.mktemp("bases-browser") / "site"
    result = build_site(vault, out, None, False)
    assert result.ok, result.message
    return out


def show(chrome: WebDriver, selector: str) -> None:
    chrome.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -70);",
                          chrome.find_element(By.CSS_SELECTOR, selector))


def box(chrome: WebDriver, element) -> dict[str, float]:
    """Where the element is drawn (after CSS transforms; WebDriver's rect ignores them)."""
    return chrome.execute_script("var r = arguments[0].getBoundingClientRect();"
                                 "return {x: r.left, y: r.top, width: r.width, height: r.height};", element)


def transform(chrome: WebDriver) -> str:
    return chrome.execute_script("return document.querySelector('.kbgen-canvas-world').style.transform")


def test_base_table_and_cards(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                              screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]]) -> None:
    base = serve_dir(site, "repo")
    chrome.get(base + "Books.base/")
    table = chrome.find_element(By.CSS_SELECTOR, '.kbgen-base[data-view="All books"] table')
    rows = [tr.find_element(By.CSS_SELECTOR, "td").text for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert rows == ["The Hobbit", "Dune", "Neuromancer", "Snow Crash"]
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "th")]
    assert headers == ["Title", "Author", "year", "rating"]
    assert table.size["width"] > 400  # a real table across the content, not a squeezed column
    show(chrome, '.kbgen-base[data-view="All books"]')
    screenshot("bases-table")
    cards = chrome.find_elements(By.CSS_SELECTOR, '.kbgen-base[data-view="Gallery"] li.kbgen-base-card')
    assert len(cards) == 4
    lefts = {round(c.location["x"]) for c in cards}
    assert len(lefts) > 1  # laid out side by side in a grid
    cover = cards[0].find_element(By.CSS_SELECTOR, "img")
    assert chrome.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", cover)
    show(chrome, '.kbgen-base[data-view="Gallery"]')
    screenshot("bases-cards")
    cards[0].find_element(By.CSS_SELECTOR, ".kbgen-base-card-title a").click()
    WebDriverWait(chrome, WAIT).until(lambda d: d.current_url.endswith("/repo/Books/Dune/"))
    assert console_errors() == []


def test_embedded_view_in_a_note(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                                 console_errors: Callable[[], list[str]]) -> None:
    base = serve_dir(site, "repo")
    chrome.get(base + "Reading/")
    rows = chrome.find_elements(By.CSS_SELECTOR, ".kbgen-base-embed tbody tr")
    assert [r.find_element(By.CSS_SELECTOR, "td").text for r in rows] == ["Dune", "The Hobbit", "Neuromancer"]
    chrome.find_element(By.CSS_SELECTOR, ".kbgen-base-embed .kbgen-embed-title a").click()
    WebDriverWait(chrome, WAIT).until(lambda d: d.current_url.endswith("/repo/Books.base/"))
    assert console_errors() == []


def test_canvas_board_pans_and_zooms(chrome: WebDriver, serve_dir: Callable[..., str], site: Path,
                                     screenshot: Callable[[str], Path],
                                     console_errors: Callable[[], list[str]]) -> None:
    base = serve_dir(site, "repo")
    chrome.get(base + "Plan.canvas/")
    WebDriverWait(chrome, WAIT).until(lambda d: "scale(" in (transform(d) or ""))
    toolbar = chrome.find_element(By.CSS_SELECTOR, ".kbgen-canvas-toolbar")
    assert toolbar.is_displayed()
    viewport = chrome.find_element(By.CSS_SELECTOR, ".kbgen-canvas-viewport")
    for node_id in ("text1", "file1", "img1", "link1", "group1"):
        card = box(chrome, chrome.find_element(By.CSS_SELECTOR, f'[data-node="{node_id}"]'))
        view = box(chrome, viewport)
        assert view["x"] <= card["x"] and card["x"] + card["width"] <= view["x"] + view["width"] + 1, node_id
        assert view["y"] <= card["y"] and card["y"] + card["height"] <= view["y"] + view["height"] + 1, node_id
    assert "Next up" in chrome.find_element(By.CSS_SELECTOR, '[data-node="text1"]').text
    assert chrome.find_element(By.CSS_SELECTOR, '.kbgen-canvas-edge-label[data-edge="e1"]').text == "then <this>"
    show(chrome, ".kbgen-canvas")
    screenshot("canvas-board")
    fitted = transform(chrome)
    chrome.find_element(By.CSS_SELECTOR, 'button[data-canvas="zoom-in"]').click()
    chrome.find_element(By.CSS_SELECTOR, 'button[data-canvas="zoom-in"]').click()
    zoomed = transform(chrome)
    assert zoomed != fitted
    scale = lambda t: float(t.split("scale(")[1].rstrip(")"))  # noqa: E731
    assert scale(zoomed) == pytest.approx(scale(fitted) * 1.5625, rel=1e-3)
    group = chrome.find_element(By.CSS_SELECTOR, '[data-node="group1"]')
    before = box(chrome, group)["x"]
    ActionChains(chrome).move_to_element_with_offset(viewport, 10, 10).click_and_hold() \
        .move_by_offset(-120, 0).move_by_offset(-60, 0).release().perform()
    assert box(chrome, group)["x"] == pytest.approx(before - 180, abs=3)
    screenshot("canvas-zoomed")
    chrome.find_element(By.CSS_SELECTOR, 'button[data-canvas="fit"]').click()
    assert transform(chrome) == fitted
    link = chrome.find_element(By.CSS_SELECTOR, '[data-node="text1"] a.wikilink')
    link.click()  # a press without a drag is still a click
    WebDriverWait(chrome, WAIT).until(lambda d: d.current_url.endswith("/repo/Books/Dune/"))
    assert "Canvas Plan" in chrome.find_element(By.CSS_SELECTOR, ".kbgen-backlinks").text
    assert console_errors() == []
