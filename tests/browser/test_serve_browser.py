"""``kbgen serve`` as its user sees it: a note open in Chromium reloads by itself after
another note is saved, and then shows the new backlink."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from tests.incremental_edits import make_vault
from tests.test_serve import TIMEOUT, _free_port, _get


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    vault = make_vault(tmp_path / "vault")
    port = _free_port()
    env = {**os.environ, "KBGEN_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "kbgen.cli", "serve", str(vault), "-a", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            _get(url, timeout=2)
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "kbgen serve did not start"
            time.sleep(0.2)
    try:
        yield url, vault
    finally:
        process.terminate()
        process.wait(timeout=20)


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
