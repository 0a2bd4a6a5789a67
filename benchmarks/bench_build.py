#!/usr/bin/env python3
"""Time ``kbgen build`` on synthetic vaults, beside plain ``mkdocs build`` (material, prune).

    python benchmarks/bench_build.py [--sizes 1000,5000,10000] [--flat 5000] [--long]
                                     [--long-lines 60000] [--skip-mkdocs] [--keep-sites]
                                     [--command "{python} -m kbgen build {vault} -o {site}"]
                                     [--json FILE]

Per vault: ``kbgen build`` and, on a copy of the same notes with every wikilink
pre-converted into a relative markdown link (convert_links.py), plain ``mkdocs build``
with material (``navigation.prune``, ``font: false``, ``plugins: [search]``); the table
gives wall and CPU time, peak RSS, site size, pages and note-page sizes, and the
kbgen/bare wall-time ratio.  For the long-note vault (``--long``) it times ``kbgen
check`` against ``kbgen build``.  Each command runs in a fresh child process measured by
bench_check.measure.  Exit status 0 when every build succeeded and every target that
applies was met, else 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_check import (  # noqa: E402
    DEFAULT_COMMAND as CHECK_COMMAND, DEFAULT_OUT, REPO, child_env, command, ensure_vault, measure)
from convert_links import convert_vault  # noqa: E402

DEFAULT_COMMAND = "{python} -m kbgen build {vault} -o {site}"
DEFAULT_MKDOCS = "{python} -m mkdocs build -q -f {config}"
# Issue 8's targets (2 cores): (shape, notes) -> wall seconds, and the rest below.
TARGET_WALL_S = {("folders", 1000): 6.0, ("folders", 10000): 60.0, ("flat", 5000): 30.0}
TARGET_RSS_MIB = {("folders", 10000): 1024.0}
TARGET_GROWTH = (5000, 10000, 2.1)  # foldered 10k wall / 5k wall
TARGET_VS_BARE = 1.0  # kbgen wall / plain mkdocs wall, every vault
TARGET_VS_CHECK = 3.0  # long-note vault: build wall / check wall


def note_page(rel: str) -> str:
    """Where MkDocs (``use_directory_urls``) writes the page of vault note ``rel``."""
    stem = rel[:-3]
    folder, _, name = stem.rpartition("/")
    if name.lower() in ("index", "readme"):
        return f"{folder}/index.html" if folder else "index.html"
    return f"{stem}/index.html"


def site_stats(site: Path, notes: list[str]) -> dict:
    """Bytes, files and HTML pages under ``site``; sizes of the notes' own pages.

    ``notes`` are vault paths; a note page missing from the site is not counted in the
    median/max but shows in ``note_pages`` (found) against ``notes``.
    """
    files = [p for p in site.rglob("*") if p.is_file()] if site.is_dir() else []
    sizes = [(site / note_page(rel)).stat().st_size for rel in notes
             if (site / note_page(rel)).is_file()]
    return {"site_mb": sum(p.stat().st_size for p in files) / 1e6, "files": len(files),
            "pages": sum(p.suffix == ".html" for p in files), "notes": len(notes),
            "note_pages": len(sizes),
            "page_median_kb": statistics.median(sizes) / 1e3 if sizes else 0.0,
            "page_max_kb": max(sizes) / 1e3 if sizes else 0.0}


def mkdocs_config(folder: Path, docs: Path, site: Path) -> Path:
    """The baseline's mkdocs.yml in ``folder``: material, prune, no fonts, search only."""
    config = folder / "mkdocs.yml"
    lines = ["site_name: kbgen benchmark baseline", f"docs_dir: {json.dumps(str(docs))}",
             f"site_dir: {json.dumps(str(site))}", "theme:", "  name: material",
             "  font: false", "  features:", "    - navigation.prune", "plugins:", "  - search"]
    config.write_text("\n".join(lines) + "\n", "utf-8")
    return config


def ensure_converted(vault: Path, regenerate: bool = False) -> tuple[Path, dict]:
    """The cached copy of ``vault`` with links pre-converted (``md-<vault name>``), and stats.

    Keyed by the vault's own cache record (its generator fingerprint) and convert_links.py.
    """
    out, meta = vault.with_name("md-" + vault.name), vault.with_name("md-" + vault.name + ".json")
    source_meta = vault.with_name(vault.name + ".json")
    fingerprint = hashlib.sha256((HERE / "convert_links.py").read_bytes()
                                 + source_meta.read_bytes()).hexdigest()
    if not regenerate and meta.is_file() and out.is_dir():
        cached = json.loads(meta.read_text("utf-8"))
        if cached.get("fingerprint") == fingerprint:
            return out, cached["stats"]
    shutil.rmtree(out, ignore_errors=True)
    print(f"converting links of {vault.name} into {out} ...", file=sys.stderr, flush=True)
    stats = convert_vault(vault, out).to_dict()
    meta.write_text(json.dumps({"fingerprint": fingerprint, "stats": stats}, indent=1), "utf-8")
    return out, stats


