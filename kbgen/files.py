"""Find the vault's files and decode notes, warning about (never crashing on) bad bytes.

Only reads: kbgen never writes into the vault.  Symlinks are followed only while they
stay inside the vault, so nothing outside it is ever read or published.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.model import Finding

NOTE_SUFFIX = ".md"
_SKIPPED_DIRS = {".obsidian", ".git", ".trash", "node_modules", "__pycache__"}


@dataclass(slots=True)
class SourceFile:
    """A note's decoded text (``\\n`` line ends, no BOM) and what went wrong reading it."""

    path: str
    text: str
    content_hash: str
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class VaultFiles:
    notes: list[str]  # vault-relative paths of .md files, sorted
    attachments: list[str]  # every other file, sorted
    findings: list[Finding] = field(default_factory=list)


def scan_vault(root: Path) -> VaultFiles:
    """List notes and attachments below ``root``, skipping hidden and tool folders.

    A symlink is followed only if its real target is inside the vault; a loop of
    directory links is visited once.
    """
    root = root.resolve()
    files = VaultFiles(notes=[], attachments=[])
    seen_dirs: set[str] = set()
    _walk(root, root, "", files, seen_dirs)
    files.notes.sort()
    files.attachments.sort()
    return files


def _walk(root: Path, real_dir: Path, rel_dir: str, out: VaultFiles, seen: set[str]) -> None:
    key = os.path.realpath(real_dir)
    if key in seen:
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(real_dir), key=lambda e: e.name)
    except OSError as error:
        out.findings.append(Finding(rel_dir or ".", None, "unreadable", f"cannot list folder: {error.strerror}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        if not _is_utf8(entry.name):
            shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            out.findings.append(Finding(shown, None, "file-name", "file name is not valid UTF-8; skipped"))
            continue
        if entry.is_symlink():
            real = Path(os.path.realpath(entry.path))
            if not real.exists():
                out.findings.append(Finding(rel, None, "symlink", "broken symlink, skipped"))
                continue
            if not real.is_relative_to(root):
                out.findings.append(
                    Finding(rel, None, "symlink", "symlink points outside the vault, not followed")
                )
                continue
            is_dir, is_file, target = real.is_dir(), real.is_file(), real
        else:  # the kind the folder listing gave (no system call per file)
            is_dir, is_file, target = entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False), None
        if is_dir:
            if entry.name not in _SKIPPED_DIRS:
                _walk(root, target or Path(entry.path), rel, out, seen)
        elif is_file:
            (out.notes if entry.name.lower().endswith(NOTE_SUFFIX) else out.attachments).append(rel)
        else:  # reading a named pipe would wait forever; a device could be endless
            out.findings.append(
                Finding(rel, None, "special-file", "not a regular file (pipe, socket or device); skipped"))


def _is_utf8(name: str) -> bool:
    """Linux allows any bytes in a name; Python hands undecodable ones over as surrogates,
    which no URL, page or terminal can show."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_note(root: Path, rel_path: str) -> SourceFile:
    """Read and decode one note; every problem becomes a finding, never an exception."""
    try:
        data = (root / rel_path).read_bytes()
    except OSError as error:
        return SourceFile(rel_path, "", "", [Finding(rel_path, None, "unreadable", f"cannot read: {error.strerror}")])
    return decode_note(rel_path, data)


def decode_note(rel_path: str, data: bytes) -> SourceFile:
    """Bytes to text: UTF-8 (BOM allowed), bad bytes replaced and reported, binary refused."""
    digest = hashlib.sha256(data).hexdigest()
    findings: list[Finding] = []
    if b"\x00" in data[:8192]:
        findings.append(
            Finding(rel_path, None, "binary", "binary data in a .md file; its content is not shown")
        )
        return SourceFile(rel_path, "", digest, findings)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        findings.append(
            Finding(rel_path, line, "encoding", "not valid UTF-8; undecodable bytes shown as \ufffd")
        )
        text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if not text.strip():
        findings.append(Finding(rel_path, None, "empty", "empty note"))
    return SourceFile(rel_path, text, digest, findings)
