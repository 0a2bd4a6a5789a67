"""Exports: CSL-JSON against the CSL schema, BibTeX through bibtexparser, CSV round trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from bibtexparser.bparser import BibTexParser

from kbgen.markdown import make_parser
from kbgen.readings import Extraction, Reading, dedupe, extract, to_bibtex, to_csl_json, to_csv
from kbgen.readings.export import CSV_COLUMNS, bibtex_escape

HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "data" / "csl-data.json").read_text(encoding="utf-8"))
FIXTURES = HERE / "fixtures" / "readings"

SPECIAL = (
    '- *cult*: "50% of {ML} & C# in $5 #1 under_score ~ ^ \\\\ x" '
    "[Ann O'Neil & Meta AI; paper; 2020-02-29](https://e.org/a_b?x=1%20y#frag)\n"
    '- "A talk" [Ann Smith; talk; 2021](https://e.org/t_k?q=1%20y#frag)\n'
    '- "A site" [Some Org; website; soon](https://e.org/site)\n'
)


def readings_of(*names: str, extra: str | None = None) -> list[Reading]:
    out = Extraction()
    for name in names:
        out.extend(extract(name, make_parser().parse((FIXTURES / name).read_text(encoding="utf-8"))))
    if extra is not None:
        out.extend(extract("special.md", make_parser().parse(extra)))
    return dedupe(out.entries)


def parse_bibtex(text: str) -> list[dict[str, str]]:
    parser = BibTexParser(common_strings=True)
    return bibtexparser.loads(text, parser=parser).entries


@pytest.fixture(scope="module")
def readings() -> list[Reading]:
    return readings_of("forms.md", "legend.md", extra=SPECIAL)


def test_csl_json_validates(readings: list[Reading]) -> None:
    items = to_csl_json(readings)
    jsonschema.validate(items, SCHEMA)
    assert len(items) == len(readings)
    assert len({item["id"] for item in items}) == len(items)
    json.dumps(items)  # serialisable as is


def test_csl_json_fields(readings: list[Reading]) -> None:
    items = {item["id"]: item for item in to_csl_json(readings)}
    book = items["goodfellow2016deep"]
    assert (book["type"], book["title"], book["issued"]) == ("book", "Deep Learning", {"date-parts": [[2016]]})
    assert book["author"] == [{"family": "Goodfellow", "given": "Ian"}]
    assert book["URL"] == "https://www.deeplearningbook.org/" and book["note"] == "Level: cult"
    assert book["custom"]["cited_in"] == ["forms.md:4", "legend.md:8"]
    special = next(item for item in items.values() if item.get("title", "").startswith("50%"))
    assert special["author"] == [{"family": "O'Neil", "given": "Ann"}, {"literal": "Meta AI"}]
    assert special["issued"] == {"date-parts": [[2020, 2, 29]]} and special["type"] == "article"
    site = next(item for item in items.values() if item.get("title") == "A site")
    assert site["issued"] == {"raw": "soon"} and site["type"] == "webpage"
    untitled = [item for item in items.values() if "title" not in item]
    assert untitled and all("URL" in item for item in untitled)
    assert items["quantamagazine"]["type"] == "document"  # no kind given
    assert items["lex2022"]["type"] == "motion_picture"  # YouTube


def test_bibtex_parses_one_entry_per_reading(readings: list[Reading]) -> None:
    text = to_bibtex(readings)
    entries = parse_bibtex(text)
    assert len(entries) == len(readings)
    assert [e["ID"] for e in entries] == [r.key for r in readings]
    by_id = {e["ID"]: e for e in entries}
    book = by_id["goodfellow2016deep"]
    assert (book["ENTRYTYPE"], book["title"], book["year"]) == ("book", "{Deep Learning}", "2016")
    assert (book["url"], book["note"]) == ("https://www.deeplearningbook.org/", "Level: cult")
    assert by_id["bgn2020rise"]["ENTRYTYPE"] == "misc"
    assert by_id["huggingface"]["ENTRYTYPE"] == "misc"
    assert [e["ENTRYTYPE"] for e in entries if e.get("title", "").startswith("{50")] == ["article"]


def test_bibtex_escapes_specials(readings: list[Reading]) -> None:
    [entry] = [e for e in parse_bibtex(to_bibtex(readings)) if "50" in e.get("title", "")]
    assert entry["title"] == (r"{50\% of \{ML\} \& C\# in \$5 \#1 under\_score \textasciitilde{} "
                              r"\textasciicircum{} \textbackslash{} x}")
    assert entry["author"] == "Ann O'Neil and {Meta AI}"
    assert entry["url"] == "https://e.org/a_b?x=1%20y#frag"  # verbatim field
    assert entry["date"] == "2020-02-29"
    [talk] = [e for e in parse_bibtex(to_bibtex(readings)) if e.get("title") == "{A talk}"]
    assert (talk["ENTRYTYPE"], talk["url"]) == ("misc", "https://e.org/t_k?q=1%20y#frag")
    assert talk["howpublished"] == r"\url{https://e.org/t_k?q=1\%20y\#frag}"


def test_bibtex_escape_balances_braces() -> None:
    assert bibtex_escape("a{b}c") == r"a\{b\}c"
    assert bibtex_escape("x\\y") == r"x\textbackslash{}y"
    assert bibtex_escape("a\n  b") == "a b"


def test_csv_round_trip(readings: list[Reading]) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(readings))))
    assert len(rows) == len(readings)
    assert tuple(rows[0]) == CSV_COLUMNS
    book = next(row for row in rows if row["key"] == "goodfellow2016deep")
    assert (book["title"], book["authors"], book["level"], book["kind"], book["year"]) == (
        "Deep Learning", "Ian Goodfellow", "cult", "book", "2016")
    assert book["cited_in"] == "forms.md:4; legend.md:8"
    special = next(row for row in rows if row["title"].startswith("50%"))
    assert special["authors"] == "Ann O'Neil; Meta AI"


def test_exports_are_deterministic() -> None:
    first = readings_of("forms.md", "conflict_a.md", "conflict_b.md")
    second = readings_of("forms.md", "conflict_a.md", "conflict_b.md")
    assert to_bibtex(first) == to_bibtex(second)
    assert to_csv(first) == to_csv(second)
    assert to_csl_json(first) == to_csl_json(second)
