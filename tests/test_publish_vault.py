"""Unpublished notes leave no trace in the core outputs: graph export, readings exports,
rendered published notes, graph queries; ``kbgen check`` still checks and lists them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from secret_vault import FILES, OPTIONS, OPTIONS_YAML, PLAIN_TEXTS, SECRET, UNPUBLISHED, UNPUBLISHED_ATTACHMENTS, leaks
from test_render_helpers import Crawl, assert_anchors_ok, urls_for

from kbgen.cli import main
from kbgen.pipeline import LoadedVault, load_vault
from kbgen.publish import PublishRules
from kbgen.render import render_note


@pytest.fixture
def project(write_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working directory) with ``mkdocs.yml`` and the vault in ``notes/``."""
    root = write_tree({f"notes/{path}": content for path, content in FILES.items()}, name="project")
    (root / "mkdocs.yml").write_text(
        f"site_name: T\ndocs_dir: notes\nplugins:\n  - search\n  - kbgen:\n      {OPTIONS_YAML}\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def loaded(write_tree: Callable[..., Path]) -> LoadedVault:
    return load_vault(write_tree(FILES, name="vault"), publish=PublishRules.from_options(OPTIONS))


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_vault_knows_what_is_unpublished(loaded: LoadedVault) -> None:
    assert sorted(loaded.unpublished) == UNPUBLISHED
    assert sorted(loaded.unpublished_attachments) == UNPUBLISHED_ATTACHMENTS
    assert "shared.png" not in loaded.unpublished_attachments  # a published note uses it too
    assert set(loaded.published.notes) == {"Home.md", "Public.md"}
    assert sorted(loaded.published.attachments) == ["shared.png"]


def test_check_checks_every_note_and_lists_the_unpublished(project: Path) -> None:
    report = json.loads(run("check", "--format", "json"))
    assert report["unpublished"] == UNPUBLISHED
    assert report["notes"] == 7
    # A broken link inside a draft is still reported, and links to unpublished notes resolve.
    assert [u["source"] for u in report["unresolved"]] == ["Draft Plan.md"]
    assert report["unresolved"][0]["target"] == f"{SECRET.title()} Missing"
    home_links = [u for u in report["unresolved"] if u["source"] == "Home.md"]
    assert home_links == []


def test_graph_export_holds_no_secret(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    run("graph", "--format", "json", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert not leaks(text)
    nodes = {n["id"] for n in json.loads(text)["nodes"]}
    assert {"note:Home.md", "note:Public.md", "attachment:shared.png"} <= nodes
    assert not {n for n in nodes if n.startswith("note:") and n[5:] in UNPUBLISHED}
    graphml = tmp_path / "graph.graphml"
    run("graph", "--format", "graphml", "-o", str(graphml))
    assert not leaks(graphml.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["json", "csv", "bibtex", "table"])
def test_readings_exports_hold_no_secret(project: Path, fmt: str) -> None:
    out = run("readings", "--format", fmt)
    assert "Shared Work" in out and not leaks(out)


def test_without_the_rules_the_secret_is_there(write_tree: Callable[..., Path], tmp_path: Path) -> None:
    """The vault does hold the secret where the tests look: the checks above can fail.
    Without the plugin options only the front matter keeps notes out."""
    loaded = load_vault(write_tree(FILES, name="open"))
    assert loaded.unpublished_reasons == {"Draft Plan.md": "draft: true", "Hidden Embed.md": "publish: false"}
    assert loaded.unpublished_attachments == frozenset({f"{SECRET}-scan.png"})
    assert leaks(json.dumps(loaded.graph.to_json()))
    urls = urls_for(loaded)
    page = render_note(loaded.vault.notes["Home.md"], loaded.published, loaded.graph, urls, urls.note("Home.md"))
    assert leaks(page.html)  # the embedded drawing and the tagged note's backlink context


def test_graph_queries_forget_unpublished_notes(loaded: LoadedVault) -> None:
    graph = loaded.graph
    assert [b.source for b in graph.backlinks("Public.md")] == ["Home.md"]  # not Draft Plan, Diary
    assert [b.source for b in graph.backlinks("Home.md")] == []  # not Hidden Embed, Tagged Note
    assert [r.path for r in graph.related_notes("Home.md")] == ["Public.md"]
    assert [r.shared for r in graph.related_notes("Public.md")] == [1]
    assert graph.missing_targets() == []
    assert graph.tags() == {}
    assert [b.source for b in graph.backlinks("shared.png")] == ["Public.md"]
    assert graph.outlinks("Home.md") == [o for o in graph.outlinks("Home.md") if o.target == "Public.md"]
    shared = next(r for r in loaded.readings if r.title == "Shared Work")
    assert [c.note for c in shared.citations] == ["Home.md", "Public.md"]
    assert len(loaded.readings) == 1


@pytest.mark.parametrize("view", ["published", "vault"])
@pytest.mark.parametrize("path", ["Home.md", "Public.md"])
def test_published_pages_hold_no_secret(loaded: LoadedVault, path: str, view: str) -> None:
    """Rendered with the published view (what the site uses) or the whole vault alike."""
    urls = urls_for(loaded)
    vault = loaded.published if view == "published" else loaded.vault
    page = render_note(loaded.vault.notes[path], vault, loaded.graph, urls, urls.note(path))
    assert not leaks(page.html)
    crawl = assert_anchors_ok(page.html)
    hrefs = [h for h in crawl.hrefs if not h.startswith("#")]
    assert all(urls.note(p).rstrip("/").rsplit("/", 1)[-1] not in h for p in UNPUBLISHED for h in hrefs)
    assert not crawl.find("a", class_="wikilink kbgen-missing") and "kbgen-missing" not in page.html


def test_links_to_unpublished_notes_are_plain_text(loaded: LoadedVault) -> None:
    urls = urls_for(loaded)
    page = render_note(loaded.vault.notes["Home.md"], loaded.published, loaded.graph, urls, urls.note("Home.md"))
    crawl = Crawl(page.html)
    link_texts = _link_texts(page.html)
    for text in PLAIN_TEXTS:
        assert text in _visible_text(page.html), text
        assert text not in link_texts, text
    assert "Public" in link_texts  # a published note's link stays a link
    assert not crawl.find("div", class_="kbgen-embed")  # the unpublished embed shows no box
    assert [e for e in crawl.elements if e[0] == "img"] == []  # nor the excluded photo


def _link_texts(html: str) -> list[str]:
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.depth, self.texts = 0, []

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            if tag == "a":
                self.depth += 1
                self.texts.append("")

        def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
            if tag == "a":
                self.depth -= 1

        def handle_data(self, data):  # type: ignore[no-untyped-def]
            if self.depth:
                self.texts[-1] += data

    parser = Links()
    parser.feed(html)
    return [t.strip() for t in parser.texts]


def _visible_text(html: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data):  # type: ignore[no-untyped-def]
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "".join(parser.parts)


def test_a_bad_publishing_option_is_a_usage_error(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: T\ndocs_dir: notes\nplugins:\n  - kbgen:\n"
                                        "      publish_by_default: sometimes\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2 and "publish_by_default" in result.output
