"""``kbgen serve`` applies a save without a full MkDocs build (``kbgen.mkdocs_live``):
after every kind of edit the served folder holds exactly what a cold build writes
(sitemap dates aside, and the files Pagefind fills differently on every run)."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.commands.build import build

from kbgen.mkdocs_live import LiveSession
from kbgen.site_build import DEFAULT_CONFIG, CacheChoice, build_site, load_site_config
from tests.incremental_edits import EDITS, make_vault
from tests.test_incremental_site import site_files

SERVE_URL = "http://127.0.0.1:8000/"


def _config(tmp_path: Path) -> Path:
    """kbgen's own configuration with a site URL, as serve has one (the sitemap then
    lists every page, so it changes when pages come and go)."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8") + "\nsite_url: https://example.org/kb/\n",
                      encoding="utf-8")
    return config


def _age(vault: Path) -> None:
    past = os.stat(vault).st_mtime - 60
    for path in vault.rglob("*"):
        os.utime(path, (past, past))


def test_saves_applied_in_place_equal_cold_builds_edit_after_edit(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    _age(vault)
    served = tmp_path / "served"
    config_file = _config(tmp_path)
    config = load_site_config(vault, config_file, CacheChoice(folder=tmp_path / "cache"), site_dir=str(served))
    plugin = config.plugins["kbgen"]
    plugin.serving, plugin.live = True, LiveSession(plugin)
    build(config, serve_url=SERVE_URL)
    plugin.wait_for_search()
    assert b"<loc>https://example.org/kb/Plans/</loc>" in (served / "sitemap.xml").read_bytes()
    previous = site_files(served)
    for number, name in enumerate(sorted(EDITS)):
        EDITS[name](vault)
        if not plugin.live.update(config):
            build(config, serve_url=SERVE_URL)
        plugin.wait_for_search()
        cold = build_site(vault, tmp_path / f"cold-{number}", config_file, cache=CacheChoice(enabled=False))
        assert cold.ok
        got, want = site_files(served), site_files(tmp_path / f"cold-{number}")
        assert sorted(got) == sorted(want), name
        assert [rel for rel in want if got[rel] != want[rel]] == [], name
        assert got != previous, f"{name} changed nothing"
        previous = got
    assert plugin.live.updates == len(EDITS), "every save was applied without a full build"


def test_a_save_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    _age(vault)
    served = tmp_path / "served"
    config = load_site_config(vault, None, CacheChoice(folder=tmp_path / "cache"), site_dir=str(served))
    plugin = config.plugins["kbgen"]
    plugin.serving, plugin.live = True, LiveSession(plugin)
    build(config, serve_url=SERVE_URL)
    plugin.wait_for_search()
    times = _page_times(served)
    assert plugin.live.update(config)
    plugin.wait_for_search()  # the search bundle is put in place again in the background
    assert _page_times(served) == times


def _page_times(site: Path) -> dict[Path, int]:
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("*.html") if "pagefind" not in p.parts}
    assert len(pages) > 20
    return pages
