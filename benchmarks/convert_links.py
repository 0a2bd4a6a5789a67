#!/usr/bin/env python3
"""Copy a vault with its Obsidian links turned into relative markdown links.

    python benchmarks/convert_links.py VAULT OUT_DIR [--force]

For the plain-MkDocs baseline of bench_build.py: MkDocs does not know ``[[wikilinks]]``,
so without this it would render them as text and do less work than kbgen.  Outside
fenced and inline code (front matter is copied as it is):

- ``[[T]]``, ``[[T|x]]``, ``[[T#H]]``, ``[[T#^id]]`` -> ``[T](../rel/T.md#h)`` (the
  heading anchor as MkDocs' toc slugifies it; block ids have no anchor in MkDocs);
- ``![[T]]`` (a note embed) -> a link; ``![[img.png|200]]`` -> ``![img.png](rel)``;
  ``![[paper.pdf#page=2]]`` -> ``[paper.pdf](rel#page=2)``;
- ``[[#H]]`` -> ``[H](#h)``; ``[[#^id]]`` and links to notes that do not exist -> text;
- ``[x](Some%20Note.md#h)`` (Obsidian resolves these vault-wide) -> the relative path;
- ``%%comments%%`` are dropped (Obsidian and kbgen do not show them).

Names resolve by a simple lookup: a vault path (``.md`` optional), else a file name or
front-matter alias (case-insensitive; on a tie the shortest path, then the first in
order).  Not Obsidian's full rules, but every link it writes points to a file that exists.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import yaml
from markdown.extensions.toc import slugify  # what MkDocs' toc extension uses for ids

FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)
FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
INLINE = re.compile(
    r"(?P<comment>%%.*?%%)"
    r"|(?P<code>(?P<ticks>`+).*?(?P=ticks))"
    r"|(?P<embed>!?)\[\[(?P<body>[^\[\]\n]+)\]\]"
    r"|(?P<md>\[(?P<text>[^\[\]\n]*)\]\((?P<href>[^()\s]+)\))", re.S)
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp"}


@dataclass
class ConvertStats:
    """What the conversion did, for a sanity check against the generator's numbers."""

    notes: int = 0
    links: int = 0  # wikilinks and markdown links rewritten into links/images to files
    anchors: int = 0  # [[#Heading]] rewritten into same-page anchors
    missing: int = 0  # links whose target is not in the vault, left as their text
    block_refs: int = 0  # [[#^id]] (MkDocs has no block anchors), left as text
    comments: int = 0  # %%comments%% dropped

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


class NameIndex:
    """Vault path, file name and alias -> vault path (simple, deterministic lookup)."""

    def __init__(self, root: Path) -> None:
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        order = sorted(files, key=lambda f: (f.count("/"), len(f), f))  # shortest path first
        self.paths = {f.casefold(): f for f in files}
        self.names: dict[str, str] = {}
        for rel in order:
            name = rel.rpartition("/")[2]
            keys = [name, name[:-3]] if name.lower().endswith(".md") else [name]
            for key in keys:
                self.names.setdefault(key.casefold(), rel)
        for rel in order:
            if rel.lower().endswith(".md"):
                for alias in _aliases((root / rel).read_text("utf-8", "replace")):
                    self.names.setdefault(alias.casefold(), rel)

    def find(self, target: str, source: str) -> str | None:
        """The vault path ``target`` names, written in note ``source``; None when missing."""
        key = target.strip().casefold()
        if "/" in key:
            folder = source.rpartition("/")[0]
            relative = posixpath.normpath(posixpath.join(folder, key)) if folder else key
            for cand in (key, key + ".md", relative, relative + ".md"):
                if cand in self.paths:
                    return self.paths[cand]
            key = key.rpartition("/")[2]
        return self.names.get(key)


def _aliases(text: str) -> list[str]:
    match = FRONT_MATTER.match(text)
    try:
        meta = yaml.safe_load(match.group(0).strip().strip("-")) if match else None
    except yaml.YAMLError:
        return []
    aliases = meta.get("aliases") if isinstance(meta, dict) else None
    aliases = [aliases] if isinstance(aliases, str) else aliases
    return [a for a in aliases or [] if isinstance(a, str) and a.strip()]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


