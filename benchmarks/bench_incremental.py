#!/usr/bin/env python3
"""Incremental builds: cold, warm, one edit, and edit-to-reload in ``kbgen serve``.

    python benchmarks/bench_incremental.py [--sizes 1000,10000] [--out DIR] [--json FILE]

Per synthetic vault (generate_vault.py, foldered), on a working copy with one reading
list added:

- ``cold``: ``kbgen build`` with an empty build cache (it stores parsed notes and search
  shards, but records no reads, which costs a third more rendering, and stores no layouts);
- ``second``: the same again, nothing changed (parsed notes reused; page bodies are
  rendered once more, recording what each reads, and stored with their layouts);
- ``warm``: the same again, nothing changed;
- ``one edit (CI)``: one note's text changed, built into a *fresh* site folder with the
  cache of the previous build (what a CI run with ``actions/cache`` does), as a share of
  the cold build;
- ``serve``: ``kbgen serve`` started on the same cache; for each kind of edit the time
  from the save until the live-reload poll of an open page answers (the moment the
  browser reloads), and whether the page then shows the edit.

Builds run as child processes (wall time, CPU, peak memory of the process tree via
bench_check.measure).  Prints a table; exit 0 when every build succeeded.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import child_env, ensure_vault, measure  # noqa: E402

READING = ("# Bench Reading\n\n"
           "- *cult*: \"Deep Learning\" [Ian Goodfellow; book; 2016](https://www.deeplearningbook.org/)\n"
           "- *introductionary*: \"Grokking Algorithms\" [Aditya Bhargava; book; 2016](https://example.org/g)\n")
RELOAD_TIMEOUT = 600.0


@dataclass
class Row:
    vault: str
    step: str
    seconds: float
    cpu_s: float | None = None
    peak_mib: float | None = None
    note: str = ""


def _kbgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "kbgen.cli", *args]


def _build(work: Path, site: Path, env: dict[str, str], rows: list[Row], label: str, step: str) -> float:
    shutil.rmtree(site, ignore_errors=True)
    m = measure(_kbgen("build", str(work), "-o", str(site)), env=env)
    if m.returncode != 0:
        raise SystemExit(f"{step} failed: {m.stderr[-2000:]}")
    reused = re.search(r"build cache: (\d+) of (\d+)", m.stdout)
    note = f"{reused.group(1)} of {reused.group(2)} bodies reused" if reused else ""
    rows.append(Row(label, step, m.wall_s, m.cpu_s, m.tree_rss_mib, note))
    print(f"  {step}: {m.wall_s:.2f} s {note}", file=sys.stderr, flush=True)
    return m.wall_s


def _page_url(base: str, rel: str) -> str:
    stem = rel[:-3]
    return base + quote(stem) + "/"


def _get(url: str, timeout: float = 30.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local server
        return response.read().decode("utf-8")


def _epoch(page: str) -> int:
    found = re.search(r"livereload\((\d+), \d+\)", page)
    assert found, "no live-reload script in the served page"
    return int(found.group(1))


def _edits(work: Path, notes: list[str]) -> list[tuple[str, Callable[[], None], str, str]]:
    """(kind, make the edit, page to look at, text it then shows)."""
    a, b, c = notes[3], notes[7], notes[11]
    b_stem = Path(b).stem
    a_path, c_path = work / a, work / c
    a_text = a_path.read_text(encoding="utf-8")
    heading = re.search(r"^## (.+)$", c_path.read_text(encoding="utf-8"), re.M)
    assert heading, f"{c} has no ## heading"
    old_heading = heading.group(1)

    def write(path: Path, text: str) -> Callable[[], None]:
        return lambda: path.write_text(text, encoding="utf-8")

    def replace(path: Path, old: str, new: str) -> Callable[[], None]:
        return lambda: path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    new_note = work / "Bench New Note.md"
    return [
        ("add a link", write(a_path, a_text + f"\n\nBench link to [[{b_stem}]].\n"), b, Path(a).stem),
        ("remove a link", write(a_path, a_text), a, ""),
        ("rename a heading", replace(c_path, f"## {old_heading}", f"## {old_heading} Renamed"), c,
         f"{old_heading} Renamed"),
        ("change tags", write(a_path, a_text + "\n\n#benchtag/edited\n"), a, "benchtag/edited"),
        ("change a reading entry", replace(work / "Bench Reading.md", "*introductionary*: \"Grokking",
                                           "*cult*: \"Grokking"), "Bench Reading.md", "Grokking"),
        ("create a note", write(new_note, f"# Bench New Note\n\nLinks to [[{b_stem}]].\n"), "Bench New Note.md",
         "Bench New Note"),
        ("delete a note", new_note.unlink, b, ""),
    ]


def _serve(work: Path, notes: list[str], env: dict[str, str], rows: list[Row], label: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    start = time.monotonic()
    log = (work.parent / "serve.log").open("wb")  # thousands of notices: never a pipe that could fill
    process = subprocess.Popen(_kbgen("serve", str(work), "-a", f"127.0.0.1:{port}"), env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                _get(base, timeout=5)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() - start > RELOAD_TIMEOUT:
                    raise SystemExit("kbgen serve did not start") from None
                time.sleep(0.2)
        rows.append(Row(label, "serve: first build (warm cache)", time.monotonic() - start))
        print(f"  serve started in {time.monotonic() - start:.2f} s", file=sys.stderr, flush=True)
        for kind, edit, page, expect in _edits(work, notes):
            epoch = _epoch(_get(base))
            answered: list[float] = []

            def poll(epoch: int = epoch) -> None:
                _get(f"{base}livereload/{epoch}/1", timeout=RELOAD_TIMEOUT)
                answered.append(time.monotonic())

            waiter = threading.Thread(target=poll)
            waiter.start()
            time.sleep(0.3)  # the poll is waiting, as an open page's is
            saved = time.monotonic()
            edit()
            waiter.join(RELOAD_TIMEOUT)
            seconds = answered[0] - saved if answered else float("nan")
            shown = True
            if expect:
                try:
                    shown = expect in _get(_page_url(base, page))
                except OSError:
                    shown = False
            rows.append(Row(label, f"serve: {kind}", seconds, note="edit shown" if shown else "EDIT NOT SHOWN"))
            print(f"  serve {kind}: {seconds:.2f} s{'' if shown else ' (edit not shown!)'}", file=sys.stderr,
                  flush=True)
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def bench(size: int, out: Path) -> list[Row]:
    vault, _ = ensure_vault(out, size)
    label = f"{size:,} notes"
    scratch = Path(tempfile.mkdtemp(prefix="kbgen-incr-", dir=out))
    try:
        work = scratch / "vault"
        shutil.copytree(vault, work)
        (work / "Bench Reading.md").write_text(READING, encoding="utf-8")
        notes = sorted(p.relative_to(work).as_posix() for p in work.rglob("*.md"))
        env = child_env() | {"KBGEN_CACHE_DIR": str(scratch / "cache")}
        rows: list[Row] = []
        print(f"{label}:", file=sys.stderr, flush=True)
        cold = _build(work, scratch / "site", env, rows, label, "cold build (empty cache)")
        _build(work, scratch / "site", env, rows, label, "second build (records what pages read)")
        _build(work, scratch / "site", env, rows, label, "warm build, no change")
        edited = work / notes[5]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n\nOne more line.\n", encoding="utf-8")
        one = _build(work, scratch / "site-ci", env, rows, label, "one edit, fresh site folder (CI)")
        rows[-1].note += f"; {one / cold:.0%} of cold"
        _serve(work, notes, env, rows, label)
        return rows
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "kbgen-bench")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [row for size in map(int, args.sizes.split(",")) for row in bench(size, args.out)]
    print(f"| vault | step | wall s | CPU s | peak MiB (tree) | note |\n|---|---|---|---|---|---|")
    for r in rows:
        cpu = f"{r.cpu_s:.1f}" if r.cpu_s is not None else ""
        peak = f"{r.peak_mib:.0f}" if r.peak_mib is not None else ""
        print(f"| {r.vault} | {r.step} | {r.seconds:.2f} | {cpu} | {peak} | {r.note} |")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
