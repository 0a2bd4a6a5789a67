"""`kbgen check` and `kbgen graph` on the user's real notes and on small vaults."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from kbgen.cli import main

NOTES = Path(__file__).resolve().parent.parent / "notes"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_json_on_the_users_notes() -> None:
    code, out = run("check", str(NOTES), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["notes"] == 5
    assert report["links"] == 10 and report["resolved"] == 0 and report["alias_resolved"] == 0
    unresolved = report["unresolved"]
    assert len(unresolved) == 10
    assert {u["source"] for u in unresolved} == {"Machine Learning.md"}
    assert [u["line"] for u in unresolved] == [1, 7, 15, 16, 17, 18, 19, 20, 21, 28]
    targets = {u["target"] for u in unresolved}
    assert len(targets) == 9 and len(report["missing_targets"]) == 9
    assert "$Dive into Deep Learning by Zhang, Lipton, Li and Smola" in targets
    reasoning = next(m for m in report["missing_targets"] if m["target"] == "Machine Learning and Mathematical Reasoning")
    assert [r["line"] for r in reasoning["referrers"]] == [7, 21]


def test_check_text_lines_and_strict_exit(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("[[B]] and [[A#Nope]]\n")
    code, out = run("check", str(tmp_path))
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("A.md:1: ") and "'B'" in line for line in lines)
    assert any(line.startswith("A.md:1: ") and "Nope" in line for line in lines)
    assert lines[-1].startswith("1 notes, 0 attachments, 2 links")
    assert run("check", str(tmp_path), "--strict")[0] == 1
    (tmp_path / "A.md").write_text("[[A]]\n")
    assert run("check", str(tmp_path), "--strict")[0] == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "nope"))[0] == 2
    assert run("check", "--format", "xml", str(tmp_path))[0] == 2


def test_check_never_writes_into_the_vault(tmp_path: Path) -> None:
    vault = tmp_path / "v"
    shutil.copytree(NOTES, vault)
    before = {p: p.read_bytes() for p in vault.rglob("*")}
    run("check", str(vault), "--format", "json")
    assert {p: p.read_bytes() for p in vault.rglob("*")} == before


def test_graph_exports_json_and_graphml(tmp_path: Path) -> None:
    code, _ = run("graph", str(NOTES), "--format", "graphml", "-o", str(tmp_path / "g.graphml"))
    assert code == 0
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "missing") == 9
    code, _ = run("graph", str(NOTES), "-o", str(tmp_path / "g.json"))
    data = json.loads((tmp_path / "g.json").read_text())
    assert code == 0 and sum(1 for n in data["nodes"] if n.get("kind") == "note") == 5


def test_graph_refuses_to_write_into_the_vault(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("x")
    assert run("graph", str(tmp_path), "-o", str(tmp_path / "g.json"))[0] == 2
    assert not (tmp_path / "g.json").exists()


def test_new_creates_a_note_and_refuses_to_overwrite(tmp_path: Path) -> None:
    code, out = run("new", str(tmp_path), "My Idea", "--folder", "ideas", "--tag", "draft")
    created = tmp_path / "ideas" / "My Idea.md"
    assert code == 0 and created.is_file()
    assert created.read_text().startswith("---\ntitle: My Idea\n")
    created.write_text("mine")
    code, _ = run("new", str(tmp_path), "My Idea", "--folder", "ideas")
    assert code == 1 and created.read_text() == "mine"
    assert run("new", str(tmp_path), "x", "--folder", "../out")[0] == 2


def _noisy_vault(root: Path) -> None:
    """12 links to notes not written yet, 1 malformed link, 1 empty tags entry."""
    links = "\n".join(f"- [[Missing {n}]]" for n in range(12))
    (root / "A.md").write_text(f"---\ntags:\n  -\n  - ok\n---\n{links}\n\n- [Broken]((https://x.org/b)\n")


def test_text_report_shows_a_few_per_kind_and_ends_with_counts(tmp_path: Path) -> None:
    _noisy_vault(tmp_path)
    code, out = run("check", str(tmp_path))
    lines = out.splitlines()
    assert code == 0
    finding_lines = [line for line in lines if line.startswith("A.md:")]
    assert sum("unresolved link" in line for line in finding_lines) == 5
    assert sum("malformed link, shown as text: [Broken]((https://x.org/b" in line for line in finding_lines) == 1
    assert not any("None" in line for line in lines)  # the empty tags entry is ignored silently
    summary = lines[lines.index("Findings by kind:") + 1:]
    assert summary[0].split()[:2] == ["12", "unresolved-link"] and "notice" in summary[0]
    assert summary[1].split()[:2] == ["1", "malformed-link"] and "notice" in summary[1]
    assert any("7 more not shown" in line and "--verbose" in line for line in summary)
    assert lines[-1].startswith("1 notes, 0 attachments, 12 links")


def test_verbose_and_json_keep_every_finding(tmp_path: Path) -> None:
    _noisy_vault(tmp_path)
    _, out = run("check", str(tmp_path), "--verbose")
    assert sum("unresolved link" in line for line in out.splitlines()) == 12
    assert "more not shown" not in out
    _, out = run("check", str(tmp_path), "--format", "json")
    report = json.loads(out)
    assert len(report["unresolved"]) == 12
    assert report["by_kind"] == {"unresolved-link": 12, "malformed-link": 1}
    [malformed] = report["warnings"]
    assert (malformed["line"], malformed["code"]) == (19, "malformed-link")  # 5 front-matter lines, 12 links, a blank
