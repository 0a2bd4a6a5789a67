"""``kbgen serve`` itself: started on a small vault, it serves the site; after a note is
edited, another note's backlinks change in what it serves, and the live-reload poll of a
page open before the edit answers with a newer version."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kbgen.site_build import QUIET_BEFORE_BUILD
from tests.html_dom import parse
from tests.incremental_edits import make_vault

TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 10.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a local test server
        return response.read().decode("utf-8")


def _backlink_titles(page: str) -> list[str]:
    sections = parse(page).find_all("section", cls="kbgen-backlinks")
    return [a.text().strip() for section in sections for li in section.find_all("li") for a in li.find_all("a")[:1]]


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
            assert process.poll() is None, "kbgen serve exited"
            assert time.monotonic() < deadline, "kbgen serve did not start"
            time.sleep(0.2)
    try:
        yield url, vault
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_an_edit_changes_another_notes_backlinks_in_what_serve_serves(served: tuple[str, Path]) -> None:
    url, vault = served
    books = url + "Reading/Books/"
    before = _get(books)
    assert "Later Ideas" not in _backlink_titles(before)
    epoch = int(re.search(r"livereload\((\d+), \d+\)", before).group(1))  # type: ignore[union-attr]
    answered: list[int] = []
    poll = threading.Thread(target=lambda: answered.append(int(_get(f"{url}livereload/{epoch}/1", timeout=TIMEOUT))))
    poll.start()  # what the open page does: wait for a newer build

    note = vault / "Ideas" / "Later Ideas.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nSee [[Books]] too.\n", encoding="utf-8")

    poll.join(TIMEOUT)
    assert answered and answered[0] > epoch  # the open page is told to reload
    deadline = time.monotonic() + TIMEOUT
    while "Later Ideas" not in _backlink_titles(_get(books)):
        assert time.monotonic() < deadline, "the backlink never appeared"
        time.sleep(0.2)
    assert "Later Ideas" in _backlink_titles(_get(books))


def test_a_new_note_gets_a_page_and_its_links_stop_being_missing(served: tuple[str, Path]) -> None:
    url, vault = served
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(url + "Biology/")
    assert missing.value.code == 404
    (vault / "Biology.md").write_text("# Biology\n\nCells.\n", encoding="utf-8")
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            page = _get(url + "Biology/")
            break
        except OSError:
            assert time.monotonic() < deadline, "the new note's page never appeared"
            time.sleep(0.2)
    assert "Cells." in page
    assert "Plans" in _backlink_titles(page)


def test_a_save_written_in_two_bursts_ends_up_served_as_its_last_bytes(served: tuple[str, Path]) -> None:
    """A write that pauses longer than serve's quiet time may start a build on half a
    note; the rest of the write starts another, and the page shows the note as saved."""
    url, vault = served
    note = vault / "Ideas" / "Later Ideas.md"
    text = note.read_text(encoding="utf-8")
    with note.open("w", encoding="utf-8") as file:
        file.write(text + "\nHalf a line ")
        file.flush()
        time.sleep(5 * QUIET_BEFORE_BUILD)
        file.write("and its end, with [[Books]].\n")
    deadline = time.monotonic() + TIMEOUT
    while "Half a line and its end" not in _get(url + "Ideas/Later%20Ideas/"):
        assert time.monotonic() < deadline, "the finished save never showed"
        time.sleep(0.2)
    deadline = time.monotonic() + TIMEOUT
    while "Later Ideas" not in _backlink_titles(_get(url + "Reading/Books/")):
        assert time.monotonic() < deadline, "the backlink of the save's second half never showed"
        time.sleep(0.2)
