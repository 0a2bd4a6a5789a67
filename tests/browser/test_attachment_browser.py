"""Each sanitised SVG of the XSS corpus opened in headless Chromium: no dialog, no
``window.__pwned``, even with every link clicked and every element poked.

The same procedure is first run on the raw vectors that Chromium does execute, so the
test is known to see a payload that runs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from selenium.common.exceptions import (NoAlertPresentException, UnexpectedAlertPresentException,
                                        WebDriverException)
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the corpus
from xss_corpus import FIRES, SVG_VECTORS  # noqa: E402

from kbgen.attachments import inert_attachment  # noqa: E402

pytestmark = pytest.mark.browser
NAMES = sorted(SVG_VECTORS)
GRACE = 0.25  # seconds for load-time and begin=0 animation events to fire
POKE = """
for (const el of document.querySelectorAll('*')) {
  for (const type of ['click', 'mouseover', 'focus', 'load', 'error', 'beginEvent', 'endEvent']) {
    try { el.dispatchEvent(new Event(type, {bubbles: true})); } catch (e) {}
  }
}
"""
STATE = "return window.__pwned === undefined ? null : String(window.__pwned)"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw/vNN.svg as written, clean/vNN.svg as kbgen publishes it."""
    root = tmp_path_factory.mktemp("svg-corpus")
    for kind in ("raw", "clean"):
        (root / kind).mkdir()
    for i, name in enumerate(NAMES):
        raw = SVG_VECTORS[name].encode()
        (root / "raw" / f"v{i:02d}.svg").write_bytes(raw)
        (root / "clean" / f"v{i:02d}.svg").write_bytes(inert_attachment(f"v{i:02d}.svg", raw)[0])
    return root


def ran(chrome: WebDriver) -> str | None:
    """What a payload left: a dialog's text or ``window.__pwned``; ``None`` if nothing ran."""
    try:
        alert = chrome.switch_to.alert
        text = alert.text
        alert.accept()
        return f"dialog {text!r}"
    except NoAlertPresentException:
        pass
    try:
        return chrome.execute_script(STATE)
    except UnexpectedAlertPresentException as error:
        return f"dialog {error.alert_text!r}"


def open_and_poke(chrome: WebDriver, url: str) -> str | None:
    """Load the drawing, let it animate, click every link and shape, poke every element."""
    try:
        chrome.get(url)
        time.sleep(GRACE)
        found = ran(chrome)
        if found:
            return found
        for element in chrome.find_elements(By.CSS_SELECTOR, "a, rect, text"):
            try:
                ActionChains(chrome).move_to_element(element).click().perform()
            except UnexpectedAlertPresentException as error:
                return f"dialog {error.alert_text!r}"
            except WebDriverException:
                continue  # not visible / not interactable: nothing to click
            found = ran(chrome)
            if found:
                return found
        chrome.execute_script(POKE)
        time.sleep(GRACE)
        return ran(chrome)
    except UnexpectedAlertPresentException as error:
        return f"dialog {error.alert_text!r}"


def test_the_browser_sees_raw_vectors_run(chrome: WebDriver, serve_dir: Callable[..., str], corpus: Path) -> None:
    base = serve_dir(corpus)
    silent = []
    for name in FIRES:
        url = f"{base}raw/v{NAMES.index(name):02d}.svg"
        outcome = open_and_poke(chrome, url)
        if outcome is None:
            try:
                WebDriverWait(chrome, 3).until(lambda d: ran(d) is not None)
            except WebDriverException:
                silent.append(name)
    assert silent == [], f"raw vectors that did not run, so the test would not notice: {silent}"


@pytest.mark.parametrize("name", NAMES)
def test_no_sanitised_svg_runs(chrome: WebDriver, serve_dir: Callable[..., str], corpus: Path, name: str) -> None:
    url = serve_dir(corpus) + f"clean/v{NAMES.index(name):02d}.svg"
    assert open_and_poke(chrome, url) is None, name
    chrome.get("about:blank")
