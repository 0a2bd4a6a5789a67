"""A crawl of the whole built site (every file: HTML, JSON, XML, the search index, the
sitemap, exports, attachments, and every file name) finds no trace of unpublished notes,
and every internal link still resolves."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from secret_vault import FILES, OPTIONS_YAML, SECRET
from site_checks import broken_internal_links

from kbgen.site_build import DEFAULT_CONFIG, build_site

_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def site_config(root: Path, options: str | None) -> Path:
    """kbgen's built-in config, with the publishing options in the kbgen plugin's block
    and a ``site_url`` (without one MkDocs writes an empty sitemap)."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    if options is not None:
        text = text.replace("      home: true", f"      {options}\n      home: true")
    config = root / "mkdocs.yml"
    config.write_text("site_url: https://example.org/kb/\n" + text, encoding="utf-8")  # a sitemap with URLs
    return config


def readable(path: Path) -> str:
    """The file's text with every encoding a secret could hide behind undone."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip: sitemap.xml.gz, Pagefind's index and fragments
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(unquote(text))


def traces(site: Path) -> list[str]:
    """Every file of ``site`` whose name or content holds the secret (case-insensitively)."""
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if SECRET in unquote(rel).casefold():
            found.append(f"name: {rel}")
        elif path.is_file() and SECRET in readable(path).casefold():
            found.append(f"content: {rel}")
    return found


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trees import write_tree_at

    return write_tree_at(tmp_path_factory.mktemp("secret-vault"), FILES)


@pytest.fixture(scope="module")
def site(vault: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("secret-site")
    result = build_site(vault, root / "site", site_config(root, OPTIONS_YAML))
    assert result.ok, result.message
    return root / "site"


def test_the_crawl_finds_the_secret_when_nothing_is_left_out(vault: Path, tmp_path: Path) -> None:
    """Without the plugin options, the folder, glob and tag notes are published: the crawl sees them."""
    result = build_site(vault, tmp_path / "site", site_config(tmp_path, None))
    assert result.ok, result.message
    found = traces(tmp_path / "site")
    assert any(f.startswith("content: _kbgen/pagefind/") for f in found), found  # the search index
    assert "content: Private/Diary/index.html" in found


def test_no_file_of_the_site_holds_the_secret(site: Path) -> None:
    assert traces(site) == []


def test_unpublished_notes_have_no_page_and_published_ones_do(site: Path) -> None:
    assert (site / "Home" / "index.html").is_file() and (site / "Public" / "index.html").is_file()
    assert (site / "shared.png").is_file()
    for gone in ("Draft Plan", "Hidden Embed", "Private", "Tagged Note", "Drawing.excalidraw"):
        assert not (site / gone).exists(), gone
    assert not (site / f"{SECRET}-scan.png").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/kb/Home/" in sitemap and "Draft" not in sitemap and "Tagged" not in sitemap


def test_every_internal_link_resolves(site: Path) -> None:
    assert broken_internal_links(site) == []


def test_links_to_unpublished_notes_are_text_on_the_page(site: Path) -> None:
    page = (site / "Home" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    assert "Plans: Draft Plan and my diary, see the plan." in article
    assert "kbgen-missing" not in article


def test_build_counts_what_it_left_out(vault: Path, tmp_path: Path) -> None:
    config = load_config(str(site_config(tmp_path, OPTIONS_YAML)), docs_dir=str(vault), site_dir=str(tmp_path / "s"))
    build(config)
    assert config.plugins["kbgen"].unpublished_count == 5
