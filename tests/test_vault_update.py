"""``KeptVault`` (serve) re-resolves only the links a change can reach: after every edit of
a long random sequence its vault equals ``build_vault`` of the edited notes — every
resolution, missing target and finding — and it resolved fewer notes than all of them."""

from __future__ import annotations

import random

import pytest

from kbgen.embed_cycles import embed_cycle_findings
from kbgen.files import decode_note
from kbgen.markdown import make_parser
from kbgen.model import Note
from kbgen.notes import parse_note
from kbgen.vault import Vault, build_vault
from kbgen.vault_update import KeptVault, name_key

FOLDERS = ["", "a", "a/b", "c"]
NAMES = ["Alpha", "alpha", "Beta", "Gamma", "Delta", "Note", "index", "a", "b"]  # a.md, a/b.md: what ".." and "./" reach
ATTACHMENTS = ["img.png", "a/img.png", "c/Doc.pdf", "Makefile", "a/Beta"]


def _target(rng: random.Random) -> str:
    name = rng.choice(NAMES + ["Nowhere", "img.png", "Doc.pdf", "Makefile", "Beta.md"])
    return rng.choice([
        name, f"{rng.choice(FOLDERS[1:])}/{name}", f"./{name}", f"../{name}", "..", "./", "a/..",
        f"/{name}", name.upper(), f"b/{name}", "Alias One", "alias two",
    ])


def _text(rng: random.Random) -> str:
    lines = []
    if rng.random() < 0.4:
        aliases = rng.sample(["Alias One", "alias two", "Gamma", "Alpha"], rng.randint(1, 2))
        lines += ["---", f"aliases: [{', '.join(aliases)}]", "---"]
    for heading in rng.sample(["Intro", "Details", "End"], rng.randint(0, 2)):
        lines.append(f"## {heading}")
    for _ in range(rng.randint(0, 6)):
        target = _target(rng)
        sub = rng.choice(["", "", "#Intro", "#Details", "#^b1", "#Gone"])
        if rng.random() < 0.3:
            lines.append(f"See [md]({target.replace(' ', '%20')}{sub}).")
        elif rng.random() < 0.15:
            lines.append(f"Self [[{sub or '#End'}]].")
        else:
            lines.append(f"See {'!' if rng.random() < 0.2 else ''}[[{target}{sub}]].")
    lines.append("A block. ^b1" if rng.random() < 0.5 else "The end.")
    return "\n".join(lines) + "\n"


def _parse(path: str, text: str) -> Note:
    return parse_note(decode_note(path, text.encode()), make_parser())


def _summary(vault: Vault) -> tuple[object, ...]:
    return (vault.resolutions, vault.missing, vault.findings, list(vault.notes), vault.attachments)


@pytest.mark.parametrize("seed", range(6))
def test_kept_vault_equals_a_cold_resolution_after_every_edit(seed: int) -> None:
    rng = random.Random(seed)
    paths = sorted({f"{f}/{n}.md".lstrip("/") for f in FOLDERS for n in rng.sample(NAMES, 4)})
    notes = {p: _parse(p, _text(rng)) for p in paths}
    attachments = set(rng.sample(ATTACHMENTS, 3))
    kept = KeptVault()
    kept.build(notes.values(), attachments, ())
    resolved_fewer = 0
    for _ in range(40):
        move = rng.random()
        if move < 0.5 and notes:  # a note edited
            path = rng.choice(sorted(notes))
            notes[path] = _parse(path, _text(rng))
        elif move < 0.65:  # a note created (maybe capturing missing links, or making a name ambiguous)
            path = f"{rng.choice(FOLDERS)}/{rng.choice(NAMES + ['Nowhere', 'Alias One'])}.md".lstrip("/")
            notes[path] = _parse(path, _text(rng))
        elif move < 0.8 and notes:  # a note deleted, or renamed
            path = rng.choice(sorted(notes))
            note = notes.pop(path)
            if rng.random() < 0.5:
                new = f"{rng.choice(FOLDERS)}/{rng.choice(NAMES)}.md".lstrip("/")
                notes[new] = _parse(new, _text(rng))
        else:  # an attachment came or went
            attachments ^= {rng.choice(ATTACHMENTS)}
        unpublished = [p for p in notes if rng.random() < 0.1]
        live = kept.build(notes.values(), attachments, unpublished)
        cold = build_vault(notes.values(), attachments, unpublished=unpublished)
        assert _summary(live) == _summary(cold)
        assert live.unpublished == cold.unpublished
        resolved_fewer += kept.resolved < len(notes)
    assert resolved_fewer > 20  # most edits reach only some notes


def test_the_name_of_a_link_is_the_last_part_of_its_target() -> None:
    links = _parse("n.md", "[[a/b/Note.md#H]] [[Img.PNG]] [[../x/]] [[..]] [[#Self]] [x](./sub/y.md)\n").links
    assert [name_key(link) for link in links] == ["note", "img.png", "x", "\0any", None, "y"]


