"""``model_delta``: a question whose subject a save did not reach has the same answer in the
new model (checked for every question every page of the site asks, after every kind of
edit), and the graph nodes it reports are exactly those whose attributes or edges differ."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from kbgen.cache.fingerprint import fingerprint
from kbgen.cache.reads import answer
from kbgen.graph import build_graph
from kbgen.kept_notes import KeptNotes
from kbgen.pipeline import load_vault
from kbgen.site.context import SiteContext, SiteOptions
from kbgen.site.kept_bodies import KeptBodies
from kbgen.site.model_delta import _touched_nodes, model_delta, subject
from kbgen.site.plan import plan_site
from kbgen.site.render import render_pages
from kbgen.vault import build_vault
from kbgen.vault_update import KeptVault
from tests.incremental_edits import EDITS, make_vault
from tests.test_vault_update import _parse, _text


class Session:
    """What a serve session keeps between saves, driven by hand."""

    def __init__(self, root: Path) -> None:
        self.root, self.notes, self.vault = root, KeptNotes(), KeptVault()

    def site(self) -> SiteContext:
        loaded = load_vault(self.root, kept=self.notes, kept_vault=self.vault)
        return plan_site(loaded, SiteOptions(jobs=1))[1]


def _answer(site: SiteContext, question: tuple[Any, ...]) -> Any:
    try:
        return fingerprint(answer(site, *question))
    except Exception:  # noqa: BLE001 - unanswerable now: a changed answer
        return "unanswerable"


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_question_the_delta_does_not_reach_has_the_same_answer(tmp_path: Path, name: str) -> None:
    root = make_vault(tmp_path / "vault")
    session = Session(root)
    before = session.site()
    plan = plan_site(before.loaded, SiteOptions(jobs=1))[0]
    kept = KeptBodies()
    render_pages(plan, before, jobs=1, kept=kept)  # every page's questions, recorded
    EDITS[name](root)
    after = session.site()
    reached = model_delta(before.loaded.vault, before.graph, after.loaded.vault, after.graph)
    skipped = [q for q in kept.questions if subject(q) is not None and subject(q) not in reached]
    assert len(skipped) > len(kept.questions) // 4  # many questions are not asked again
    wrong = [q for q in skipped if _answer(before, q) != _answer(after, q)]
    assert not wrong, f"{name}: {wrong[:3]}"


def _brute_touched(old: Any, new: Any) -> set[str]:
    a, b = old.graph, new.graph
    out = set(a.nodes) ^ set(b.nodes)
    for node in set(a.nodes) & set(b.nodes):
        if a.nodes[node] != b.nodes[node] or dict(a.pred[node]) != dict(b.pred[node]) \
                or dict(a.succ[node]) != dict(b.succ[node]):
            out.add(node)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_touched_nodes_are_exactly_those_whose_attributes_or_edges_differ(seed: int) -> None:
    rng = random.Random(seed)
    paths = [f"{f}/{n}.md".lstrip("/") for f in ("", "a", "c") for n in ("Alpha", "Beta", "Gamma", "Note", "a")]
    notes = {p: _parse(p, _text(rng)) for p in paths}
    graph = build_graph(build_vault(notes.values(), ["img.png"]))
    for _ in range(25):
        path = rng.choice(paths)
        if path in notes and rng.random() < 0.3:
            del notes[path]
        else:
            notes[path] = _parse(path, _text(rng))
        new = build_graph(build_vault(notes.values(), ["img.png"]))
        assert _touched_nodes(graph, new) == _brute_touched(graph, new)
        graph = new
