"""`kbgen readings` and the readings in the pipeline's graph, on the user's notes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
from click.testing import CliRunner

from kbgen.cli import main
from kbgen.pipeline import load_vault

NOTES = Path(__file__).resolve().parent.parent / "notes"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_table_filtered_to_cult_books() -> None:
    lines = run("readings", str(NOTES), "--level", "cult", "--kind", "book").splitlines()
    assert lines[0].split()[:3] == ["LEVEL", "YEAR", "KIND"]
    rows = lines[1:]
    assert rows and all(r.split()[0] == "cult" and r.split()[2] == "book" for r in rows)
    goodfellow = next(r for r in rows if "Ian Goodfellow" in r)
    assert "2016" in goodfellow and "Deep Learning.md" in goodfellow and "Machine Learning Resources.md" in goodfellow


def test_formats_agree_on_the_number_of_works() -> None:
    works = len(json.loads(run("readings", str(NOTES), "--format", "json")))
    rows = list(csv.reader(io.StringIO(run("readings", str(NOTES), "--format", "csv"))))
    bib = bibtexparser.loads(run("readings", str(NOTES), "--format", "bibtex"))
    assert works == len(rows) - 1 == len(bib.entries) == len(load_vault(NOTES, keep_tokens=False).readings)


def test_introductory_spelling_is_accepted_as_a_filter() -> None:
    data = json.loads(run("readings", str(NOTES), "--level", "introductory", "--format", "json"))
    titles = {item.get("title") for item in data}
    assert "Yes you should understand backprop" in titles


def test_readings_are_graph_nodes_and_relate_notes() -> None:
    loaded = load_vault(NOTES)
    graph = loaded.graph.graph
    readings = [n for n, kind in graph.nodes(data="kind") if kind == "reading"]
    assert len(readings) == len(loaded.readings)
    related = {r.path: r.shared for r in loaded.graph.related_notes("Deep Learning.md")}
    assert related["Machine Learning Resources.md"] >= 10
    assert "Deep Learning.md" not in related
    assert loaded.graph.related_notes("missing.md") == []


def test_cited_levels_are_the_lines_of_leveled_entries() -> None:
    levels = load_vault(NOTES).graph.cited_levels("Deep Learning.md")
    assert levels[4] == "cult"  # *cult*: "Deep Learning" [Ian Goodfellow; book; 2016]
    assert levels[23] == "introductionary"  # "Yes you should understand backprop"
    assert 6 not in levels  # "Applications of Deep Neural Networks" has no level anywhere
    assert load_vault(NOTES).graph.cited_levels("nope.md") == {}
