"""kbgen's ``UrlMap`` over MkDocs' files: part of the MkDocs adapter, like mkdocs_plugin."""

from __future__ import annotations

from urllib.parse import unquote

from mkdocs.structure.files import File, Files

from kbgen.urls import DirectoryUrls


def site_url(file: File) -> str:
    """``File.url`` as a site-root-relative URL: the home page is ``""``, not ``"./"``."""
    url = file.url
    return "" if url in ("./", ".") else url


def src_uri_for(url: str) -> str:
    """The virtual source file giving a page at the directory-style URL ``url``."""
    return unquote(url) + "index.md"


class MkDocsUrls:
    """kbgen's ``UrlMap`` read off MkDocs' own ``File.url`` values, so links match the site.

    ``published`` maps vault paths to their files (a ``Note.MD`` is published as the
    page ``Note.md``); generated pages are found in ``files`` by their ``src_uri``.
    """

    def __init__(self, files: Files, canonical: DirectoryUrls,
                 published: dict[str, File] | None = None) -> None:
        self._by_src = {f.src_uri: f for f in files}
        self._published = published if published is not None else self._by_src
        self._canonical = canonical
        home = next((f for f in files if f.dest_uri == "index.html" and f.is_documentation_page()), None)
        self._home = site_url(home) if home is not None else canonical.special("home")

    def _url(self, file: File | None, fallback: str) -> str:
        return site_url(file) if file is not None else fallback

    def note(self, path: str) -> str:
        return self._url(self._published.get(path), self._canonical.note(path))

    def attachment(self, path: str) -> str:
        return self._url(self._published.get(path), self._canonical.attachment(path))

    def missing(self, key: str) -> str:
        url = self._canonical.missing(key)
        return self._url(self._by_src.get(src_uri_for(url)), url)

    def tag(self, tag: str) -> str:
        url = self._canonical.tag(tag)
        return self._url(self._by_src.get(src_uri_for(url)), url)

    def special(self, name: str) -> str:
        if name == "home":
            return self._home
        url = self._canonical.special(name)
        return self._url(self._by_src.get(src_uri_for(url)), url)
