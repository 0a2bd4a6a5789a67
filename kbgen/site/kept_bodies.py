"""Page bodies kept between the saves of one ``kbgen serve`` session, with the questions
their renders asked of the model, each question held once for the whole site.

A cold check (``render._reuse``) asks each page's recorded questions again: 10k pages ask
1.1 million, a third of them distinct.  Kept in one table, every distinct question is
asked once per save, in two processes, and a page holds when none of its questions got
a new answer: the same rule as the cache's, without reading back any page's log.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from array import array
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from kbgen.cache.fingerprint import fingerprint
from kbgen.cache.reads import Read, ReadKey, answer
from kbgen.graph_update import GraphChange
from kbgen.model import Link, Note, Resolution
from kbgen.site.model import PageBody
from kbgen.site.model_delta import SiteMarks, Subject, marks_of, model_delta, subject
from kbgen.vault import Vault

# Model records no stage changes once made (a note is parsed once, a link's resolution is
# made once): the same object as last time is the same answer, with no fingerprint taken.
# A kept vault hands on the notes and resolutions a save did not reach as they were.
SETTLED: tuple[type, ...] = (Resolution, Link, Note)

# Questions; below this one process answers them (forking a 10k-note model costs more
# than the ~30,000 questions a save asks there: those of no subject and those it reached).
PARALLEL_FROM = 100_000


class _Unanswerable:
    """The answer to a question the model cannot answer: equal to nothing, itself included
    (so such a page renders again on every save); one object, also across processes."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> str:
        return "UNANSWERABLE"


UNANSWERABLE = _Unanswerable()

# The questions and the model a forked helper answers from (set just before it forks).
_inherited: tuple[list[ReadKey], list[Any], dict[int, Any], Any] | None = None


@dataclass(slots=True)
class KeptBodies:
    """Page cache key -> (last body, ids of the questions its render asked); ``questions``
    and ``answers`` hold each question once, with the fingerprint the last model gave."""

    bodies: dict[str, tuple[PageBody, array]] = field(default_factory=dict)
    questions: list[ReadKey] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)
    ids: dict[ReadKey, int] = field(default_factory=dict)
    settled: dict[int, Any] = field(default_factory=dict)  # question id -> its last answer, when a SETTLED record
    by_subject: dict[Subject, list[int]] = field(default_factory=dict)  # the part of the model each answer is made of
    always: list[int] = field(default_factory=list)  # questions with no subject: asked on every save
    vault: Vault | None = None  # the vault the answers are of
    marks: SiteMarks | None = None  # and the marks of its site plan
    _compacted_at: int = 0  # questions in the table when it was last rebuilt (or first filled)

    def keep(self, key: str, body: PageBody, reads: Iterable[Read]) -> None:
        """Hold ``body`` and its reads, answered by the current model."""
        ids = array("i")
        for path, op, arg, found in reads:
            question = (path, op, arg)
            try:
                qid = self.ids.get(question)
            except TypeError:  # an unhashable argument: recorded as unrepeatable, never asked
                qid = None
            if qid is None:
                qid = len(self.questions)
                self.questions.append(question)
                self.answers.append(found)
                try:
                    self.ids[question] = qid
                except TypeError:
                    self.answers[qid] = UNANSWERABLE
                self._file(qid, question)
            else:
                self.answers[qid] = found
            ids.append(qid)
        self.bodies[key] = (body, ids)

    def _file(self, qid: int, question: ReadKey) -> None:
        found = subject(question) if self.answers[qid] is not UNANSWERABLE else None
        if found is None:
            self.always.append(qid)
        else:
            self.by_subject.setdefault(found, []).append(qid)

    def refresh(self, site: Any, jobs: int | None = None, vault: Vault | None = None,
                change: GraphChange | None = None) -> set[int]:
        """Ask the kept questions of the new model ``site``; returns the ids whose answer
        changed (their new answers are kept).  With the new ``vault`` and the ``change`` of
        the graph since the last refresh, only the questions whose subject changed
        (``model_delta``) and those with none are asked; otherwise all of them."""
        marks = marks_of(site) if vault is not None else None
        if vault is None or change is None or self.vault is None or self.marks is None or marks is None:
            ids: Iterable[int] = range(len(self.questions))
        else:
            reached = model_delta(self.vault, vault, change, self.marks, marks)
            ids = sorted(set(self.always).union(*(self.by_subject[s] for s in reached if s in self.by_subject)))
        try:
            changed, unsettled = _changed_answers(self.questions, self.answers, self.settled, site, jobs, list(ids))
            for qid, found in changed:
                self.answers[qid] = found
                self.settled.pop(qid, None)  # the record kept answered the old fingerprint
            targets: dict[Any, Any] = {}
            for qid in unsettled:  # answered by a settled record: kept, so next time it is known by identity
                self.settled[qid] = answer(site, *self.questions[qid], targets)
        except BaseException:
            self.clear()  # half asked: nothing kept can be trusted
            raise
        self.vault, self.marks = vault, marks
        return {qid for qid, _ in changed}

    def clear(self) -> None:
        """Forget every body and question (the next build renders every page)."""
        self.bodies, self.questions, self.answers, self.ids, self.settled = {}, [], [], {}, {}
        self.by_subject, self.always, self.vault, self.marks, self._compacted_at = {}, [], None, None, 0

    def holding(self, key: str, changed: set[int]) -> PageBody | None:
        """The body kept under ``key`` if none of its questions is in ``changed``; a body
        that does not hold is dropped (if its render fails, nothing stale is left)."""
        entry = self.bodies.get(key)
        if entry is None:
            return None
        if not changed.isdisjoint(entry[1]):
            del self.bodies[key]
            return None
        return entry[0]

    def retain(self, keys: set[str]) -> None:
        """Drop the bodies of pages not in ``keys``; when many questions were added since
        the table was last rebuilt, rebuild it from the pages left (no question is then
        asked that no page asked)."""
        for key in [k for k in self.bodies if k not in keys]:
            del self.bodies[key]
        if not self._compacted_at:
            self._compacted_at = len(self.questions)
        if len(self.questions) * 4 <= self._compacted_at * 5 or not self.bodies:
            return
        used = sorted({qid for _, ids in self.bodies.values() for qid in ids})
        renumber = {old: new for new, old in enumerate(used)}
        self.questions = [self.questions[qid] for qid in used]
        self.answers = [self.answers[qid] for qid in used]
        self.settled = {renumber[qid]: value for qid, value in self.settled.items() if qid in renumber}
        self.by_subject, self.always, self.ids = {}, [], {}
        for qid, question in enumerate(self.questions):
            self._file(qid, question)
            try:
                self.ids[question] = qid
            except TypeError:  # an unhashable question is never looked up
                pass
        self.bodies = {key: (body, array("i", (renumber[q] for q in ids))) for key, (body, ids) in self.bodies.items()}
        self._compacted_at = len(self.questions)


