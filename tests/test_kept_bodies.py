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


def _rendered(kept: KeptBodies, site: Site, pages: dict[str, tuple[str, ...]]) -> set[str]:
    """One save: the pages whose kept body does not hold, rendered again (and kept)."""
    changed = kept.refresh(site, jobs=1)
    again = [key for key in pages if kept.holding(key, changed) is None]  # in order: ids are deterministic
    for key in again:
        kept.keep(key, PageBody(key), _reads(site, *pages[key]))
    return set(again)


def test_a_page_holds_until_an_answer_changes_even_back_to_a_record_seen_before() -> None:
    a, b = Note(path="a.md", title="A", content_hash="1"), Note(path="b.md", title="B", content_hash="2")
    site = Site(Vault({"a.md": a, "b.md": b}))
    pages = {"page-a": ("a.md",), "page-ab": ("a.md", "b.md"), "page-b": ("b.md",)}
    kept = KeptBodies()
    assert _rendered(kept, site, pages) == set(pages)
    assert len(kept.questions) == 2  # shared questions are kept once
    assert _rendered(kept, site, pages) == set()
    assert _rendered(kept, site, pages) == set()  # now known by identity
    site.vault.notes.pop("a.md")  # unpublished, say
    assert _rendered(kept, site, pages) == {"page-a", "page-ab"}
    site.vault.notes["a.md"] = a  # the very record kept before comes back
    assert _rendered(kept, site, pages) == {"page-a", "page-ab"}
    assert _rendered(kept, site, pages) == set()
    site.vault.notes["b.md"] = Note(path="b.md", title="B", content_hash="3")  # new bytes, same title
    assert _rendered(kept, site, pages) == {"page-ab", "page-b"}


def test_the_table_is_rebuilt_from_the_pages_left_and_still_answers_right() -> None:
    notes = {f"{i}.md": Note(path=f"{i}.md", title=str(i), content_hash=str(i)) for i in range(40)}
    site = Site(Vault(dict(notes)))
    pages = {f"page-{i}": (f"{i}.md",) for i in range(40)}
    kept = KeptBodies()
    _rendered(kept, site, pages)
    kept.retain(set(pages))
    assert _rendered(kept, site, pages) == set()
    for i in range(40, 60):  # new pages ask new questions; the old ones go
        notes[f"{i}.md"] = site.vault.notes[f"{i}.md"] = Note(path=f"{i}.md", title=str(i), content_hash=str(i))
    pages = {f"page-{i}": (f"{i}.md",) for i in range(30, 60)}
    assert _rendered(kept, site, pages) == {f"page-{i}" for i in range(40, 60)}
    kept.retain(set(pages))
    assert len(kept.questions) == 30  # rebuilt: only the questions of the 30 pages left
    site.vault.notes["30.md"] = notes["0.md"]  # the record a dropped question was answered by
    site.vault.notes["45.md"] = Note(path="45.md", title="changed", content_hash="x")
    assert _rendered(kept, site, pages) == {"page-30", "page-45"}
