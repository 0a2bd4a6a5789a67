#!/usr/bin/env python3
"""Wall time and peak memory of ``kbgen check`` on synthetic vaults of several sizes.

    python benchmarks/bench_check.py [--sizes 1000,5000,10000] [--repeat 1]
                                     [--command "kbgen check {vault} --format json"]

Vaults are generated once and cached in ``benchmarks/out/`` (git-ignored; regenerated
when generate_vault.py changes).  Each run is the only child of a fresh small helper
process, which times it and reads its peak RSS from ``os.wait4`` (that process and the
descendants it waited for: the largest single process, with a floor of about 8 MiB);
on Linux the memory of the whole process tree is also sampled from /proc every 50 ms
(the sum of each process's PSS, so forked workers' shared pages count once), so worker
pools count in full.  Exit status: 0 PASS, 1 FAIL.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate_long_note import generate_long_note  # noqa: E402
from generate_vault import generate_vault  # noqa: E402

DEFAULT_OUT = HERE / "out"
DEFAULT_COMMAND = "{python} -m kbgen check {vault} --format json"
TARGET_WALL_S = 20.0  # for 10,000 notes
TARGET_RSS_MIB = 1024.0
TARGET_RATIO_SLACK = 1.1  # 10k/1k time ratio <= 11: at most 10 % worse than linear
EXPECTED_KEYS = {  # kbgen check JSON key -> GeneratedStats field a correct check matches
    "notes": "notes", "attachments": "attachments", "links": "links_real",
    "unresolved": "expected_missing", "alias_resolved": "alias_links",
    "ambiguous": "ambiguous_names", "heading_misses": None, "block_misses": None}


@dataclass
class Measurement:
    """One child process run."""

    argv: list[str]
    returncode: int
    wall_s: float
    maxrss_mib: float  # ru_maxrss from wait4: the largest single process
    tree_rss_mib: float  # sampled PSS sum over the process tree (0 where /proc is missing)
    stdout: str
    stderr: str
    cpu_s: float = 0.0  # user + sys of the command and the descendants it waited for

    @property
    def peak_rss_mib(self) -> float:
        return max(self.maxrss_mib, self.tree_rss_mib)


class _TreeSampler(threading.Thread):
    """Samples the summed PSS of all descendants of a process from /proc (Linux)."""

    # Reading smaps_rollup walks a process's whole address space (3.5 ms for 600 MB) and holds
    # its memory lock: every 50 ms over three processes that took a fifth of a core from the
    # build it measures.  A build's memory plateaus last seconds, so 0.25 s misses no peak.
    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()
        self.page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def _tree(self, pid: int) -> list[int]:
        pids, todo = [], [pid]
        while todo:
            p = todo.pop()
            pids.append(p)
            for task in Path(f"/proc/{p}/task").glob("*/children"):
                try:
                    todo += [int(c) for c in task.read_text().split()]
                except OSError:
                    pass
        return pids

    def _rss(self) -> int:
        """The tree's memory: the sum of each process's PSS (its private pages plus its share
        of pages shared with others, so a forked worker's copy-on-write pages are counted
        once, not once per process); RSS where the kernel gives no PSS."""
        total = 0
        for p in self._tree(self.pid)[1:]:  # the descendants, not the helper itself
            try:
                rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
                total += next(int(line.split()[1]) for line in rollup.splitlines()
                              if line.startswith("Pss:")) * 1024
            except (OSError, StopIteration, IndexError, ValueError):
                try:
                    total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * self.page
                except (OSError, IndexError, ValueError):
                    pass
        return total

    def run(self) -> None:
        if not Path("/proc/self/statm").exists():
            return
        while not self.done.is_set():
            self.peak = max(self.peak, self._rss())
            self.done.wait(self.interval)


# Runs in a fresh `python -S` (about 8 MiB): Linux carries the parent's RSS high-water
# mark into a child's ru_maxrss across fork/vfork + exec, so spawning the command from
# this (bigger) process would put a floor under the number.
_HELPER = r"""
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ)
except OSError as exc:
    sys.stderr.write(f"cannot run {argv[0]}: {exc}\n")
    sys.exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
