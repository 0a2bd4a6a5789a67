#!/usr/bin/env python3
"""Time ``kbgen build`` on a synthetic vault, next to plain ``mkdocs build`` (material theme).

    python benchmarks/bench_build.py [--size 1000] [--skip-mkdocs]
                                     [--command "kbgen build {vault} -o {site}"]

The plain MkDocs baseline builds the same notes with a minimal temporary mkdocs.yml
(docs_dir = the vault, theme material with ``font: false``, no kbgen plugin), so
wikilinks stay plain text there: it shows what MkDocs itself costs.  Each build is a
fresh child process measured like bench_check.py (wall time, peak RSS); the site
size is the total of the files left in the output folder.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_check import DEFAULT_OUT, REPO, child_env, command, ensure_vault, measure  # noqa: E402

DEFAULT_COMMAND = "{python} -m kbgen build {vault} -o {site}"
DEFAULT_MKDOCS = "{python} -m mkdocs build -q -f {config}"


def site_size(site: Path) -> tuple[float, int]:
    """(MB, number of files) under ``site``; (0, 0) when it does not exist."""
    files = [p for p in site.rglob("*") if p.is_file()] if site.is_dir() else []
    return sum(p.stat().st_size for p in files) / 1e6, len(files)


def mkdocs_config(folder: Path, vault: Path, site: Path) -> Path:
    """A minimal mkdocs.yml in ``folder`` building ``vault`` into ``site``."""
    config = folder / "mkdocs.yml"
    lines = ["site_name: kbgen benchmark baseline", f"docs_dir: {json.dumps(str(vault))}",
             f"site_dir: {json.dumps(str(site))}", "theme:", "  name: material", "  font: false"]
    config.write_text("\n".join(lines) + "\n", "utf-8")
    return config


def run_build(name: str, argv: list[str], site: Path) -> dict:
    """Build once from a clean output folder; print and return the numbers."""
    shutil.rmtree(site, ignore_errors=True)
    print(f"$ {shlex.join(argv)}", flush=True)
    m = measure(argv, cwd=REPO, env=child_env())
    mb, files = site_size(site)
    if m.returncode != 0:
        tail = (m.stderr.strip() or m.stdout.strip())[-1500:]
        print("  exit {}:\n  {}".format(m.returncode, tail.replace("\n", "\n  ")), flush=True)
    return {"tool": name, "wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib,
            "maxrss_mib": m.maxrss_mib, "tree_rss_mib": m.tree_rss_mib, "site_mb": mb,
            "files": files, "returncode": m.returncode}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="notes in the vault (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--command", default=DEFAULT_COMMAND,
                        help=f"kbgen build command; {{python}}, {{vault}}, {{site}} are filled in "
                             f"(default: {DEFAULT_COMMAND!r})")
    parser.add_argument("--mkdocs-command", default=DEFAULT_MKDOCS,
                        help=f"baseline command, with {{config}} (default: {DEFAULT_MKDOCS!r})")
    parser.add_argument("--skip-kbgen", action="store_true")
    parser.add_argument("--skip-mkdocs", action="store_true")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="vault cache and site output folder")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached vault")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("--size must be positive")

    args.out.mkdir(parents=True, exist_ok=True)
    vault, stats = ensure_vault(args.out, args.size, args.seed, args.regenerate)
    # Compile kbgen's bytecode first so the timed build does not pay for it.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "kbgen")], check=False,
                   stdout=subprocess.DEVNULL)
    rows = []
    if not args.skip_kbgen:
        site = args.out / f"site-kbgen-{args.size}"
        rows.append(run_build("kbgen", command(args.command, vault=vault, site=site), site))
    if not args.skip_mkdocs:
        site = args.out / f"site-mkdocs-{args.size}"
        with tempfile.TemporaryDirectory(prefix="kbgen-bench-") as tmp:
            config = mkdocs_config(Path(tmp), vault, site)
            rows.append(run_build("mkdocs", command(args.mkdocs_command, config=config), site))

    print(f"\n{stats['notes']} notes, {stats['bytes'] / 1e6:.1f} MB markdown, "
          f"{stats['attachments']} attachments")
    print(f"{'tool':<8} {'wall s':>8} {'peak RSS MiB':>13} {'site MB':>8} {'files':>7} "
          f"{'notes/s':>8} {'exit':>5}")
    for r in rows:
        print(f"{r['tool']:<8} {r['wall_s']:>8.2f} {r['peak_rss_mib']:>13.0f} {r['site_mb']:>8.1f} "
              f"{r['files']:>7} {stats['notes'] / r['wall_s']:>8.0f} {r['returncode']:>5}")
    if len(rows) == 2 and all(r["returncode"] == 0 for r in rows):
        print(f"kbgen / mkdocs wall time: {rows[0]['wall_s'] / rows[1]['wall_s']:.2f}x")
    if args.json:
        args.json.write_text(json.dumps({"size": args.size, "rows": rows}, indent=1), "utf-8")
    return 0 if all(r["returncode"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