class _Converter:
    def __init__(self, index: NameIndex, stats: ConvertStats) -> None:
        self.index, self.stats = index, stats

    def href(self, source: str, target: str, anchor: str = "") -> str:
        folder = source.rpartition("/")[0] or "."
        return quote(posixpath.relpath(target, folder)) + anchor

    def wikilink(self, source: str, embed: bool, body: str) -> str:
        target, _, display = body.replace("\\|", "|").partition("|")  # [[T\\|x]] in tables
        name, _, sub = target.partition("#")
        text = display.strip() or target.strip()
        if not name.strip():  # [[#Heading]], [[#^id]]
            if sub and not sub.startswith("^"):
                self.stats.anchors += 1
                return f"[{_escape(text.lstrip('#'))}](#{slugify(sub.rpartition('#')[2], '-')})"
            self.stats.block_refs += 1
            return _escape(text.lstrip("#"))
        found = self.index.find(name, source)
        if found is None:
            self.stats.missing += 1
            return _escape(text)
        self.stats.links += 1
        ext = posixpath.splitext(found)[1].lower()
        if embed and ext in IMAGES:
            return f"![{_escape(name.strip())}]({self.href(source, found)})"
        if ext == ".md":
            anchor = "" if not sub or sub.startswith("^") else "#" + slugify(sub.rpartition("#")[2], "-")
        else:
            anchor = "#" + quote(sub, safe="=/") if sub else ""
        return f"[{_escape(text)}]({self.href(source, found, anchor)})"

    def markdown_link(self, source: str, text: str, href: str, raw: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href, re.I):
            return raw  # external, same-page or site-absolute: MkDocs handles or ignores it
        path, _, frag = href.partition("#")
        found = self.index.find(unquote(path), source)
        if found is None:
            self.stats.missing += 1
            return text
        self.stats.links += 1
        return f"[{text}]({self.href(source, found, '#' + frag if frag else '')})"

    def replace(self, source: str, match: re.Match[str]) -> str:
        if match.group("comment"):
            self.stats.comments += 1
            return ""
        if match.group("code"):
            return match.group(0)
        if match.group("body") is not None:
            return self.wikilink(source, bool(match.group("embed")), match.group("body"))
        return self.markdown_link(source, match.group("text"), match.group("href"), match.group(0))

    def convert(self, source: str, text: str) -> str:
        """The note ``source`` (vault path) with its links converted."""
        head = FRONT_MATTER.match(text)
        start = head.end() if head else 0
        out, prose, fence = [text[:start]], [], ""
        for line in text[start:].splitlines(keepends=True):
            opener = FENCE_OPEN.match(line)
            if fence:
                out.append(line)
                if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                        and not line.strip().strip(fence[0]):
                    fence = ""
            elif opener:
                out.append(self._prose(source, prose))
                prose, fence = [], opener.group(1)
                out.append(line)
            else:
                prose.append(line)
        out.append(self._prose(source, prose))
        return "".join(out)

    def _prose(self, source: str, lines: list[str]) -> str:
        """Links converted in a run of lines outside fenced code (comments may span lines)."""
        return INLINE.sub(lambda m: self.replace(source, m), "".join(lines))


def convert_vault(src: Path, dst: Path) -> ConvertStats:
    """Write a copy of vault ``src`` into ``dst`` (missing or empty) with links converted."""
    src, dst = Path(src), Path(dst)
    if dst.exists() and any(dst.iterdir()):
        raise FileExistsError(f"{dst} is not empty")
    stats = ConvertStats()
    converter = _Converter(NameIndex(src), stats)
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        out = dst / rel
        if path.is_dir():
            out.mkdir(parents=True, exist_ok=True)
        elif rel.lower().endswith(".md"):
            out.parent.mkdir(parents=True, exist_ok=True)
            text = path.read_text("utf-8", "replace")
            out.write_text(converter.convert(rel, text), "utf-8")
            stats.notes += 1
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--force", action="store_true", help="delete OUT_DIR first if it exists")
    args = parser.parse_args(argv)
    if args.force and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    try:
        stats = convert_vault(args.vault, args.out_dir)
    except FileExistsError as exc:
        print(f"error: {exc} (use --force to replace)", file=sys.stderr)
        return 2
    print(" ".join(f"{k}={v}" for k, v in stats.to_dict().items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
