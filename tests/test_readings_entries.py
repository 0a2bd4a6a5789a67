"""Reading entries from note tokens: every form, nesting, the legend, malformed bullets."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen.files import decode_note
from kbgen.markdown import make_parser
from kbgen.notes import parse_note
from kbgen.readings import Extraction, ReadingEntry, extract, extract_entries, extract_legend, iter_entries
from kbgen.readings.kinds import normalise_kind, normalise_level, parse_date, parse_fields, split_authors

FIXTURES = Path(__file__).parent / "fixtures" / "readings"


def tokens(text: str) -> list:
    return make_parser().parse(text)


def fixture(name: str) -> Extraction:
    return extract(name, tokens((FIXTURES / name).read_text(encoding="utf-8")))


def by_title(entries: list[ReadingEntry]) -> dict[str | None, ReadingEntry]:
    return {e.title: e for e in iter_entries(entries)}


@pytest.fixture(scope="module")
def forms() -> Extraction:
    return fixture("forms.md")


def test_quoted_form_with_level(forms: Extraction) -> None:
    e = by_title(forms.entries)["Deep Learning"]
    assert (e.form, e.level, e.authors, e.kind, e.kinds, e.kind_raw) == (
        "quoted", "cult", ["Ian Goodfellow"], "book", ["book"], "book")
    assert (e.date, e.year, e.url) == ("2016", 2016, "https://www.deeplearningbook.org/")
    assert (e.note, e.line, e.topic) == ("forms.md", 4, ["Forms", "Quoted"])


def test_quoted_form_without_level(forms: Extraction) -> None:
    e = by_title(forms.entries)["Applications of Deep Neural Networks with keras"]
    assert e.level is None and e.authors == ["Jeff Heaton"] and e.year == 2020


@pytest.mark.parametrize(("title", "level"), [
    ("What AI Can Tell Us", "cult"),  # _cult_
    ("The rise of self-supervised learning", "introductionary"),  # *introductory*
    ("CS25: Transformers United", "introductionary"),  # **introductionary**
    ("Plain Level Word", "cult"),  # cult: without emphasis
])
def test_level_spellings_normalise(forms: Extraction, title: str, level: str) -> None:
    assert by_title(forms.entries)[title].level == level


def test_authors_kinds_dates_normalised(forms: Extraction) -> None:
    entries = by_title(forms.entries)
    assert entries["What AI Can Tell Us"].authors == ["Yann LeCun", "Jacob Browning"]
    assert entries["What AI Can Tell Us"].kind == "blog"
    assert entries["The rise of self-supervised learning"].kind == "blog"  # "blog post"
    assert entries["The rise of self-supervised learning"].date == "2020-12-03"
    cs25 = entries["CS25: Transformers United"]
    assert (cs25.kind, cs25.kinds, cs25.kind_raw) == ("course", ["video", "course"], "YouTube & course")


def test_named_form_keeps_description(forms: Extraction) -> None:
    gpt2 = by_title(forms.entries)["GPT-2"]
    assert (gpt2.form, gpt2.description, gpt2.authors) == ("named", "a successor to GPT", ["OpenAI"])
    assert (gpt2.kind, gpt2.kinds, gpt2.date) == ("paper", ["blog", "paper"], "2019-02")
    lamda = by_title(forms.entries)["LaMDA"]  # "Blog & Paper, 2021-05": comma before the date
    assert (lamda.kind, lamda.date) == ("paper", "2021-05")


def test_named_form_with_link_name(forms: Extraction) -> None:
    faiss = by_title(forms.entries)["FAISS"]
    assert faiss.url == "https://engineering.fb.com/faiss/"
    assert faiss.links == ["https://faiss.ai/"]
    assert faiss.kind is None and faiss.authors == ["Meta AI"] and faiss.date == "2017-03"
    assert faiss.description == "Faiss: A library for efficient similarity search"


def test_cited_forms(forms: Extraction) -> None:
    entries = by_title(forms.entries)
    video = entries["Video explanation of blog post"]
    assert (video.form, video.kind, video.authors, video.date) == ("cited", "video", ["Yannic Kilcher"], "2021-03-11")
    toys = entries["A curated list of MLOps projects"]
    assert (toys.authors, toys.kind, toys.url) == (["MLOps.toys"], None, "https://mlops.toys/feature-store")
    seer = entries["SEER: computer vision"]
    assert (seer.authors, seer.date, seer.year, seer.level) == ([], "2021-03-04", 2021, "cult")


def test_link_forms(forms: Extraction) -> None:
    entries = by_title(forms.entries)
    hf = entries["HuggingFace"]
    assert (hf.form, hf.url, hf.description) == ("link", "https://huggingface.co", "an open source platform provider")
    [week3] = [e for e in forms.entries if e.url == "https://arxiv.org/abs/1706.03762"]
    assert week3.title == "Attention is all you need"
    assert week3.url == "https://arxiv.org/abs/1706.03762" and week3.description == "Week 3"
    tf = entries["Browser-based tensorflow"]
    assert tf.description == "Week 4: Try out this Browser-based tensorflow for 15 minutes"


def test_bare_url_forms(forms: Extraction) -> None:
    entries = by_title(forms.entries)
    assert entries["Papers, guides and interviews on applied ML"].url == "https://applyingml.com/"
    assert entries["TVM"].form == "bare"
    untitled = [e for e in forms.entries if e.url == "https://www.quantamagazine.org/a-new-link/"]
    assert len(untitled) == 1 and untitled[0].title is None


def test_vault_links_are_not_readings(forms: Extraction) -> None:
    assert not [e for e in iter_entries(forms.entries) if e.raw.startswith("A note on")]


def test_title_only_entry(forms: Extraction) -> None:
    entry = [e for e in forms.entries if e.form == "title"]
    assert len(entry) == 1
    assert (entry[0].title, entry[0].level, entry[0].url) == ("Attention is all you need", "cult", None)


def test_nested_related_notes_and_topic(forms: Extraction) -> None:
    software = by_title(forms.entries)["Software 2.0"]
    assert software.topic == ["Forms", "Nested", "Overview"]
    assert software.notes == ["new tools needed: What's the Github of Software 2.0?"]
    [lex] = software.related
    assert (lex.title, lex.authors, lex.kind, lex.date) == (None, ["Lex Fridman Podcast"], "video", "2022-10")
    assert "ab_channel=LexClips" in lex.url and lex.line == software.line + 1
    backprop = by_title(forms.entries)["Yes you should understand backprop"]
    assert [r.title for r in backprop.related] == ["Lecture 4: Backpropagation, Neural Networks 1"]
    top_level = {e.title for e in forms.entries}
    assert "Lecture 4: Backpropagation, Neural Networks 1" not in top_level  # only under related


def test_plain_bullets_are_not_entries(forms: Extraction) -> None:
    raws = {e.raw for e in iter_entries(forms.entries)}
    assert "word2vec" not in raws and "Overview" not in raws


def test_bold_paragraph_titles_the_list_after_it(forms: Extraction) -> None:
    [article] = [e for e in forms.entries if e.url == "https://arxiv.org/pdf/2307.09477.pdf"]
    assert article.topic == ["Forms", "Nested", "Write articles on these"]


def test_reading_list_paragraph_lines(forms: Extraction) -> None:
    lines = [e for e in forms.entries if e.topic[-1:] == ["Reading list"]]
    assert [(e.title, e.url) for e in lines] == [
        ("Git re-basin", "https://arxiv.org/abs/2209.04836"),
        (None, "https://math.mit.edu/~dspivak/informatics/olog.pdf"),
        ("GLaM", "https://arxiv.org/pdf/2112.06905.pdf"),
    ]
    rebasin, _, glam = lines
    assert rebasin.form == "line" and rebasin.notes == ["this is an extremely good paper"]
    assert glam.notes == []  # "(Thanks ...)" is prose after a titled line
    first_line = next(i for i, text in enumerate((FIXTURES / "forms.md").read_text().splitlines(), 1)
                      if text == "https://arxiv.org/abs/2209.04836")
    assert [e.line for e in lines] == [first_line, first_line + 3, first_line + 4]


def test_no_findings_for_well_formed_note(forms: Extraction) -> None:
    assert forms.findings == []
    assert forms.legend == []


def test_legend_is_not_an_entry() -> None:
    found = fixture("legend.md")
    assert [(item.level, item.description, item.line) for item in found.legend] == [
        ("introductionary", "lightweight, semi-sientific, brief overview", 4),
        ("cult", "deeper, sientific, heavyly cited, famous research etc.", 5),
    ]
    assert [e.title for e in found.entries] == ["Deep Learning"]
    text = (FIXTURES / "legend.md").read_text()
    assert extract_legend("legend.md", tokens(text)) == found.legend


def test_malformed_bullets_become_findings() -> None:
    found = fixture("malformed.md")
    malformed = [f for f in found.findings if f.code == "reading-malformed"]
    expected = [  # lines 5 and 7 hold malformed [text](url) links: notes.py says so (malformed-link)
        (3, "unclosed quote"),
        (4, "unclosed bracket"),
        (6, "citation [authors; kind; date] without a (url)"),
    ]
    assert [f.line for f in malformed] == [line for line, _ in expected]
    for finding, (_, reason) in zip(malformed, expected, strict=True):
        assert f"({reason})" in finding.message
    assert all(str(f).startswith(f"malformed.md:{f.line}: ") for f in found.findings)
    assert [e.title for e in found.entries] == ["Fine", "Bad date"]
    [bad_date] = [f for f in found.findings if f.code == "reading-date"]
    assert bad_date.line == 9 and "sometime 2016" in bad_date.message
    assert found.entries[1].year == 2016 and found.entries[1].date == "sometime 2016"


def test_extract_entries_signature() -> None:
    entries, findings = extract_entries("x.md", tokens('- *cult*: "T" [A; paper; 2020](https://e.org/t)\n'))
    assert [e.title for e in entries] == ["T"] and findings == []


def test_tokens_are_not_mutated() -> None:
    toks = tokens('- *cult*: "T" [A; paper; 2020](https://e.org/t)\n')
    before = [(t.type, t.content, [c.content for c in t.children or []]) for t in toks]
    extract("x.md", toks)
    assert [(t.type, t.content, [c.content for c in t.children or []]) for t in toks] == before


@pytest.mark.parametrize(("raw", "kind", "kinds"), [
    ("YouTube", "video", ["video"]),
    ("blog post", "blog", ["blog"]),
    ("GitHub", "repository", ["repository"]),
    ("github", "repository", ["repository"]),
    ("Blog & Paper", "paper", ["blog", "paper"]),
    ("Paper & Blog", "paper", ["paper", "blog"]),
    ("paper + github", "paper", ["paper", "repository"]),
    ("article & YouTube", "article", ["article", "video"]),
    ("books", "book", ["book"]),
    ("hologram", "other", ["other"]),
    ("", None, []),
])
def test_normalise_kind(raw: str, kind: str | None, kinds: list[str]) -> None:
    assert normalise_kind(raw) == (kind, kinds)


@pytest.mark.parametrize(("text", "authors"), [
    ("Yann LeCun & Jacob Browning", ["Yann LeCun", "Jacob Browning"]),
    ("Ian Goodfellow, Yoshua Bengio and Aaron Courville", ["Ian Goodfellow", "Yoshua Bengio", "Aaron Courville"]),
    ("Rumelhart, Hinton, and Williams", ["Rumelhart", "Hinton", "Williams"]),
    ("Convergence: Machine-learning and cloud blog", ["Convergence: Machine-learning and cloud blog"]),
    ("NYU CENTER FOR DATA SCIENCE", ["NYU CENTER FOR DATA SCIENCE"]),
    ("Andrej Karparthy", ["Andrej Karparthy"]),
])
def test_split_authors(text: str, authors: list[str]) -> None:
    assert split_authors(text) == authors


def test_levels_and_dates() -> None:
    assert [normalise_level(w) for w in ("Cult", "introductory", "*introductionary*", "_cult_", "deep")] == [
        "cult", "introductionary", "introductionary", "cult", None]
    assert parse_date("2016") == ("2016", 2016)
    assert parse_date("2022-6") == ("2022-06", 2022)
    assert parse_date("2021/03/04") == ("2021-03-04", 2021)
    assert parse_date("2021-02-30") is None and parse_date("2021-13") is None and parse_date("soon") is None


def test_parse_fields_shapes() -> None:
    assert parse_fields("Meta AI; ; 2017-03").authors == ["Meta AI"]
    assert parse_fields("Meta AI; ; 2017-03").kind_raw is None
    assert parse_fields("2021-03-04").date == "2021-03-04"
    assert parse_fields("YouTube").kind_raw == "YouTube"
    assert parse_fields("Outerbounds").authors == ["Outerbounds"]
    four = parse_fields("A; B; book; 2016")
    assert (four.authors, four.kind_raw, four.date) == (["A", "B"], "book", "2016")


def test_obsidian_and_gfm_tokens_do_not_disturb() -> None:
    text = (
        "# T\n"
        "- [ ] [Title A](https://a.org) to read\n"
        '- [x] *cult*: "Title B" [A; paper; 2020](https://b.org)[^1]\n'
        '- #tag "Title C" [A; paper; 2020](https://c.org)\n'
        "- [[Some Note]] and ==marked== text\n\n"
        "> [!note] Legend\n"
        "> - *cult*: deep stuff\n\n"
        "[^1]: a footnote\n"
    )
    found = extract("t.md", tokens(text))
    assert [(e.form, e.title, e.level) for e in found.entries] == [
        ("link", "Title A", None), ("quoted", "Title B", "cult"), ("quoted", "Title C", None)]
    assert [(item.level, item.description, item.line) for item in found.legend] == [("cult", "deep stuff", 8)]
    assert found.findings == []


def test_odd_quote_in_prose_is_not_malformed() -> None:
    found = extract("p.md", tokens('- The 5" display [review](https://x.org/r)\n- He said "hi\n'))
    assert found.findings == []
    assert [(e.title, e.description) for e in found.entries] == [("review", 'The 5" display')]
    bad = extract("p.md", tokens('- Name: "desc [A; paper; 2020](https://x.org/r)\n'))
    assert [f.code for f in bad.findings] == ["reading-malformed"] and bad.entries == []


def test_malformed_links_are_reported_once_as_malformed_links() -> None:
    text = (FIXTURES / "malformed.md").read_text(encoding="utf-8")
    note = parse_note(decode_note("malformed.md", text.encode()), make_parser())
    found = [(f.line, f.code) for f in note.findings]
    assert found == [(5, "malformed-link"), (7, "malformed-link")]
    assert "[Broken link]((https://example.org/d" in note.findings[1].message


LINK_LIST = """# Links
- [HuggingFace](https://huggingface.co)- a platform [for models
- [PyTorch](https://pytorch.org) - *Opinion:* "more friendly than TF
- The original paper, [Attention is all you need](https://arxiv.org/abs/1706.03762) is hard...
- Week 3: [Notes [draft]](https://x.org/n) (see [here](https://x.org/h)
"""


def test_an_ordinary_link_list_never_makes_malformed_entries() -> None:
    found = extract("links.md", tokens(LINK_LIST))
    assert found.findings == []
    assert [e.form for e in found.entries] == ["link", "link", "link", "link"]
    assert not any(e.explicit for e in found.entries)


def test_a_meant_entry_with_the_same_faults_is_malformed() -> None:
    found = extract("m.md", tokens('- *cult*: [HuggingFace](https://huggingface.co) [for models\n'
                                   '- "Quoted [A; b; 2020](https://x.org/q)\n'))
    assert [(f.line, f.code) for f in found.findings] == [(1, "reading-malformed"), (2, "reading-malformed")]
