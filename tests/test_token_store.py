"""Packed tokens come back equal to the tokens of the parse, field by field, for every
note of the user's vault and the fixture vaults; a token whose meta marshal cannot write
is kept pickled (the hostile vault's notes included)."""

from __future__ import annotations

from pathlib import Path

from markdown_it.token import Token

from kbgen.files import read_note, scan_vault
from kbgen.markdown import make_parser
from kbgen.model import Note
from kbgen.notes import parse_note
from kbgen.token_store import pack, packed_tokens, tokens_of
from tests.hostile_vault import make_hostile_vault

ROOT = Path(__file__).parent.parent
VAULTS = [ROOT / "notes", *(p for p in (ROOT / "tests" / "fixtures").iterdir() if p.is_dir())]


def _notes(tmp: Path) -> list[Note]:
    md = make_parser()
    out = []
    for vault in [*VAULTS, make_hostile_vault(tmp / "hostile", heavy=False).root]:
        for path in scan_vault(vault).notes:
            out.append(parse_note(read_note(vault, path), md))
    return out


def test_every_note_unpacks_to_its_own_tokens(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    assert len(notes) > 30 and sum(len(n.tokens) for n in notes) > 1000
    assert sum(1 for n in notes for t in n.tokens if t.children and t.meta) + sum(
        1 for n in notes for t in n.tokens for c in t.children or () if c.meta) > 10  # nested, with meta
    for note in notes:
        tokens = note.tokens
        pack(note)
        assert note.tokens == [] and note.packed is not None and note.packed[:1] == b"T"
        again = tokens_of(note)
        assert again == tokens, note.path  # dataclass equality: every field, children too
        assert all(type(t) is Token for t in again)
        assert again is not tokens_of(note)  # a fresh copy for each caller


def test_a_token_whose_meta_marshal_cannot_write_is_pickled() -> None:
    token = Token("paragraph_open", "p", 1, meta={"seen": Path("a/b")})
    packed = packed_tokens([token, Token("paragraph_close", "p", -1)])
    assert packed[:1] == b"P"
    back = tokens_of(Note(path="x.md", title="x", packed=packed))
    assert back[0].meta == {"seen": Path("a/b")} and back[1].type == "paragraph_close"
