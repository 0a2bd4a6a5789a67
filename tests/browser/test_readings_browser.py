"""The Reading list in real headless Chromium: level/kind filters, sorting, the count, badges
in both palettes, the filter kept in the URL, cards on a 400 px phone, "Cited in" landing
on the bullet, and 5,000 readings filtered correctly.

How long filtering takes is measured by benchmarks/bench_readings.py, not asserted here:
a loaded machine must not fail a test.  Chromium here reaches only 127.0.0.1, so
``console_errors() == []`` also shows the filtering needs no network.  Screenshots go
to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from kbgen.site_build import build_site

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTES = REPO / "notes"
READINGS = "_kbgen/readings/"
SYNTHETIC = 5000
PHONE = 400


def _bench_module():
    """benchmarks/bench_readings.py: its synthetic reading vault is the one measured there."""
    spec = importlib.util.spec_from_file_location("bench_readings", REPO / "benchmarks" / "bench_readings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

# Every row as the page shows it: what the assertions compare.
ROWS_JS = """
return Array.from(document.querySelectorAll('.kbgen-readings tbody tr')).map(function (tr) {
  return {key: tr.dataset.key, level: tr.dataset.level, kind: tr.dataset.kind,
          year: tr.dataset.year, hidden: tr.hidden, shown: tr.offsetParent !== null};
});
"""


def _site(tmp: Path, vault: Path, config: Path | None) -> Path:
    result = build_site(vault, tmp / "site", config, False)
    assert result.ok, result.message
    return tmp / "site"


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site(tmp_path_factory.mktemp("readings-browser"), NOTES, REPO / "mkdocs.yml")


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50 notes x 100 reading bullets, each a distinct work: 5,000 rows."""
    tmp = tmp_path_factory.mktemp("readings-5000")
    assert _bench_module().write_reading_vault(tmp / "vault", SYNTHETIC) == SYNTHETIC
    return _site(tmp, tmp / "vault", REPO / "mkdocs.yml")


def wait(chrome: WebDriver) -> WebDriverWait:
    return WebDriverWait(chrome, 15)


def count_text(chrome: WebDriver) -> str:
    return chrome.find_element(By.CSS_SELECTOR, ".kbgen-readings-count").text


def checkbox(chrome: WebDriver, name: str, value: str):
    return chrome.find_element(By.CSS_SELECTOR, f'form.kbgen-readings-filters input[name="{name}"][value="{value}"]')


def test_filter_by_level_and_kind_then_sort(
    chrome: WebDriver, serve_dir: Callable[..., str], notes_site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(notes_site) + READINGS)
    form = chrome.find_element(By.CSS_SELECTOR, "form.kbgen-readings-filters")
    assert form.is_displayed()  # readings.js ran and showed the form
    rows = chrome.execute_script(ROWS_JS)
    total = len(rows)
    assert count_text(chrome) == f"{total} of {total} readings"
    screenshot("readings_all")

    checkbox(chrome, "level", "cult").click()
    checkbox(chrome, "kind", "book").click()
    rows = chrome.execute_script(ROWS_JS)
    visible = [r for r in rows if r["shown"]]
    expected = [r for r in rows if r["level"] == "cult" and r["kind"] == "book"]
    assert visible == expected and len(visible) >= 2
    assert all(not r["hidden"] for r in visible) and all(r["hidden"] for r in rows if r not in visible)
    assert count_text(chrome) == f"{len(visible)} of {total} readings"
    assert "goodfellow2016deep" in [r["key"] for r in visible]

    Select(chrome.find_element(By.CSS_SELECTOR, 'select[name="sort"]')).select_by_value("year-desc")
    rows = chrome.execute_script(ROWS_JS)
    years = [int(r["year"]) for r in rows if r["shown"]]
    assert years == sorted(years, reverse=True)
    with_year = [int(r["year"]) for r in rows if r["year"]]
    assert with_year == sorted(with_year, reverse=True)  # hidden rows are sorted too
    chrome.execute_script("document.querySelector('.kbgen-readings-count').scrollIntoView(); window.scrollBy(0, -80)")
    screenshot("readings_cult_books_by_year")

    chrome.find_element(By.CSS_SELECTOR, 'form.kbgen-readings-filters button[type="reset"]').click()
    wait(chrome).until(lambda d: count_text(d) == f"{total} of {total} readings")
    box = chrome.find_element(By.CSS_SELECTOR, 'input[name="text"]')
    box.send_keys("karparthy")
    wait(chrome).until(lambda d: count_text(d) != f"{total} of {total} readings")
    shown = [r for r in chrome.execute_script(ROWS_JS) if r["shown"]]
    assert shown and "karparthy2016yes" in [r["key"] for r in shown]
    assert console_errors() == []


