"""The pipeline gives the same model whether notes are parsed in a pool or in-process."""

from __future__ import annotations

from pathlib import Path

from kbgen.pipeline import PARALLEL_FROM, load_vault


def _vault(root: Path, n: int) -> None:
    for i in range(n):
        folder = root / f"f{i % 7}"
        folder.mkdir(exist_ok=True)
        (folder / f"Note {i}.md").write_text(
            f"---\ntags: [t{i % 5}]\n---\n# Note {i}\n\n- *cult*: \"Book {i % 30}\" [Author {i % 30}; book; 2001]"
            f"(https://example.org/{i % 30})\n\nSee [[Note {(i + 1) % n}]] and [[Missing {i % 11}]].\n",
            encoding="utf-8")


def test_pool_and_in_process_parsing_agree(tmp_path: Path) -> None:
    _vault(tmp_path, PARALLEL_FROM + 20)
    pooled = load_vault(tmp_path, keep_tokens=False, jobs=2)
    single = load_vault(tmp_path, keep_tokens=False, jobs=1)
    assert len(pooled.vault.notes) == PARALLEL_FROM + 20
    assert [n.links for n in pooled.vault.notes.values()] == [n.links for n in single.vault.notes.values()]
    assert pooled.findings == single.findings
    assert [(r.key, len(r.citations)) for r in pooled.readings] == [(r.key, len(r.citations)) for r in single.readings]
    assert len(pooled.readings) == 30
    assert sorted(pooled.graph.graph.edges(keys=True)) == sorted(single.graph.graph.edges(keys=True))


def test_tokens_are_dropped_only_when_asked(tmp_path: Path) -> None:
    _vault(tmp_path, 3)
    assert all(n.tokens for n in load_vault(tmp_path).vault.notes.values())
    assert not any(n.tokens for n in load_vault(tmp_path, keep_tokens=False).vault.notes.values())


def test_pooled_parse_packs_tokens_and_renders_the_same_pages(tmp_path: Path) -> None:
    """Workers send tokens back packed; the pages (embeds included) are the same as in-process."""
    from kbgen.site import plan_site, render_pages
    _vault(tmp_path, PARALLEL_FROM + 20)
    (tmp_path / "f0" / "Note 0.md").write_text("# Note 0\n\n![[Note 1]]\n\n<b>raw</b> [[Note 2#Note 2]]\n",
                                               encoding="utf-8")
    pooled = load_vault(tmp_path, jobs=2)
    single = load_vault(tmp_path, jobs=1)
    note = pooled.vault.notes["f0/Note 0.md"]
    assert note.tokens == [] and note.packed, "pooled notes come back packed"
    assert note.raw_html and single.vault.notes["f0/Note 0.md"].tokens
    bodies = []
    for loaded in (pooled, single):
        plan, site = plan_site(loaded)
        render_pages(plan, site, jobs=1)
        bodies.append([(p.output, p.body.html) for p in plan.pages])
    assert bodies[0] == bodies[1]
    assert "<b>raw</b>" in dict(bodies[0])["f0/Note 0/index.html"]
