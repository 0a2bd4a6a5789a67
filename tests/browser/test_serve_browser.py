"""``kbgen serve`` as its user sees it: a note open in Chromium reloads by itself after
another note is saved, and then shows the new backlink."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from tests.test_serve import TIMEOUT, served  # noqa: F401 - the fixture: kbgen serve on a small vault


def _backlinks(chrome: WebDriver) -> list[str]:
    return [a.text for a in chrome.find_elements(By.CSS_SELECTOR, "section.kbgen-backlinks li > a:first-child")]


def test_an_open_page_reloads_after_a_save_and_shows_the_new_backlink(
        chrome: WebDriver, served: tuple[str, Path], screenshot: Callable[[str], Path],
        console_errors: Callable[[], list[str]]) -> None:
    url, vault = served
    chrome.get(url + "Reading/Books/")
    assert "Later Ideas" not in _backlinks(chrome)
    chrome.execute_script("window.kbgenBeforeSave = true;")  # gone once the page reloads
    console_errors()

    note = vault / "Ideas" / "Later Ideas.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nSee [[Books]] too.\n", encoding="utf-8")

    deadline = time.monotonic() + TIMEOUT
    while chrome.execute_script("return window.kbgenBeforeSave === true;"):
        assert time.monotonic() < deadline, "the open page never reloaded"
        time.sleep(0.1)
    deadline = time.monotonic() + TIMEOUT
    while "Later Ideas" not in _backlinks(chrome):  # the reloaded page may still be loading
        assert time.monotonic() < deadline, "the reloaded page does not show the new backlink"
        time.sleep(0.1)
    screenshot("serve-after-save")
    assert console_errors() == []
