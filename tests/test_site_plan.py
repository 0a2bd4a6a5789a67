"""The site plan (kbgen.site): which pages exist, their URLs, and what generated pages say."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from test_render_helpers import Crawl, make_vault

from kbgen.site import SiteOptions, plan_site, render_pages
from kbgen.site.addresses import SiteUrls

VAULT = {
    "Index Like.md": "---\ntags: [project/alpha]\n---\nWe need [[Ghost]] and [[Ghost|a ghost]] and [[Phantom]].\n",
    "notes/Deep.md": "---\ntitle: Deep <thought>\n---\nAbout [[Ghost]] again. #project #Project/Beta\n",
    "notes/Other.md": "Nothing #idea\n",
    "pic.png": b"\x89PNG",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    loaded = make_vault(tmp_path_factory.mktemp("plan"), VAULT)
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    return plan, site


def page(built, kind: str, key: str):
    found = built[0].page(kind, key)
    assert found is not None, (kind, key)
    return found


def targets(page_url: str, html: str) -> set[str]:
    """Site URLs the page's links lead to (relative hrefs applied to ``page_url``)."""
    base = "https://h.example/repo/"
    out = set()
    for href in Crawl(html).hrefs:
        full = urljoin(base + page_url, href)
        assert full.startswith(base), href
        out.add(full[len(base):].split("#")[0])
    return out


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_output_is_planned_once(built) -> None:
    plan, _ = built
    outputs = [p.output for p in plan.pages] + [f.output for f in plan.files]
    assert len(outputs) == len(set(outputs))
    kinds = {(p.kind, p.key) for p in plan.pages}
    assert {("note", "Index Like.md"), ("note", "notes/Deep.md"), ("missing", "ghost"), ("missing", "phantom"),
            ("wanted", "wanted"), ("tags", "tags"), ("tag", "project/alpha"), ("folder", "notes"),
            ("home", "")} <= kinds
    assert "pic.png" in outputs and "_kbgen/tree.json" in outputs
    assert all(p.body is not None and p.body.html for p in plan.pages)


def test_missing_page_lists_every_referrer_with_line_and_context(built) -> None:
    ghost = page(built, "missing", "ghost")
    html = ghost.body.html
    assert ghost.title == "Ghost — not written yet"
    assert "3 links from 2 notes lead here." in text(html)
    assert "Deep &lt;thought&gt;" in html
    assert "About <mark>Ghost</mark> again." in html
    assert "We need <mark>Ghost</mark> and a ghost" in html and "We need Ghost and <mark>a ghost</mark>" in html
    assert targets(ghost.url, html) == {"Index%20Like/", "notes/Deep/"}


def test_wanted_page_orders_by_referrers(built) -> None:
    wanted = page(built, "wanted", "wanted")
    html = wanted.body.html
    assert html.index(">Ghost</a>") < html.index(">Phantom</a>")
    assert targets(wanted.url, html) >= {"_kbgen/missing/ghost/", "_kbgen/missing/phantom/"}


def test_tags_index_nests_children_with_counts(built) -> None:
    html = page(built, "tags", "tags").body.html
    flat = text(html)
    assert flat.index("#idea 1") < flat.index("#project 2") < flat.index("#project/alpha 1") < flat.index(
        "#Project/Beta 1")


def test_tag_page_includes_nested_children(built) -> None:
    project = page(built, "tag", "project")
    assert project.title == "#project"
    assert targets(project.url, project.body.html) >= {"Index%20Like/", "notes/Deep/",
                                                       "_kbgen/tags/project/alpha/", "_kbgen/tags/project/beta/"}
    assert "2 notes." in text(project.body.html)
    alpha = page(built, "tag", "project/alpha")
    assert "_kbgen/tags/project/" in targets(alpha.url, alpha.body.html)
    assert "Deep" not in alpha.body.html


def test_home_shows_totals_and_the_top_folder(built) -> None:
    home = page(built, "home", "")
    assert home.url == "" and home.output == "index.html"
    assert "3 notes in 1 folder, 1 attachment, 4 tags, 2 wanted notes." in text(home.body.html)
    assert targets("", home.body.html) >= {"_kbgen/wanted/", "_kbgen/tags/", "Index%20Like/", "notes/"}
    assert "notes/Deep/" not in targets("", home.body.html), "a subfolder's notes are on its folder page"


def test_folder_page_and_breadcrumbs(built) -> None:
    folder = page(built, "folder", "notes")
    assert folder.url == "notes/"
    assert targets(folder.url, folder.body.html) >= {"", "notes/Deep/", "notes/Other/"}
    deep = page(built, "note", "notes/Deep.md")
    crumbs = deep.body.html.split("</nav>")[0]
    assert 'class="kbgen-breadcrumbs"' in crumbs
    assert targets(deep.url, crumbs) == {"", "notes/"}


def test_folder_note_stands_for_its_folder(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"Projects.md": "# Projects\n", "Projects/Alpha.md": "# Alpha\n",
                                   "Area/index.md": "# Area\n", "Area/Beta.md": "# Beta\n"})
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    assert plan.page("folder", "Projects") is None and plan.page("folder", "Area") is None
    assert site.urls.folder("Projects") == "Projects/" and site.urls.folder("Area") == "Area/"
    projects = plan.page("note", "Projects.md")
    assert "Projects/Alpha/" in targets(projects.url, projects.body.html), "the folder note lists its folder"
    assert any(e.id == "in-this-folder" for e in projects.body.toc)


def test_tree_file_lists_folders_and_notes(built) -> None:
    import json
    plan, _ = built
    tree = json.loads(next(f.content for f in plan.files if f.output == "_kbgen/tree.json"))
    assert tree["u"] == "" and [d["n"] for d in tree["d"]] == ["notes"]
    assert tree["d"][0]["f"] == [["Deep <thought>", "notes/Deep/"], ["Other", "notes/Other/"]]
    assert tree["f"] == [["Index Like", "Index%20Like/"]]


