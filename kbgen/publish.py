"""Which notes and attachments the site may show: ``publish``/``draft``, excluded paths, private tags.

A personal vault holds drafts, journals and templates.  A note is *unpublished* when its
front matter says ``publish: false`` or ``draft: true`` (with ``publish_by_default:
false``, unless it says ``publish: true``, Obsidian Publish's model), when its vault path
matches an ``exclude`` entry, or when it carries a private tag.  Exclusions by path or
tag win over ``publish: true``: a rule written once in the config is the safer promise.
The vault still resolves links to unpublished notes (so they are not "missing"); the
graph, the readings and every page leave them out (see ``pipeline.load_vault``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kbgen.model import Finding, Note, NoteQuestions, Resolution
from kbgen.vault import Vault

_GLOB = frozenset("*?[")
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


@dataclass(frozen=True, slots=True)
class PublishRules:
    """The publishing options of the ``kbgen`` plugin (``exclude``, ``private_tags``,
    ``publish_by_default``); the defaults publish every note that does not opt out."""

    exclude: tuple[str, ...] = ()
    private_tags: tuple[str, ...] = ()
    publish_by_default: bool = True

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> PublishRules:
        """From a plain options dict (the plugin's config); other keys are ignored.

        ``exclude`` and ``private_tags`` take a list of strings or one string; raises
        ``ValueError`` naming the option when a value has another type.
        """
        options = options or {}
        default = options.get("publish_by_default", True)
        if default is None:
            default = True
        if not isinstance(default, bool):
            raise ValueError(f"publish_by_default must be true or false, not {default!r}")
        return cls(
            exclude=_strings(options.get("exclude"), "exclude"),
            private_tags=tuple(t.lstrip("#") for t in _strings(options.get("private_tags"), "private_tags")
                               if t.lstrip("#")),
            publish_by_default=default,
        )

    def excludes(self, path: str) -> str | None:
        """The ``exclude`` entry matching vault path ``path`` (case-insensitively, as
        Obsidian treats paths), else ``None``.

        ``Private/`` is a folder; ``*.excalidraw.md`` (no ``/``) a glob on the file name;
        ``Journal/*.md`` a glob on the whole path; ``Private`` or ``Notes/Secret`` (no glob)
        that file (``.md`` optional) or that folder.
        """
        folded = path.casefold()
        name = folded.rsplit("/", 1)[-1]
        for entry in self.exclude:
            pattern = entry.strip().removeprefix("./").lstrip("/").casefold()
            if not pattern:
                continue
            if pattern.endswith("/"):
                hit = folded.startswith(pattern)
            elif _GLOB & set(pattern):
                hit = fnmatch.fnmatchcase(folded if "/" in pattern else name, pattern)
            else:
                hit = folded in (pattern, pattern + ".md") or folded.startswith(pattern + "/")
            if hit:
                return entry
        return None

    def private_tag(self, tags: Iterable[str]) -> str | None:
        """The first of ``tags`` that is private: ``private`` matches ``#Private/x`` too."""
        wanted = [t.casefold() for t in self.private_tags]
        for tag in tags:
            key = tag.lstrip("#").casefold()
            if any(key == w or key.startswith(w + "/") for w in wanted):
                return tag.lstrip("#")
        return None

    def reason(self, note: Note, findings: list[Finding] | None = None) -> str | None:
        """Why ``note`` is left out of the site, or ``None`` when it is published.

        A ``publish``/``draft`` value that is not a yes/no is read the safe way (the note
        stays out) and reported in ``findings``.
        """
        entry = self.excludes(note.path)
        if entry is not None:
            return f"path matches exclude entry {entry!r}"
        tag = self.private_tag(note.tags)
        if tag is not None:
            return f"private tag #{tag}"
        front = note.frontmatter
        draft = _flag(front, "draft", note.path, findings, unclear=True)
        if draft:
            return "draft: true"
        publish = _flag(front, "publish", note.path, findings, unclear=False)
        if publish is False:
            return "publish: false"
        if publish is None and not self.publish_by_default:
            return "no publish: true (publish_by_default is false)"
        return None


def unpublished_notes(notes: Iterable[Note], rules: PublishRules) -> tuple[dict[str, str], list[Finding]]:
    """Vault path -> reason for every unpublished note, and the findings on unclear flags."""
    findings: list[Finding] = []
    out: dict[str, str] = {}
    for note in notes:
        why = rules.reason(note, findings)
        if why is not None:
            out[note.path] = why
    return out, findings


def attachments_left_out(resolutions: Mapping[str, list[Resolution]], attachments: Iterable[str],
                         unpublished: frozenset[str], rules: PublishRules) -> frozenset[str]:
    """Attachments the site must not carry: excluded by path, or linked only by unpublished
    notes (an attachment no note links to stays published, as before)."""
    used: set[str] = set()
    used_by_published: set[str] = set()
    for source, resolved in resolutions.items():
        published = source not in unpublished
        for res in resolved:
            if res.kind == "attachment" and res.target_path is not None:
                used.add(res.target_path)
                if published:
                    used_by_published.add(res.target_path)
    return frozenset(a for a in attachments
                     if rules.excludes(a) is not None or (a in used and a not in used_by_published))


def _strings(value: Any, option: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"{option} must be a list of strings, not {value!r}")


def _flag(front: Mapping[str, Any], key: str, path: str, findings: list[Finding] | None,
          *, unclear: bool) -> bool | None:
    """A yes/no front-matter value (``true``, ``"false"``, ``no``, ``0``…); ``None`` when
    absent or empty; ``unclear`` for anything else, with a finding."""
    if key not in front or front[key] is None:
        return None
    value = front[key]
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold() if isinstance(value, (str, int)) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text == "":
        return None
    if findings is not None:
        findings.append(Finding(path, 1, "front-matter",
                                f"{key}: {value!r} is not true or false; the note is left out of the site"))
    return unclear


class PublishedVault(NoteQuestions):
    """The vault as the site may show it: ``notes`` and ``attachments`` hold only what is
    published, while ``resolution`` still answers for every link (a link to an unpublished
    note resolves, and ``is_published`` tells the renderer to show it as plain text).

    Pages and the renderer take this view, so no code path that lists notes can list an
    unpublished one by forgetting to check.
    """

    __slots__ = ("vault", "notes", "attachments", "bases", "canvases")

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.notes: dict[str, Note] = {p: n for p, n in vault.notes.items() if p not in vault.unpublished}
        self.attachments: list[str] = [a for a in vault.attachments if a not in vault.unpublished_attachments]
        self.bases = vault.bases  # evaluated over published notes only (kbgen.bases.build)
        self.canvases = vault.canvases

    def resolution(self, source: str, index: int) -> Resolution:
        return self.vault.resolution(source, index)

    def is_published(self, path: str) -> bool:
        return self.vault.is_published(path)
