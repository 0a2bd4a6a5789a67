"""The synthetic vault generator used by the benchmarks (benchmarks/generate_vault.py).

Checks with simple regexes, independent of kbgen: determinism, the note count, 5-15 real
links per note, fake links only inside code and comments, and that every link the
generator meant to resolve names a note, heading or block id that really exists; the
same for the flat shape (every note in the root folder).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_vault", BENCH / "generate_vault.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


gv = _load_generator()

FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)
COMMENT = re.compile(r"%%.*?%%", re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
WIKI = re.compile(r"!?\[\[([^\]]+)\]\]")
MDLINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+\.md(?:#[^)\s]*)?)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.M)
BLOCK_ID = re.compile(r"\^([a-z0-9]+)$", re.M)


def strip_fake(text: str) -> str:
    """The text without fenced code, %%comments%% and inline code."""
    return INLINE_CODE.sub("", COMMENT.sub("", FENCE.sub("", text)))


def real_links(text: str) -> tuple[list[str], list[str]]:
    """(wikilink bodies, markdown link targets) outside code and comments."""
    text = strip_fake(text)
    markdown = [m.group(2) for m in MDLINK.finditer(text)]
    return WIKI.findall(MDLINK.sub("", text)), markdown


def key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("vault") / "v"
    return root, gv.generate_vault(root, 120, seed=7)


@pytest.fixture(scope="module")
def flat_vault(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("flat") / "v"
    return root, gv.generate_vault(root, 120, seed=7, flat=True)


@pytest.fixture(params=["vault", "flat_vault"])
def any_vault(request: pytest.FixtureRequest):
    """Each shape in turn: the foldered default and the flat one."""
    return request.getfixturevalue(request.param)


def test_deterministic_same_bytes(tmp_path: Path, vault) -> None:
    root, stats = vault
    again = gv.generate_vault(tmp_path / "again", 120, seed=7)
    assert tree_hashes(tmp_path / "again") == tree_hashes(root)
    assert again == stats
    gv.generate_vault(tmp_path / "other", 120, seed=8)
    assert tree_hashes(tmp_path / "other") != tree_hashes(root)


def test_writes_requested_notes_and_attachments(vault) -> None:
    root, stats = vault
    notes = list(root.rglob("*.md"))
    assert len(notes) == stats.notes == 120
    assert stats.bytes == sum(p.stat().st_size for p in notes)
    folders = {p.parent.relative_to(root).as_posix() for p in notes} - {"."}
    assert len(folders) >= 15 and any(f.count("/") == 1 for f in folders)
    attachments = sorted((root / "attachments").iterdir())
    assert len(attachments) == stats.attachments
    assert {p.suffix for p in attachments} == {".png", ".pdf"}
    for p in attachments:
        head = p.read_bytes()[:8]
        assert head == b"\x89PNG\r\n\x1a\n" if p.suffix == ".png" else head.startswith(b"%PDF-")
    words = [len(strip_fake(p.read_text("utf-8")).split()) for p in notes]
    assert min(words) >= 300 and max(words) <= 1100


def test_every_note_has_5_to_15_real_links(any_vault) -> None:
    root, stats = any_vault
    total = fake = 0
    for path in root.rglob("*.md"):
        text = path.read_text("utf-8")
        wiki, markdown = real_links(text)
        n = len(wiki) + len(markdown)
        assert 5 <= n <= 15, (path, n)
        total += n
        fake += len(WIKI.findall(MDLINK.sub("", text))) - len(wiki)
    assert total == stats.links_real
    assert fake == stats.links_fake > 0


def test_constructs_present(vault) -> None:
    root, stats = vault
    text = "\n".join(p.read_text("utf-8") for p in sorted(root.rglob("*.md")))
    for needle in ("[[#^", "![[figure-", "|200]]", ".pdf#page=", "%%", "```", "\n  - ",
                   "| --- |", 'related: "[[', "aliases:\n  - ", "](", "%20"):
        assert needle in text, needle
    assert re.search(r"\[\[[^\]|#]+#[^\]|#^]+#[^\]|#]+\]\]", text), "[[T#H1#H2]]"
    assert re.search(r"\s#[a-z]+/[a-z]+", text), "nested inline tag"
    assert stats.expected_missing > 0 and stats.alias_links > 0
    assert stats.ambiguous_names == 2 and stats.ambiguous_links >= 2
    kinds = stats.link_kinds
    assert sum(kinds.values()) == stats.links_real
    assert 0.02 < kinds["missing"] / stats.links_real < 0.09


def test_links_resolve_as_intended(any_vault) -> None:
    """Only the intended missing links miss; headings and block ids always exist."""
    root, stats = any_vault
    notes: dict[str, dict] = {}
    by_name: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text("utf-8")
        body = strip_fake(text)
        aliases = re.search(r"^aliases:\n((?:  - .+\n)+)", text, re.M)
        notes[rel] = {"text": text,
                      "headings": {key(h) for h in HEADING.findall(body)},
                      "blocks": set(BLOCK_ID.findall(body))}
        by_name.setdefault(path.stem.casefold(), []).append(rel)
        for alias in re.findall(r"  - (.+)", aliases.group(1)) if aliases else []:
            by_name.setdefault(alias.casefold(), []).append(rel)
    files = {p.name.casefold() for p in (root / "attachments").iterdir()}

    def find(name: str) -> list[str]:
        name = name.casefold().removesuffix(".md")
        if "/" in name:
            return [rel for rel in notes if rel.casefold() == name + ".md"]
        return by_name.get(name, [])

    def check_sub(target: str, sub: str | None) -> None:
        if sub is None:
            return
        if sub.startswith("^"):
            assert sub[1:] in notes[target]["blocks"], (target, sub)
        else:
            for part in sub.split("#"):
                assert key(part) in notes[target]["headings"], (target, sub)

    missing = ambiguous = 0
    for rel, note in notes.items():
        wiki, markdown = real_links(note["text"])
        for body in wiki:
            name, _, sub = body.split("|")[0].partition("#")
            if not name:
                check_sub(rel, sub)
            elif name.casefold() in files:
                assert sub in ("", "page=1", "page=2")
            elif not (found := find(name)):
                missing += 1
            elif len(found) > 1:
                ambiguous += 1
            else:
                check_sub(found[0], sub or None)
        for target in markdown:
            path, _, frag = unquote(target).partition("#")
            found = [r for r in notes if r == path] or find(path)
            assert len(found) == 1, target
            check_sub(found[0], frag or None)
    assert missing == stats.expected_missing
    assert ambiguous == stats.ambiguous_links


def test_flat_shape_puts_every_note_in_the_root(tmp_path: Path, vault, flat_vault) -> None:
    root, stats = flat_vault
    notes = sorted(root.rglob("*.md"))
    assert len(notes) == stats.notes == 120
    assert {p.parent for p in notes} == {root}
    assert stats.folders == 0 and stats.ambiguous_names == stats.ambiguous_links == 0
    assert stats.expected_missing > 0 and stats.alias_links > 0
    assert sorted(p.name for p in (root / "attachments").iterdir()) == \
        sorted(p.name for p in (vault[0] / "attachments").iterdir())
    # The same notes as the foldered vault of that seed, only moved (the foldered one
    # gives two notes each of its ambiguous names the same stem).
    foldered = {p.stem for p in vault[0].rglob("*.md")}
    assert foldered < {p.stem for p in notes}
    again = gv.generate_vault(tmp_path / "again", 120, seed=7, flat=True)
    assert tree_hashes(tmp_path / "again") == tree_hashes(root) and again == stats


def test_cli_flat(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gv.main([str(tmp_path / "v"), "-n", "9", "--flat", "--json"]) == 0
    assert '"folders": 0' in capsys.readouterr().out
    assert sorted(p.parent for p in (tmp_path / "v").rglob("*.md")) == [tmp_path / "v"] * 9


def test_cli_prints_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gv.main([str(tmp_path / "v"), "-n", "8", "--json"]) == 0
    assert '"notes": 8' in capsys.readouterr().out
    assert len(list((tmp_path / "v").rglob("*.md"))) == 8
    assert gv.main([str(tmp_path / "v"), "-n", "8"]) == 2  # not empty, no --force
    assert gv.main([str(tmp_path / "v"), "-n", "3", "--force"]) == 0
    assert len(list((tmp_path / "v").rglob("*.md"))) == 3
