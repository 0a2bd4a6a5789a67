"""Laid-out pages kept in the build cache: a first build stores none, the next stores every
page's, and a build after that writes every page from them, byte for byte the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen import mkdocs_layout_cache
from kbgen.site_build import CacheChoice, build_site

VAULT = {
    "Top.md": "# Top\n\n#alpha [[Deep]] [[Nowhere]]\n",
    "A/First.md": "# First\n\n[[Top]] [[Deep]]\n\n## Part\n\nText.\n",
    "B/Deep.md": "# Deep\n\n[[Top]] ![[First#Part]]\n",
}


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html") if "pagefind" not in p.parts}


def test_layouts_are_stored_from_the_second_build_and_reused_after(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    vault = tmp_path / "vault"
    for rel, text in VAULT.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    reused: list[str] = []
    context = mkdocs_layout_cache.LayoutCache.context

    def counting_context(self, page, ctx):  # type: ignore[no-untyped-def]
        context(self, page, ctx)
        if mkdocs_layout_cache.CONTEXT_KEY in ctx:
            reused.append(page.file.src_uri)

    monkeypatch.setattr(mkdocs_layout_cache.LayoutCache, "context", counting_context)
    sites = []
    stored = []
    for build in range(3):
        site = tmp_path / f"site{build}"
        result = build_site(vault, site, cache=CacheChoice(folder=cache))
        assert result.ok, result.message
        sites.append(_pages(site))
        stored.append(sum(1 for p in (cache / mkdocs_layout_cache.NAMESPACE).rglob("*") if p.is_file())
                      if (cache / mkdocs_layout_cache.NAMESPACE).is_dir() else 0)
        if build < 2:
            assert reused == [], f"build {build} found no stored layouts"
    pages = len(sites[2])
    assert stored[0] == 0, "a first build stores no layouts"
    assert stored[1] == stored[2] >= len(VAULT)
    assert len(reused) == stored[2] and len(reused) <= pages
    assert sites[2] == sites[1] == sites[0], "reused layouts give the same bytes"


def test_a_damaged_stored_layout_is_laid_out_afresh(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    for rel, text in VAULT.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    for build in range(2):
        assert build_site(vault, tmp_path / f"site{build}", cache=CacheChoice(folder=cache)).ok
    entries = [p for p in (cache / mkdocs_layout_cache.NAMESPACE).rglob("*") if p.is_file()]
    assert entries
    for entry in entries:  # damaged after the build looked them up: each is read only when laid out
        entry.write_bytes(entry.read_bytes()[:40])
    result = build_site(vault, tmp_path / "site2", cache=CacheChoice(folder=cache))
    assert result.ok, result.message
    assert _pages(tmp_path / "site2") == _pages(tmp_path / "site1")
    restored = [p for p in (cache / mkdocs_layout_cache.NAMESPACE).rglob("*") if p.is_file()]
    assert len(restored) == len(entries) and all(p.stat().st_size > 40 for p in restored)