def test_level_page_in_the_dark_palette(
    chrome: WebDriver, serve_dir: Callable[..., str], notes_site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(notes_site) + READINGS + "introductionary/")
    chrome.execute_script("document.body.setAttribute('data-md-color-scheme', 'slate')")
    rows = chrome.execute_script(ROWS_JS)
    assert rows and {r["level"] for r in rows} == {"introductionary"}
    assert not chrome.find_elements(By.CSS_SELECTOR, 'input[name="level"]')  # the level is fixed
    assert count_text(chrome) == f"{len(rows)} of {len(rows)} readings"
    badge = chrome.find_element(By.CSS_SELECTOR, ".kbgen-readings .kbgen-level-introductionary")
    assert badge.value_of_css_property("background-color") == "rgba(167, 255, 235, 1)"
    screenshot("readings_introductionary_dark")
    assert console_errors() == []


def test_badges_in_a_note_in_both_palettes(
    chrome: WebDriver, serve_dir: Callable[..., str], notes_site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(notes_site) + "Deep%20Learning/")
    badges = chrome.find_elements(By.CSS_SELECTOR, "article li .kbgen-level-cult")
    assert len(badges) > 5 and badges[0].is_displayed()
    intro = chrome.find_element(By.CSS_SELECTOR, "article li .kbgen-level-introductionary")
    light = (badges[0].value_of_css_property("background-color"), intro.value_of_css_property("background-color"))
    assert light[0] != light[1]
    screenshot("readings_badges_light")
    chrome.execute_script("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = (badges[0].value_of_css_property("background-color"), intro.value_of_css_property("background-color"))
    assert dark[0] != dark[1] and set(dark).isdisjoint(light)
    screenshot("readings_badges_dark")
    related = chrome.find_element(By.CSS_SELECTOR, "section.kbgen-related")
    chrome.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -80)", related)
    assert "Machine Learning Resources — " in related.text
    screenshot("readings_related_dark")
    assert console_errors() == []


def test_filtering_and_sorting_5000_readings(
    chrome: WebDriver, serve_dir: Callable[..., str], big_site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(big_site) + READINGS)
    assert count_text(chrome) == f"{SYNTHETIC} of {SYNTHETIC} readings"
    checkbox(chrome, "level", "cult").click()
    Select(chrome.find_element(By.CSS_SELECTOR, 'select[name="sort"]')).select_by_value("title-asc")
    rows = chrome.execute_script(ROWS_JS)
    shown = sum(r["shown"] for r in rows)
    assert shown == sum(r["level"] == "cult" for r in rows) > 0
    assert all(r["level"] == "cult" for r in rows if r["shown"])
    assert count_text(chrome) == f"{shown} of {SYNTHETIC} readings"
    titles = chrome.execute_script(
        "return Array.from(document.querySelectorAll('.kbgen-readings tbody tr'))"
        ".filter(function (tr) { return !tr.hidden; }).map(function (tr) { return tr.dataset.title; });")
    collated = chrome.execute_script(
        "var c = new Intl.Collator(undefined, {sensitivity: 'base', numeric: true});"
        "return arguments[0].slice().sort(c.compare);", titles)
    assert titles == collated
    screenshot("readings_5000_cult_by_title")
    assert console_errors() == []


def query(chrome: WebDriver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(chrome.current_url).query)


