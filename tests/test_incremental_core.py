"""An incremental build (cache of the previous build) gives exactly a cold build's pages.

Checked on the planned output (every page body and table of contents, every data
file) for each kind of edit; tests/test_incremental_site.py compares whole sites.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen.cache import CacheStore, code_salt
from kbgen.site.context import SiteOptions
from kbgen.site.produce import produce_site
from tests.incremental_edits import EDITS, make_vault

OPTIONS = SiteOptions(jobs=1)


def snapshot(root: Path, cache: CacheStore | None) -> dict[str, object]:
    produced = produce_site(root, options=OPTIONS, cache=cache)
    out: dict[str, object] = {}
    for page in produced.plan.pages:
        assert page.body is not None
        out[page.output] = (page.kind, page.key, page.url, page.title, page.body.html, repr(page.body.toc),
                            sorted(map(str, page.body.findings)))
    for planned in produced.plan.files:
        out[planned.output] = planned.content if planned.content is not None else str(planned.source)
    out["findings"] = sorted(map(str, produced.findings))
    return out


def warm_up(vault: Path, cache: CacheStore) -> None:
    """A first build into an empty cache stores parsed notes but records no reads (that
    would make it slower for a gain only later); the next one stores page bodies."""
    first = produce_site(vault, options=OPTIONS, cache=cache)
    assert first.stats.reused == 0
    cache.forget_use()


@pytest.fixture(scope="module")
def salt() -> str:
    return code_salt()


@pytest.mark.parametrize("name", sorted(EDITS))
def test_incremental_equals_cold(tmp_path: Path, salt: str, name: str) -> None:
    vault = make_vault(tmp_path / "vault")
    cache = CacheStore(tmp_path / "cache", salt)
    warm_up(vault, cache)
    before = snapshot(vault, cache)
    EDITS[name](vault)
    cache.forget_use()
    incremental = snapshot(vault, cache)
    reused = cache.hits
    cold = snapshot(vault, None)
    assert incremental == cold
    assert incremental != before  # the edit shows
    assert reused > 0  # and the cache was used


def test_unchanged_vault_reuses_every_note_page(tmp_path: Path, salt: str) -> None:
    vault = make_vault(tmp_path / "vault")
    cache = CacheStore(tmp_path / "cache", salt)
    warm_up(vault, cache)
    first = produce_site(vault, options=OPTIONS, cache=cache)
    assert first.stats.reused == 0  # bodies are stored from the second build on
    cache.forget_use()
    second = produce_site(vault, options=OPTIONS, cache=cache)
    assert second.stats.rendered <= 1  # the home page reads the whole graph
    assert second.stats.reused == second.stats.pages - second.stats.rendered


def test_damaged_entries_are_ignored_with_a_notice(tmp_path: Path, salt: str) -> None:
    vault = make_vault(tmp_path / "vault")
    cache = CacheStore(tmp_path / "cache", salt)
    warm_up(vault, cache)
    cold = snapshot(vault, cache)
    cache.flush()
    entries = sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file())
    for entry in entries[::3]:
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2])  # truncated, as by a full disk
    fresh = CacheStore(tmp_path / "cache", salt)
    assert snapshot(vault, fresh) == cold
    assert fresh.findings and all(f.code == "cache" and "damaged" in f.message for f in fresh.findings)
    assert len(fresh.findings) == len(entries[::3])


@pytest.mark.parametrize("name", ["add an alias", "create a note", "rename a heading"])
def test_incremental_equals_cold_with_worker_processes(tmp_path: Path, salt: str, name: str, monkeypatch) -> None:
    """Rendering and checking the stored reads in forked workers (large sites) too."""
    import kbgen.site.render as render

    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    options = SiteOptions(jobs=2)
    vault = make_vault(tmp_path / "vault")
    cache = CacheStore(tmp_path / "cache", salt)
    warm_up(vault, cache)
    produce_site(vault, options=options, cache=cache)
    EDITS[name](vault)
    cache.forget_use()
    incremental = produce_site(vault, options=options, cache=cache)
    cold = produce_site(vault, options=OPTIONS, cache=None)
    assert 0 < incremental.stats.reused < incremental.stats.pages
    assert [(p.output, p.body.html, repr(p.body.toc)) for p in incremental.plan.pages] == \
        [(p.output, p.body.html, repr(p.body.toc)) for p in cold.plan.pages]
