"""The user's real reading lists in notes/: what the issue promises about them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from bibtexparser.bparser import BibTexParser

from kbgen.markdown import make_parser
from kbgen.pipeline import load_vault
from kbgen.readings import (
    Extraction,
    Reading,
    dedupe_with_findings,
    extract,
    iter_entries,
    to_bibtex,
    to_csl_json,
    to_csv,
)

ROOT = Path(__file__).parent.parent
NOTES = ROOT / "notes"
SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text(encoding="utf-8"))
NAMES = ["AI Study Plan.md", "AI Workshop.md", "Deep Learning.md", "Machine Learning Resources.md",
         "Machine Learning.md"]


@pytest.fixture(scope="module")
def found() -> Extraction:
    out = Extraction()
    for name in NAMES:
        out.extend(extract(name, make_parser().parse((NOTES / name).read_text(encoding="utf-8"))))
    return out


@pytest.fixture(scope="module")
def deduped(found: Extraction) -> tuple[list[Reading], list]:
    return dedupe_with_findings(found.entries)


def test_all_five_notes_are_read(found: Extraction) -> None:
    assert sorted(NAMES) == sorted(p.name for p in NOTES.glob("*.md"))
    assert {e.note for e in iter_entries(found.entries)} == set(NAMES)


def test_goodfellow_is_one_cult_book_in_two_notes(deduped: tuple[list[Reading], list]) -> None:
    [book] = [r for r in deduped[0] if r.title == "Deep Learning"]
    assert (book.authors, book.level, book.kind, book.year) == (["Ian Goodfellow"], "cult", "book", 2016)
    assert [c.where for c in book.citations] == ["Deep Learning.md:4", "Machine Learning Resources.md:18"]
    assert book.key == "goodfellow2016deep" and not book.conflicts


def test_backprop_is_introductionary_blog(deduped: tuple[list[Reading], list]) -> None:
    [post] = [r for r in deduped[0] if r.title == "Yes you should understand backprop"]
    assert (post.level, post.authors, post.kind, post.year) == (
        "introductionary", ["Andrej Karparthy"], "blog", 2016)
    assert {c.note for c in post.citations} == {"Deep Learning.md", "Machine Learning Resources.md"}
    assert post.topics[0] == ["Deep Learning", "Fundamentals"]
    [entry] = [e for e in found_entries(post) if e.note == "Deep Learning.md"]
    assert [r.title for r in entry.related] == ["Lecture 4: Backpropagation, Neural Networks 1"]


def found_entries(reading: Reading) -> list:
    return [c.entry for c in reading.citations]


def test_legend_is_recognised(found: Extraction) -> None:
    assert [(item.note, item.line, item.level) for item in found.legend] == [
        ("Machine Learning Resources.md", 10, "introductionary"),
        ("Machine Learning Resources.md", 11, "cult"),
    ]
    assert not [e for e in iter_entries(found.entries) if "lightweight" in e.raw or "sientific" in e.raw]


def test_no_reading_entry_of_the_notes_is_malformed(found: Extraction) -> None:
    assert found.findings == []  # Machine Learning.md:9 is a malformed link in a link list, not a reading


def test_the_broken_link_is_a_malformed_link_notice() -> None:
    loaded = load_vault(NOTES, keep_tokens=False)
    broken = [f for f in loaded.findings if f.code == "malformed-link"]
    assert [(f.source, f.line) for f in broken] == [("Machine Learning.md", 9)]
    assert broken[0].is_notice and "malformed link" in str(broken[0])


def test_plain_bullets_and_study_plan(found: Extraction) -> None:
    entries = list(iter_entries(found.entries))
    assert not [e for e in entries if e.raw in ("word2vec", "GLoVe", "GANs", "uses SwAV")]
    plan = {e.title: e for e in entries if e.note == "AI Study Plan.md"}
    assert plan["Git re-basin"].url == "https://arxiv.org/abs/2209.04836"
    assert plan["Git re-basin"].notes == ["this is an extremely good paper"]
    assert plan["editing models with task arithmetic"].url == "https://arxiv.org/pdf/2212.04089.pdf"
    assert plan["AdaMix"].topic == ["Reading list"]
    gpt2 = [e for e in entries if e.title == "GPT-2"]
    assert len(gpt2) == 2 and all(e.description.startswith("a successor to GPT") for e in gpt2)


def test_attention_is_one_reading_across_three_notes(deduped: tuple[list[Reading], list]) -> None:
    [paper] = [r for r in deduped[0] if r.title == "Attention Is All You Need"]
    assert {c.note for c in paper.citations} == {"AI Workshop.md", "Deep Learning.md",
                                                 "Machine Learning Resources.md"}
    assert (paper.level, paper.kind, paper.year) == ("cult", "paper", 2017)


def test_exports_of_the_real_notes(deduped: tuple[list[Reading], list]) -> None:
    readings = deduped[0]
    jsonschema.validate(to_csl_json(readings), SCHEMA)
    entries = bibtexparser.loads(to_bibtex(readings), parser=BibTexParser(common_strings=True)).entries
    assert len(entries) == len(readings) == len({r.key for r in readings})
    assert to_csv(readings).count("\r\n") >= len(readings) + 1


def test_counts(found: Extraction, deduped: tuple[list[Reading], list]) -> None:
    entries = list(iter_entries(found.entries))
    readings, _ = deduped
    after = Counter(r.level for r in readings)
    assert len(readings) < len(entries)
    assert after["cult"] > 0 and after["introductionary"] > 0
