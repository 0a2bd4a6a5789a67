"""The vault of the last build, kept by ``kbgen serve`` so that a save re-resolves only
the links it can have changed.

A link's verdict is a function of its note (target, folder, syntax), of the entries of
the vault's look-up index under the link's *name* (the last part of its target: every
key the index is asked for it ends with that name) and of the note it lands on (its
headings and blocks give the anchor).  So after a save, a note's links are resolved
again when the note itself changed, when an index entry under one of its link names
changed (a note, attachment or alias came, went or moved) or when one of its links
landed on a note that changed; every other note keeps its resolutions as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kbgen.embed_cycles import embed_cycle_findings
from kbgen.model import Finding, Link, Note, Resolution
from kbgen.vault import Vault, _Chain, _Index, _strip_md, build_vault, new_vault, resolve_note, settle_findings

ANY_NAME = "\0any"  # the name key of a link whose target ends in "." or "..": re-resolved on every change


def _same_embeds(old: Vault, new: Vault) -> bool:
    if (old.unpublished, old.unpublished_attachments) != (new.unpublished, new.unpublished_attachments):
        return False
    for path in old.notes.keys() | new.notes.keys():
        before, after = old.notes.get(path), new.notes.get(path)
        if before is after and old.resolutions.get(path) is new.resolutions.get(path):
            continue
        if _embed_shape(old, path) != _embed_shape(new, path):
            return False
    return True


def _embed_shape(vault: Vault, path: str) -> tuple[object, ...] | None:
    """All of a note that ``embed_cycle_findings`` reads: its embeds (where they are written
    and where they land), and, when it has any, its title, headings and blocks (the parts
    other notes may embed, whose lines say which of its embeds each part holds).  None for
    a note with no embed, or no note."""
    note = vault.notes.get(path)
    if note is None:
        return None
    embeds = tuple((res.link.line, res.link.target, res.link.subpath, res.link.syntax, res.kind, res.target_path,
                    res.anchor, res.subpath_missed) for res in vault.resolutions.get(path, ()) if res.link.embed)
    if not embeds:
        return None
    return (embeds, note.title, tuple((h.line, h.level, h.anchor) for h in note.headings),
            tuple((b.line, b.end_line, b.anchor) for b in note.blocks))


def name_key(link: Link) -> str | None:
    """The name every index key asked for ``link`` ends with (case-folded, ``.md`` dropped);
    None for a link to its own note (``[[#Heading]]``), which asks the index nothing."""
    target = link.target.strip()
    if not target:
        return None
    last = target.rstrip("/").rsplit("/", 1)[-1]
    if last in ("", ".", ".."):
        return ANY_NAME
    return _strip_md(last).casefold()


def _index_key_name(key: str) -> set[str]:
    """The link names an index key (a path, file name, stem or alias) can be asked for."""
    last = key.rstrip("/").rsplit("/", 1)[-1].casefold()
    return {last, _strip_md(last)}


def changed_names(old: _Index, new: _Index) -> set[str]:
    """The link names whose index entries differ between two indexes."""
    names: set[str] = set()
    for table in ("exact", "exact_case", "note_stems", "file_names", "aliases"):
        before, after = getattr(old, table), getattr(new, table)
        for key in before.keys() | after.keys():
            if before.get(key) != after.get(key):
                names |= _index_key_name(key)
    return names


@dataclass(slots=True)
class KeptVault:
    """The last vault, and which notes ask for which link names and land on which notes."""

    vault: Vault | None = None
    asking: dict[str, set[str]] = field(default_factory=dict)  # link name -> notes with such a link
    landing: dict[str, set[str]] = field(default_factory=dict)  # note path -> notes linking to it
    resolved: int = 0  # notes whose links the last build resolved
    embeds: tuple[Vault, list[Finding]] | None = None  # the last vault's embed-cycle findings

    def embed_cycles(self, vault: Vault) -> list[Finding]:
        """``embed_cycle_findings(vault)``, taken from the last vault when the same notes are
        published and every note whose note or resolutions changed has the same embeds,
        title, headings and blocks as before, or no embed before or after: the embed graph
        and its findings are made of those only."""
        last = self.embeds
        if last is None or not _same_embeds(last[0], vault):
            last = (vault, embed_cycle_findings(vault))
        self.embeds = (vault, last[1])
        return last[1]

    def build(self, notes: Iterable[Note], attachments: Iterable[str], unpublished: Iterable[str]) -> Vault:
        """The vault of ``notes``: as ``build_vault`` makes it, from the last one."""
        previous = self.vault
        if previous is None or previous._index is None:
            vault = build_vault(notes, attachments, unpublished=unpublished)
            todo = list(vault.notes)
        else:
            vault = new_vault(notes, attachments, unpublished)
            todo = self._stale(previous, vault)
            chains: dict[str, _Chain] = {}
            for path, note in vault.notes.items():
                if path in todo:
                    vault.resolutions[path] = resolve_note(vault, note, chains)
                else:
                    vault.resolutions[path] = previous.resolutions[path]
            settle_findings(vault)
        for path in todo:
            self._forget(path)
        if previous is not None:
            for path in previous.notes.keys() - vault.notes.keys():
                self._forget(path)
        for path in todo:
            self._remember(vault.notes[path], vault.resolutions[path])
        self.vault, self.resolved = vault, len(todo)
        return vault

    def _stale(self, old: Vault, new: Vault) -> set[str]:
        """The notes of ``new`` whose links must be resolved again."""
        assert old._index is not None and new._index is not None
        changed = {p for p, note in new.notes.items() if old.notes.get(p) is not note}
        gone = old.notes.keys() - new.notes.keys()
        names = changed_names(old._index, new._index)
        stale = set(changed)
        for name in names | ({ANY_NAME} if names else set()):
            stale |= self.asking.get(name, set())
        for path in changed | gone:
            stale |= self.landing.get(path, set())
        return {p for p in stale if p in new.notes}

    def _forget(self, path: str) -> None:
        """Drop what ``path`` asked and where it landed (as the last vault resolved it)."""
        assert self.vault is not None or not self.asking
        if self.vault is None or path not in self.vault.notes:
            return
        for link in self.vault.notes[path].links:
            key = name_key(link)
            if key is not None and key in self.asking:
                self.asking[key].discard(path)
        for res in self.vault.resolutions.get(path, ()):
            if res.target_path is not None and res.target_path in self.landing:
                self.landing[res.target_path].discard(path)

    def _remember(self, note: Note, resolutions: list[Resolution]) -> None:
        for link in note.links:
            key = name_key(link)
            if key is not None:
                self.asking.setdefault(key, set()).add(note.path)
        for res in resolutions:
            if res.target_path is not None:
                self.landing.setdefault(res.target_path, set()).add(note.path)