Asked = tuple[list[tuple[int, Any]], list[int]]  # (id, new fingerprint) of changed answers; ids to settle


def _changed_answers(questions: list[ReadKey], answers: list[Any], settled: dict[int, Any], site: Any,
                     jobs: int | None, ids: list[int]) -> Asked:
    """(id, new fingerprint) of each question of ``ids`` the model answers differently, and
    the ids of questions answered by a settled record that is not the one kept; a forked
    helper asks the first half while this process asks the second."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(ids) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _ask(questions, answers, settled, site, ids)
    global _inherited
    _inherited = (questions, answers, settled, site)
    middle = len(ids) // 2
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            first = pool.submit(_ask_inherited, ids[:middle])
            changed, unsettled = _ask(questions, answers, settled, site, ids[middle:])
            changed_first, unsettled_first = first.result()
            return [*changed_first, *changed], [*unsettled_first, *unsettled]
    finally:
        _inherited = None


def _ask_inherited(ids: list[int]) -> Asked:
    assert _inherited is not None, "forked from _changed_answers"
    gc.disable()  # nothing the helper makes outlives it
    questions, answers, settled, site = _inherited
    return _ask(questions, answers, settled, site, ids)


def _ask(questions: list[ReadKey], answers: list[Any], settled: dict[int, Any], site: Any,
         ids: Iterable[int]) -> Asked:
    targets: dict[Any, Any] = {}  # the object each path leads to: many questions share a path
    changed = []
    unsettled = []
    for qid in ids:
        expected = answers[qid]
        if expected is UNANSWERABLE:
            changed.append((qid, UNANSWERABLE))
            continue
        path, op, arg = questions[qid]
        try:
            value = answer(site, path, op, arg, targets)
        except Exception:  # noqa: BLE001 - a question the new model cannot answer: render again
            changed.append((qid, UNANSWERABLE))
            continue
        if value is settled.get(qid, UNANSWERABLE):
            continue  # the very record whose fingerprint is kept
        if type(value) in SETTLED:
            unsettled.append(qid)
        found = fingerprint(value)
        if found != expected:
            changed.append((qid, found))
    return changed, unsettled
