"""Smoke tests of the browser harness itself: real Chromium, real HTTP, real clicks."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

VENDOR = Path(__file__).resolve().parents[2] / "kbgen" / "assets" / "vendor"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>harness</title>
<link rel="stylesheet" href="style.css"></head>
<body>
  <h1 id="msg">before</h1>
  <button id="go" type="button">Click me</button>
  <script src="app.js"></script>
</body></html>
"""
STYLE = "body { font: 32px sans-serif; margin: 40px; } #msg.done { color: #1a7f37; }\n"
APP = """document.getElementById("go").addEventListener("click", () => {
  const msg = document.getElementById("msg");
  msg.textContent = "clicked: JS ran";
  msg.className = "done";
});
"""
FILES = {"index.html": PAGE, "style.css": STYLE, "app.js": APP}


def test_click_changes_text(
    chrome: WebDriver,
    serve_dir: Callable[..., str],
    write_tree: Callable[..., Path],
    screenshot: Callable[[str], Path],
    console_errors: Callable[[], list[str]],
) -> None:
    base = serve_dir(write_tree(FILES))
    chrome.get(base)
    msg = chrome.find_element(By.ID, "msg")
    assert msg.text == "before"
    chrome.find_element(By.ID, "go").click()
    WebDriverWait(chrome, 5).until(ec.text_to_be_present_in_element((By.ID, "msg"), "clicked"))
    assert msg.text == "clicked: JS ran"
    # The stylesheet was served and applied (rgb of #1a7f37).
    assert msg.value_of_css_property("color") == "rgba(26, 127, 55, 1)"
    shot = screenshot("harness_click")
    assert shot.stat().st_size > 1000
    assert console_errors() == []


def test_serve_under_subpath_like_github_pages(
    chrome: WebDriver, serve_dir: Callable[..., str], write_tree: Callable[..., Path]
) -> None:
    base = serve_dir(write_tree(FILES), subpath="repo")
    assert base.endswith("/repo/")
    chrome.get(base)
    chrome.find_element(By.ID, "go").click()
    assert chrome.find_element(By.ID, "msg").text == "clicked: JS ran"
    # Only /repo/ is served: the site root has nothing, as on a GitHub Pages project site.
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(base.removesuffix("repo/") + "app.js", timeout=5)
    assert err.value.code == 404


def test_browser_has_no_network_beyond_localhost(
    chrome: WebDriver,
    serve_dir: Callable[..., str],
    write_tree: Callable[..., Path],
    console_errors: Callable[[], list[str]],
) -> None:
    page = '<!doctype html><title>remote</title><img src="https://example.com/x.png">'
    chrome.get(serve_dir(write_tree({"index.html": page})))
    errors = console_errors()
    assert any("example.com" in e and "ERR_NAME_NOT_RESOLVED" in e for e in errors), errors


VENDOR_PAGE = r"""<!doctype html>
<html><head><meta charset="utf-8"><title>vendor</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="vendor/katex/katex.min.css"></head>
<body style="font-size: 28px; margin: 40px">
  <p id="math">Euler: $e^{i\pi} + 1 = 0$</p>
  <pre class="mermaid">graph LR
  A[Note] --> B[Other note]</pre>
  <script src="vendor/katex/katex.min.js"></script>
  <script src="vendor/katex/auto-render.min.js"></script>
  <script src="vendor/mermaid/mermaid.min.js"></script>
  <script>
    renderMathInElement(document.getElementById("math"),
      {delimiters: [{left: "$", right: "$", display: false}]});
    mermaid.initialize({startOnLoad: false});
    mermaid.run().then(() => document.fonts.ready)
      .then(() => { document.body.dataset.done = "yes"; });
  </script>
</body></html>
"""


def test_vendored_katex_and_mermaid_render_offline(
    chrome: WebDriver,
    serve_dir: Callable[..., str],
    tmp_path: Path,
    screenshot: Callable[[str], Path],
    console_errors: Callable[[], list[str]],
) -> None:
    shutil.copytree(VENDOR, tmp_path / "site" / "vendor")
    (tmp_path / "site" / "index.html").write_text(VENDOR_PAGE, encoding="utf-8")
    base = serve_dir(tmp_path / "site", subpath="repo")
    chrome.get(base)
    WebDriverWait(chrome, 20).until(lambda d: d.execute_script("return document.body.dataset.done"))
    assert chrome.find_elements(By.CSS_SELECTOR, "#math .katex .katex-html")
    assert chrome.find_elements(By.CSS_SELECTOR, "pre.mermaid svg g.node")
    assert chrome.execute_script('return document.fonts.check("16px KaTeX_Main")')
    loaded = chrome.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert any(u.endswith(".woff2") for u in loaded), loaded
    assert all(u.startswith(base) for u in loaded), loaded
    screenshot("vendored_katex_mermaid")
    assert console_errors() == []
