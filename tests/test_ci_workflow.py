"""The shipped Pages workflow runs what the README says, and the user's notes build green
with it, with ./mkdocs.yml or with the built-in config: one meaning of --strict."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kbgen.cli import main

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "notes"
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
BUILT_IN = REPO / "kbgen" / "default_mkdocs.yml"


def workflow_commands() -> list[str]:
    """Every ``run:`` line of the workflow's build job, in order."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    return [line.strip() for step in steps if "run" in step for line in step["run"].splitlines() if line.strip()]


def kbgen_options(config: Path) -> dict[str, Any]:
    """The options of the ``kbgen`` plugin in an mkdocs.yml."""
    plugins = yaml.safe_load(config.read_text(encoding="utf-8"))["plugins"]
    return next(p["kbgen"] for p in plugins if isinstance(p, dict) and "kbgen" in p)


def test_the_workflow_runs_what_the_readme_says() -> None:
    commands = workflow_commands()
    assert "kbgen build --strict" in commands
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    for command in commands:
        assert f"`{command}`" in readme or f"\n{command}" in readme, command


def test_strict_links_has_one_default_everywhere() -> None:
    assert kbgen_options(BUILT_IN)["strict_links"] is False
    assert kbgen_options(REPO / "mkdocs.yml")["strict_links"] is False


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def test_the_workflow_build_of_a_copy_of_the_notes_is_green(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(NOTES, tmp_path / "notes")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    [build] = [c for c in workflow_commands() if c.startswith("kbgen build")]
    code, output = _run(shlex.split(build)[1:])
    assert code == 0, output
    assert (tmp_path / "site" / "index.html").is_file()


def test_kbgen_build_notes_strict_with_the_built_in_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(NOTES, tmp_path / "notes")
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here: the built-in config is used
    code, output = _run(["build", "notes", "--strict"])
    assert code == 0, output
    assert (tmp_path / "site" / "Machine Learning" / "index.html").is_file()