def test_links_to_a_folder_path_follow_a_note_created_at_that_path() -> None:
    """``[up](..)`` from ``a/b/x.md`` asks the index for ``a``: no name of its own."""
    notes = {"a/b/x.md": _parse("a/b/x.md", "[up](..) [here](./) [[Other]]\n"), "Other.md": _parse("Other.md", "x\n")}
    kept = KeptVault()
    before = kept.build(notes.values(), [], ())
    assert [r.kind for r in before.resolutions["a/b/x.md"]] == ["missing", "missing", "note"]
    for path in ("a.md", "a/b.md"):
        notes[path] = _parse(path, "new\n")
        live = kept.build(notes.values(), [], ())
        assert _summary(live) == _summary(build_vault(notes.values(), []))
        assert kept.resolved < len(notes)
    assert [r.target_path for r in live.resolutions["a/b/x.md"]] == ["a.md", "a/b.md", "Other.md"]


def _embedding_text(rng: random.Random) -> str:
    """Headings, blocks and embeds of whole notes, sections and blocks: cycles come and go."""
    lines = [f"## {h}\n\nText. ^b{i}\n" for i, h in enumerate(rng.sample(["Intro", "Details", "End"], 2))]
    for _ in range(rng.randint(0, 2)):
        lines.insert(rng.randint(0, len(lines)),
                     f"![[{rng.choice(['Alpha', 'Beta', 'Gamma'])}{rng.choice(['', '#Intro', '#Details', '#^b0'])}]]\n")
    if rng.random() < 0.5:
        lines.append("No embeds here, a [[Beta]] link.\n")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(4))
def test_kept_embed_cycles_equal_a_cold_search_after_every_edit(seed: int) -> None:
    rng = random.Random(seed)
    names = ["Alpha.md", "Beta.md", "Gamma.md", "Plain.md", "Other.md"]
    notes = {p: _parse(p, _embedding_text(rng)) for p in names}
    kept = KeptVault()
    reused = cycles = 0
    for _ in range(40):
        path = rng.choice(names)
        text = _embedding_text(rng) if path in ("Alpha.md", "Beta.md", "Gamma.md") else f"Plain text {rng.random()}.\n"
        notes[path] = _parse(path, text)
        last = kept.embeds[1] if kept.embeds else None
        found = kept.embed_cycles(kept.build(notes.values(), [], ()))
        assert found == embed_cycle_findings(build_vault(notes.values(), []))
        reused += found is last
        cycles += bool(found)
    assert reused >= 5 and cycles >= 5  # both paths taken: findings kept, and cycles found again


def test_kept_embed_cycles_follow_a_new_winner_of_a_name_and_a_note_left_out() -> None:
    """An unchanged note's embed moves to a new note of the same name (the shorter path wins),
    or its target is left out of the site: the cycle through it is gone either way."""
    notes = {"f/A.md": _parse("f/A.md", "![[B]]\n"), "x/y/B.md": _parse("x/y/B.md", "![[A]]\n")}
    kept = KeptVault()
    assert kept.embed_cycles(kept.build(notes.values(), [], ()))  # f/A.md -> x/y/B.md -> f/A.md
    notes["f/B.md"] = _parse("f/B.md", "No embeds.\n")
    assert kept.embed_cycles(kept.build(notes.values(), [], ())) == []
    del notes["f/B.md"]
    assert kept.embed_cycles(kept.build(notes.values(), [], ()))
    assert kept.embed_cycles(kept.build(notes.values(), [], ["x/y/B.md"])) == []


def test_kept_embed_cycles_follow_a_heading_that_moves_an_embed_out_of_a_section() -> None:
    """``f/A.md``'s embed stays on line 3, but a new heading above it ends the section
    ``B.md`` embeds: the cycle through that section is gone.  Text added after the embeds
    changes nothing: the findings are kept."""
    notes = {"A.md": _parse("A.md", "## Part\ntext\n![[B]]\n"), "B.md": _parse("B.md", "![[A#Part]]\n")}
    kept = KeptVault()
    cycle = kept.embed_cycles(kept.build(notes.values(), [], ()))
    assert cycle
    notes["A.md"] = _parse("A.md", "## Part\ntext\n![[B]]\n\nMore text, no embed.\n")
    assert kept.embed_cycles(kept.build(notes.values(), [], ())) is cycle
    notes["A.md"] = _parse("A.md", "## Part\n## New\n![[B]]\n")
    assert kept.embed_cycles(kept.build(notes.values(), [], ())) == embed_cycle_findings(
        build_vault(notes.values(), [])) == []


def test_kept_embed_cycle_findings_follow_an_embed_moved_down_a_line() -> None:
    notes = {"A.md": _parse("A.md", "![[B]]\n"), "B.md": _parse("B.md", "![[A]]\n")}
    kept = KeptVault()
    assert {f.line for f in kept.embed_cycles(kept.build(notes.values(), [], ())) if f.source == "A.md"} == {1}
    notes["A.md"] = _parse("A.md", "Above.\n\n![[B]]\n")
    found = kept.embed_cycles(kept.build(notes.values(), [], ()))
    assert found == embed_cycle_findings(build_vault(notes.values(), []))
    assert {f.line for f in found if f.source == "A.md"} == {3}