with open(result, "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss} {wall!r} {cpu!r}")
"""


def measure(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
            ) -> Measurement:
    """Run ``argv`` to completion as the only child of a fresh helper; time it, read rusage."""
    with tempfile.TemporaryDirectory(prefix="kbgen-bench-") as tmp:
        result, out, err = Path(tmp, "result"), Path(tmp, "stdout"), Path(tmp, "stderr")
        with out.open("wb") as out_f, err.open("wb") as err_f:
            helper = subprocess.Popen([sys.executable, "-S", "-c", _HELPER, str(result), *argv],
                                      stdout=out_f, stderr=err_f, cwd=cwd, env=env,
                                      start_new_session=True)
            sampler = _TreeSampler(helper.pid)
            sampler.start()
            try:
                helper.wait()
            except BaseException:
                os.killpg(helper.pid, signal.SIGKILL)
                helper.wait()
                raise
            finally:
                sampler.done.set()
                sampler.join()
        stdout, stderr = (p.read_bytes().decode("utf-8", "replace") for p in (out, err))
        if not result.exists():
            return Measurement(argv, helper.returncode, 0.0, 0.0, 0.0, stdout, stderr)
        code, maxrss, wall, cpu = result.read_text().split()
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
    return Measurement(argv, int(code), float(wall), int(maxrss) * scale / 2**20,
                       sampler.peak / 2**20, stdout, stderr, float(cpu))


def child_env() -> dict[str, str]:
    """The environment for the child: this repo importable, MkDocs 2 notice off."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def command(template: str, **values: Path | str) -> list[str]:
    """``template`` split like a shell would, with ``{python}``, ``{vault}``... filled in.

    The vault is appended when the template does not mention ``{vault}``.
    """
    values = {"python": sys.executable, **values}
    argv = shlex.split(template)
    if "{vault}" not in template and "vault" in values:
        argv.append("{vault}")
    for name, value in values.items():
        argv = [arg.replace("{" + name + "}", str(value)) for arg in argv]
    return argv


SHAPES = {  # shape -> (cache name prefix, generator source files, what n counts)
    "folders": ("vault-", ("generate_vault.py",), "notes"),
    "flat": ("vault-flat-", ("generate_vault.py",), "notes"),
    "long": ("vault-long-", ("generate_long_note.py", "generate_vault.py"), "lines"),
}


def vault_name(shape: str, n: int, seed: int) -> str:
    """The cache folder name of a vault: ``vault-1000-s0``, ``vault-flat-…``, ``vault-long-…``."""
    return f"{SHAPES[shape][0]}{n}-s{seed}"


def ensure_vault(out_dir: Path, n: int, seed: int = 0, regenerate: bool = False,
                 shape: str = "folders") -> tuple[Path, dict]:
    """The cached vault (generated when missing or stale) and its stats.

    ``shape`` is ``folders`` (generate_vault.py), ``flat`` (the same, all notes in the
    root) or ``long`` (generate_long_note.py; ``n`` is then the long note's lines).
    """
    _, sources, unit = SHAPES[shape]
    vault = out_dir / vault_name(shape, n, seed)
    meta = vault.with_name(vault.name + ".json")
    fingerprint = hashlib.sha256(b"".join((HERE / f).read_bytes() for f in sources)).hexdigest()
    if not regenerate and meta.is_file() and vault.is_dir():
        cached = json.loads(meta.read_text("utf-8"))
        if cached.get("generator") == fingerprint:
            return vault, cached["stats"]
    shutil.rmtree(vault, ignore_errors=True)
    meta.unlink(missing_ok=True)
    print(f"generating a {shape} vault of {n} {unit} into {vault} ...", file=sys.stderr, flush=True)
    if shape == "long":
        stats = generate_long_note(vault, n, seed=seed).to_dict()
    else:
        stats = generate_vault(vault, n, seed, flat=shape == "flat").to_dict()
    meta.write_text(json.dumps({"generator": fingerprint, "stats": stats}, indent=1), "utf-8")
    return vault, stats