def run(tool: str, argv: list[str], site: Path | None, notes: list[str]) -> dict:
    """Run one command into a clean output folder; return its figures.

    It runs in an empty temporary folder (with an empty build cache there: a cold build),
    so ``kbgen build`` finds no ``./mkdocs.yml``
    (the repository's own is for its notes/) and uses its built-in configuration, as
    for a new user; the repository is importable through PYTHONPATH (child_env).
    """
    if site is not None:
        shutil.rmtree(site, ignore_errors=True)
    print(f"$ {shlex.join(argv)}", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="kbgen-bench-cwd-") as cwd:
        # an empty build cache of its own: every build here is a first (cold) build
        m = measure(argv, cwd=Path(cwd), env=child_env() | {"KBGEN_CACHE_DIR": str(Path(cwd) / "cache")})
    if m.returncode != 0:
        tail = (m.stderr.strip() or m.stdout.strip())[-1500:]
        print("  exit {}:\n  {}".format(m.returncode, tail.replace("\n", "\n  ")), flush=True)
    row = {"tool": tool, "wall_s": m.wall_s, "cpu_s": m.cpu_s, "peak_rss_mib": m.peak_rss_mib,
           "maxrss_mib": m.maxrss_mib, "tree_rss_mib": m.tree_rss_mib,
           "returncode": m.returncode}
    if site is not None:
        row |= site_stats(site, notes)
    return row


def bench_vault(args: argparse.Namespace, shape: str, n: int) -> list[dict]:
    """kbgen (and the baseline, or ``kbgen check`` for the long note) on one vault."""
    vault, stats = ensure_vault(args.out, n, args.seed, args.regenerate, shape)
    key = f"{shape}-{n}"
    notes = sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.md"))
    rows: list[dict] = []
    if shape == "long":
        rows.append(run("check", command(args.check_command, vault=vault), None, notes))
    if not args.skip_kbgen:
        site = args.out / f"site-kbgen-{vault.name}"
        rows.append(run("kbgen", command(args.command, vault=vault, site=site), site, notes))
    if shape != "long" and not args.skip_mkdocs:
        docs, _ = ensure_converted(vault, args.regenerate)
        site = args.out / f"site-mkdocs-{vault.name}"
        with tempfile.TemporaryDirectory(prefix="kbgen-bench-") as tmp:
            config = mkdocs_config(Path(tmp), docs, site)
            rows.append(run("mkdocs", command(args.mkdocs_command, config=config), site, notes))
    if not args.keep_sites:
        for tool in ("kbgen", "mkdocs"):
            shutil.rmtree(args.out / f"site-{tool}-{vault.name}", ignore_errors=True)
    by_tool = {r["tool"]: r for r in rows}
    base = by_tool.get("mkdocs") or by_tool.get("check")
    for r in rows:
        r |= {"vault": key, "shape": shape, "size": n, "vault_stats": stats}
        if r["tool"] == "kbgen" and base and base["wall_s"] > 0 and base["returncode"] == 0:
            r["ratio"], r["ratio_to"] = r["wall_s"] / base["wall_s"], base["tool"]
    return rows


def targets(rows: list[dict], long_lines: int) -> list[dict]:
    """Issue 8's targets that the measured vaults allow checking."""
    kb = {(r["shape"], r["size"]): r for r in rows if r["tool"] == "kbgen"}
    out = []

    def add(name: str, value: float, limit: float, unit: str) -> None:
        out.append({"target": name, "value": value, "limit": limit, "unit": unit,
                    "ok": value <= limit})

    for (shape, n), limit in TARGET_WALL_S.items():
        if (shape, n) in kb:
            add(f"{shape} {n}: kbgen build wall", kb[shape, n]["wall_s"], limit, "s")
    for (shape, n), limit in TARGET_RSS_MIB.items():
        if (shape, n) in kb:
            add(f"{shape} {n}: kbgen build peak RSS", kb[shape, n]["peak_rss_mib"], limit, "MiB")
    small, big, limit = TARGET_GROWTH
    if ("folders", small) in kb and ("folders", big) in kb and kb["folders", small]["wall_s"]:
        add(f"folders {small} -> {big}: wall growth",
            kb["folders", big]["wall_s"] / kb["folders", small]["wall_s"], limit, "x")
    for (shape, n), r in kb.items():
        if "ratio" in r:
            limit = TARGET_VS_CHECK if shape == "long" else TARGET_VS_BARE
            what = "build / check" if shape == "long" else "kbgen / bare mkdocs"
            add(f"{shape} {n}: {what} wall", r["ratio"], limit, "x")
    if any(r["shape"] == "long" for r in rows) and long_lines != 60000:
        out.append({"target": f"note: the long-note target is set at 60000 lines "
                              f"(this run: {long_lines})", "ok": True})
    return out


def _num(value: float | None, fmt: str) -> str:
    return format(value, fmt) if isinstance(value, (int, float)) else "-"


