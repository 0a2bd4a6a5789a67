"""Cache entries on disk: one file per entry, checked when read, safe to delete.

An entry is ``<dir>/<namespace>/<k[:2]>/<k[2:]>`` where ``k`` digests the caller's key
together with the *salt* (kbgen's code and the settings that shape the output), so a
new kbgen version or another configuration simply misses.  Each file starts with a
magic string and the payload's digest: a damaged or truncated entry is dropped with a
notice, never trusted.  Writes go to a temporary file renamed into place, so a killed
build leaves no half-written entry.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import kbgen
from kbgen.model import Finding

MAGIC = b"kbgen-cache-1\n"
COMPLETE = ".complete"
_DIGEST = 32


def code_salt() -> str:
    """kbgen's version and a digest of its own files (code, templates, assets), so a
    changed kbgen never reads entries an older one wrote."""
    package = Path(kbgen.__file__).parent
    h = hashlib.sha256(f"{kbgen.__version__}|{sys.version_info[:2]}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def link_or_copy(source: str, target: str) -> None:
    """A hard link where the file system allows one (no bytes copied; the files are never
    changed in place, only replaced or removed), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def default_cache_dir(vault: Path) -> Path:
    """``<base>/<vault name>-<digest of its path>``: one folder per vault, outside the vault
    and the site.  ``<base>`` is ``$KBGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/kbgen``
    (``~/.cache/kbgen``): the folder to keep between CI runs."""
    base = os.environ.get("KBGEN_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kbgen"
    vault = Path(vault).resolve()
    return Path(base) / f"{vault.name or 'vault'}-{hashlib.sha256(str(vault).encode()).hexdigest()[:12]}"


@dataclass
class CacheStore:
    """Entries under ``root`` for one salt."""

    root: Path
    salt: str
    findings: list[Finding] = field(default_factory=list)
    hits: int = 0
    misses: int = 0
    _used: dict[str, set[str]] = field(default_factory=dict, repr=False)
    # writes waiting for the writer thread; bounded, so a slow disk slows the build down
    # instead of piling entries up in memory
    _queue: queue.Queue[tuple[Path, bytes]] = field(default_factory=lambda: queue.Queue(maxsize=256), repr=False)
    _writer: threading.Thread | None = field(default=None, repr=False)
    _pending: dict[Path, bytes] = field(default_factory=dict, repr=False)  # put, not yet on disk
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _hit_namespaces: set[str] = field(default_factory=set, repr=False)

    def _name(self, namespace: str, key: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{namespace}\0{key}".encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, namespace: str, name: str) -> Path:
        return self.root / namespace / name[:2] / name[2:]

    def _use(self, namespace: str, key: str) -> Path:
        """The entry's path, counted as used by this build (``prune`` keeps it)."""
        name = self._name(namespace, key)
        self._used.setdefault(namespace, set()).add(name)
        return self._path(namespace, name)

    def get(self, namespace: str, key: str) -> bytes | None:
        path = self._use(namespace, key)
        with self._lock:
            pending = self._pending.get(path)
        if pending is not None:
            self.hits += 1
            self._hit_namespaces.add(namespace)
            return pending
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        payload = data[len(MAGIC) + _DIGEST:]
        if not data.startswith(MAGIC) or hashlib.sha256(payload).digest() != data[len(MAGIC):len(MAGIC) + _DIGEST]:
            self.damaged(path, "its checksum does not match")
            return None
        self.hits += 1
        self._hit_namespaces.add(namespace)
        return payload

    def has(self, namespace: str, key: str) -> bool:
        """Whether an entry is stored (not read, not checked: ``get`` does that); counts as used."""
        path = self._use(namespace, key)
        with self._lock:
            if path in self._pending:
                return True
        return path.is_file()

    def damaged(self, path: Path | str, why: str) -> None:
        """Drop an entry that cannot be used, with a notice (the build goes on without it)."""
        self.misses += 1
        self.findings.append(Finding(str(path), None, "cache", f"damaged cache entry ignored and removed: {why}"))
        try:
            Path(path).unlink()
        except OSError:
            pass

    def entry_path(self, namespace: str, key: str) -> Path:
        return self._path(namespace, self._name(namespace, key))

    def put(self, namespace: str, key: str, payload: bytes) -> None:
        """Store an entry; the file is written by a background thread (``flush`` waits),
        so writing the cache overlaps the build's own work."""
        path = self._use(namespace, key)
        with self._lock:
            self._pending[path] = payload
        if self._writer is None or not self._writer.is_alive():
            self._writer = threading.Thread(target=self._write_queued, name="kbgen cache writer", daemon=True)
            self._writer.start()
        self._queue.put((path, payload))

    def flush(self) -> None:
        """Wait until every entry put so far is on disk."""
        self._queue.join()

    def _write_queued(self) -> None:
        while True:
            path, payload = self._queue.get()
            try:
                self._write(path, payload)
            finally:
                with self._lock:
                    if self._pending.get(path) is payload:
                        del self._pending[path]
                self._queue.task_done()

    def _write(self, path: Path, payload: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temp.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(temp, path)
        except OSError as error:  # a full or read-only disk costs speed, never the build
            self.findings.append(Finding(str(path), None, "cache", f"cannot write the cache: {error.strerror}"))

    def folder(self, namespace: str, key: str) -> Path | None:
        """A stored folder (``put_folder``), or None."""
        path = self._use(namespace, key)
        if (path / COMPLETE).is_file():
            self.hits += 1
            return path
        self.misses += 1
        return None

    def put_folder(self, namespace: str, key: str, source: Path) -> None:
        """Keep a copy of the folder ``source`` (a marker file, written last, says it is whole)."""
        path = self._use(namespace, key)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            shutil.rmtree(temp, ignore_errors=True)
            shutil.copytree(source, temp, copy_function=link_or_copy)
            (temp / COMPLETE).write_bytes(b"")
            shutil.rmtree(path, ignore_errors=True)
            os.replace(temp, path)
        except OSError as error:
            shutil.rmtree(temp, ignore_errors=True)
            self.findings.append(Finding(str(path), None, "cache", f"cannot write the cache: {error.strerror}"))

    def prune(self) -> int:
        """Remove every entry this build did not use (in any namespace): the cache holds one
        build's worth, not every version of every note ever seen."""
        self.flush()
        if not self.root.is_dir():
            return 0
        return sum(self._prune(folder) for folder in self.root.iterdir() if folder.is_dir())

    def _prune(self, folder: Path) -> int:
        used = self._used.get(folder.name, set())
        removed = 0
        for sub in folder.iterdir():
            for entry in sub.iterdir() if sub.is_dir() else ():
                if sub.name + entry.name not in used:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
                    removed += 1
        return removed

    def used_before(self, namespace: str) -> bool:
        """Whether an earlier build (of this kbgen, these settings) stored any entry in
        ``namespace`` that this build found."""
        return namespace in self._hit_namespaces

    def forget_use(self) -> None:
        """Start counting what the next build uses (``kbgen serve`` builds many times)."""
        self._used.clear()
        self._hit_namespaces.clear()
        self.findings.clear()
        self.hits = self.misses = 0
