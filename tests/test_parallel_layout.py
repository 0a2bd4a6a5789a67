"""Pages laid out in a forked worker and in this process (``ParallelLayout``) are byte for
byte the pages MkDocs lays out one by one, with the cache off, storing and reusing
layouts; a second plugin with an ``on_page_context`` hook keeps the layout serial."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen import mkdocs_parallel_layout
from kbgen.site_build import CacheChoice, build_site
from tests.incremental_edits import make_vault
from tests.test_incremental_site import site_files

WITH_SEARCH_PLUGIN = """site_name: Notes
theme:
  name: material
  font: false
plugins:
  - search
  - kbgen
"""


def _laid_out_in_parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Parallel layout for any site size; records how many pages each build laid out ahead."""
    counts: list[int] = []
    real = mkdocs_parallel_layout._laid_out

    def counting(pages, *args):  # noqa: ANN001, ANN202
        counts.append(len(pages))
        yield from real(pages, *args)
    monkeypatch.setattr(mkdocs_parallel_layout, "PARALLEL_FROM", 2)
    monkeypatch.setattr(mkdocs_parallel_layout, "CHUNK", 3)
    monkeypatch.setattr(mkdocs_parallel_layout, "_laid_out", counting)
    monkeypatch.setattr(mkdocs_parallel_layout.os, "cpu_count", lambda: 2)
    return counts


def test_pages_laid_out_in_parallel_are_the_pages_mkdocs_lays_out(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault(tmp_path / "vault")
    serial = build_site(vault, tmp_path / "serial", cache=CacheChoice(enabled=False))
    assert serial.ok
    counts = _laid_out_in_parallel(monkeypatch)
    cache = CacheChoice(folder=tmp_path / "cache")
    for name in ("no-cache", "first", "second", "third"):
        choice = CacheChoice(enabled=False) if name == "no-cache" else cache
        built = build_site(vault, tmp_path / name, cache=choice)
        assert built.ok, built.message
        assert site_files(tmp_path / name) == site_files(tmp_path / "serial"), name
    # every page but the first ahead of MkDocs' loop, until the cache holds their layouts
    assert counts[:3] == [serial.pages - 1] * 3 and len(counts) == 3


def test_another_plugins_page_context_hook_keeps_the_layout_serial(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault(tmp_path / "vault")
    config = tmp_path / "mkdocs.yml"
    config.write_text(WITH_SEARCH_PLUGIN, encoding="utf-8")
    counts = _laid_out_in_parallel(monkeypatch)
    built = build_site(vault, tmp_path / "site", config, cache=CacheChoice(enabled=False))
    assert built.ok, built.message
    assert counts == []