def print_table(rows: list[dict], checks: list[dict]) -> None:
    """The human-readable table (see benchmarks/README.md for the columns)."""
    head = (f"{'vault':<14} {'tool':<6} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8} {'max1':>6} "
            f"{'site MB':>8} {'pages':>6} {'notes':>6} {'med KB':>7} {'max KB':>7} "
            f"{'ratio':>11} {'exit':>4}")
    print("\n" + head + "\n" + "-" * len(head))
    for r in rows:
        ratio = f"{r['ratio']:.2f}x {'bare' if r['ratio_to'] == 'mkdocs' else 'chk'}" \
            if "ratio" in r else "-"
        notes = f"{r['note_pages']}" if "note_pages" in r else "-"
        print(f"{r['vault']:<14} {r['tool']:<6} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f} "
              f"{r['peak_rss_mib']:>8.0f} {r['maxrss_mib']:>6.0f} {_num(r.get('site_mb'), '.1f'):>8} "
              f"{_num(r.get('pages'), 'd'):>6} {notes:>6} {_num(r.get('page_median_kb'), '.1f'):>7} "
              f"{_num(r.get('page_max_kb'), '.1f'):>7} {ratio:>11} {r['returncode']:>4}")
    for r in rows:
        if r["tool"] == "kbgen" and r["shape"] == "long" and "ratio" in r:
            s = r["vault_stats"]
            print(f"\nlong note: {s['lines']} lines, {s['links']} links ({s['links_missing']} to "
                  f"{s['missing_names']} missing notes), {s['real_notes']} small notes: "
                  f"kbgen build / kbgen check = {r['ratio']:.2f}x (target <= {TARGET_VS_CHECK:.0f})")
    if checks:
        print("\ntargets (issue 8):")
        for c in checks:
            if "value" in c:
                print(f"  {'ok  ' if c['ok'] else 'MISS'}  {c['target']}: {c['value']:.2f} {c['unit']}"
                      f" (<= {c['limit']:g})")
            else:
                print(f"        {c['target']}")


def _sizes(text: str) -> list[int]:
    return sorted({int(s) for s in text.split(",") if s.strip() and int(s) > 0})


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000",
                        help="foldered vault sizes, comma-separated ('' or 0: none)")
    parser.add_argument("--flat", default="5000", help="flat vault sizes ('' or 0: none)")
    parser.add_argument("--long", action="store_true", help="also the long-note vault")
    parser.add_argument("--long-lines", type=int,
                        help="lines of the long note (default 60000; links: twice as many); "
                             "implies --long")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--command", default=DEFAULT_COMMAND,
                        help="kbgen build command; {python}, {vault}, {site} are filled in "
                             f"(default: {DEFAULT_COMMAND!r}, run with NO_MKDOCS_2_WARNING=1)")
    parser.add_argument("--mkdocs-command", default=DEFAULT_MKDOCS,
                        help=f"baseline command, with {{config}} (default: {DEFAULT_MKDOCS!r})")
    parser.add_argument("--check-command", default=CHECK_COMMAND,
                        help=f"long-note check command (default: {CHECK_COMMAND!r})")
    parser.add_argument("--skip-kbgen", action="store_true")
    parser.add_argument("--skip-mkdocs", action="store_true", help="no plain-MkDocs baseline")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="vault cache and site output folder (default benchmarks/out)")
    parser.add_argument("--keep-sites", action="store_true",
                        help="keep the built sites (default: deleted after measuring)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached vaults")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    try:
        args.sizes, args.flat = _sizes(args.sizes), _sizes(args.flat)
    except ValueError:
        parser.error("--sizes and --flat take comma-separated integers")
    args.long = args.long or args.long_lines is not None
    args.long_lines = 60000 if args.long_lines is None else args.long_lines
    if args.long_lines < 2:
        parser.error("--long-lines must be at least 2")
    if not (args.sizes or args.flat or args.long):
        parser.error("nothing to build: give --sizes, --flat or --long")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    # Compile kbgen's bytecode and load the imports once, so no timed run pays for it.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "kbgen")], check=False,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-c", "import kbgen.cli, mkdocs.commands.build, material"],
                   check=False, env=child_env(), cwd=REPO)
    jobs = [("folders", n) for n in args.sizes] + [("flat", n) for n in args.flat]
    jobs += [("long", args.long_lines)] * args.long
    rows = [row for shape, n in jobs for row in bench_vault(args, shape, n)]
    checks = targets(rows, args.long_lines)
    print_table(rows, checks)
    failed = [r for r in rows if r["returncode"] != 0]
    missed = [c for c in checks if not c["ok"]]
    print("\n" + ("PASS" if not failed and not missed else
                  f"FAIL: {len(failed)} failed command(s), {len(missed)} target(s) missed"))
    if args.json:
        args.json.write_text(json.dumps({
            "command": args.command, "mkdocs_command": args.mkdocs_command,
            "check_command": args.check_command, "rows": rows, "targets": checks,
            "pass": not failed and not missed}, indent=1), "utf-8")
    return 0 if not failed and not missed else 1


if __name__ == "__main__":
    sys.exit(main())