def test_filter_state_lives_in_the_url(
    chrome: WebDriver, serve_dir: Callable[..., str], notes_site: Path,
    console_errors: Callable[[], list[str]],
) -> None:
    base = serve_dir(notes_site) + READINGS
    chrome.get(base)
    history = chrome.execute_script("return history.length")
    checkbox(chrome, "level", "cult").click()
    checkbox(chrome, "kind", "book").click()
    Select(chrome.find_element(By.CSS_SELECTOR, 'select[name="sort"]')).select_by_value("year-desc")
    assert query(chrome) == {"level": ["cult"], "kind": ["book"], "sort": ["year-desc"]}
    assert chrome.execute_script("return history.length") == history  # replaced, not pushed: back leaves
    filtered = count_text(chrome)

    chrome.refresh()  # survives a reload
    assert checkbox(chrome, "level", "cult").is_selected() and checkbox(chrome, "kind", "book").is_selected()
    assert count_text(chrome) == filtered

    chrome.get(base + "?kind=paper&text=attention")  # a shared link
    rows = [r for r in chrome.execute_script(ROWS_JS) if r["shown"]]
    assert rows and all(r["kind"] == "paper" for r in rows)
    assert chrome.find_element(By.CSS_SELECTOR, 'input[name="text"]').get_attribute("value") == "attention"
    assert not checkbox(chrome, "level", "cult").is_selected()

    chrome.find_element(By.CSS_SELECTOR, 'form.kbgen-readings-filters button[type="reset"]').click()
    wait(chrome).until(lambda d: query(d) == {})
    assert console_errors() == []


def test_cited_in_lands_on_the_bullet(
    chrome: WebDriver, serve_dir: Callable[..., str], notes_site: Path,
    console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(notes_site) + READINGS)
    row = chrome.find_element(By.CSS_SELECTOR, '.kbgen-readings tr[data-key="goodfellow2016deep"]')
    row.find_element(By.CSS_SELECTOR, "td:nth-child(7) a").click()
    wait(chrome).until(lambda d: "#reading-goodfellow2016deep" in d.current_url)
    target = chrome.execute_script("var t = document.querySelector(':target');"
                                   "return t && {tag: t.tagName, text: t.textContent, top: t.getBoundingClientRect().top};")
    assert target["tag"] == "LI" and "Ian Goodfellow" in target["text"]
    assert 0 <= target["top"] < chrome.execute_script("return innerHeight")  # scrolled into view
    assert console_errors() == []


@pytest.fixture
def phone(chrome: WebDriver) -> Iterator[WebDriver]:
    """The browser at 400 CSS pixels wide, as a phone shows the site."""
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": PHONE, "height": 860, "deviceScaleFactor": 1, "mobile": True})
    try:
        yield chrome
    finally:
        chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


CARDS_JS = """
return Array.from(document.querySelectorAll('.kbgen-readings tbody tr')).slice(0, 12).map(function (tr) {
  var card = tr.getBoundingClientRect();
  return {card: {left: card.left, right: card.right, width: card.width},
          cells: Array.from(tr.cells).filter(function (td) { return td.offsetParent !== null; }).map(function (td) {
            var r = td.getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
                    label: getComputedStyle(td, '::before').content, text: td.textContent};
          })};
});
"""


def test_reading_list_on_a_phone_is_cards(
    phone: WebDriver, serve_dir: Callable[..., str], notes_site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    phone.get(serve_dir(notes_site) + READINGS)
    assert phone.execute_script("return innerWidth") == PHONE
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE  # no sideways scroll
    head = phone.find_element(By.CSS_SELECTOR, ".kbgen-readings thead").rect  # left for screen readers
    assert head["height"] <= 1 and head["width"] <= 1
    cards = phone.execute_script(CARDS_JS)
    assert len(cards) == 12
    for card in cards:
        assert 0 <= card["card"]["left"] and card["card"]["right"] <= PHONE
        cells = card["cells"]
        assert len(cells) >= 2  # at least the title and "Cited in"
        for above, below in zip(cells, cells[1:]):
            assert above["bottom"] <= below["top"] + 0.5, (above["text"], below["text"])  # stacked, no overlap
        for cell in cells:  # every line uses the card's width: no one-letter-per-line columns
            assert cell["width"] >= 0.8 * card["card"]["width"] - 30, cell["text"]
            assert card["card"]["left"] <= cell["left"] and cell["right"] <= card["card"]["right"]
        labels = [c["label"] for c in cells[1:] if c["label"] not in ("none", "normal")]
        assert '"Cited in: "' in labels
    screenshot("readings_phone_400")
    checkbox(phone, "level", "cult").click()
    shown = [r for r in phone.execute_script(ROWS_JS) if r["shown"]]
    assert shown and all(r["level"] == "cult" for r in shown)
    screenshot("readings_phone_400_cult")
    assert console_errors() == []
