"""Pagefind over a small hand-written site: what gets indexed, and failures that keep the site."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kbgen.search_index import SEARCH_DIR, index_site

NOTE = """<!doctype html><html lang="en"><head><title>x</title></head><body>
<nav>navonlyword</nav>
<article data-pagefind-body data-pagefind-filter="kind:note"
         data-pagefind-meta="title[data-kbgen-title]" data-kbgen-title="Café, &amp; Co: a note">
<div class="kbgen-search-terms" hidden data-pagefind-weight="7">Coffeehouse · #drinks</div>
<h1 id="cafe">Café &amp; Co<a class="headerlink" href="#cafe">¶</a></h1>
<p>Zoë brews espresso while the xylophone plays.</p>
<section class="kbgen-backlinks"><h2>Backlinks</h2><p>backlinkonlyword</p></section>
<section class="kbgen-related" data-pagefind-ignore><p>relatedonlyword</p></section>
</article></body></html>"""
PAGE = """<!doctype html><html lang="en"><body>
<article data-pagefind-body data-pagefind-filter="kind:page"><h1>#drinks</h1><p>1 note</p></article>
</body></html>"""
UNMARKED = """<!doctype html><html lang="en"><body><p>unmarkedonlyword</p></body></html>"""


def fragments(out: Path) -> list[dict]:
    """Pagefind's per-page records: gzip, a ``pagefind_dcd`` signature, then JSON."""
    records = []
    for path in sorted((out / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        records.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return records


@pytest.fixture()
def site(write_tree) -> Path:  # type: ignore[no-untyped-def]
    return write_tree({"Topics/Café & Co/index.html": NOTE, "_kbgen/tags/drinks/index.html": PAGE,
                       "404.html": UNMARKED}, name="site")


def test_index_site_indexes_marked_pages_only(site: Path) -> None:
    result = index_site(site)
    assert result.ok, result.message
    assert result.output_dir == site.resolve() / SEARCH_DIR
    assert result.pages == 2 and result.words > 5
    out = result.output_dir
    assert (out / "pagefind.js").is_file() and (out / "pagefind-entry.json").is_file()
    assert not list(out.glob("pagefind-ui.*")) and not (out / "pagefind-highlight.js").exists()
    records = {r["url"]: r for r in fragments(out)}
    assert set(records) == {"/Topics/Café & Co/", "/_kbgen/tags/drinks/"}
    note = records["/Topics/Café & Co/"]
    assert note["meta"]["title"] == "Café, & Co: a note"
    assert note["filters"] == {"kind": ["note"]}
    assert records["/_kbgen/tags/drinks/"]["filters"] == {"kind": ["page"]}
    text = note["content"]
    assert "xylophone" in text and "Coffeehouse" in text and "drinks" in text
    for absent in ("navonlyword", "backlinkonlyword", "relatedonlyword", "¶"):
        assert absent not in text


def test_a_missing_binary_is_reported_not_raised(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site / "no-such-pagefind"))
    result = index_site(site)
    assert not result.ok and "pagefind" in result.message
    assert not (site / SEARCH_DIR).exists()


def test_a_job_indexes_planned_bodies_and_moves_the_bundle_into_the_site(tmp_path: Path) -> None:
    from kbgen.search_index import SearchIndexJob
    body = ('<div data-pagefind-body data-pagefind-meta="title[data-kbgen-title]" data-kbgen-title="Quokka">'
            "<h1>Quokka</h1><p>A marsupial that smiles.</p></div>")
    site = tmp_path / "site"
    job = SearchIndexJob([("Animals/Quokka/index.html", body), ("_kbgen/wanted/index.html", "<h1>Wanted</h1>")],
                         scratch_in=site)
    assert job._scratch.parent == site, "a killed build's scratch goes with the site being built"
    result = job.finish(site)
    assert result.ok, result.message
    assert result.pages == 1, "only the page with a searchable part is indexed"
    assert (site / SEARCH_DIR / "pagefind.js").is_file() and result.output_dir == site / SEARCH_DIR
    fragments = [gzip.decompress(p.read_bytes()) for p in (site / SEARCH_DIR / "fragment").iterdir()]
    assert any(b'"url":"/Animals/Quokka/"' in f and b"marsupial" in f for f in fragments)
    assert not job._scratch.exists(), "the scratch folder is removed"


def test_a_cancelled_job_leaves_nothing_behind() -> None:
    from kbgen.search_index import SearchIndexJob
    job = SearchIndexJob([("A/index.html", "<div data-pagefind-body>a</div>")])
    job.cancel()
    assert not job._scratch.exists()


def test_a_job_cancelled_without_waiting_never_moves_its_bundle_and_cleans_up(tmp_path: Path) -> None:
    """Serve cancels the last save's search job without waiting for it: the job winds down
    in its own thread, removes its scratch folder and leaves the site's search alone."""
    from kbgen.search_index import SearchIndexJob
    site = tmp_path / "site"
    pages = [(f"N{i}/index.html", f"<div data-pagefind-body><p>note {i}</p></div>") for i in range(300)]
    job = SearchIndexJob(pages, scratch_in=site)
    results: list[object] = []
    job.finish_in_background(site, results.append)
    finisher = job._finisher
    assert finisher is not None
    job.cancel(wait=False)
    finisher.join(60)
    assert not finisher.is_alive() and not results
    assert not (site / SEARCH_DIR).exists(), "a cancelled job moves nothing into the site"
    assert not job._scratch.exists(), "its scratch folder is removed by its own thread"


def test_a_large_site_is_indexed_in_shards_that_the_main_bundle_lists(tmp_path: Path) -> None:
    from kbgen.search_index import SHARDS_FILE, SearchIndexJob
    pages = [(f"N{i}/index.html", f'<div data-pagefind-body><h1>N{i}</h1><p>word{i} shared</p></div>')
             for i in range(5)]
    job = SearchIndexJob(pages, shard_pages=2)
    site = tmp_path / "site"
    result = job.finish(site)
    assert result.ok and result.pages == 5, result.message
    bundle = site / SEARCH_DIR
    assert json.loads((bundle / SHARDS_FILE).read_text()) == ["shard-1/", "shard-2/"]
    for folder in (bundle, bundle / "shard-1", bundle / "shard-2"):
        assert (folder / "pagefind-entry.json").is_file()


def test_a_small_site_gets_a_few_shards_indexed_side_by_side(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Below one full shard the pages still go into up to SMALL_SITE_SHARDS shards (an edit
    then re-indexes a part), indexed two at a time; the bundle holds every page once."""
    import kbgen.search_index as search
    monkeypatch.setattr(search, "MIN_SHARD_PAGES", 3)
    monkeypatch.setattr(search.os, "cpu_count", lambda: 2)
    pages = [(f"N{i}/index.html", f'<div data-pagefind-body><h1>N{i}</h1><p>word{i} shared</p></div>')
             for i in range(14)]
    shards = search.shard_pages_of(pages, 100)
    assert len(shards) == search.SMALL_SITE_SHARDS
    assert sorted(p for shard in shards for p in shard) == sorted(pages)
    assert search.shard_pages_of(pages[:5], 100) == [pages[:5]], "too few pages to split"
    events: list[str] = []
    start, collect = search._start, search.SearchIndexJob._collect

    def recorded_start(site: Path, output: list[str], out: Path):  # type: ignore[no-untyped-def]
        events.append(f"start {out.name}")
        return start(site, output, out)

    def recorded_collect(self, number, process, out, started):  # type: ignore[no-untyped-def]
        events.append(f"collect {out.name}")
        return collect(self, number, process, out, started)

    monkeypatch.setattr(search, "_start", recorded_start)
    monkeypatch.setattr(search.SearchIndexJob, "_collect", recorded_collect)
    job = search.SearchIndexJob(pages, shard_pages=100)
    result = job.finish(tmp_path / "site")
    assert result.ok and result.pages == len(pages), result.message
    bundle = tmp_path / "site" / search.SEARCH_DIR
    assert len(json.loads((bundle / search.SHARDS_FILE).read_text())) == search.SMALL_SITE_SHARDS - 1
    assert events[:3] == ["start out-0", "start out-1", "collect out-0"], "two Pagefind runs side by side"
    assert sorted(events) == sorted([f"{e} out-{n}" for n in range(4) for e in ("start", "collect")])
