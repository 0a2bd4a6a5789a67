"""`kbgen new`: faithful file names, the wanted list, and the command a missing page shows."""

from __future__ import annotations

import datetime as _dt
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kbgen.cli import main
from kbgen.new_note import NoteNameError, file_stem, new_note_command, note_text
from kbgen.pipeline import load_vault


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("title, stem", [
    ("My Idea", "My Idea"),
    ("TCP/IP", "TCP-IP"),
    ("Foo: Bar", "Foo - Bar"),
    ("12:30 standup", "12-30 standup"),
    ('What is "AI"?', "What is 'AI'"),
    ("[draft] a|b \\ c", "(draft) a-b - c"),
    ("Ünïcode — ok · 日本語", "Ünïcode — ok · 日本語"),
    ("..hidden.", "hidden"),
    ("tabs\tand  spaces", "tabs and spaces"),
])
def test_file_stem_keeps_what_obsidian_allows(title: str, stem: str) -> None:
    assert file_stem(title) == stem
    assert not set(stem) & set('*"\\/<>:|?#^[]')


@pytest.mark.parametrize("title", ["", "???", " <> ", "#^*", "\n\t"])
def test_file_stem_refuses_titles_with_nothing_left(title: str) -> None:
    with pytest.raises(NoteNameError):
        file_stem(title)


def test_file_stem_fits_a_file_system_name() -> None:
    assert len(file_stem("é" * 300).encode("utf-8")) <= 240


def test_note_text_keeps_the_title_and_an_alias_when_the_name_differs() -> None:
    text = note_text("Foo: Bar", ["draft"], today=_dt.date(2024, 5, 6))
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"title": "Foo: Bar", "aliases": ["Foo: Bar"], "created": "2024-05-06", "tags": ["draft"]}
    assert text.endswith("---\n\n# Foo: Bar\n\n")
    assert "aliases" not in yaml.safe_load(note_text("Plain", today=_dt.date(2024, 5, 6)).split("---\n")[1])


@pytest.mark.parametrize("name, folder, command", [
    ("Biology", None, "kbgen new Biology"),
    ("Machine Learning", "", "kbgen new 'Machine Learning'"),
    ("Machine Learning", "topics/ai", "kbgen new 'Machine Learning' --folder topics/ai"),
    ("Idea's $HOME `x`", "my notes", "kbgen new 'Idea'\"'\"'s $HOME `x`' --folder 'my notes'"),
    ("Topics/Graphs", "elsewhere", "kbgen new Graphs --folder Topics"),  # a path, as Obsidian reads it
    ("./Here", "a/b", "kbgen new Here --folder a/b"),
    ("../Up", "a/b", "kbgen new Up --folder a"),
    ("Note.md", None, "kbgen new Note"),
])
def test_new_note_command(name: str, folder: str | None, command: str) -> None:
    assert new_note_command(name, folder) == command


def test_new_note_command_quotes_every_argument_safely() -> None:
    hostile = "x; rm -rf ~ && echo $(id) | cat > 'y' \"z\" \n"
    argv = shlex.split(new_note_command(hostile, "a b;c"))
    assert argv == ["kbgen", "new", hostile, "--folder", "a b;c"]


WANTING = {
    "Home.md": "[[Foo: Bar]] and [[TCP IP]] and [[Topics/Graphs]] and [[Foo: Bar]]\n",
    "sub/Deep.md": "[[Idea's \"Best\" $HOME]] and [[Foo: Bar]]\n",
}


def _vault(root: Path) -> Path:
    for path, text in WANTING.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def test_wanted_lists_most_linked_first_with_the_command(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    code, out = run("new", str(vault), "--wanted")
    assert code == 0
    lines = out.splitlines()
    assert [int(line.split()[0]) for line in lines] == [3, 1, 1, 1]
    assert "Foo: Bar" in lines[0] and "(Home.md:1)" in lines[0] and lines[0].endswith("kbgen new 'Foo: Bar'")
    deep = next(line for line in lines if "Idea" in line)
    assert deep.endswith("--folder sub")  # the folder of the note that links to it


def test_running_each_wanted_command_turns_every_red_link_blue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = _vault(tmp_path / "notes")
    monkeypatch.chdir(tmp_path)  # the commands name no vault: ./notes is the default
    missing = load_vault(vault, keep_tokens=False).graph.missing_targets()
    assert len(missing) == 4
    for target in missing:
        folder = target.referrers[0][0].rpartition("/")[0] or None
        argv = shlex.split(new_note_command(target.name, folder))
        assert argv[:2] == ["kbgen", "new"]
        code, out = run(*argv[1:])
        assert code == 0, out
    assert (vault / "Foo - Bar.md").is_file() and (vault / "Topics" / "Graphs.md").is_file()
    assert (vault / "sub" / "Idea's 'Best' $HOME.md").is_file()
    loaded = load_vault(vault, keep_tokens=False)
    assert [f for f in loaded.findings if f.code == "unresolved-link"] == []


def test_new_takes_the_vault_positionally_and_as_the_old_option(tmp_path: Path) -> None:
    code, out = run("new", str(tmp_path), "TCP/IP", "--folder", "net", "--tag", "draft")
    created = tmp_path / "net" / "TCP-IP.md"
    assert code == 0 and out.strip() == str(created.resolve())
    front = yaml.safe_load(created.read_text(encoding="utf-8").split("---\n")[1])
    assert (front["title"], front["aliases"], front["tags"]) == ("TCP/IP", ["TCP/IP"], ["draft"])
    code, _ = run("new", "Old Form", "--vault", str(tmp_path))
    assert code == 0 and (tmp_path / "Old Form.md").is_file()
    assert run("new", str(tmp_path), "X", "--vault", str(tmp_path))[0] == 2  # the vault given twice
    assert run("new", str(tmp_path), "???")[0] == 2  # nothing left for a file name
    assert run("new")[0] == 2


def test_new_without_a_vault_uses_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run("new", "Idea")[0] == 0 and (tmp_path / "notes" / "Idea.md").is_file()
