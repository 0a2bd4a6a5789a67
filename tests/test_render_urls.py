"""Site URLs (``DirectoryUrls``) and relative hrefs between pages (``relative_url``)."""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin

import pytest

from kbgen.urls import DirectoryUrls, relative_url


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("a/B C.md", "a/B%20C/"),
        ("Note.md", "Note/"),
        ("index.md", ""),
        ("a/index.md", "a/"),
        ("a/README.md", "a/"),
        ("Re: thing.md", "Re%3A%20thing/"),
        ("Café?#1.md", "Caf%C3%A9%3F%231/"),
    ],
)
def test_note_urls_follow_mkdocs_directory_urls(path: str, url: str) -> None:
    assert DirectoryUrls().note(path) == url


def test_attachment_missing_tag_special_urls() -> None:
    urls = DirectoryUrls()
    assert urls.attachment("pics/My Pic.png") == "pics/My%20Pic.png"
    assert urls.missing("missing note") == "_kbgen/missing/missing-note/"
    assert urls.tag("Project/Alpha") == "_kbgen/tags/project/alpha/"
    assert urls.tag("#idea") == urls.tag("Idea")  # case-insensitive, '#' optional
    assert urls.special("wanted") == "_kbgen/wanted/"
    assert urls.special("tags") == "_kbgen/tags/"
    assert urls.special("readings") == "_kbgen/readings/"
    assert urls.special("home") == ""


def test_missing_keys_that_slugify_alike_get_distinct_pages() -> None:
    urls = DirectoryUrls(["c++", "c#", "c"])
    pages = {urls.missing(k) for k in ("c++", "c#", "c", "a b", "a-b")}
    assert len(pages) == 5
    assert urls.missing("c") == "_kbgen/missing/c/"
    assert urls.missing("a b") == "_kbgen/missing/a-b/"


def test_a_missing_pages_url_depends_on_its_own_key_only() -> None:
    alone = DirectoryUrls(["c++"]).missing("c++")
    assert DirectoryUrls(["c", "c#", "c++", "c--"]).missing("c++") == alone == DirectoryUrls().missing("c++")


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("", "a/B%20C/", "a/B%20C/"),  # from the home page
        ("", "", "./"),
        ("a/b/", "a/b/", "./"),
        ("a/b/", "a/b/#x", "./#x"),
        ("a/b/", "c/d/", "../../c/d/"),
        ("a/b/", "", "../../"),
        ("a/b/", "a/img.png", "../img.png"),
        ("a/b/", "a/b/c/", "c/"),
        ("Note/", "_kbgen/tags/x/", "../_kbgen/tags/x/"),
        ("_kbgen/missing/x/", "Note/#h", "../../../Note/#h"),
        ("a/x.html", "a/y.html", "y.html"),
        ("", "Re:x/", "./Re:x/"),  # never read as a URL scheme
    ],
)
def test_relative_url(page: str, target: str, expected: str) -> None:
    assert relative_url(page, target) == expected


@pytest.mark.parametrize("base", ["https://example.org/", "https://user.github.io/repo/"])
@pytest.mark.parametrize("page", ["", "a/", "a/b/c/", "_kbgen/tags/x/y/"])
@pytest.mark.parametrize("target", ["", "a/", "a/b/", "z/img.png", "a/b/c/d/#h"])
def test_relative_url_resolves_back_under_any_sub_path(base: str, page: str, target: str) -> None:
    """What a browser does with the href on the page must give the target, at root or under /repo/."""
    href = relative_url(page, target)
    assert urljoin(base + page, href) == base + target
    assert not posixpath.isabs(href)
