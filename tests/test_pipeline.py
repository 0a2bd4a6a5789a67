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