def test_pages_escape_hostile_names(tmp_path: Path) -> None:
    hostile = make_vault(tmp_path, {"<b>/A.md": "[[<script>x</script>]] #t\n"})
    plan, site = plan_site(hostile)
    render_pages(plan, site, jobs=1)
    for planned in plan.pages:
        assert "<script>" not in planned.body.html and "<b>" not in planned.body.html, planned.kind


def test_links_are_relative(built) -> None:
    plan, _ = built
    for planned in plan.pages:
        assert all(not h.startswith("/") for h in Crawl(planned.body.html).hrefs), planned.kind


def test_vault_files_move_aside_from_generated_and_reserved_outputs(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"_kbgen/wanted.md": "# W\n", "assets/app.js": "x", "A.md": "[[Nope]]\n",
                                   "Note.md": "# N\n", "note.md": "# n\n"})
    plan, site = plan_site(loaded, SiteOptions(reserved=frozenset({"assets/app.js"})))
    assert site.urls.output("_kbgen/wanted.md") == "_kbgen/wanted-2/index.html"
    assert site.urls.output("assets/app.js") == "assets/app-2.js"
    assert {site.urls.output("Note.md"), site.urls.output("note.md")} == {"Note/index.html", "note-2/index.html"}
    assert {f.source for f in plan.findings} == {"_kbgen/wanted.md", "assets/app.js", "note.md"}


def test_urls_without_directory_urls() -> None:
    urls = SiteUrls(["a/README.md", "a/B C.md"], ["img.png"], ["nope"], directory_urls=False)
    urls.settle()
    assert urls.note("a/README.md") == "a/index.html"
    assert urls.note("a/B C.md") == "a/B%20C.html"
    assert urls.attachment("img.png") == "img.png"
    assert urls.tag("X") == "_kbgen/tags/x/index.html"
    assert urls.missing("nope") == "_kbgen/missing/nope/index.html"
    assert urls.folder("a") == "a/index.html"


def test_pool_and_in_process_rendering_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"F{i % 3}/N{i}.md": f"# N{i}\n\n[[N{(i + 1) % 40}]] [[Gone {i % 5}]] #t{i % 4}\n" for i in range(40)}
    loaded = make_vault(tmp_path, files)
    serial, site = plan_site(loaded)
    render_pages(serial, site, jobs=1)
    pooled, site2 = plan_site(loaded)
    monkeypatch.setattr("kbgen.site.render.PARALLEL_FROM", 1)
    render_pages(pooled, site2, jobs=2)
    assert [p.body.html for p in serial.pages] == [p.body.html for p in pooled.pages]


def test_missing_page_tells_how_to_write_the_note(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {"Topics/A.md": "See [[Foo: Bar]].\n", "B.md": "And [[Foo: Bar]].\n"})
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    missing = next(p for p in plan.pages if p.kind == "missing")
    code = re.search(r"<pre><code>(.*?)</code></pre>", missing.body.html).group(1)
    # the first referrer in path order is B.md, at the top of the vault
    assert code == "kbgen new &#39;Foo: Bar&#39;"


def test_home_leads_with_recent_and_most_linked_notes(tmp_path: Path) -> None:
    loaded = make_vault(tmp_path, {
        "Old.md": "---\nupdated: 2024-01-02\n---\n[[Hub]]\n", "New.md": "---\ndate: 2025-06-01\n---\n[[Hub]] [[Old]]\n",
        "Hub.md": "# Hub\n", "F/Deep.md": "[[Hub]]\n"})
    plan, site = plan_site(loaded)
    render_pages(plan, site, jobs=1)
    html = page((plan, site), "home", "").body.html
    recent = html[html.index('id="recently-changed"'):html.index('id="most-linked"')]
    assert targets("", recent) == {"New/", "Old/"} and recent.index("New/") < recent.index("Old/")
    linked = html[html.index('id="most-linked"'):html.index('id="notes-and-folders"')]
    assert "Most linked Hub 3 Old 1 " in text(linked)
    assert html.index('id="most-linked"') < html.index("_kbgen/wanted/"), "notes before maintenance links"


def test_data_files_use_the_settled_urls(tmp_path: Path) -> None:
    """A note moved aside (here: a case twin) is listed at its final URL in the tree and graph."""
    import json
    loaded = make_vault(tmp_path, {"Note.md": "[[note]]\n", "note.md": "[[Note]]\n"})
    plan, site = plan_site(loaded)
    moved = site.urls.note("note.md")
    assert moved == "note-2/"
    files = {f.output: json.loads(f.content) for f in plan.files if f.output.endswith(".json")}
    assert moved in [url for _, url in files["_kbgen/tree.json"]["f"]]
    assert moved in [node[2] for node in files["_kbgen/graph/global.json"]["nodes"]]


def test_most_linked_is_the_head_of_the_full_ordering_with_ties_at_the_cut() -> None:
    import random
    from types import SimpleNamespace

    from kbgen.site.emitters.home import SHOWN, most_linked
    rng = random.Random(3)
    for _ in range(50):
        counts = {f"n{i}.md": rng.randint(1, 4) for i in range(rng.randint(0, 40))}
        titles = {p: rng.choice(["Alpha", "beta", "Gamma", "alpha"]) for p in counts}
        site = SimpleNamespace(graph=SimpleNamespace(inbound_link_counts=lambda c=counts: c), title=titles.__getitem__)
        full = sorted(counts.items(), key=lambda pc: (-pc[1], titles[pc[0]].casefold(), pc[0]))[:SHOWN]
        assert most_linked(site) == full