def sanity(report: dict, stats: dict) -> tuple[list[str], list[str]]:
    """(errors, notes): note count must equal N; other counts compared for information."""
    if not isinstance(report, dict):
        return [f"JSON is a {type(report).__name__}, not an object"], []
    errors, info = [], []
    if report.get("notes") != stats["notes"]:
        errors.append(f"notes = {report.get('notes')!r}, expected {stats['notes']}")
    for name, field in EXPECTED_KEYS.items():
        got = report.get(name)
        got = len(got) if isinstance(got, (list, dict)) else got
        want = stats[field] if field else 0
        if name != "notes" and got != want:
            info.append(f"{name} = {got!r} (generator expects {want})")
    return errors, info


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000", help="comma-separated note counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; fastest is kept")
    parser.add_argument("--command", default=DEFAULT_COMMAND,
                        help="command to time; {python}, {vault} are filled in "
                             f"(default: {DEFAULT_COMMAND!r})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="vault cache folder")
    parser.add_argument("--regenerate", action="store_true", help="rebuild cached vaults")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip the untimed first run (which compiles bytecode, fills caches)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows, problems = [], []
    vaults = {n: ensure_vault(args.out, n, args.seed, args.regenerate) for n in args.sizes}
    if not args.no_warmup:
        measure(command(args.command, vault=vaults[args.sizes[0]][0]), cwd=REPO, env=child_env())
    for n in args.sizes:
        vault, stats = vaults[n]
        argv_n = command(args.command, vault=vault)
        runs = [measure(argv_n, cwd=REPO, env=child_env()) for _ in range(args.repeat)]
        best = min(runs, key=lambda m: m.wall_s)
        peak = max(m.peak_rss_mib for m in runs)
        print(f"$ {shlex.join(argv_n)}\n  exit {best.returncode}, {best.wall_s:.2f} s, "
              f"maxrss {best.maxrss_mib:.0f} MiB, tree {best.tree_rss_mib:.0f} MiB", flush=True)
        try:
            report = json.loads(best.stdout)
        except json.JSONDecodeError as exc:
            report = None
            errors, info = [f"stdout is not JSON ({exc})"], []
            tail = (best.stderr.strip() or best.stdout.strip())[-800:]
            print("  " + tail.replace("\n", "\n  "), flush=True)
        else:
            errors, info = sanity(report, stats)
        for line in info:
            print(f"  note: {line}")
        problems += [f"{n} notes: {e}" for e in errors]
        rows.append({"notes": n, "md_mb": stats["bytes"] / 1e6, "wall_s": best.wall_s,
                     "peak_rss_mib": peak, "maxrss_mib": max(m.maxrss_mib for m in runs),
                     "tree_rss_mib": max(m.tree_rss_mib for m in runs),
                     "notes_per_s": n / best.wall_s, "returncode": best.returncode,
                     "report": report})

    print(f"\n{'notes':>7} {'MB md':>7} {'wall s':>8} {'peak RSS MiB':>13} {'notes/s':>9}")
    for r in rows:
        print(f"{r['notes']:>7} {r['md_mb']:>7.1f} {r['wall_s']:>8.2f} "
              f"{r['peak_rss_mib']:>13.0f} {r['notes_per_s']:>9.0f}")
    small, big = rows[0], rows[-1]
    ratio = big["wall_s"] / small["wall_s"] if len(rows) > 1 else None
    ratio_limit = TARGET_RATIO_SLACK * big["notes"] / small["notes"]
    if ratio is not None:
        print(f"{big['notes']}/{small['notes']} time ratio: {ratio:.2f} "
              f"(linear {big['notes'] / small['notes']:.1f}, limit {ratio_limit:.1f})")
        if ratio > ratio_limit:
            problems.append(f"time ratio {ratio:.2f} > {ratio_limit:.1f}")
    if big["wall_s"] > TARGET_WALL_S:
        problems.append(f"{big['notes']} notes: wall {big['wall_s']:.1f} s > {TARGET_WALL_S} s")
    if big["peak_rss_mib"] > TARGET_RSS_MIB:
        problems.append(f"{big['notes']} notes: peak RSS {big['peak_rss_mib']:.0f} MiB "
                        f"> {TARGET_RSS_MIB:.0f} MiB")
    if big["notes"] != 10000 or small["notes"] != 1000:
        print("note: the targets are defined for 10000 notes and the 10000/1000 ratio")
    verdict = "PASS" if not problems else "FAIL: " + "; ".join(problems)
    ratio_target = f", time ratio <= {ratio_limit:.1f}" if ratio is not None else ""
    print(f"{verdict}  (targets at the largest size: <= {TARGET_WALL_S:.0f} s wall, "
          f"<= {TARGET_RSS_MIB:.0f} MiB RSS{ratio_target})")
    if args.json:
        args.json.write_text(json.dumps({"command": args.command, "rows": rows, "ratio": ratio,
                                         "pass": not problems, "problems": problems},
                                        indent=1), "utf-8")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
