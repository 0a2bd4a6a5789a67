"""Nothing lost: a killed build leaves the previous site whole, its leftovers do not break the
next build, and the command line refuses a site folder that would overwrite the vault."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile_vault import run_kbgen, vault_state
from kbgen.site_build import build_site, clean_stale

REPO = Path(__file__).resolve().parents[1]


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def dead_pid() -> int:
    """The pid of a process that has exited (and, for the test's few seconds, is not reused)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_build_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    vault, site = tmp_path / "vault", tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_vault.py"), str(vault), "-n", "300"],
                   check=True, capture_output=True)
    assert build_site(vault, site).ok
    before = digest(site)
    (vault / "Only In The Killed Build.md").write_text("# New\n", encoding="utf-8")

    proc = subprocess.Popen([sys.executable, "-m", "kbgen", "build", str(vault), "-o", str(site)],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    temp = tmp_path / f".site.tmp-{proc.pid}"
    deadline = time.monotonic() + 120
    while not (temp.is_dir() and sum(1 for _ in temp.rglob("index.html")) >= 20):
        assert proc.poll() is None, "the build finished before it could be killed"
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL

    assert digest(site) == before  # byte for byte, every file still there
    assert temp.is_dir()  # what the killed build left behind...
    result = build_site(vault, site)  # ...does not break the next build, which removes it
    assert result.ok, result.message
    assert not temp.exists()
    assert (site / "Only In The Killed Build" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_stale_leftovers_are_cleaned_and_live_ones_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    dead, alive = dead_pid(), os.getppid()
    (tmp_path / f".site.tmp-{dead}" / "x").mkdir(parents=True)
    (tmp_path / f".site.tmp-{alive}").mkdir()  # a build still running elsewhere
    old = tmp_path / f".site.old-{dead}"  # killed between the two renames of the swap
    old.mkdir()
    (old / "index.html").write_text("previous", encoding="utf-8")
    (tmp_path / ".site.tmp-notapid").mkdir()
    (tmp_path / ".other.tmp-1").mkdir()

    clean_stale(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"  # the old site is back
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([".other.tmp-1", ".site.tmp-notapid", f".site.tmp-{alive}", "site"])

    old.mkdir()  # with a site in place, an old copy is simply removed
    clean_stale(site)
    assert not old.exists() and (site / "index.html").is_file()


@pytest.mark.parametrize("where", ["vault", "vault/site", "vault/sub/site", "."])
def test_the_cli_refuses_a_site_folder_that_is_holds_or_lies_in_the_vault(tmp_path: Path, where: str) -> None:
    vault = tmp_path / "vault"
    (vault / "sub").mkdir(parents=True)
    (vault / "Note.md").write_text("# Note\n", encoding="utf-8")
    before = vault_state(vault)
    run = run_kbgen("build", vault, "-o", tmp_path / where, cwd=tmp_path)
    assert run.code != 0 and "refusing" in run.output
    assert vault_state(vault) == before
    assert not (tmp_path / "site").exists()


def test_the_cli_refuses_a_site_folder_that_is_not_a_site(tmp_path: Path) -> None:
    vault, other = tmp_path / "vault", tmp_path / "documents"
    vault.mkdir()
    (vault / "Note.md").write_text("# Note\n", encoding="utf-8")
    other.mkdir()
    (other / "thesis.docx").write_bytes(b"precious")
    run = run_kbgen("build", vault, "-o", other, cwd=tmp_path)
    assert run.code != 0 and "refusing" in run.output
    assert (other / "thesis.docx").read_bytes() == b"precious"


def test_graph_output_into_the_vault_is_refused(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Note.md").write_text("# Note\n", encoding="utf-8")
    before = vault_state(vault)
    run = run_kbgen("graph", vault, "-o", vault / "graph.json", cwd=tmp_path)
    assert run.code != 0 and "refusing" in run.output
    assert vault_state(vault) == before
