"""Shared helpers for the render/pages tests: a real vault on disk and an HTML crawler."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from kbgen.pipeline import LoadedVault, load_vault
from kbgen.render import RenderedPage, render_note
from kbgen.urls import DirectoryUrls
from trees import write_tree_at

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def make_vault(root: Path, files: dict[str, str | bytes]) -> LoadedVault:
    """Write ``files`` under ``root`` and run the real pipeline on them."""
    return load_vault(write_tree_at(root, files))


def urls_for(loaded: LoadedVault) -> DirectoryUrls:
    return DirectoryUrls(m.key for m in loaded.graph.missing_targets())


def render(loaded: LoadedVault, path: str) -> RenderedPage:
    urls = urls_for(loaded)
    return render_note(loaded.vault.notes[path], loaded.vault, loaded.graph, urls, urls.note(path))


class Crawl(HTMLParser):
    """Ids, hrefs, element stack errors and the tags/attrs seen in an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        self.elements.append((tag, data))
        if data.get("id") is not None:
            self.ids.append(str(data["id"]))
        if tag == "a" and data.get("href") is not None:
            self.hrefs.append(str(data["href"]))
        if tag == "p" and "p" in self.stack[-1:]:
            self.errors.append("p inside p")
        if tag in ("div", "section", "details", "ul", "ol", "table", "pre", "h1", "h2") and "p" in self.stack:
            self.errors.append(f"<{tag}> inside <p>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close {self.stack[-1:] or 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        """Elements of ``tag`` whose attributes include ``attrs`` (``class_`` for class)."""
        want = {k.rstrip("_"): v for k, v in attrs.items()}
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in want.items())]


class _Anchors(HTMLParser):
    """Every ``<a>`` with its attributes and its text (nested markup flattened)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[dict[str, str | None], str]] = []
        self._open: list[tuple[dict[str, str | None], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            attrs, text = self._open.pop()
            self.found.append((attrs, "".join(text)))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)


def anchors(html: str) -> list[tuple[dict[str, str | None], str]]:
    """``[(attrs, text)]`` of every link in ``html``, in document order (by closing tag)."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser.found


def link_texts(html: str, href: str) -> list[str]:
    """The texts of the links to ``href``."""
    return [text for attrs, text in anchors(html) if attrs.get("href") == href]


def assert_anchors_ok(html: str) -> Crawl:
    """Every id unique, every ``href="#x"`` pointing at an id, and tags properly nested."""
    crawl = Crawl(html)
    dupes = {i for i in crawl.ids if crawl.ids.count(i) > 1}
    assert not dupes, f"duplicate ids: {dupes}"
    for href in crawl.hrefs:
        if href.startswith("#"):
            assert href[1:] in crawl.ids, f"dangling {href}"
    assert not crawl.errors, crawl.errors
    return crawl
