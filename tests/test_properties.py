"""Property-based tests: any text parses, and no link is ever taken from code."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbgen.files import decode_note
from kbgen.markdown import make_parser
from kbgen.notes import parse_note
from kbgen.vault import build_vault

MD = make_parser()
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that mean something to markdown or to Obsidian syntax, plus ordinary ones.
_SYNTAX = "[]()!#|^%=$`*_~<>-:\\/\"' \n\t"
_ALPHABET = st.sampled_from(list(_SYNTAX + string.ascii_letters[:8] + "0123456789é字\u200b\ufeff\x00\r"))


@SETTINGS
@given(st.text(alphabet=_ALPHABET, max_size=400))
def test_any_text_parses_and_resolves_without_raising(text: str) -> None:
    note = parse_note(decode_note("n.md", text.encode("utf-8", "surrogatepass")), MD)
    vault = build_vault([note], [])
    assert len(vault.resolutions["n.md"]) == len(note.links)
    for link in note.links:
        assert 1 <= link.line <= text.count("\n") + text.count("\r") + 1


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_parse_without_raising(data: bytes) -> None:
    note = parse_note(decode_note("n.md", data), MD)
    assert note.path == "n.md"


def _code_fragment(name: str) -> st.SearchStrategy[str]:
    """A piece of code (span, fence, math, comment) holding a fake link.

    Indented code is left to test_notes: whether 4 spaces make code depends on the
    enclosing list, which a random mix cannot know.
    """
    link = st.sampled_from([f"[[{name}]]", f"![[{name}]]", f"[[{name}|x]]", f"[x]({name}.md)", f"#{name}"])
    return link.flatmap(lambda l: st.sampled_from([
        f"`{l}`", f"``a {l} b``", f"\n\n```\n{l}\n```\n\n", f"\n\n~~~py\n{l}\n~~~\n\n",
        f"${l}$", f"\n\n$$\n{l}\n$$\n\n", f"%%{l}%%", f"<!-- {l} -->",
    ]))


def _real_fragment(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([f"[[{name}]]", f"![[{name}]]", f"[[{name}#h|x]]", f"[x]({name}.md)"])


_FILLER = st.sampled_from(["", " ", "text ", "\n", "\n\n", "- ", "> ", "# ", "1. ", "| a |", "*", "**b** "])


@st.composite
def _documents(draw) -> tuple[str, set[str], set[str]]:
    parts: list[str] = []
    real: set[str] = set()
    fake: set[str] = set()
    for i in range(draw(st.integers(1, 12))):
        parts.append(draw(_FILLER))
        if draw(st.booleans()):
            name = f"Real{i}"
            parts.append(f" {draw(_real_fragment(name))} ")
            real.add(name)
        else:
            name = f"Code{i}"
            parts.append(f" {draw(_code_fragment(name))} ")  # spaced: backtick runs must not merge
            fake.add(name)
    return "".join(parts), real, fake


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_links_reported_lie_outside_code(doc: tuple[str, set[str], set[str]]) -> None:
    text, _real, fake = doc
    note = parse_note(decode_note("n.md", text.encode()), MD)
    reported = {link.target.removesuffix(".md") for link in note.links}
    assert not reported & fake, text
    assert not {t for t in note.tags if t.startswith("Code")}, text
