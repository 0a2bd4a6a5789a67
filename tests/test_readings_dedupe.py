"""Dedupe across notes: URL and title+year matching, chosen values, conflict findings, keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen.markdown import make_parser
from kbgen.readings import Extraction, Reading, dedupe, dedupe_with_findings, extract, normalise_url, title_key

FIXTURES = Path(__file__).parent / "fixtures" / "readings"


def notes(*texts: tuple[str, str]) -> Extraction:
    out = Extraction()
    for path, text in texts:
        out.extend(extract(path, make_parser().parse(text)))
    return out


def fixture_notes(*names: str) -> Extraction:
    return notes(*((name, (FIXTURES / name).read_text(encoding="utf-8")) for name in names))


def find(readings: list[Reading], title: str) -> Reading:
    [reading] = [r for r in readings if r.title == title]
    return reading


@pytest.mark.parametrize(("a", "b"), [
    ("https://www.deeplearningbook.org/", "http://deeplearningbook.org"),
    ("https://x.org/a?utm_source=n&utm_medium=m&id=3#part", "https://x.org/a?id=3"),
    ("https://x.org/a?b=2&a=1&fbclid=z&gclid=y", "https://X.ORG/a/?a=1&b=2"),
    ("https://www.youtube.com/watch?v=UJc8UpClSUQ&ab_channel=LexClips", "https://youtu.be/UJc8UpClSUQ"),
    ("https://arxiv.org/pdf/1706.03762.pdf", "https://arxiv.org/abs/1706.03762v5"),
])
def test_normalise_url_equal(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


def test_normalise_url_keeps_what_matters() -> None:
    assert normalise_url("https://x.org/A") != normalise_url("https://x.org/a")
    assert normalise_url("https://x.org/a?id=3") != normalise_url("https://x.org/a?id=4")
    assert normalise_url("https://x.org/a?utm_source=n") == "x.org/a"


def test_title_key() -> None:
    assert title_key("Attention Is All You Need!") == title_key("attention is  all you need")
    assert title_key("Deep-Learning with PyTorch") == "deep learning with pytorch"
    assert title_key("François") == title_key("Francois")


@pytest.fixture(scope="module")
def conflicted() -> tuple[list[Reading], list]:
    return dedupe_with_findings(fixture_notes("conflict_a.md", "conflict_b.md").entries)


def test_same_url_is_one_reading(conflicted: tuple[list[Reading], list]) -> None:
    readings, _ = conflicted
    book = find(readings, "Deep Learning")
    assert [c.where for c in book.citations] == ["conflict_a.md:3", "conflict_b.md:3"]
    assert [c.level for c in book.citations] == ["introductionary", "cult"]
    assert book.citations[1].entry.authors == ["Ian Goodfellow", "Yoshua Bengio"]  # raw fields kept


def test_chosen_values(conflicted: tuple[list[Reading], list]) -> None:
    book = find(conflicted[0], "Deep Learning")
    # first place (by note path, line) for every field ...
    assert (book.authors, book.kind, book.date, book.year) == (["Ian Goodfellow"], "book", "2016", 2016)
    assert book.url == "http://deeplearningbook.org?utm_source=x#intro"  # as written at the first place
    assert book.urls == [book.url, "https://www.deeplearningbook.org/"]
    # ... but the highest level
    assert book.level == "cult"


def test_conflicts_name_both_places(conflicted: tuple[list[Reading], list]) -> None:
    readings, findings = conflicted
    book = find(readings, "Deep Learning")
    fields = sorted(f.message.split(" of reading")[0] for f in book.conflicts)
    assert fields == ["authors", "date", "kind", "level", "title"]
    assert all(f.code == "reading-conflict" for f in book.conflicts)
    [level] = [f for f in book.conflicts if f.message.startswith("level")]
    assert (level.source, level.line) == ("conflict_a.md", 3)  # the place that lost
    assert "'introductionary' here but 'cult' at conflict_b.md:3" in level.message
    [title] = [f for f in book.conflicts if f.message.startswith("title")]
    assert (title.source, title.line) == ("conflict_b.md", 3)
    assert "'Deep learning' here but 'Deep Learning' at conflict_a.md:3" in title.message
    assert set(map(str, book.conflicts)) <= set(map(str, findings))


def test_title_only_and_arxiv_variants_join(conflicted: tuple[list[Reading], list]) -> None:
    readings, _ = conflicted
    attention = find(readings, "Attention Is All You Need")
    assert [c.where for c in attention.citations] == ["conflict_a.md:4", "conflict_b.md:4", "conflict_b.md:5"]
    assert attention.level == "cult" and attention.year == 2017
    # the explicit quoted title wins over the link text; case-only differences are still reported
    # between entries, never for the text of a link in an ordinary link list (line 5)
    titles = [f for f in attention.conflicts if f.message.startswith("title")]
    assert [(f.source, f.line) for f in titles] == [("conflict_b.md", 4)]
    assert len(readings) == 2


def test_title_and_year_without_url_match() -> None:
    found = notes(("a.md", '- "Some Paper" [A; paper; 2020](https://a.org/x)\n'),
                  ("b.md", '- "some paper!" [A; paper; 2020-05](https://b.org/y)\n'),
                  ("c.md", '- "Some Paper" [A; paper; 2021](https://c.org/z)\n'))
    readings = dedupe(found.entries)
    assert [len(r.citations) for r in readings] == [2, 1]
    assert readings[0].date == "2020" and not [f for f in readings[0].conflicts if "date" in f.message]


def test_ambiguous_title_only_stays_alone() -> None:
    found = notes(("a.md", '- "Same" [A; paper; 2020](https://a.org/x)\n- "Same" [B; paper; 2021](https://b.org/y)\n'),
                  ("b.md", '- *cult*: "Same"\n'))
    assert len(dedupe(found.entries)) == 3


def test_related_entries_are_readings_too() -> None:
    text = ('- *cult*: "Software 2.0" [Andrej Karpathy; Blog; 2017-11](https://karpathy.medium.com/s)\n'
            '  - see also [Lex Fridman Podcast; YouTube; 2022-10](https://www.youtube.com/watch?v=UJc8UpClSUQ)\n')
    readings = dedupe(notes(("a.md", text)).entries)
    assert [(r.key, r.kind) for r in readings] == [("karpathy2017software", "blog"), ("lex2022", "video")]


def test_keys_are_stable_and_unique() -> None:
    text = "".join(f'- "Deep Thing {i}" [Ian Goodfellow; book; 2016](https://e.org/{i})\n' for i in range(3))
    text += '- "Deep Learning" [François Chollet; book; 2018](https://e.org/c)\n- [PyTorch](https://pytorch.org)\n'
    readings = dedupe(notes(("a.md", text)).entries)
    assert [r.key for r in readings] == [
        "goodfellow2016deep", "goodfellow2016deepa", "goodfellow2016deepb", "chollet2018deep", "pytorch"]
    assert [r.key for r in dedupe(notes(("a.md", text)).entries)] == [r.key for r in readings]


def test_order_is_first_citation() -> None:
    found = notes(("b.md", '- [B](https://b.org)\n- [A](https://a.org)\n'), ("a.md", '- [A](https://a.org/)\n'))
    readings = dedupe(found.entries)
    assert [r.title for r in readings] == ["A", "B"]
    assert [c.where for c in readings[0].citations] == ["a.md:1", "b.md:2"]
