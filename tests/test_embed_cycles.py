"""Embed cycles found by ``kbgen check`` (``embed_cycles.py``) match the ones rendering stops."""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_render_helpers import make_vault, render

from kbgen.cli import main
from kbgen.embed_cycles import CODE
from kbgen.model import Finding
from kbgen.pipeline import LoadedVault
from kbgen.publish import PublishRules


def check_cycles(loaded: LoadedVault) -> set[Finding]:
    return {f for f in loaded.findings if f.code == CODE}


def render_cycles(loaded: LoadedVault) -> set[Finding]:
    """Every embed-cycle finding met while rendering every published page (as a build does)."""
    found: set[Finding] = set()
    for path in loaded.published.notes:
        found.update(f for f in render(loaded, path).findings if f.code == CODE)
    return found


def test_two_note_cycle_matches_the_render_exactly(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"Loop A.md": "# Loop A\n\n![[Loop B]]\n",
                                   "Loop B.md": "# Loop B\n\ntext\n\n![[Loop A]]\n", "Other.md": "![[Loop A]]\n"})
    found = check_cycles(loaded)
    assert found == render_cycles(loaded)
    assert sorted((f.source, f.line) for f in found) == [("Loop A.md", 3), ("Loop B.md", 5)]
    message = next(f.message for f in found if f.source == "Loop B.md")
    assert message == "embed of 'Loop A' stopped: cycle (Loop A.md → Loop B.md → Loop A.md)"


def test_self_embed_and_section_self_embed(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"Self.md": "# Self\n\n![[Self]]\n",
                                   "Sec.md": "# Sec\n\n## Part\n\nsee ![[#Part]]\n\n## Other\n\n![[Sec#Part]]\n"})
    found = check_cycles(loaded)
    assert found == render_cycles(loaded)
    assert sorted((f.source, f.line) for f in found) == [("Sec.md", 5), ("Self.md", 3)]
    assert {f.message for f in found} == {"embed of 'Self' stopped: cycle (Self.md → Self.md)",
                                          "embed of 'Sec#Part' stopped: cycle (Sec.md → Sec.md)"}


def test_sections_that_embed_each_other_elsewhere_are_no_cycle(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {
        "A.md": "# A\n\n## One\n\n![[B#Two]]\n\n## Keep\n\nkept\n",
        "B.md": "# B\n\n## Two\n\ntwo text\n\n## Three\n\n![[A#Keep]]\n",
        "C.md": "- item ![[D#^d]] ^c\n- other\n",
        "D.md": "- first\n  ![[C#^c]] continued ^x\n- second ^d\n",
    })
    assert check_cycles(loaded) == set() == render_cycles(loaded)


def test_section_and_block_cycles(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {
        "A.md": "# A\n\n## One\n\nsee ![[B#Two]]\n\n## Keep\n",
        "B.md": "# B\n\n## Two\n\n### Deeper\n\n![[A#One]]\n\n## Three\n",
        "C.md": "- item ^c\n  - nested ![[D#^d]]\n- other\n",
        "D.md": "- first\n- second ![[C#^c]] ^d\n",
    })
    found = check_cycles(loaded)
    assert found == render_cycles(loaded)
    assert sorted((f.source, f.line) for f in found) == [("A.md", 5), ("B.md", 7), ("C.md", 2), ("D.md", 2)]


def test_unpublished_note_breaks_the_cycle(tmp_path: Path) -> None:
    files = {"A.md": "![[B]]\n", "B.md": "---\npublish: false\n---\n![[A]]\n"}
    loaded = make_vault(tmp_path, files)
    assert check_cycles(loaded) == set() == render_cycles(loaded)


def test_a_long_cycle_is_reported_once_per_embed(tmp_path: Path) -> None:
    files = {f"N{i}.md": f"# N{i}\n\n![[N{(i + 1) % 8}]]\n" for i in range(8)}
    found = check_cycles(make_vault(tmp_path, files))
    assert sorted(f.source for f in found) == sorted(files)
    assert all(f.message.count("→") == 8 for f in found)


def test_check_strict_fails_on_an_embed_cycle(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("![[B]]\n", encoding="utf-8")
    (tmp_path / "B.md").write_text("[[A]]\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["check", str(tmp_path), "--strict"]).exit_code == 0
    (tmp_path / "B.md").write_text("![[A]]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--strict"])
    assert result.exit_code == 1
    assert "B.md:1: embed of 'A' stopped: cycle (A.md → B.md → A.md)" in result.output.splitlines()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=8))
def test_check_finds_a_cycle_exactly_when_rendering_does(edges: list[tuple[int, int]]) -> None:
    """Random whole-note embeds among five notes: ``check --strict`` and ``build --strict``
    agree on whether there is an embed cycle, and every finding check makes, a build meets."""
    files = {f"N{i}.md": f"# N{i}\n\n" + "".join(f"![[N{b}]]\n\n" for a, b in edges if a == i) for i in range(5)}
    with tempfile.TemporaryDirectory() as folder:
        loaded = make_vault(Path(folder), files)
        checked, rendered = check_cycles(loaded), render_cycles(loaded)
    assert bool(checked) == bool(rendered)
    assert checked <= rendered


def test_rules_do_not_change_what_check_checks(tmp_path: Path) -> None:
    """An unpublished note's own problems are still findings (only its embeds are not rendered)."""
    from kbgen.pipeline import load_vault
    from trees import write_tree_at

    root = write_tree_at(tmp_path, {"Private/A.md": "[[Nowhere]]\n", "B.md": "text\n"})
    loaded = load_vault(root, publish=PublishRules(exclude=("Private/",)))
    assert [(f.source, f.code) for f in loaded.findings] == [("Private/A.md", "unresolved-link")]
