"""Graph ids in the built site: a page's local-graph box names its node by a key-derived
id, the same in the page, the global file and the node's own file, and adding a note to
the vault changes no other page's box (what incremental rebuilds rely on)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_render_helpers import Crawl, make_vault

from kbgen.site import SitePlan, plan_site, render_pages
from kbgen.site.graph_data import GLOBAL_FILE, local_file

VAULT: dict[str, str | bytes] = {
    "Alpha.md": "Links [[Beta]] and [[Ghost]]. #topic\n",
    "Beta.md": "Back to [[Alpha]]; see [[notes/Gamma]].\n",
    "notes/Gamma.md": "---\ntags: [topic, other]\n---\nWants [[Phantom]].\n",
    "notes/Delta.md": "Alone.\n",
}
ADDED = {"0 First.md": "Sorts first; links [[Beta]], [[Ghost]] and [[New Ghost]]. #topic #fresh\n"}


def built(root: Path, files: dict[str, str | bytes]) -> SitePlan:
    plan, site = plan_site(make_vault(root, files))
    render_pages(plan, site, jobs=1)
    return plan


def boxes(plan: SitePlan) -> dict[tuple[str, str], list[tuple[str, dict[str, str | None]]]]:
    """(page kind, key) -> the elements of the page's local-graph box, as parsed."""
    out = {}
    for page in plan.pages:
        assert page.body is not None
        elements = Crawl(page.body.html).elements
        start = [i for i, (tag, attrs) in enumerate(elements)
                 if tag == "section" and "kbgen-local-graph" in (attrs.get("class") or "").split()]
        if start:
            assert len(start) == 1, page.key
            out[(page.kind, page.key)] = elements[start[0]:start[0] + 3]  # section, h2, div
    return out


def node_of(box: list[tuple[str, dict[str, str | None]]]) -> str:
    (tag, attrs), = [(t, a) for t, a in box if "kbgen-graph" in (a.get("class") or "").split()]
    assert tag == "div" and attrs.get("data-kbgen-node")
    return str(attrs["data-kbgen-node"])


def raw_files(plan: SitePlan) -> dict[str, bytes]:
    return {f.output: f.content for f in plan.files if f.content is not None and f.output.startswith("_kbgen/graph/")}


def data_files(plan: SitePlan) -> dict[str, Any]:
    return {path: json.loads(content) for path, content in raw_files(plan).items()}


def test_a_page_global_file_and_local_file_agree_on_the_node_id(tmp_path: Path) -> None:
    plan = built(tmp_path, VAULT)
    files = data_files(plan)
    rows = {row[0]: row for row in files[GLOBAL_FILE]["nodes"]}
    url_of = {(p.kind, p.key): p.url for p in plan.pages}
    found = boxes(plan)
    assert {("note", "Alpha.md"), ("note", "notes/Delta.md"), ("missing", "ghost"), ("tag", "topic")} <= set(found)
    for page, box in found.items():
        node = node_of(box)
        assert rows[node][2] == url_of[page], page  # the global row of this id is this page
        own = files[local_file(node)]
        assert own["center"] == node and own["nodes"][0] == rows[node]
    assert len({node_of(box) for box in found.values()}) == len(found)


def test_adding_a_note_leaves_every_other_page_box_and_untouched_file_alone(tmp_path: Path) -> None:
    before = built(tmp_path / "before", VAULT)
    after = built(tmp_path / "after", {**VAULT, **ADDED})
    old, new = boxes(before), boxes(after)
    assert set(new) - set(old) == {("note", "0 First.md"), ("missing", "new ghost"), ("tag", "fresh")}
    assert {page: new[page] for page in old} == old  # same ids, same box HTML
    # Delta and Phantom are two links or more from the new note: their files stay as they were
    old_files, new_files = raw_files(before), raw_files(after)
    assert old_files[GLOBAL_FILE] != new_files[GLOBAL_FILE]
    for page in (("note", "notes/Delta.md"), ("missing", "phantom")):
        path = local_file(node_of(old[page]))
        assert new_files[path] == old_files[path], page
