"""``kbgen serve`` keeps the site between saves (``LiveSite``): after each kind of edit
its rebuild equals a cold build, and the outputs it reports as changed are exactly the
ones whose bytes differ from the previous cold build."""

from __future__ import annotations

import gc
import os
import weakref
from pathlib import Path

import pytest

from kbgen.site import SitePlan, produce_site
from kbgen.site.live import LiveSite
from tests.incremental_edits import EDITS, make_vault


def outputs(plan: SitePlan) -> dict[str, object]:
    """Every output's record and content, by output path."""
    out: dict[str, object] = {}
    for page in plan.pages:
        assert page.body is not None
        out[page.output] = (page.kind, page.key, page.url, page.title, page.in_nav, page.body.html, page.body.toc)
    for planned in plan.files:
        out[planned.output] = planned.content if planned.source is None else planned.source.read_bytes()
    return out


def _age(vault: Path) -> None:
    """Files written by the test are dated a minute back, as a save is older than the
    file system's clock tick by the time the next one comes."""
    past = os.stat(vault).st_mtime - 60
    for path in vault.rglob("*"):
        os.utime(path, (past, past))


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_live_rebuild_equals_a_cold_build_and_reports_what_changed(tmp_path: Path, name: str) -> None:
    vault = make_vault(tmp_path / "vault")
    _age(vault)
    live = LiveSite(vault)
    first, changes = live.produce()
    assert changes is None
    before = outputs(produce_site(vault).plan)
    assert outputs(first.plan) == before
    EDITS[name](vault)
    produced, changes = live.produce()
    cold = outputs(produce_site(vault).plan)
    assert outputs(produced.plan) == cold
    assert changes is not None
    changed = {o for o in cold if o in before and before[o] != cold[o]}
    reported = {p.output for p in changes.pages} | {f.output for f in changes.files}
    assert reported == changed | (set(cold) - set(before)), name
    assert set(changes.removed_pages) | set(changes.removed_files) == set(before) - set(cold)
    assert set(changes.added_pages) == {p.output for p in produced.plan.pages} - set(before)
    assert live.kept.notes.reparsed <= 2, "only the edited notes are parsed again"
    assert produced.stats.reused > produced.stats.pages // 2
    # a body is rendered again when something it read changed: nearly always its bytes too
    assert produced.stats.rendered <= len(changes.pages) + 4, f"{name}: pages rendered whose inputs did not change"


def test_an_unchanged_vault_changes_nothing_and_renders_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    _age(vault)
    live = LiveSite(vault)
    live.produce()
    produced, changes = live.produce()
    assert changes is not None and changes.empty
    assert produced.stats.rendered == 0 and live.kept.notes.reparsed == 0


def test_a_note_saved_just_now_is_read_again_even_with_the_same_stamp(tmp_path: Path) -> None:
    """Two saves within one clock tick can leave size and time alike: a recent file is
    not trusted by its stamp."""
    vault = make_vault(tmp_path / "vault")
    live = LiveSite(vault)
    live.produce()
    note = vault / "Plans.md"
    info = os.stat(note)
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("Read [[Books]]", "Skim [[Books]]"), encoding="utf-8")  # same size
    os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns))
    produced, changes = live.produce()
    assert changes is not None and any(p.key == "Plans.md" for p in changes.pages)
    page = next(p for p in produced.plan.pages if p.key == "Plans.md")
    assert page.body is not None and "Skim" in page.body.html


def test_edit_after_edit_each_live_rebuild_equals_a_cold_build(tmp_path: Path) -> None:
    """Every kind of edit, one after the other in one session: what the session keeps
    from save to save (notes, vault, bodies and the answers to their questions, found
    again only where the model changed) never leaves a page behind."""
    vault = make_vault(tmp_path / "vault")
    _age(vault)
    live = LiveSite(vault)
    live.produce()
    for name in sorted(EDITS, reverse=True):
        try:
            EDITS[name](vault)
        except (AssertionError, FileNotFoundError):
            continue  # an earlier edit took away what this one changes
        _age(vault)
        produced, _ = live.produce()
        assert outputs(produced.plan) == outputs(produce_site(vault).plan), name


def test_after_a_save_the_last_model_is_collected_and_what_survives_frozen(tmp_path: Path) -> None:
    """The background collection frees the replaced model's cycles and freezes the rest,
    so the next one scans only what later saves made."""
    vault = make_vault(tmp_path / "vault")
    _age(vault)
    live = LiveSite(vault)
    live.produce()
    EDITS["add a link"](vault)
    live.produce()
    gc.unfreeze()
    gc.disable()
    try:
        cycle = _Cycle()
        cycle.me = cycle  # freed only by the collector
        probe = weakref.ref(cycle)
        del cycle
        live.collect_later(0.0)
        assert live._collector is not None
        live._collector.join(10)
        assert probe() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


class _Cycle:
    me: object = None
