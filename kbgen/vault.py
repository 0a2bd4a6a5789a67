"""Resolve every ``Link`` of every note the way Obsidian does, once, for all later stages.

Rules (case-insensitive throughout, Unicode casefold):

1. ``""`` (``[[#H]]``, ``[[#^id]]``) is the linking note itself (kind ``self``).
2. ``./x`` / ``../x`` targets, and every markdown link, are first tried relative to
   the linking note's folder (markdown links are relative by default in Obsidian).
3. A full vault path (``folder/Note``, ``folder/Note.md``, ``pics/img.png``) wins; a bare
   name that is the path of a root file (``[[Note]]`` and ``Note.md``) is such a path,
   as Obsidian checks the exact path before the same-folder rule.
4. Otherwise the name (last component) is looked up in one pool: notes by stem when no
   extension was written (``.md`` optional), attachments by file name first when one
   was.  ``sub/Note`` keeps only candidates whose path ends with ``/sub/Note``.
5. Several candidates: the one in the linking note's folder, else the shortest path
   (then the lexicographically first): deterministic, and reported once per name.
6. No note by that name: a front matter alias (status ``alias``); then an attachment
   whose full file name was written.  Otherwise the target is missing.

Indexes are built once, so a link costs a few dict look-ups, never a scan of the vault.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kbgen.model import Finding, Heading, Link, Note, NoteQuestions, Resolution, ResolutionStatus, TargetKind
from kbgen.slugs import heading_key

_MD = ".md"


@dataclass(slots=True)
class MissingTarget:
    """A link target that exists nowhere; ``referrers`` is one ``(source, line)`` per link."""

    key: str
    name: str
    referrers: list[tuple[str, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Match:
    path: str | None
    status: ResolutionStatus = "resolved"
    candidates: tuple[str, ...] = ()  # set only when several paths could be meant


def _strip_md(name: str) -> str:
    return name[:-3] if name.casefold().endswith(_MD) else name


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _has_ext(name: str) -> bool:
    """``img.png`` has one, ``.hidden`` and ``Note`` do not (``Dr. Who`` does: harmless)."""
    return "." in name.lstrip(".")


def _sort_key(path: str) -> tuple[int, str]:
    return (len(path), path)


class _Index:
    """Look-up tables over the vault's files, built once; answers ``lookup(target, source)``."""

    def __init__(self, notes: dict[str, Note], attachments: list[str]) -> None:
        self.exact: dict[str, str] = {}
        self.note_stems: dict[str, list[str]] = {}
        self.file_names: dict[str, list[str]] = {}
        self.aliases: dict[str, list[str]] = {}
        for path, note in notes.items():
            self.exact.setdefault(path.casefold(), path)
            self.note_stems.setdefault(note.stem.casefold(), []).append(path)
            for alias in note.aliases:
                if isinstance(alias, str) and alias.strip():
                    self.aliases.setdefault(alias.strip().casefold(), []).append(path)
        for path in attachments:
            self.file_names.setdefault(path.rsplit("/", 1)[-1].casefold(), []).append(path)
        # The file as written first, then with ``.md`` added: ``a/x.png`` is the image even
        # beside ``a/x.png.md``, but ``a/Note`` is the note even beside a file ``a/Note``.
        for path in attachments:
            if _has_ext(path.rsplit("/", 1)[-1]):
                self.exact.setdefault(path.casefold(), path)
        for path in notes:
            self.exact.setdefault(_strip_md(path).casefold(), path)
        for path in attachments:
            self.exact.setdefault(path.casefold(), path)
        for table in (self.note_stems, self.file_names, self.aliases):
            for paths in table.values():
                paths.sort(key=_sort_key)
        # ``Note.md`` beside ``note.md`` (a case-sensitive disk): the exact spelling wins.
        self.exact_case: dict[str, str] = {n: n for n in notes}  # same precedence as ``exact``
        for key, path in [*((a, a) for a in attachments if _has_ext(a.rsplit("/", 1)[-1])),
                          *((_strip_md(n), n) for n in notes), *((a, a) for a in attachments)]:
            self.exact_case.setdefault(key, path)

    def _exact(self, key: str) -> str | None:
        return self.exact_case.get(key) or self.exact.get(key.casefold())

    def lookup(self, target: str, source: str | None, relative: bool) -> _Match:
        """Where ``target`` (no subpath) leads from note ``source``; ``path`` None if nowhere."""
        folder = _folder(source) if source else ""
        return self._lookup(target.strip(), folder, relative)

    def _lookup(self, target: str, folder: str, relative: bool) -> _Match:
        if relative or target.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(folder, target))
            if not joined.startswith("../") and joined != "..":
                hit = self._exact(joined)
                if hit is not None:
                    return _Match(hit)
        if "/" not in target and not relative:  # the common case: a bare name
            if not target.strip("."):
                return _Match(None)
            hit = self._exact(target)
            return _Match(hit) if hit is not None else self._by_name(target, folder)
        name_path = posixpath.normpath(target.lstrip("/")) if target.strip("/") else ""
        while name_path.startswith(("../", "./")):
            name_path = name_path.split("/", 1)[1]
        if not name_path or name_path in (".", ".."):
            return _Match(None)
        if "/" in name_path or target.startswith("/"):  # a bare name is a name, not a path
            hit = self._exact(name_path)
            if hit is not None:
                return _Match(hit)
        return self._by_name(name_path, folder)

    def _by_name(self, name_path: str, folder: str) -> _Match:
        base = name_path.rsplit("/", 1)[-1]
        if _has_ext(base) and not base.casefold().endswith(_MD):
            pools = [(self.file_names, base, False), (self.note_stems, base, True)]
        else:
            pools = [(self.note_stems, _strip_md(base), True)]
        for table, key, is_note in pools:
            found = self._pick(table.get(key.casefold(), ()), name_path, is_note, folder)
            if found.path is not None:
                return found
        if "/" not in name_path:
            found = self._pick(self.aliases.get(_strip_md(base).casefold(), ()), "", True, folder)
            if found.path is not None:
                found.status = "alias"
                return found
        if not _has_ext(base):  # an extension-less attachment, named in full
            return self._pick(self.file_names.get(base.casefold(), ()), name_path, False, folder)
        return _Match(None)

    @staticmethod
    def _pick(paths: Iterable[str], name_path: str, is_note: bool, folder: str) -> _Match:
        """Same folder first, else shortest path; ``sub/Note`` keeps ``.../sub/Note`` only."""
        if "/" in name_path:
            suffix = "/" + (_strip_md(name_path) if is_note else name_path).casefold()
            paths = [
                p for p in paths if (_strip_md(p) if is_note else p).casefold().endswith(suffix)
            ]
        paths = list(paths)
        if len(paths) < 2:
            return _Match(paths[0] if paths else None)
        chosen = next((p for p in paths if _folder(p) == folder), paths[0])
        return _Match(chosen, candidates=tuple(paths))


