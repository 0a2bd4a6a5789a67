#!/usr/bin/env python3
"""A deterministic "long note" vault: one huge note full of links, most to few targets.

    python benchmarks/generate_long_note.py OUT_DIR [--lines 60000] [--links N]
                                            [--missing-names 97] [--real-notes 100]
                                            [--seed 0] [--force] [--json]

The shape of issue 8: one 60,000-line note holding 120,000 wikilinks, half of them to
97 notes not written yet, the rest to ~100 small real notes.  It catches any step that
costs lines x links (or links x referrers) for one note, which the many-small-notes
vaults of generate_vault.py never do.  The same arguments give byte-identical files
(seeded ``random.Random`` only).

Layout: ``Long Index.md`` in the root (a ``##`` heading every 200 lines, the other
lines bullet items with the links spread evenly over them), the real notes in
``Topics/`` (two ``##`` headings each, a few links to each other and back to the
long note).  Real links are ``[[T]]``, ``[[T|text]]`` or ``[[T#Heading]]`` (the
heading exists); missing ones ``[[M]]`` or ``[[M|text]]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_vault import WORDS, _fresh, _phrase  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generator_cli import run_generator  # noqa: E402

LONG_NOTE = "Long Index.md"
TOPICS = "Topics"
HEADING_EVERY = 200  # line 1, 201, 401, ... of the long note is a heading


@dataclass
class LongNoteStats:
    """What was written, and what a correct ``kbgen check`` should find."""

    notes: int  # the long note and the real notes
    lines: int  # lines of the long note
    links: int  # wikilinks in the long note
    links_missing: int  # of them, to notes that do not exist
    missing_names: int  # distinct names among those
    links_real: int  # of them, to the real notes
    real_notes: int
    links_small: int  # wikilinks in the real notes (all resolve)
    bytes: int  # markdown bytes of all notes

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def _spread(total: int, names: list[str], rng: random.Random) -> list[str]:
    """``total`` targets covering every name (when total allows), shuffled."""
    targets = [names[k % len(names)] for k in range(total)]
    rng.shuffle(targets)
    return targets


def _small_note(rng: random.Random, stem: str, headings: list[str], others: list[str]) -> str:
    """A real note: two sections of prose, a few links to other real notes and home."""
    lines = [f"# {stem}", ""]
    for heading in headings:
        lines += [f"## {heading}", "", " ".join(rng.choices(WORDS, k=rng.randint(20, 40))) + ".", ""]
    lines += [f"See [[{LONG_NOTE[:-3]}]], " + ", ".join(f"[[{o}]]" for o in others) + "."]
    return "\n".join(lines) + "\n"


def _link(rng: random.Random, name: str, headings: list[str] | None) -> str:
    roll = rng.random()
    if headings is not None and roll < 0.2:
        return f"[[{name}#{rng.choice(headings)}]]"
    if roll < (0.4 if headings is not None else 0.3):
        return f"[[{name}|{' '.join(rng.sample(WORDS, 2))}]]"
    return f"[[{name}]]"


def generate_long_note(root: Path, lines: int = 60_000, links: int | None = None,
                       missing_names: int = 97, real_notes: int = 100, seed: int = 0
                       ) -> LongNoteStats:
    """Write the long-note vault under ``root`` (missing or empty); ``links`` = 2 x lines."""
    root = Path(root)
    links = 2 * lines if links is None else links
    if lines < 2 or links < 2 or missing_names < 1 or real_notes < 1:
        raise ValueError("lines, links, missing_names and real_notes must be positive")
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    rng = random.Random(f"{seed}/long-note")
    taken: dict[str, None] = {LONG_NOTE[:-3].casefold(): None}
    real = [_fresh(rng, taken) for _ in range(real_notes)]
    missing = [_fresh(rng, taken) for _ in range(missing_names)]
    sections = {name: [_phrase(rng, 1, 3) + f" {k}" for k in (1, 2)] for name in real}

    n_missing = links // 2
    targets = [(t, None) for t in _spread(n_missing, missing, rng)]
    targets += [(t, sections[t]) for t in _spread(links - n_missing, real, rng)]
    rng.shuffle(targets)
    n_content = sum(1 for i in range(lines) if i % HEADING_EVERY)
    out: list[str] = []
    used = k = 0  # links written so far; index among the content lines
    for i in range(lines):
        if i % HEADING_EVERY == 0:
            out.append(f"## Part {i // HEADING_EVERY + 1}")
            continue
        k += 1
        upto = k * links // n_content  # links spread evenly: line k ends at link upto
        words = rng.choices(WORDS, k=rng.randint(3, 8))
        for name, heads in targets[used:upto]:
            words.insert(rng.randint(1, len(words)), _link(rng, name, heads))
        used = upto
        out.append("- " + " ".join(words))
    text = "\n".join(out) + "\n"
    root.mkdir(parents=True, exist_ok=True)
    (root / LONG_NOTE).write_text(text, "utf-8")
    size, small_links = len(text.encode("utf-8")), 0
    (root / TOPICS).mkdir()
    for j, stem in enumerate(real):
        others = [real[(j + d) % len(real)] for d in (1, 7, 31) if d % len(real)]
        note = _small_note(random.Random(f"{seed}/long-note/{j}"), stem, sections[stem], others)
        (root / TOPICS / f"{stem}.md").write_text(note, "utf-8")
        size += len(note.encode("utf-8"))
        small_links += 1 + len(others)
    return LongNoteStats(notes=1 + len(real), lines=lines, links=links, links_missing=n_missing,
                         missing_names=min(missing_names, n_missing), links_real=links - n_missing,
                         real_notes=len(real), links_small=small_links, bytes=size)


def main(argv: list[str] | None = None) -> int:
    """CLI: write the vault and print its statistics."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--lines", type=int, default=60_000, help="lines of the long note")
    parser.add_argument("--links", type=int, help="wikilinks in it (default 2 x lines)")
    parser.add_argument("--missing-names", type=int, default=97)
    parser.add_argument("--real-notes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="delete OUT_DIR first if it exists")
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
    args = parser.parse_args(argv)
    return run_generator(args, lambda: generate_long_note(args.out_dir, args.lines, args.links,
                                                          args.missing_names, args.real_notes, args.seed), 14)


if __name__ == "__main__":
    sys.exit(main())
