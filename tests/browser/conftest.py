"""Browser harness: headless Debian Chromium via selenium 4, a static file server, screenshots.

Fixtures:
  chrome          session-scoped WebDriver (Debian /usr/bin/chromium + /usr/bin/chromedriver).
                  The browser cannot resolve any host but 127.0.0.1/localhost, so a page that
                  needs the network shows up as failed loads in `console_errors()`.
  serve_dir       factory: serve_dir(path, subpath="repo") -> "http://127.0.0.1:PORT/repo/".
  screenshot      screenshot("name") -> tests/artifacts/screenshots/name.png.
  console_errors  console_errors() -> SEVERE browser-console messages since the last call.

Every test in this folder is marked `browser`. A missing Chromium is a failure, not a skip:
`bash scripts/test` installs it.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HERE = Path(__file__).resolve().parent
SCREENSHOT_DIR = HERE.parent / "artifacts" / "screenshots"  # git-ignored
WINDOW = (1280, 900)
AUTO_FAVICON = re.compile(r"^\S+/favicon\.ico - Failed to load resource")

# Types the stdlib may map differently (or not at all) on older Pythons.
MIME_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".webmanifest": "application/manifest+json",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test collected under tests/browser/ with `browser`."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def chrome_options(user_data_dir: Path) -> webdriver.ChromeOptions:
    """Options for a quiet, offline, reproducible headless Chromium."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
        f"--user-data-dir={user_data_dir}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return opts


@pytest.fixture(scope="session")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium for the whole session (never downloads a browser or driver)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(
            f"browser tests need Debian's chromium and chromium-driver; missing: {', '.join(missing)}. "
            "Run `bash scripts/test` (it apt-get installs them) or "
            "`apt-get install chromium chromium-driver`.",
            pytrace=False,
        )
    # An explicit Service path makes selenium skip selenium-manager; SE_OFFLINE backs that up.
    os.environ["SE_OFFLINE"] = "true"
    driver = webdriver.Chrome(
        service=Service(executable_path=str(CHROMEDRIVER)),
        options=chrome_options(tmp_path_factory.mktemp("chrome-profile")),
    )
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler without per-request logging, with explicit web MIME types."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def start_server(root: Path) -> http.server.ThreadingHTTPServer:
    """Serve root on 127.0.0.1 at a free port from a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name=f"serve {root}", daemon=True).start()
    return server


@pytest.fixture
def serve_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Factory: serve_dir(path, subpath=None) -> base URL ending in "/".

    With subpath="repo" the folder is served at /repo/ (like a GitHub Pages project site):
    a fresh parent folder holds a symlink named "repo" to path, and the parent is served.
    """
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(path: Path | str, subpath: str | None = None) -> str:
        root = Path(path).resolve()
        if not root.is_dir():
            raise NotADirectoryError(root)
        prefix = (subpath or "").strip("/")
        if prefix:
            parent = tmp_path_factory.mktemp("served")
            link = parent / prefix
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(root, target_is_directory=True)
            root = parent
        server = start_server(root)
        servers.append(server)
        port = server.server_address[1]
        return f"http://127.0.0.1:{port}/" + (f"{prefix}/" if prefix else "")

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def screenshot(chrome: WebDriver) -> Callable[[str], Path]:
    """screenshot(name) saves the current viewport to tests/artifacts/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "screenshot"
        path = SCREENSHOT_DIR / f"{safe}.png"
        if not chrome.save_screenshot(str(path)):
            raise RuntimeError(f"could not save screenshot {path}")
        return path

    return take


@pytest.fixture
def console_errors(chrome: WebDriver) -> Callable[[], list[str]]:
    """console_errors() -> SEVERE console messages (JS errors, failed loads) since the last call.

    The 404 of the /favicon.ico that Chromium requests by itself when a page links no icon
    is left out: the page did not ask for it.
    """
    chrome.get_log("browser")  # drop what earlier tests left behind

    def errors() -> list[str]:
        return [
            e["message"]
            for e in chrome.get_log("browser")
            if e.get("level") == "SEVERE" and not AUTO_FAVICON.search(e["message"])
        ]

    return errors

