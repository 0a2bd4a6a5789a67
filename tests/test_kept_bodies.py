"""``KeptBodies`` (serve): each distinct question asked once per save; a page holds while
none of its questions gets a new answer, also when an answer comes back to a record that
was kept earlier, and after the table is rebuilt."""

from __future__ import annotations

from dataclasses import dataclass, field

from kbgen.cache.fingerprint import fingerprint
from kbgen.model import Note
from kbgen.site.kept_bodies import KeptBodies
from kbgen.site.model import PageBody


@dataclass
class Vault:
    notes: dict[str, Note] = field(default_factory=dict)

    def title(self, path: str) -> str:
        return self.notes[path].title if path in self.notes else path


@dataclass
class Site:
    vault: Vault


def _reads(site: Site, *paths: str) -> list[tuple[object, ...]]:
    """What a page showing ``paths`` would record: the note under each."""
    return [(("vault", "notes"), "get", path, fingerprint(site.vault.notes.get(path))) for path in paths]


def _holding(kept: KeptBodies, site: Site) -> set[str]:
    changed = kept.refresh(site, jobs=1)
    return {key for key in kept.bodies if kept.holding(key, changed) is not None}


def test_a_page_holds_until_an_answer_changes_even_back_to_a_record_seen_before() -> None:
    a, b = Note(path="a.md", title="A", content_hash="1"), Note(path="b.md", title="B", content_hash="2")
    site = Site(Vault({"a.md": a, "b.md": b}))
    kept = KeptBodies()
    kept.keep("page-a", PageBody("<p>a</p>"), _reads(site, "a.md"))
    kept.keep("page-ab", PageBody("<p>ab</p>"), _reads(site, "a.md", "b.md"))
    kept.keep("page-b", PageBody("<p>b</p>"), _reads(site, "b.md"))
    assert len(kept.questions) == 2  # shared questions are kept once
    assert _holding(kept, site) == {"page-a", "page-ab", "page-b"}
    assert _holding(kept, site) == {"page-a", "page-ab", "page-b"}  # now known by identity
    site.vault.notes.pop("a.md")  # unpublished, say
    assert _holding(kept, site) == {"page-b"}
    site.vault.notes["a.md"] = a  # the very record kept before comes back
    assert _holding(kept, site) == {"page-b"}
    assert _holding(kept, site) == {"page-a", "page-ab", "page-b"}
    site.vault.notes["b.md"] = Note(path="b.md", title="B", content_hash="3")  # new bytes, same title
    assert _holding(kept, site) == {"page-a"}


def test_the_table_is_rebuilt_from_the_pages_left_and_still_answers_right() -> None:
    notes = {f"{i}.md": Note(path=f"{i}.md", title=str(i), content_hash=str(i)) for i in range(40)}
    site = Site(Vault(dict(notes)))
    kept = KeptBodies()
    for i in range(40):
        kept.keep(f"page-{i}", PageBody(str(i)), _reads(site, f"{i}.md"))
    kept.retain({f"page-{i}" for i in range(40)})
    assert _holding(kept, site) == {f"page-{i}" for i in range(40)}
    for i in range(40, 60):  # new pages ask new questions; the old ones go
        notes[f"{i}.md"] = site.vault.notes[f"{i}.md"] = Note(path=f"{i}.md", title=str(i), content_hash=str(i))
        kept.keep(f"page-{i}", PageBody(str(i)), _reads(site, f"{i}.md"))
    kept.retain({f"page-{i}" for i in range(30, 60)})
    assert len(kept.questions) == 30  # rebuilt: only the questions of the 30 pages left
    site.vault.notes["30.md"] = notes["0.md"]  # the record a dropped question was answered by
    site.vault.notes["45.md"] = Note(path="45.md", title="changed", content_hash="x")
    assert _holding(kept, site) == {f"page-{i}" for i in range(30, 60)} - {"page-30", "page-45"}
