"""The benchmark tools besides the vault generator: the long-note vault, the wikilink
pre-converter of the bare-MkDocs baseline, and bench_build's figures.

Independent of kbgen: simple regexes over the written files.  Tiny sizes only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    """A benchmarks/ module (they import each other by plain name, as scripts do)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


gv, gl, cl, bb = (_load(n) for n in ("generate_vault", "generate_long_note", "convert_links",
                                     "bench_build"))

WIKI = re.compile(r"!?\[\[([^\]]+)\]\]")
FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
MD_TARGET = re.compile(r"!?\[(?:[^\[\]\\]|\\.)*\]\(([^()\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.M)


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --- the long-note vault ---------------------------------------------------------------

@pytest.fixture(scope="module")
def long_vault(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("long") / "v"
    return root, gl.generate_long_note(root, lines=900, seed=3)


def test_long_note_lines_links_and_targets(long_vault) -> None:
    root, stats = long_vault
    text = (root / gl.LONG_NOTE).read_text("utf-8")
    lines = text.splitlines()
    assert text.endswith("\n") and len(lines) == stats.lines == 900
    bodies = WIKI.findall(text)
    assert len(bodies) == stats.links == 1800
    small = {p.stem: p.read_text("utf-8") for p in (root / gl.TOPICS).glob("*.md")}
    assert len(small) == stats.real_notes == 100 and stats.notes == 101
    assert sorted(p.name for p in root.rglob("*.md")) == sorted([gl.LONG_NOTE] +
                                                                [f"{s}.md" for s in small])
    missing: dict[str, int] = {}
    real: set[str] = set()
    for body in bodies:
        name, _, sub = body.split("|")[0].partition("#")
        if name in small:
            real.add(name)
            if sub:  # the heading exists in the target
                assert sub in HEADING.findall(small[name]), body
        else:
            assert not sub
            missing[name] = missing.get(name, 0) + 1
    assert sum(missing.values()) == stats.links_missing == 900  # half of the links
    assert len(missing) == stats.missing_names == 97
    assert not any(name.casefold() in {s.casefold() for s in small} for name in missing)
    assert real == set(small)  # every real note is linked
    assert stats.bytes == sum(p.stat().st_size for p in root.rglob("*.md"))


def test_long_note_spreads_links_over_its_lines(long_vault) -> None:
    """Links on nearly every line: what makes a lines x links step show."""
    root, stats = long_vault
    lines = (root / gl.LONG_NOTE).read_text("utf-8").splitlines()
    headings = [line for line in lines if line.startswith("## ")]
    counts = [len(WIKI.findall(line)) for line in lines if not line.startswith("## ")]
    assert len(headings) == -(-900 // gl.HEADING_EVERY) and all(line.startswith("- ") for line in
                                                                lines if line not in headings)
    assert min(counts) >= 1 and max(counts) - min(counts) <= 1  # evenly spread
    assert sum(counts) == stats.links


def test_small_notes_links_resolve(long_vault) -> None:
    root, stats = long_vault
    names = {p.stem for p in root.rglob("*.md")}
    bodies = [b for p in (root / gl.TOPICS).glob("*.md") for b in WIKI.findall(p.read_text())]
    assert len(bodies) == stats.links_small > 0
    assert all(b.split("|")[0] in names for b in bodies)


def test_long_note_is_deterministic(tmp_path: Path, long_vault) -> None:
    root, stats = long_vault
    assert gl.generate_long_note(tmp_path / "a", lines=900, seed=3) == stats
    assert tree_hashes(tmp_path / "a") == tree_hashes(root)
    gl.generate_long_note(tmp_path / "b", lines=900, seed=4)
    assert tree_hashes(tmp_path / "b") != tree_hashes(root)


def test_long_note_cli_and_sizes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "v"
    assert gl.main([str(out), "--lines", "50", "--links", "31", "--missing-names", "5",
                    "--real-notes", "3", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["links"] == len(WIKI.findall((out / gl.LONG_NOTE).read_text())) == 31
    assert (stats["links_missing"], stats["missing_names"], stats["real_notes"]) == (15, 5, 3)
    assert gl.main([str(out), "--lines", "50"]) == 2  # not empty, no --force
    capsys.readouterr()


# --- the wikilink pre-converter ----------------------------------------------------------

def prose(text: str) -> str:
    """Text outside front matter, fenced and inline code."""
    return INLINE_CODE.sub("", FENCE.sub("", FRONT.sub("", text)))


@pytest.fixture(scope="module", params=[False, True], ids=["folders", "flat"])
def converted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("conv")
    stats = gv.generate_vault(base / "src", 120, seed=5, flat=request.param)
    return base / "src", base / "dst", stats, cl.convert_vault(base / "src", base / "dst")


def test_converted_vault_has_no_wikilinks_outside_code(converted) -> None:
    src, dst, _, conv = converted
    assert tree_hashes(src).keys() == tree_hashes(dst).keys() and conv.notes == 120
    for path in dst.rglob("*.md"):
        text = path.read_text("utf-8")
        assert "[[" not in prose(text), path
        assert "%%" not in prose(text), path  # comments dropped
        original = (src / path.relative_to(dst)).read_text("utf-8")
        assert FENCE.findall(text) == FENCE.findall(original)  # code untouched
        head = FRONT.match(original)
        assert text.startswith(head.group(0)) if head else not FRONT.match(text)  # kept as is


def test_converted_links_point_to_existing_files_and_headings(converted) -> None:
    src, dst, gen, conv = converted
    written = 0
    for path in dst.rglob("*.md"):
        for target in MD_TARGET.findall(prose(path.read_text("utf-8"))):
            file, _, frag = target.partition("#")
            if not file:  # [[#Heading]] -> a same-page anchor
                file = path.name
            written += 1
            dest = (path.parent / unquote(file)).resolve()
            assert dest.is_file() and dest.is_relative_to(dst.resolve()), (path, target)
            if frag and dest.suffix == ".md":
                slugs = {h.lower().replace(" ", "-") for h in HEADING.findall(dest.read_text())}
                assert frag in slugs, (path, target)
    assert written == conv.links + conv.anchors > 0
    assert conv.missing == gen.expected_missing  # only the intended missing links miss
    frontmatter_links = gen.link_kinds.get("frontmatter", 0)
    assert conv.links + conv.anchors + conv.missing + conv.block_refs == \
        gen.links_real - frontmatter_links


def test_converter_forms(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "att").mkdir()
    (src / "att" / "pic.png").write_bytes(b"x")
    (src / "att" / "doc.pdf").write_bytes(b"x")
    (src / "Top Note.md").write_text("---\naliases: [Nick]\n---\n# Top\n\n## My Heading\n")
    (src / "sub" / "Here.md").write_text(
        "[[Top Note]] [[top note|shown]] [[Top Note#My Heading]] [[Nick]] [[Top Note#^b1]]\n"
        "![[pic.png|200]] ![[doc.pdf#page=2]] ![[Top Note]] [[#Local Part]] [[#^blk]]\n"
        "[[Nowhere]] [[Nowhere|text]] [m](Top%20Note.md#my-heading) [w](https://x.org/a.md)\n"
        "`[[Top Note]]` %%[[Top Note]] hidden%%\n```\n[[Top Note]]\n```\n## Local Part\n")
    stats = cl.convert_vault(src, tmp_path / "dst")
    lines = (tmp_path / "dst" / "sub" / "Here.md").read_text().splitlines()
    assert lines[0] == (
        "[Top Note](../Top%20Note.md) [shown](../Top%20Note.md) "
        "[Top Note#My Heading](../Top%20Note.md#my-heading) [Nick](../Top%20Note.md) "
        "[Top Note#^b1](../Top%20Note.md)")
    assert lines[1] == ("![pic.png](../att/pic.png) [doc.pdf#page=2](../att/doc.pdf#page=2) "
                        "[Top Note](../Top%20Note.md) [Local Part](#local-part) ^blk")
    assert lines[2] == ("Nowhere text [m](../Top%20Note.md#my-heading) [w](https://x.org/a.md)")
    assert lines[3] == "`[[Top Note]]` "
    assert lines[4:7] == ["```", "[[Top Note]]", "```"]
    assert (stats.links, stats.anchors, stats.missing, stats.block_refs, stats.comments) == \
        (9, 1, 2, 1, 1)
    assert (tmp_path / "dst" / "att" / "pic.png").read_bytes() == b"x"


# --- bench_build's figures -------------------------------------------------------------

def test_note_page_paths() -> None:
    assert bb.note_page("A/B C.md") == "A/B C/index.html"
    assert bb.note_page("Top.md") == "Top/index.html"
    assert bb.note_page("index.md") == "index.html"
    assert bb.note_page("A/README.md") == "A/index.html"


def test_site_stats(tmp_path: Path) -> None:
    for rel, size in {"A/B/index.html": 1000, "C/index.html": 3000, "D/index.html": 2000,
                      "404.html": 10, "x.json": 90}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x" * size)
    stats = bb.site_stats(tmp_path, ["A/B.md", "C.md", "D.md", "Gone.md"])
    assert stats["files"] == 5 and stats["pages"] == 4 and stats["site_mb"] == 6100 / 1e6
    assert (stats["notes"], stats["note_pages"]) == (4, 3)
    assert (stats["page_median_kb"], stats["page_max_kb"]) == (2.0, 3.0)


def test_targets_only_for_measured_vaults() -> None:
    rows = [{"tool": "kbgen", "shape": "folders", "size": 1000, "wall_s": 5.0,
             "peak_rss_mib": 300.0, "ratio": 1.2, "ratio_to": "mkdocs"},
            {"tool": "mkdocs", "shape": "folders", "size": 1000, "wall_s": 4.2},
            {"tool": "kbgen", "shape": "long", "size": 60000, "wall_s": 20.0,
             "peak_rss_mib": 300.0, "ratio": 2.0, "ratio_to": "check"}]
    checks = {c["target"]: c["ok"] for c in bb.targets(rows, 60000)}
    assert checks == {"folders 1000: kbgen build wall": True,
                      "folders 1000: kbgen / bare mkdocs wall": False,
                      "long 60000: build / check wall": True}


def test_bench_build_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Tiny vaults through the real script: every build succeeds, note pages are found."""
    code = bb.main(["--sizes", "6", "--flat", "", "--long-lines", "40", "--out",
                    str(tmp_path), "--json", str(tmp_path / "r.json")])
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["pass"] == (code == 0)
    rows = {(r["vault"], r["tool"]): r for r in report["rows"]}
    assert set(rows) == {("folders-6", "kbgen"), ("folders-6", "mkdocs"),
                         ("long-40", "check"), ("long-40", "kbgen")}
    assert all(r["returncode"] == 0 and r["cpu_s"] > 0 for r in rows.values())
    for key in [("folders-6", "kbgen"), ("folders-6", "mkdocs"), ("long-40", "kbgen")]:
        assert rows[key]["note_pages"] == rows[key]["notes"] > 0, key
    assert rows["folders-6", "kbgen"]["ratio_to"] == "mkdocs"
    assert rows["long-40", "kbgen"]["ratio_to"] == "check"
    assert not list(tmp_path.glob("site-*"))  # sites deleted without --keep-sites
    assert "kbgen / bare mkdocs" in capsys.readouterr().out
