"""The data model every stage shares: plain dataclasses, picklable, no behaviour.

Data flows one way: files -> ``Note`` (one parse each) -> ``Vault`` (resolution)
-> graph -> pages.  Paths are always vault-relative POSIX strings such as
``"folder/My Note.md"``; lines are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from markdown_it.token import Token

LinkSyntax = Literal["wikilink", "markdown", "frontmatter"]
ResolutionStatus = Literal["resolved", "alias", "unresolved"]
TargetKind = Literal["note", "attachment", "missing", "self"]


# Findings a site build logs as information, not warnings: a link to a note not written
# yet is a wiki's red link (it gets a "not written yet" page and a place among the wanted
# notes), two notes spelling one reading differently is worth knowing, not fixing, and a
# malformed markdown link (``[text]((url)``) shows as text, as in Obsidian.
# ``kbgen check --strict`` still fails on them; ``kbgen build --strict`` does not.
NOTICE_CODES = frozenset({"unresolved-link", "reading-conflict", "malformed-link"})


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in the vault worth telling the user: printed as ``path:line: message``.

    ``code`` is a stable machine name (``unresolved-link``, ``ambiguous-link``,
    ``heading-miss``, ``block-miss``, ``front-matter``, ``encoding``, ...).
    """

    source: str
    line: int | None
    code: str
    message: str

    @property
    def is_notice(self) -> bool:
        return self.code in NOTICE_CODES

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    anchor: str  # the HTML id of the heading on the note's page
    line: int


@dataclass(slots=True)
class BlockId:
    """An Obsidian block id (``^id`` at the end of a paragraph or list item)."""

    id: str
    line: int
    end_line: int | None = None  # last line of what an embed of it shows (a whole list item)

    @property
    def anchor(self) -> str:
        return f"^{self.id}"


EXCERPT_CHARS = 200


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(slots=True)
class Link:
    """One link as written in a note, before resolution.

    ``target`` is the note or file name as written (URL-decoded for markdown links,
    ``""`` for a same-note link such as ``[[#Heading]]``).  ``subpath`` is what
    followed the first ``#`` without it: ``"H1#H2"`` for headings, ``"^id"`` for a
    block, ``"page=2"`` for a PDF page, ``None`` when absent.  ``index`` is the
    position in ``Note.links`` and is also stored as ``token.meta["link_index"]``
    on the token that carries the link, so the renderer finds its resolution.
    """

    index: int
    target: str
    subpath: str | None
    display: str | None
    embed: bool
    line: int
    syntax: LinkSyntax
    raw: str
    context: str = ""  # plain text of the paragraph/list item around the link
    # the context as backlinks show it: made once with the link (where notes are parsed,
    # in parallel), not each time the graph is built
    excerpt: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.excerpt = excerpt(self.context)


@dataclass(slots=True)
class Note:
    """A parsed note.  ``tokens`` are the markdown-it-py tokens of the one parse."""

    path: str
    title: str
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # without '#', front matter first
    frontmatter: dict[str, Any] = field(default_factory=dict)
    headings: list[Heading] = field(default_factory=list)
    blocks: list[BlockId] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    content_hash: str = ""
    base_blocks: list[tuple[int, str]] = field(default_factory=list)  # (fence line, YAML) of each ```base
    packed: bytes | None = None  # the tokens, pickled and compressed, while ``tokens`` is empty (kbgen.token_store)
    raw_html: bool = False  # the note holds raw HTML of its own (its page needs the sanitiser)

    @property
    def stem(self) -> str:
        """File name without folder and without ``.md``: how Obsidian names a note."""
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""


@dataclass(slots=True)
class Resolution:
    """Where one ``Link`` of one note leads.

    ``target_path`` is the vault path of the note or attachment, or ``None`` when
    missing (then ``missing_name`` is the display name of the missing target, and
    ``missing_key`` its case-folded key, shared by all links to it).  ``anchor`` is
    the HTML id on the target page for a matched heading or block, ``None`` for none
    or a miss.
    """

    source: str
    link: Link
    status: ResolutionStatus
    kind: TargetKind
    target_path: str | None = None
    anchor: str | None = None
    subpath_missed: bool = False
    missing_name: str | None = None
    missing_key: str | None = None
    candidates: tuple[str, ...] = ()  # every note the name could mean, when ambiguous


class NoteQuestions:
    """Narrow questions about one note of ``self.notes``, so that a page showing one link
    or title of a note asks only that (its recorded reads then hold while the rest of the
    note changes), not the whole note."""

    __slots__ = ()
    notes: dict[str, Note]

    def link(self, source: str, index: object) -> Link | None:
        """Link ``index`` of the note ``source`` (None if there is no such link)."""
        note = self.notes.get(source)
        if note is None or not isinstance(index, int) or not 0 <= index < len(note.links):
            return None
        return note.links[index]

    def note_title(self, path: str) -> str | None:
        note = self.notes.get(path)
        return note.title if note is not None else None

    def tags_under(self, path: str, key: str) -> tuple[str, ...]:
        """The note's tags (``#`` dropped) that are the case-folded tag ``key`` or nested in it."""
        note = self.notes.get(path)
        tags = (t.lstrip("#") for t in (note.tags if note is not None else ()))
        return tuple(t for t in tags if t.casefold() == key or t.casefold().startswith(key + "/"))
