#!/usr/bin/env python3
"""Deterministic synthetic Obsidian vaults for benchmarking kbgen.

    python benchmarks/generate_vault.py OUT_DIR -n 1000 [--seed 0] [--flat] [--force] [--json]

The same ``(n_notes, seed, flat)`` always gives a byte-identical vault: every random
choice comes from seeded ``random.Random`` instances (string seeds are hashed with
SHA-512 by ``random``, so PYTHONHASHSEED does not matter); no clock, no uuid, and
no iteration over sets.  ``flat`` puts every note in the vault root (the shape
that made material's per-folder navigation quadratic); the names and most of the
text stay those of the foldered vault.  Every heading or block id a link names exists in its
target, so a correct ``kbgen check`` reports no heading or block misses.
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generator_cli import run_generator  # noqa: E402

WORDS = """lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris
nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum
fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia
deserunt mollit anim id est laborum curabitur pretium tincidunt lacus nunc pulvinar sapien ligula
ornare vestibulum aenean viverra mauris nullam porttitor faucibus feugiat vivamus finibus turpis
cras pellentesque massa quam gravida morbi fermentum dignissim lectus blandit praesent vehicula
augue integer semper sodales varius donec accumsan etiam luctus maecenas ultrices posuere cubilia
suscipit dapibus phasellus volutpat sagittis hendrerit mattis nibh eleifend molestie tellus
tristique senectus netus malesuada fames egestas rhoncus urna neque quisque iaculis bibendum leo
vitae congue mi eros orci interdum imperdiet ante primis euismod convallis arcu condimentum purus
habitant fusce placerat nisl risus scelerisque rutrum odio vulputate lobortis suspendisse potenti
justo ultricies sollicitudin metus""".split()
FOLDERS = ["", "Inbox", "Ideas", "People", "Travel", "Projects", "Areas", "Resources",
           "Archive", "Journal", "Research", "Projects/Alpha", "Projects/Beta", "Areas/Health",
           "Areas/Finance", "Resources/Books", "Resources/Papers", "Research/Methods",
           "Research/Field Notes", "Archive/2023", "Journal/Travel Logs"]
# Same depth, same name length: a bare link to either name is a true tie.
AMBIGUOUS_FOLDERS = [("Inbox", "Ideas"), ("People", "Travel")]
TAGS = ["lorem", "ipsum", "draft", "todo", "idea", "review", "reading", "meeting",
        "project/alpha", "project/beta", "area/health", "area/finance", "topic/ml/vision",
        "status/done", "status/open"]
FAKE_NAMES = ["NotALink", "Not A Link Either", "Code Only Target", "Commented Out Note"]
LINK_KINDS = {  # kind -> weight; "missing", "ambiguous", "frontmatter" are added separately
    "plain": 18, "piped": 12, "heading": 9, "heading_chain": 4, "block": 6,
    "self_heading": 4, "self_block": 3, "embed_note": 2, "embed_heading": 2,
    "embed_image": 4, "embed_pdf": 2, "markdown": 8, "path": 5, "alias": 5, "case": 5}
STANDALONE = {"embed_note", "embed_heading", "embed_image", "embed_pdf"}
MISSING_RATE = 0.05
ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
Part = str | list[str]  # rendered text, or a sentence's words (links are inserted there)


@dataclass
class GeneratedStats:
    """What was written, and what a correct ``kbgen check`` should find."""

    notes: int = 0
    attachments: int = 0
    folders: int = 0
    bytes: int = 0  # markdown bytes (attachments excluded)
    words: int = 0  # prose words, links and markup excluded
    frontmatter_notes: int = 0
    links_real: int = 0  # real links, front matter ``related`` included
    links_fake: int = 0  # wikilink-looking text in code and %%comments%%
    expected_missing: int = 0  # real links to notes that do not exist
    missing_names: int = 0  # distinct names among them
    alias_links: int = 0
    ambiguous_names: int = 0
    ambiguous_links: int = 0
    link_kinds: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Plan:
    path: str
    stem: str
    frontmatter: bool
    skeleton: list[tuple] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    chains: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]


def _phrase(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(lo, hi)))


def _fresh(rng: random.Random, taken: dict[str, None]) -> str:
    """A Title Case name whose case-folded form is not in ``taken`` (and now is)."""
    while (name := _phrase(rng, 2, 4)).casefold() in taken:
        pass
    taken[name.casefold()] = None
    return name


def _skeleton(rng: random.Random, plan: _Plan) -> None:
    """Block structure of one note (headings, paragraphs, lists, ...), ids recorded in plan."""
    target, words = rng.randint(300, 800), 0
    keys: dict[str, None] = {}

    def block_id(p: float) -> str | None:
        if rng.random() >= p:
            return None
        while (bid := "".join(rng.choices(ID_CHARS, k=6))) in plan.blocks:
            pass
        plan.blocks.append(bid)
        return bid

    def heading(level: int) -> None:
        while (text := _phrase(rng, 1, 3)).replace(" ", "").lower() in keys:
            pass
        keys[text.replace(" ", "").lower()] = None
        plan.headings.append(text)
        plan.skeleton.append(("h", level, text))

    skel = plan.skeleton
    skel.append(("p", rng.randint(25, 60), block_id(0.1)))
    words += skel[0][1]
    since, h2 = 99, ""
    while words < target or len(plan.headings) < 2:
        if since >= rng.randint(2, 4):
            level = 3 if h2 and rng.random() < 0.35 else 2
            heading(level)
            h2, since = plan.headings[-1] if level == 2 else h2, 0
            plan.chains += [(h2, plan.headings[-1])] if level == 3 else []
        since += 1
        kind = rng.choices(["p", "ul", "ol", "table", "code", "comment"], [55, 22, 6, 7, 6, 4])[0]
        if kind == "p":
            skel.append(("p", rng.randint(30, 90), block_id(0.12)))
            words += skel[-1][1]
        elif kind in ("ul", "ol"):
            items, depth = [], 0
            for i in range(rng.randint(3, 7)):
                depth = 0 if kind == "ol" or i == 0 else rng.randint(0, min(depth + 1, 2))
                items.append((depth, rng.randint(4, 14), block_id(0.08)))
            skel.append((kind, tuple(items)))
            words += sum(item[1] for item in items)
        elif kind == "table":
            rows, cols = rng.randint(2, 5), rng.randint(2, 4)
            skel.append(("table", rows, cols, block_id(0.3)))
            words += rows * cols
        else:
            skel.append((kind,))


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A valid 1x1 RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb), 9)) + chunk(b"IEND", b""))


def _pdf(title: str) -> bytes:
    """A valid two-page blank PDF (so ``#page=2`` exists), with a correct xref table."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Title (" + title.encode("ascii") + b") >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\n" % (len(objs) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


class _Generator:
    def __init__(self, n_notes: int, seed: int, flat: bool = False) -> None:
        self.seed, rng = seed, random.Random(seed)
        taken = {name.casefold(): None for name in FAKE_NAMES}
        self.plans = [_Plan("", _fresh(rng, taken), rng.random() < 0.5) for _ in range(n_notes)]
        for plan in self.plans:
            folder = rng.choice(FOLDERS)  # drawn even when flat: the same stream either way
            plan.path = f"{folder}/{plan.stem}.md" if folder and not flat else f"{plan.stem}.md"
        self.ambiguous: list[tuple[str, tuple[str, str]]] = []
        # One folder cannot hold two notes of one name: a flat vault has no ambiguous names.
        pairs = AMBIGUOUS_FOLDERS[: 0 if flat else 2 if n_notes >= 20 else 1 if n_notes >= 6 else 0]
        for pair, (a, b) in zip(pairs, [(1, 3), (2, 5)]):
            stem = self.plans[a].stem
            self.plans[a].path, self.plans[b].path = f"{pair[0]}/{stem}.md", f"{pair[1]}/{stem}.md"
            self.plans[b].stem = stem
            self.ambiguous.append((stem, pair))
        self.dup = dup = {stem.casefold(): None for stem, _ in self.ambiguous}
        for i, plan in enumerate(self.plans):
            _skeleton(random.Random(f"{seed}/{i}/skeleton"), plan)
            if plan.frontmatter and plan.stem.casefold() not in dup and rng.random() < 0.5:
                plan.aliases = [_fresh(rng, taken) for _ in range(rng.randint(1, 2))]
        self.missing = [_fresh(rng, taken) for _ in range(max(3, n_notes // 25))]
        self.images = [f"figure-{i:04d}.png" for i in range(max(2, n_notes // 100))]
        self.pdfs = [f"paper-{i:03d}.pdf" for i in range(max(1, n_notes // 200))]
        all_idx = range(n_notes)
        self.unique = [i for i in all_idx if self.plans[i].stem.casefold() not in dup]
        self.pools = {
            "chain": [i for i in self.unique if self.plans[i].chains],
            "block": [i for i in self.unique if self.plans[i].blocks],
            "alias": [i for i in self.unique if self.plans[i].aliases],
            "path": [i for i in all_idx if self.plans[i].folder],
            "any": list(all_idx), "unique": self.unique}
        self.forced: dict[int, list[str]] = {}  # note index -> bare links to ambiguous names
        for stem, pair in self.ambiguous:
            linkers = [i for i in all_idx if self.plans[i].folder not in pair][:2]
            for i in linkers:
                self.forced.setdefault(i, []).append(f"[[{stem}]]")
        self.stats = GeneratedStats(notes=n_notes, attachments=len(self.images) + len(self.pdfs),
                                    folders=len({p.folder for p in self.plans if p.folder}),
                                    ambiguous_names=len(self.ambiguous))
        self.kinds: Counter[str] = Counter()
        self.missing_used: dict[str, None] = {}

    def _pick(self, rng: random.Random, pool: str, me: int) -> _Plan | None:
        candidates = self.pools[pool]
        for _ in range(8 if candidates else 0):
            j = rng.choice(candidates)
            if j != me:
                return self.plans[j]
        return None

    def _link(self, rng: random.Random, kind: str, me: int) -> tuple[str, str]:
        """One link of ``kind`` from note ``me`` as (kind actually written, markdown)."""
        own, words = self.plans[me], " ".join(rng.sample(WORDS, rng.randint(1, 3)))
        pool = {"heading_chain": "chain", "block": "block", "alias": "alias", "path": "path",
                "markdown": "any"}.get(kind, "unique")
        t = self._pick(rng, pool, me)
        if t is None:
            kind, t = "plain", self._pick(rng, "unique", me)
            if t is None:
                return "self_heading", f"[[#{rng.choice(own.headings)}]]"
        heading = rng.choice(t.headings)
        if rng.random() < 0.2:
            heading = heading.lower()
        if kind == "self_block" and not own.blocks:
            kind = "self_heading"
        text = {
            "plain": lambda: f"[[{t.stem}]]",
            "piped": lambda: f"[[{t.stem}|{words}]]",
            "heading": lambda: f"[[{t.stem}#{heading}]]",
            "heading_chain": lambda: "[[{}#{}#{}]]".format(t.stem, *rng.choice(t.chains)),
            "block": lambda: f"[[{t.stem}#^{rng.choice(t.blocks)}]]",
            "self_heading": lambda: f"[[#{rng.choice(own.headings)}]]",
            "self_block": lambda: f"[[#^{rng.choice(own.blocks)}]]",
            "embed_note": lambda: f"![[{t.stem}]]",
            "embed_heading": lambda: f"![[{t.stem}#{heading}]]",
            "embed_image": lambda: f"![[{rng.choice(self.images)}|{rng.choice((200, 200, 320))}]]",
            "embed_pdf": lambda: f"![[{rng.choice(self.pdfs)}#page={rng.randint(1, 2)}]]",
            "markdown": lambda: self._markdown(rng, t, words),
            "path": lambda: f"[[{t.path[:-3]}]]",
            "alias": lambda: f"[[{rng.choice(t.aliases)}]]",
            "case": lambda: f"[[{t.stem.lower()}]]",
        }[kind]()
        return kind, text

    def _markdown(self, rng: random.Random, t: _Plan, words: str) -> str:
        """``[words](Some%20Note.md#heading)``: file name when unique, else the vault path."""
        name = t.path.rpartition("/")[2]
        target = name if t.stem.casefold() not in self.dup and rng.random() < 0.5 else t.path
        # the heading's slug (what kbgen's slugify gives), as Obsidian users write it
        frag = "#" + rng.choice(t.headings).lower().replace(" ", "-") if rng.random() < 0.6 else ""
        return f"[{words}]({quote(target)}{frag})"

    def _sentence(self, rng: random.Random, n: int) -> list[str]:
        words = rng.choices(WORDS, k=n)
        words[0] = words[0].capitalize()
        if n > 8 and rng.random() < 0.4:
            words[rng.randint(2, n - 3)] += ","
        words[-1] += "."
        return words

    def _sentences(self, rng: random.Random, n: int, slots: list[list[str]]) -> list[Part]:
        """``n`` words as sentences (each registered as a slot links can go into)."""
        parts: list[Part] = []
        while n > 0:
            m = min(n, rng.randint(6, 16))
            m = n if n - m < 4 else m
            slots.append(self._sentence(rng, m))
            parts += [" "] * bool(parts) + [slots[-1]]
            n -= m
        return parts

    def _fake(self, rng: random.Random) -> str:
        self.stats.links_fake += 1
        return f"[[{rng.choice(FAKE_NAMES)}]]"

    def _code(self, rng: random.Random) -> str:
        fence = "~~~" if rng.random() < 0.2 else "```"
        lines = [f"{fence}{rng.choice(['python', 'js', 'bash', 'text', ''])}"]
        for _ in range(rng.randint(2, 5)):
            a, b = rng.sample(WORDS, 2)
            line = rng.choice([f'{a} = "@"  # #{b}', f"{a}({b}, 42)", f"# {a} {b} @",
                               f"{a}_{b} = []"])
            lines.append(line.replace("@", self._fake(rng)) if "@" in line else line)
        return "\n".join(lines + [fence]) + "\n"

    def _frontmatter(self, rng: random.Random, plan: _Plan, related: str | None) -> str:
        lines = ["---", f"title: {plan.stem}"]
        aliases = [f"  - {a}" for a in plan.aliases]
        lines += ["aliases:", *aliases] if aliases else ["aliases: []"]
        lines += ["tags:"] + [f"  - {t}" for t in rng.sample(TAGS, rng.randint(1, 3))]
        lines += [f'related: "{related}"'] * bool(related) + ["---"]
        return "\n".join(lines) + "\n"

    def note_text(self, i: int) -> str:
        """The markdown of note ``i``; updates the link statistics."""
        plan, rng = self.plans[i], random.Random(f"{self.seed}/{i}/body")
        inline = list(self.forced.get(i, []))
        self.kinds["ambiguous"] += len(inline)
        related, standalone = None, []
        if plan.frontmatter and rng.random() < 0.3 and (t := self._pick(rng, "unique", i)):
            related = f"[[{t.stem}]]"
            self.kinds["frontmatter"] += 1
        kinds, weights = list(LINK_KINDS), list(LINK_KINDS.values())
        for _ in range(rng.randint(5, 15) - len(inline) - bool(related)):
            if rng.random() < MISSING_RATE:
                kind, name = "missing", rng.choice(self.missing)
                self.missing_used[name.casefold()] = None
                text = f"[[{name}]]" if rng.random() < 0.7 else f"[[{name}|{rng.choice(WORDS)}]]"
            else:
                kind, text = self._link(rng, rng.choices(kinds, weights)[0], i)
            self.kinds[kind] += 1
            (standalone if kind in STANDALONE else inline).append(text)
        inline += [f"#{t}" for t in rng.sample(TAGS, rng.randint(0, 3))]
        if rng.random() < 0.3:
            inline.append(f"`{self._fake(rng)}`")
        if rng.random() < 0.25:
            inline.append(f"%%{self._fake(rng)} {rng.choice(WORDS)}%%")

        slots: list[list[str]] = []
        blocks: list[list[Part]] = []
        for item in plan.skeleton:
            kind = item[0]
            if kind == "h":
                blocks.append(["#" * item[1], " ", item[2], "\n"])
            elif kind == "p":
                tail = [f" ^{item[2]}"] * bool(item[2]) + ["\n"]
                blocks.append(self._sentences(rng, item[1], slots) + tail)
            elif kind in ("ul", "ol"):
                parts: list[Part] = []
                for n, (depth, words, bid) in enumerate(item[1], 1):
                    parts += ["  " * depth, "- " if kind == "ul" else f"{n}. "]
                    parts += self._sentences(rng, words, slots) + [f" ^{bid}"] * bool(bid) + ["\n"]
                blocks.append(parts)
            elif kind == "table":
                _, rows, cols, bid = item
                cells = [[" ".join(rng.sample(WORDS, rng.randint(1, 2))) for _ in range(cols)]
                         for _ in range(rows)]
                lines = ["| " + " | ".join(w.capitalize() for w in rng.sample(WORDS, cols)) + " |",
                         "|" + " --- |" * cols] + ["| " + " | ".join(row) + " |" for row in cells]
                blocks.append(["\n".join(lines) + "\n" + (f"\n^{bid}\n" if bid else "")])
                self.stats.words += cols + sum(len(c.split()) for row in cells for c in row)
            elif kind == "code":
                blocks.append([self._code(rng)])
            else:
                sentence = " ".join(self._sentence(rng, rng.randint(5, 10)))
                blocks.append([f"%%\n{sentence} {self._fake(rng)}\n%%\n"])
        self.stats.words += sum(len(s) for s in slots)
        for text in inline:
            slot = rng.choice(slots)
            slot.insert(rng.randint(1, len(slot) - 1), text)
        for text in standalone:
            blocks.insert(rng.randint(1, len(blocks)), [text + "\n"])
        self.stats.frontmatter_notes += plan.frontmatter
        head = self._frontmatter(rng, plan, related) if plan.frontmatter else ""
        if not plan.frontmatter and rng.random() < 0.3:
            head = f"# {plan.stem}\n\n"
        return head + "\n".join("".join(p if isinstance(p, str) else " ".join(p) for p in block)
                                for block in blocks)

    def finish(self) -> GeneratedStats:
        st, kinds = self.stats, self.kinds
        st.links_real = sum(kinds.values())
        st.expected_missing, st.missing_names = kinds["missing"], len(self.missing_used)
        st.alias_links, st.ambiguous_links = kinds["alias"], kinds["ambiguous"]
        st.link_kinds = dict(sorted(kinds.items()))
        return st


def generate_vault(root: Path, n_notes: int, seed: int = 0, flat: bool = False) -> GeneratedStats:
    """Write an ``n_notes`` vault under ``root`` (which must be missing or empty).

    ``flat`` puts all notes in the root folder (attachments stay in ``attachments/``).
    """
    root = Path(root)
    if n_notes < 1:
        raise ValueError("n_notes must be >= 1")
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    gen = _Generator(n_notes, seed, flat)
    for i, plan in enumerate(gen.plans):
        data = gen.note_text(i).encode("utf-8")
        path = root / plan.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        gen.stats.bytes += len(data)
    attachments = root / "attachments"
    attachments.mkdir(parents=True, exist_ok=True)
    colors = random.Random(f"{seed}/attachments")
    for name in gen.images:
        (attachments / name).write_bytes(_png(tuple(colors.randrange(256) for _ in range(3))))
    for name in gen.pdfs:
        (attachments / name).write_bytes(_pdf(name))
    return gen.finish()


def main(argv: list[str] | None = None) -> int:
    """CLI: generate a vault and print its statistics."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", "--notes", type=int, default=1000, help="notes (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flat", action="store_true", help="all notes in the root folder")
    parser.add_argument("--force", action="store_true", help="delete OUT_DIR first if it exists")
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
    args = parser.parse_args(argv)
    return run_generator(args, lambda: generate_vault(args.out_dir, args.notes, args.seed, args.flat))


if __name__ == "__main__":
    sys.exit(main())
