"""The shared end of the vault generators' command lines: replace, generate, report."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from typing import Any


def run_generator(args: argparse.Namespace, generate: Callable[[], Any], width: int = 18) -> int:
    """``--force`` clears ``args.out_dir``; the stats print as JSON (``--json``) or aligned lines."""
    if args.force and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    try:
        stats = generate()
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc} (use --force to replace)", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(stats.to_dict(), indent=2))
    else:
        for name, value in stats.to_dict().items():
            print(f"{name:>{width}}: {value}")
    return 0
