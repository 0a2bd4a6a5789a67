"""Reading the vault: discovery, decoding and symlinks, each problem reported by file."""

from __future__ import annotations

import os
from pathlib import Path

from kbgen.files import decode_note, scan_vault


def test_scan_separates_notes_and_attachments_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Note.md").write_text("x")
    (tmp_path / "Top.MD").write_text("x")
    (tmp_path / "img.png").write_bytes(b"\x89PNG")
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "workspace.md").write_text("x")
    (tmp_path / ".hidden.md").write_text("x")
    files = scan_vault(tmp_path)
    assert files.notes == ["Top.MD", "a/Note.md"]
    assert files.attachments == ["img.png"]


def test_symlink_outside_vault_is_not_followed(tmp_path: Path) -> None:
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    vault.mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text("secret")
    os.symlink(outside, vault / "linked")
    os.symlink(outside / "secret.md", vault / "secret.md")
    files = scan_vault(vault)
    assert files.notes == []
    assert {f.source for f in files.findings} == {"linked", "secret.md"}
    assert all("outside the vault" in f.message for f in files.findings)


def test_symlink_loop_terminates_and_inside_links_are_followed(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "N.md").write_text("x")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    os.symlink(tmp_path / "d" / "N.md", tmp_path / "alias.md")
    files = scan_vault(tmp_path)
    assert files.notes == ["alias.md", "d/N.md"]


def test_bom_and_crlf_are_normalised() -> None:
    source = decode_note("n.md", b"\xef\xbb\xbf# T\r\nline\rnext\r\n")
    assert source.text == "# T\nline\nnext\n"
    assert source.findings == []


def test_non_utf8_is_replaced_and_reported_with_line() -> None:
    source = decode_note("n.md", b"ok\nbad \xff byte\n")
    assert "\ufffd" in source.text
    assert [(f.code, f.line) for f in source.findings] == [("encoding", 2)]


def test_binary_and_empty_files_are_reported() -> None:
    assert decode_note("b.md", b"\x89PNG\x00\x00data").findings[0].code == "binary"
    assert decode_note("b.md", b"\x89PNG\x00\x00data").text == ""
    assert decode_note("e.md", b"").findings[0].code == "empty"
    assert decode_note("s.md", b" \n\n").findings[0].code == "empty"


def test_content_hash_depends_on_bytes() -> None:
    assert decode_note("a.md", b"x").content_hash != decode_note("a.md", b"y").content_hash
    assert decode_note("a.md", b"x").content_hash == decode_note("b.md", b"x").content_hash