_Chain = list[tuple[Heading, str, tuple[str, ...]]]


def heading_chain(headings: list[Heading]) -> _Chain:
    """Each heading with its loose key and its ancestors' keys, outermost first."""
    stack: list[tuple[int, str]] = []
    out: _Chain = []
    for heading in headings:
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        key = heading_key(heading.text)
        out.append((heading, key, tuple(k for _, k in stack)))
        stack.append((heading.level, key))
    return out


def _is_subsequence(wanted: list[str], have: tuple[str, ...]) -> bool:
    it = iter(have)
    return all(any(w == h for h in it) for w in wanted)


def find_heading(note: Note, subpath: str, chain: _Chain | None = None) -> Heading | None:
    """``H1#H2``: the last part matched loosely, preferring one nested under the others.

    ``chain`` is ``heading_chain(note.headings)``, passed in when resolving many links.
    """
    parts = [heading_key(p) for p in subpath.split("#") if p.strip()]
    if not parts:
        return None
    chain = heading_chain(note.headings) if chain is None else chain
    matches = [(h, anc) for h, key, anc in chain if key == parts[-1]]
    for heading, ancestors in matches:
        if _is_subsequence(parts[:-1], ancestors):
            return heading
    return matches[0][0] if matches else None


@dataclass(slots=True)
class Vault(NoteQuestions):
    """All notes and attachments with every link resolved; built by ``build_vault``."""

    notes: dict[str, Note]
    attachments: list[str]
    resolutions: dict[str, list[Resolution]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    missing: dict[str, MissingTarget] = field(default_factory=dict)
    unpublished: frozenset[str] = frozenset()  # notes the site leaves out (see publish.py)
    unpublished_attachments: frozenset[str] = frozenset()  # excluded, or linked only by those notes
    bases: Any = None  # kbgen.bases.build.BaseIndex, set by the pipeline
    canvases: Any = None  # kbgen.canvas.build.CanvasIndex, set by the pipeline
    _index: _Index | None = field(default=None, repr=False, compare=False)

    def is_published(self, path: str) -> bool:
        """Whether the site shows the note or attachment at ``path`` (links to it still resolve)."""
        return path not in self.unpublished and path not in self.unpublished_attachments

    def resolution(self, source: str, index: int) -> Resolution:
        return self.resolutions[source][index]

    def missing_targets(self) -> dict[str, MissingTarget]:
        """Missing targets by ``missing_key``, each with every link that wants it."""
        return self.missing

    def resolve_link(self, source: str, link: Link) -> tuple[Resolution, list[Finding]]:
        """Where ``link``, written in file ``source`` (a note, a ``.base`` or ``.canvas``),
        leads, by the rules every note link follows; the vault records nothing."""
        if self._index is None:
            self._index = _Index(self.notes, self.attachments)
        note = self.notes.get(source) or Note(path=source, title=source.rsplit("/", 1)[-1])
        findings: list[Finding] = []
        res, _ = _resolve_link(note, link, self._index, self.notes, findings, {})
        return res, findings

    def find(self, name: str, from_note: str | None = None) -> str | None:
        """Resolve a bare name or path (no subpath) to a note/attachment path, silently."""
        if self._index is None:
            self._index = _Index(self.notes, self.attachments)
        return self._index.lookup(name, from_note, relative=False).path


def _resolve_subpath(
    res: Resolution, note: Note, findings: list[Finding], chains: dict[str, _Chain]
) -> None:
    """Set ``anchor`` from the note's headings/blocks, or flag and report the miss."""
    subpath = res.link.subpath
    if not subpath or not subpath.strip("#").strip():
        return
    if subpath.startswith("^"):
        wanted = subpath[1:].strip().casefold()
        block = next((b for b in note.blocks if b.id.casefold() == wanted), None)
        if block is not None:
            res.anchor = block.anchor
            return
        res.subpath_missed = True
        findings.append(_subpath_miss(res))
        return
    chain = chains.get(note.path)
    if chain is None:
        chain = chains[note.path] = heading_chain(note.headings)
    heading = find_heading(note, subpath, chain)
    if heading is not None:
        res.anchor = heading.anchor
        return
    res.subpath_missed = True
    findings.append(_subpath_miss(res))


def _subpath_miss(res: Resolution) -> Finding:
    """The finding for a link whose heading or block (``res.subpath_missed``) is not there."""
    subpath = res.link.subpath or ""
    where = "this note" if res.kind == "self" else res.target_path
    what = "block" if subpath.startswith("^") else "heading"
    return Finding(res.source, res.link.line, f"{what}-miss", f"{what} {subpath!r} not found in {where} ({res.link.raw})")


def _missing_name(link: Link, source: Note) -> str:
    """The display name of a missing target: as written, ``.md`` dropped, ``../`` applied."""
    target = link.target.strip()
    if target.startswith(("./", "../")):
        joined = posixpath.normpath(posixpath.join(source.folder, target))
        if not joined.startswith(".."):
            target = joined
    return _strip_md(target.lstrip("/")) or target


def _resolve_link(
    note: Note, link: Link, index: _Index, notes: dict[str, Note], findings: list[Finding],
    chains: dict[str, _Chain],
) -> tuple[Resolution, tuple[str, ...]]:
    if not link.target.strip():
        res = Resolution(note.path, link, "resolved", "self", target_path=note.path)
        _resolve_subpath(res, note, findings, chains)
        return res, ()
    match = index.lookup(link.target, note.path, relative=link.syntax == "markdown")
    if match.path is None:
        name = _missing_name(link, note)
        res = Resolution(note.path, link, "unresolved", "missing", missing_name=name)
        res.missing_key = name.casefold()
        return res, ()
    kind: TargetKind = "note" if match.path in notes else "attachment"
    res = Resolution(
        note.path, link, match.status, kind, target_path=match.path, candidates=match.candidates
    )
    if kind == "note":
        _resolve_subpath(res, notes[match.path], findings, chains)
    return res, match.candidates


def build_vault(notes: Iterable[Note], attachments: Iterable[str], *,
                unpublished: Iterable[str] = ()) -> Vault:
    """Resolve every link of every note; findings come back sorted by (source, line).

    ``unpublished`` notes are resolved like any other (links to them are not missing);
    the vault only records them, for the graph and the site to leave out.
    """
    vault = new_vault(notes, attachments, unpublished)
    chains: dict[str, _Chain] = {}  # heading trees, built once per linked-to note
    for note in vault.notes.values():
        vault.resolutions[note.path] = resolve_note(vault, note, chains)
    settle_findings(vault)
    return vault


def new_vault(notes: Iterable[Note], attachments: Iterable[str], unpublished: Iterable[str]) -> Vault:
    """The vault of ``notes`` (by path, sorted) and ``attachments`` with its look-up index,
    no link resolved yet."""
    by_path = {n.path: n for n in sorted(notes, key=lambda n: n.path)}
    files = sorted(set(attachments))
    return Vault(notes=by_path, attachments=files, unpublished=frozenset(p for p in unpublished if p in by_path),
                 _index=_Index(by_path, files))


def resolve_note(vault: Vault, note: Note, chains: dict[str, _Chain]) -> list[Resolution]:
    """Every link of ``note``, resolved against ``vault``'s index (findings come later, from
    the resolutions: ``settle_findings``)."""
    assert vault._index is not None
    ignored: list[Finding] = []
    return [_resolve_link(note, link, vault._index, vault.notes, ignored, chains)[0] for link in note.links]


def settle_findings(vault: Vault) -> None:
    """``vault.missing`` and ``vault.findings`` from the resolutions, in one pass in note
    order (an ambiguous name is reported once, at its first link)."""
    findings: list[Finding] = []
    reported: set[str] = set()
    missing_targets: dict[str, MissingTarget] = {}
    for path in vault.notes:
        for res in vault.resolutions[path]:
            link = res.link
            if res.subpath_missed:
                findings.append(_subpath_miss(res))
            if res.status == "unresolved":
                assert res.missing_key is not None and res.missing_name is not None
                missing = missing_targets.get(res.missing_key)
                if missing is None:
                    missing = missing_targets[res.missing_key] = MissingTarget(res.missing_key, res.missing_name)
                missing.referrers.append((path, link.line))
                what = "embed" if link.embed else "link"
                message = f"unresolved {what} to {res.missing_name!r}: no such note or file"
                findings.append(Finding(path, link.line, "unresolved-link", message))
            elif res.candidates:
                key = _strip_md(link.target.strip()).casefold()
                if key not in reported:
                    reported.add(key)
                    message = (
                        f"ambiguous link {link.target.strip()!r}: {len(res.candidates)} files match"
                        f" ({', '.join(res.candidates)}); resolved to {res.target_path}"
                        " (same folder first, then shortest path)"
                    )
                    findings.append(Finding(path, link.line, "ambiguous-link", message))
    findings.sort(key=lambda f: (f.source, f.line or 0))
    vault.missing, vault.findings = missing_targets, findings
