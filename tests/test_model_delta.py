"""``model_delta``: a question whose subject a save did not reach has the same answer in the
new model (checked for every question every page of the site asks, after every kind of
edit; the graph's change is tested in ``test_graph_update``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kbgen.cache.fingerprint import fingerprint
from kbgen.cache.reads import answer
from kbgen.site.context import SiteContext, SiteOptions
from kbgen.site.kept_bodies import KeptBodies
from kbgen.site.model_delta import marks_of, model_delta, subject
from kbgen.site.plan import plan_site
from kbgen.site.render import render_pages
from tests.incremental_edits import EDITS, KeptSession, make_vault


def _answer(site: SiteContext, question: tuple[Any, ...]) -> Any:
    try:
        return fingerprint(answer(site, *question))
    except Exception:  # noqa: BLE001 - unanswerable now: a changed answer
        return "unanswerable"


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_question_the_delta_does_not_reach_has_the_same_answer(tmp_path: Path, name: str) -> None:
    root = make_vault(tmp_path / "vault")
    session = KeptSession(root)
    plan, before = plan_site(session.load(), SiteOptions(jobs=1))
    kept = KeptBodies()
    render_pages(plan, before, jobs=1, kept=kept)  # every page's questions, recorded
    answered = {q: _answer(before, q) for q in kept.questions}  # before the kept graph is patched
    before_marks = marks_of(before)
    EDITS[name](root)
    after = plan_site(session.load(), SiteOptions(jobs=1))[1]
    assert after.loaded.graph_change is not None
    reached = model_delta(before.loaded.vault, after.loaded.vault, after.loaded.graph_change, before_marks,
                          marks_of(after))
    skipped = [q for q in kept.questions if subject(q) is not None and subject(q) not in reached]
    assert len(skipped) > len(kept.questions) // 4  # many questions are not asked again
    wrong = [q for q in skipped if answered[q] != _answer(after, q)]
    assert not wrong, f"{name}: {wrong[:3]}"
