"""``kbgen build`` with the cache of the previous build writes exactly the site a cold build
writes, edit after edit (sitemap dates aside, and the few files Pagefind itself writes
differently on every run, even twice from the same pages)."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

from kbgen.site_build import CacheChoice, build_site
from tests.incremental_edits import EDITS, make_vault

SEARCH = "_kbgen/pagefind/"
_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def _pagefind_varies(rel: str) -> bool:
    """Files Pagefind writes differently on each run from the same input (checked: two
    cold builds of one vault differ in exactly these)."""
    name = rel.rsplit("/", 1)[-1]
    return rel.startswith(SEARCH) and (name == "pagefind-entry.json" or name.endswith((".pf_meta", ".pf_filter"))
                                       or "/filter/" in rel)


def site_files(site: Path) -> dict[str, bytes]:
    """Every file's bytes; the files Pagefind names and fills differently on each run are
    only counted, per folder."""
    out: dict[str, bytes] = {}
    varying: dict[str, int] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if _pagefind_varies(rel):
            folder = rel.rsplit("/", 1)[0]
            varying[folder] = varying.get(folder, 0) + 1
            out[f"{folder}/(files varying by run)"] = str(varying[folder]).encode()
            continue
        data = path.read_bytes()
        if rel == "sitemap.xml":
            data = _LASTMOD.sub(b"", data)
        elif rel == "sitemap.xml.gz":
            data = _LASTMOD.sub(b"", gzip.decompress(data))
        out[rel] = data
    return out


def test_incremental_builds_equal_cold_builds_edit_after_edit(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    cached = CacheChoice(folder=tmp_path / "cache")
    first = build_site(vault, tmp_path / "site", cache=cached)
    assert first.ok and first.reused == 0
    second = build_site(vault, tmp_path / "site", cache=cached)  # the first build records no reads
    assert second.ok and second.reused == 0
    previous = site_files(tmp_path / "site")
    for name in sorted(EDITS):
        EDITS[name](vault)
        incremental = build_site(vault, tmp_path / "site", cache=cached)
        cold = build_site(vault, tmp_path / f"cold-{len(name)}", cache=CacheChoice(enabled=False))
        assert incremental.ok and cold.ok
        got, want = site_files(tmp_path / "site"), site_files(tmp_path / f"cold-{len(name)}")
        assert sorted(got) == sorted(want), name
        differing = [rel for rel in want if got[rel] != want[rel]]
        assert differing == [], f"{name}: {differing[:5]}"
        assert got != previous, f"{name} changed nothing"
        assert incremental.reused > incremental.pages // 2, f"{name}: the cache was hardly used"
        previous = got


def test_a_warm_build_in_another_process_reuses_everything_and_writes_the_same_site(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    cached = CacheChoice(folder=tmp_path / "cache")
    assert build_site(vault, tmp_path / "zero", cache=cached).ok  # stores parsed notes
    assert build_site(vault, tmp_path / "one", cache=cached).ok  # and page bodies
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # another process hashes strings differently
    again = subprocess.run([sys.executable, "-m", "kbgen.cli", "build", str(vault), "-o", str(tmp_path / "two"),
                            "--cache-dir", str(tmp_path / "cache")], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    reused = re.search(r"build cache: (\d+) of (\d+) page bodies reused", again.stdout)
    assert reused is not None and reused.group(1) == reused.group(2), again.stdout
    one, two = site_files(tmp_path / "one"), site_files(tmp_path / "two")
    assert one == two
    # Pagefind's bundle was taken from the cache as a whole, not re-run
    assert (tmp_path / "one" / SEARCH / "pagefind-entry.json").read_bytes() == \
        (tmp_path / "two" / SEARCH / "pagefind-entry.json").read_bytes()


def test_no_cache_leaves_no_cache_behind(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    result = build_site(vault, tmp_path / "site", cache=CacheChoice(enabled=False, folder=tmp_path / "cache"))
    assert result.ok and not (tmp_path / "cache").exists()


def test_a_cache_inside_the_vault_is_refused(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    result = build_site(vault, tmp_path / "site", cache=CacheChoice(folder=vault / ".cache"))
    assert result.ok and not (vault / ".cache").exists()

