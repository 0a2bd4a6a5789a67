"""The Reading list in real headless Chromium: level/kind filters, sorting, the count, badges
in both palettes, and the time one filter change takes with 5,000 readings.

Chromium here reaches only 127.0.0.1, so ``console_errors() == []`` also shows the
filtering needs no network.  Screenshots go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

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
KINDS = ("book", "paper", "blog", "video", "course")

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
    vault = tmp / "vault"
    vault.mkdir()
    rng = random.Random(7)
    n = 0
    for note in range(50):
        lines = [f"# Topic {note}", ""]
        for section in range(4):
            lines += [f"## Section {section}", ""]
            for _ in range(25):
                level = rng.choice(["*cult*: ", "*introductionary*: ", "", ""])
                kind, year = rng.choice(KINDS), rng.randint(1950, 2024)
                lines.append(f'- {level}"Work number {n} on {rng.choice(["graphs", "nets", "proofs"])}" '
                             f"[Author {n % 97}; {kind}; {year}](https://example.org/w/{n})")
                n += 1
            lines.append("")
        (vault / f"Topic {note}.md").write_text("\n".join(lines), encoding="utf-8")
    assert n == SYNTHETIC
    return _site(tmp, vault, REPO / "mkdocs.yml")


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


def test_filtering_5000_readings_is_fast(
    chrome: WebDriver, serve_dir: Callable[..., str], big_site: Path,
    screenshot: Callable[[str], Path], console_errors: Callable[[], list[str]],
) -> None:
    chrome.get(serve_dir(big_site) + READINGS)
    assert count_text(chrome) == f"{SYNTHETIC} of {SYNTHETIC} readings"
    # One filter change, timed from the click to the end of the layout it causes.
    timing = chrome.execute_script("""
      var box = document.querySelector('input[name="level"][value="cult"]');
      var t0 = performance.now();
      box.click();
      var t1 = performance.now();
      document.body.offsetHeight;
      var t2 = performance.now();
      var sort = document.querySelector('select[name="sort"]');
      sort.value = 'title-asc';
      sort.dispatchEvent(new Event('change', {bubbles: true}));
      document.body.offsetHeight;
      var t3 = performance.now();
      return {filter: t1 - t0, layout: t2 - t1, sort: t3 - t2};
    """)
    rows = chrome.execute_script(ROWS_JS)
    shown = sum(r["shown"] for r in rows)
    assert shown == sum(r["level"] == "cult" for r in rows) > 0
    assert count_text(chrome) == f"{shown} of {SYNTHETIC} readings"
    print(f"\n5,000 readings: filter {timing['filter']:.1f} ms (script) + {timing['layout']:.1f} ms "
          f"(browser style and layout); sort by title {timing['sort']:.1f} ms ({shown} rows shown)")
    assert timing["filter"] < 1000  # the script's one pass over the rows
    assert timing["filter"] + timing["layout"] < 2000 and timing["sort"] < 2000  # generous: CI machines vary
    screenshot("readings_5000_cult_by_title")
    assert console_errors() == []
