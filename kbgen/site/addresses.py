"""Where every output of the site lives: the one place URLs are decided.

Generated pages sit in the reserved folder ``_kbgen/``; notes and attachments keep their
vault paths.  A vault file whose output would clash with a generated page, a theme file
or another vault file on a case-insensitive host moves aside (``Note-2/``) with a warning,
so every output has exactly one owner.  ``SiteUrls`` is the ``UrlMap`` every renderer asks.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from urllib.parse import quote, unquote

from kbgen.derived import is_page_file
from kbgen.model import Finding
from kbgen.urls import DirectoryUrls, case_collisions

INDEX = "index.html"
_INDEX_STEMS = ("index", "readme")


def url_of(output: str, directory_urls: bool) -> str:
    """The site-root-relative URL of an output file (``a/B C/index.html`` -> ``a/B%20C/``)."""
    if directory_urls and (output == INDEX or output.endswith("/" + INDEX)):
        output = output[: -len(INDEX)]
    return quote(output, safe="/")


def generated_output(canonical_url: str) -> str:
    """``_kbgen/tags/x/`` (as ``DirectoryUrls`` spells it) -> ``_kbgen/tags/x/index.html``."""
    return unquote(canonical_url) + INDEX


def note_output(path: str, directory_urls: bool) -> str:
    """``a/B C.md`` -> ``a/B C/index.html`` (or ``a/B C.html``); ``a/index.md`` -> ``a/index.html``."""
    stem = path[:-3] if path.lower().endswith(".md") else path
    folder, _, name = stem.rpartition("/")
    if name.lower() in _INDEX_STEMS:
        return f"{folder}/{INDEX}" if folder else INDEX
    return f"{stem}/{INDEX}" if directory_urls else f"{stem}.html"


def file_page_output(path: str, directory_urls: bool) -> str:
    """``Books.base`` -> ``Books.base/index.html`` (or ``Books.base.html``): its own page,
    never clashing with the note ``Books.md`` beside it."""
    return f"{path}/{INDEX}" if directory_urls else f"{path}.html"


def folder_of(path: str) -> str:
    return path.rpartition("/")[0]


def folder_note(folder: str, names: Container[str]) -> str | None:
    """The note that stands for ``folder``: its ``index.md``/``README.md``, else a sibling
    ``<folder>.md`` (the "folder note" convention of Obsidian users).  ``names`` is looked
    up, never walked: a page asks this for its own folder only."""
    prefix = f"{folder}/" if folder else ""
    for stem in ("index", "README", "readme", "Index"):
        if f"{prefix}{stem}.md" in names:
            return f"{prefix}{stem}.md"
    if folder and f"{folder}.md" in names:
        return f"{folder}.md"
    return None


class SiteUrls:
    """The ``UrlMap`` of one build: notes, attachments, generated pages and folders.

    ``generated`` are the outputs of kbgen's own pages, ``reserved`` the theme's files:
    both stay where they are, and vault files move aside from them.
    """

    def __init__(self, notes: Iterable[str], attachments: Iterable[str], missing_keys: Iterable[str],
                 *, directory_urls: bool = True, reserved: Iterable[str] = ()) -> None:
        self.directory_urls = directory_urls
        self.canonical = DirectoryUrls(missing_keys)
        self.findings: list[Finding] = []
        self._notes = sorted(notes)
        self._note_set = set(self._notes)
        self._reserved = set(reserved)
        outputs = {p: note_output(p, directory_urls) for p in self._notes}
        outputs.update({p: file_page_output(p, directory_urls) if is_page_file(p) else p for p in attachments})
        self._outputs = outputs
        self._generated: set[str] = set()
        self._urls: dict[str, str] = {}  # output -> URL: each note's is asked for five times a build

    # -- allocation ------------------------------------------------------------------------

    def claim(self, outputs: Iterable[str]) -> None:
        """Reserve outputs for generated pages and files before vault files are placed."""
        self._generated.update(outputs)

    def settle(self) -> None:
        """Move vault files off outputs claimed by generated pages, the theme, or one another."""
        movable = [(p, out, (p in self._note_set or is_page_file(p)) and out.endswith("/" + INDEX)
                    and self.directory_urls and not _is_index_note(p)) for p, out in self._outputs.items()]
        fixed = self._generated | self._reserved
        for path, (new, other) in case_collisions(fixed, movable).items():
            self._outputs[path] = new
            why = ("the site's own file has that name" if other in fixed
                   else f"{other} has the same URL on case-insensitive file systems")
            self.findings.append(Finding(path, None, "url-clash",
                                         f"published as {url_of(new, self.directory_urls) or './'}: {why}"))

    # -- UrlMap ----------------------------------------------------------------------------

    def outputs(self) -> Mapping[str, str]:
        """Every vault note's and attachment's output (a note's URL is a function of its
        entry here, or of its path alone when it has none)."""
        return self._outputs

    def output(self, path: str) -> str:
        """The site file a vault note or attachment is written to."""
        return self._outputs[path]

    def note(self, path: str) -> str:
        out = self._outputs.get(path)
        if out is None:
            return self.canonical.note(path)
        url = self._urls.get(out)
        if url is None:
            url = self._urls[out] = url_of(out, self.directory_urls)
        return url

    def attachment(self, path: str) -> str:
        out = self._outputs.get(path)
        return url_of(out, self.directory_urls) if out is not None else self.canonical.attachment(path)

    def _generated_url(self, canonical: str) -> str:
        return url_of(generated_output(canonical), self.directory_urls)

    def missing(self, key: str) -> str:
        return self._generated_url(self.canonical.missing(key))

    def tag(self, tag: str) -> str:
        return self._generated_url(self.canonical.tag(tag))

    def special(self, name: str) -> str:
        if name == "home":
            return ""
        return self._generated_url(self.canonical.special(name))

    def folder(self, folder: str) -> str:
        """A folder's page: its folder note when it has one, else kbgen's folder listing."""
        note = folder_note(folder, self._note_set)
        if note is not None:
            return self.note(note)
        if not folder:
            return ""
        return url_of(f"{folder}/{INDEX}", self.directory_urls)


def _is_index_note(path: str) -> bool:
    return path.rpartition("/")[2].lower() in ("index.md", "readme.md")
