"""files -> notes -> vault -> graph: the one-way pipeline every command starts with."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbgen.bases.build import evaluate_bases
from kbgen.cache.store import CacheStore
from kbgen.canvas.build import load_canvases
from kbgen.embed_cycles import embed_cycle_findings
from kbgen.files import read_note, scan_vault
from kbgen.graph import LinkGraph, build_graph
from kbgen.graph_update import GraphChange, KeptGraph
from kbgen.kept_notes import KeptNotes
from kbgen.markdown import make_parser
from kbgen.model import Finding, Note
from kbgen.notes import parse_note
from kbgen.token_store import pack, packed_tokens
from kbgen.publish import PublishedVault, PublishRules, attachments_left_out, unpublished_notes
from kbgen.readings import Extraction, Reading, dedupe_with_findings, extract
from kbgen.vault import Vault, build_vault
from kbgen.vault_update import KeptVault

PARALLEL_FROM = 400  # below this many notes a process pool costs more than it saves
CHUNK = 50  # notes per pool task: small enough that both workers finish together (1k: 0.25 s less)


@dataclass(slots=True)
class LoadedVault:
    root: Path
    vault: Vault
    graph: LinkGraph
    findings: list[Finding] = field(default_factory=list)  # every finding, sorted by file and line
    readings: list[Reading] = field(default_factory=list)  # published reading-list works, deduped
    unpublished_reasons: dict[str, str] = field(default_factory=dict)  # note path -> why it is left out
    graph_change: GraphChange | None = None  # with a kept graph: what changed since it was last acknowledged
    _published: PublishedVault | None = field(default=None, repr=False, compare=False)

    @property
    def notes(self) -> dict[str, Note]:
        return self.vault.notes

    @property
    def unpublished(self) -> frozenset[str]:
        """Vault paths of the notes the site leaves out (``kbgen check`` still checks them)."""
        return self.vault.unpublished

    @property
    def unpublished_attachments(self) -> frozenset[str]:
        """Attachments the site leaves out: excluded by path, or linked only by unpublished notes."""
        return self.vault.unpublished_attachments

    @property
    def published(self) -> PublishedVault:
        """The vault as pages and the renderer may see it (only published notes listed)."""
        if self._published is None:
            self._published = PublishedVault(self.vault)
        return self._published


def load_vault(root: Path, *, keep_tokens: bool = True, jobs: int | None = None,
               publish: PublishRules | None = None, cache: CacheStore | None = None,
               kept: KeptNotes | None = None, kept_vault: KeptVault | None = None,
               kept_graph: KeptGraph | None = None) -> LoadedVault:
    """Read, parse and resolve the vault at ``root``.

    ``keep_tokens=False`` drops each note's tokens after analysis (``kbgen check``
    needs no HTML), which keeps memory flat and makes parallel parsing cheap.
    ``publish`` says which notes the site leaves out: every note is still parsed,
    resolved and checked, but the graph and the readings are built without them.
    ``cache`` keeps parsed notes between builds, keyed by each file's path and bytes;
    ``kept`` holds them in memory between the builds of one process (``kbgen serve``),
    ``kept_vault`` the last vault, so that only the links a change can reach are resolved
    again, and ``kept_graph`` the last graph, patched where the vault changed.
    """
    root = Path(root).resolve()
    rules = publish or PublishRules()
    with collector_paused():
        files = scan_vault(root)
        notes, extraction = parse_notes(root, files.notes, keep_tokens=keep_tokens, jobs=jobs, cache=cache,
                                          kept=kept)
        reasons, publish_findings = unpublished_notes(notes, rules)
        if kept_vault is None:
            vault = build_vault(notes, files.attachments, unpublished=reasons)
        else:
            vault = kept_vault.build(notes, files.attachments, reasons)
        vault.unpublished_attachments = attachments_left_out(
            vault.resolutions, vault.attachments, vault.unpublished, rules)
        entries = [e for e in extraction.entries if e.note not in vault.unpublished]
        readings, conflicts = dedupe_with_findings(entries)
        vault.bases = evaluate_bases(root, vault)  # views over the published notes, links in their cells
        vault.canvases = load_canvases(root, vault)
        derived = [*vault.bases.links, *vault.canvases.links]
        if kept_graph is None:
            graph, change = build_graph(vault, readings, derived), None
        else:
            graph, change = kept_graph.build(vault, readings, derived)
    findings = list(files.findings)
    for note in vault.notes.values():
        findings.extend(note.findings)
    findings.extend(vault.findings)
    findings.extend(publish_findings)
    findings.extend(extraction.findings)
    findings.extend(conflicts)
    findings.extend(kept_vault.embed_cycles(vault) if kept_vault is not None else embed_cycle_findings(vault))
    findings.extend(vault.bases.findings)
    findings.extend(vault.canvases.findings)
    findings.sort(key=lambda f: (f.source, f.line or 0, f.code, f.message))
    return LoadedVault(root, vault, graph, findings, readings, reasons, change)


def parse_notes(root: Path, paths: list[str], *, keep_tokens: bool = True, jobs: int | None = None,
                cache: CacheStore | None = None, kept: KeptNotes | None = None) -> tuple[list[Note], Extraction]:
    """Parse every note once (in a process pool when the vault is large enough to pay),
    reading its reading-list entries from the same tokens.  With a ``cache``, a note whose
    path and bytes were parsed before is read back instead (parsing is a pure function
    of them), and the notes parsed now are stored.  With ``kept``, only notes whose file
    changed since the last call are parsed (or read from the cache) at all."""
    if kept is None:
        parsed = _parse_each(root, paths, keep_tokens, jobs, cache)
        return _merge(parsed[p] for p in paths if p in parsed)
    todo, stamps = kept.stale(root, paths)
    return _merge(kept.keep(paths, stamps, _parse_each(root, todo, keep_tokens, jobs, cache)))


def _parse_each(root: Path, paths: list[str], keep_tokens: bool, jobs: int | None,
                cache: CacheStore | None) -> dict[str, tuple[Note, Extraction]]:
    if cache is None or not keep_tokens:
        return {note.path: (note, found) for note, found in _parse(root, paths, keep_tokens, jobs)}
    cached: dict[str, tuple[Note, Extraction]] = {}
    keys: dict[str, str] = {}
    for path in paths:
        try:
            keys[path] = f"{path}\0{hashlib.sha256((root / path).read_bytes()).hexdigest()}"
        except OSError:
            continue  # unreadable: parsed (into a finding) every time
        payload = cache.get(PARSE_NAMESPACE, keys[path])
        if payload is not None:
            try:
                cached[path] = pickle.loads(payload)
            except Exception as error:  # noqa: BLE001 - any unpickling failure means a damaged entry
                cache.damaged(cache.entry_path(PARSE_NAMESPACE, keys[path]), f"cannot be read ({error})")
    for note, extraction, payload in _parse_with_entries(root, [p for p in paths if p not in cached], jobs):
        if note.path in keys and note.content_hash and keys[note.path].endswith(note.content_hash):
            cache.put(PARSE_NAMESPACE, keys[note.path], payload)  # written while parsing goes on
        cached[note.path] = (note, extraction)
    return cached


PARSE_NAMESPACE = "parse"


def _packed(note: Note) -> Note:
    """The note as the cache keeps it: tokens packed (a note parsed here keeps its tokens
    as objects, so pages reading it do not unpack them again and again)."""
    if note.packed is not None or not note.tokens:
        return note
    return dataclasses.replace(note, tokens=[], packed=packed_tokens(note.tokens))


def _merge(parsed: Iterable[tuple[Note, Extraction]]) -> tuple[list[Note], Extraction]:
    notes: list[Note] = []
    extraction = Extraction()
    for note, found in parsed:
        notes.append(note)
        extraction.extend(found)
    return notes, extraction


def _parse(root: Path, paths: list[str], keep_tokens: bool, jobs: int | None) -> list[tuple[Note, Extraction]]:
    # In a pool, workers send tokens back packed (kbgen.token_store): pickled bytes cost
    # less to send and far less to keep than token objects; render workers unpack them.
    pooled = _in_pool(_parse_chunk, root, paths, jobs, keep_tokens, True)
    if pooled is None:
        return _parse_chunk(str(root), paths, keep_tokens)
    return [parsed for chunk in pooled for parsed in chunk]


def _parse_with_entries(root: Path, paths: list[str], jobs: int | None) -> Iterator[tuple[Note, Extraction, bytes]]:
    """Each note parsed, with its cache entry, as soon as it is ready.  In a pool the
    workers pickle the entries (one pickle per note, made in parallel); this process
    unpickles its notes from them, as it would have unpickled the notes sent back."""
    pooled = _in_pool(_parse_chunk_entries, root, paths, jobs)
    if pooled is None:
        for note, extraction in _parse_chunk(str(root), paths, True):
            yield note, extraction, _entry(_packed(note), extraction)
        return
    for entries in pooled:
        for payload in entries:
            note, extraction = pickle.loads(payload)
            yield note, extraction, payload


def _in_pool(work: Callable[..., list[Any]], root: Path, paths: list[str], jobs: int | None,
             *options: object) -> Iterator[list[Any]] | None:
    """``work(root, chunk, *options)`` over chunks of ``paths`` in a process pool, results
    in order as they come; None when the vault is too small (or the machine has one core)."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        return None
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]

    def run() -> Iterator[list[Any]]:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(work, [str(root)] * len(chunks), chunks,
                                *([option] * len(chunks) for option in options))
    return run()


def _entry(note: Note, extraction: Extraction) -> bytes:
    return pickle.dumps((note, extraction), pickle.HIGHEST_PROTOCOL)


def _parse_chunk_entries(root: str, paths: list[str]) -> list[bytes]:
    return [_entry(note, extraction) for note, extraction in _parse_chunk(root, paths, True, True)]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while building the model.

    Tokens, notes and links hold no reference cycles, so reference counting frees
    them; the collector would only rescan an ever larger heap (measured: parsing
    runs 1.6x faster without it).  Its previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_chunk(root: str, paths: list[str], keep_tokens: bool,
                 pack_tokens: bool = False) -> list[tuple[Note, Extraction]]:
    with collector_paused():  # in a pool worker too, where the caller's setting does not reach
        return _parse_paths(root, paths, keep_tokens, pack_tokens)


def _parse_paths(root: str, paths: list[str], keep_tokens: bool,
                 pack_tokens: bool) -> list[tuple[Note, Extraction]]:
    md = make_parser()
    out = []
    for path in paths:
        note = parse_note(read_note(Path(root), path), md)
        extraction = extract(note.path, note.tokens)
        if not keep_tokens:
            note.tokens = []
        elif pack_tokens:
            pack(note)
        out.append((note, extraction))
    return out
