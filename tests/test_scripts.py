"""scripts/build and scripts/test: pip runs only when pyproject.toml changed, apt waits for
another apt instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"


def stamp(workdir: Path, *commands: str) -> list[str]:
    """Run bash ``commands`` in ``workdir`` with install_stamp.sh sourced; their output lines."""
    script = f". {SCRIPTS / 'install_stamp.sh'}\n" + "\n".join(commands)
    done = subprocess.run(["bash", "-c", script], cwd=workdir, capture_output=True, text=True, check=True)
    return done.stdout.split()


def checkout(tmp: Path) -> Path:
    """A folder with a pyproject.toml and a .venv whose python is this one and whose kbgen exists."""
    (tmp / ".venv" / "bin").mkdir(parents=True)
    (tmp / ".venv" / "bin" / "python").symlink_to(sys.executable)
    kbgen = tmp / ".venv" / "bin" / "kbgen"
    kbgen.write_text("#!/bin/sh\n")
    kbgen.chmod(0o755)
    (tmp / "pyproject.toml").write_text('[project]\nname = "x"\n')
    return tmp


CHECK = 'install_is_current "$@" && echo yes || echo no'


def test_install_is_skipped_until_pyproject_changes(tmp_path: Path) -> None:
    repo = checkout(tmp_path)
    check = lambda *extras: stamp(repo, f"set -- {' '.join(extras)}", CHECK)[0]  # noqa: E731
    assert check(".") == "no"  # nothing installed yet
    stamp(repo, 'install_done "."')
    assert check(".") == "yes" and check("'.[test]'") == "no"  # the tests need their extras
    stamp(repo, "install_done '.[test]'")
    assert check(".", "'.[test]'") == "yes"  # a test install serves a build too
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["y"]\n')
    assert check("'.[test]'") == "no"  # a changed pyproject.toml installs again


def test_a_moved_checkout_or_a_missing_kbgen_installs_again(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "a")
    stamp(repo, 'install_done "."')
    moved = tmp_path / "b"
    os.rename(repo, moved)
    assert stamp(moved, "set -- .", CHECK) == ["no"]  # the editable install points at the old path
    stamp(moved, 'install_done "."')
    (moved / ".venv" / "bin" / "kbgen").unlink()
    assert stamp(moved, "set -- .", CHECK) == ["no"]


def test_scripts_use_the_stamp_and_apt_waits_for_the_lock() -> None:
    build = (SCRIPTS / "build").read_text(encoding="utf-8")
    test = (SCRIPTS / "test").read_text(encoding="utf-8")
    for script in (build, test):
        assert ". scripts/install_stamp.sh" in script and "install_is_current" in script
    assert "DPkg::Lock::Timeout" in test
    calls = [line.strip() for line in test.splitlines() if "apt-get " in line and not line.strip().startswith("#")]
    direct = [line for line in calls if "apt-get -o DPkg::Lock::Timeout" not in line and "echo" not in line]
    assert direct == []  # every apt-get goes through apt_get, which waits
