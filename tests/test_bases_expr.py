"""The Bases expression language: the grammar, operators and documented functions,
evaluated over a small vault (rows are notes; ``this`` is a note)."""

from __future__ import annotations

import datetime as dt

import pytest
from test_render_helpers import make_vault

from kbgen.bases.build import Runner
from kbgen.bases.evaluate import Evaluator
from kbgen.bases.expr import Binary, Call, ExprError, Literal, Method, Name, parse_expression
from kbgen.bases.runtime import EvalError
from kbgen.bases.values import DateValue, LinkValue, display_text

VAULT = {
    "Books/Dune.md": '---\ncategories: ["[[Books]]"]\nauthor: "[[Frank Herbert]]"\nyear: 1965\nrating: 4.5\n'
                     "tags: [book, scifi/classic]\nread: 2024-03-01\n---\nSee [[Arrakis]] and [[Frank Herbert]].\n",
    "Books.md": "# Books\n",
    "People/Frank Herbert.md": "---\nborn: 1920\n---\nAuthor. #person\n",
    "Places/Arrakis.md": "A planet; [[Dune]] is set there.\n",
}
NOW = dt.datetime(2025, 6, 1, 12, 0, 0)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    loaded = make_vault(tmp_path_factory.mktemp("expr"), VAULT)
    return Runner(loaded.root, loaded.vault, NOW)


def ev(runner: Runner, text: str, row: str = "Books/Dune.md", this: str | None = "People/Frank Herbert.md",
       formulas: dict[str, str] | None = None):
    evaluator = Evaluator(runner.world, {k: parse_expression(v) for k, v in (formulas or {}).items()}, this)
    return evaluator.evaluate(parse_expression(text), runner.facts.get(row))


def test_grammar_precedence_and_shapes() -> None:
    assert parse_expression("a || b && !c") == Binary("||", Name("a"), Binary("&&", Name("b"),
                                                                                  parse_expression("!c")))
    assert parse_expression("1 + 2 * 3") == Binary("+", Literal(1), Binary("*", Literal(2), Literal(3)))
    assert parse_expression('file.hasTag("x")') == Method(Name("file"), "hasTag", (Literal("x"),))
    assert parse_expression('link("a\\"b")') == Call("link", (Literal('a"b'),))
    assert parse_expression("-2") == Literal(-2)


@pytest.mark.parametrize("text", ["a &&", "(a", "a ==== b", "'open", "f(,)", "", "a b"])
def test_grammar_refuses_broken_expressions(text: str) -> None:
    with pytest.raises(ExprError):
        parse_expression(text)


def test_properties_and_comparisons(runner: Runner) -> None:
    assert ev(runner, "year") == 1965
    assert ev(runner, "note.year >= 1960 && note[\"year\"] < 1970") is True
    assert ev(runner, "rating * 2") == 9.0
    assert ev(runner, "year % 100") == 65
    assert ev(runner, "-rating + 1") == -3.5
    assert ev(runner, "!missing") is True
    assert ev(runner, '"a" + year') == "a1965"
    assert ev(runner, "missing > 3") is False  # null is never greater


def test_links_compare_by_target(runner: Runner) -> None:
    assert ev(runner, 'categories.contains(link("Books"))') is True
    assert ev(runner, 'categories.contains(link("Movies"))') is False
    assert ev(runner, "author == this") is True
    assert ev(runner, 'author == link("People/Frank Herbert")') is True
    author = ev(runner, "author")
    assert isinstance(author, LinkValue) and author.path == "People/Frank Herbert.md"


def test_file_functions(runner: Runner) -> None:
    assert ev(runner, 'file.hasTag("scifi")') is True  # nested tags count
    assert ev(runner, 'file.hasTag("sci")') is False
    assert ev(runner, 'file.inFolder("Books")') is True
    assert ev(runner, 'file.inFolder("Book")') is False
    assert ev(runner, 'file.hasLink("Arrakis")') is True
    assert ev(runner, "file.hasLink(this.file)") is True
    assert ev(runner, 'file.hasProperty("rating")') is True
    assert ev(runner, "file.name + ' ' + file.ext + ' ' + file.folder") == "Dune.md md Books"
    assert ev(runner, "file.size") == len(VAULT["Books/Dune.md"].encode())
    assert [display_text(b) for b in ev(runner, "file.backlinks")] == ["Arrakis"]
    assert ev(runner, "file.links.length") == 4  # two front-matter links, two in the text
    assert ev(runner, "this.born") == 1920


def test_string_number_list_functions(runner: Runner) -> None:
    assert ev(runner, '"Hello world".lower().contains("world")') is True
    assert ev(runner, '"a,b,c".split(",").join("-")') == "a-b-c"
    assert ev(runner, '"  x ".trim().repeat(3)') == "xxx"
    assert ev(runner, "(3.14159).toFixed(2)") == "3.14"
    assert ev(runner, "(2.5).round()") == 3
    assert ev(runner, "[3, 1, 2].sort().reverse()") == [3, 2, 1]
    assert ev(runner, "[1, 2, 3, 4].filter(value > 2).map(value * 10)") == [30, 40]
    assert ev(runner, "[1, 2, 3].reduce(acc + value, 0)") == 6
    assert ev(runner, "[1, 2, 2].unique().length") == 2
    assert ev(runner, "if(rating > 4, \"great\", \"ok\")") == "great"
    assert ev(runner, "max(1, year, 3)") == 1965
    assert ev(runner, "/ar+/i.matches(\"ARRAKIS\")") is True
    assert ev(runner, "list(year)") == [1965]


def test_dates_from_front_matter_and_the_build_clock(runner: Runner) -> None:
    read = ev(runner, "read")
    assert isinstance(read, DateValue) and read.iso() == "2024-03-01"
    assert ev(runner, 'read + "1M"').iso() == "2024-04-01"
    assert ev(runner, 'read.format("D MMM YYYY")') == "1 Mar 2024"
    assert ev(runner, 'read > date("2024-01-01")') is True
    assert ev(runner, "today().year") == 2025
    assert ev(runner, 'now() - "1 week" > read') is True
    assert ev(runner, "file.mtime") is None  # no modified date in the front matter: not the disk's clock


def test_formulas_refer_to_each_other_not_in_circles(runner: Runner) -> None:
    formulas = {"double": "rating * 2", "more": "formula.double + 1", "loop": "formula.loop + 1"}
    assert ev(runner, "formula.more", formulas=formulas) == 10.0
    with pytest.raises(EvalError, match="itself"):
        ev(runner, "formula.loop", formulas=formulas)


def test_unknown_function_and_bad_types_raise(runner: Runner) -> None:
    with pytest.raises(EvalError, match="unknown function"):
        ev(runner, "nope(1)")
    with pytest.raises(EvalError):
        ev(runner, "year.lower()")
    with pytest.raises(EvalError):
        ev(runner, "this.file.name", this=None)
