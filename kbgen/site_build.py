"""``kbgen build`` and ``kbgen serve``: run MkDocs (with the kbgen plugin) over a vault.

A build goes into a temporary folder beside the site (``.site.tmp-<pid>``) and is
swapped into place only when it succeeded, so a failed build (``--strict`` with
warnings, a bad config, a crash, even ``kill -9``) leaves the previous site untouched;
the next build clears what a killed one left behind (``clean_stale``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from watchdog import events
from watchdog.observers import Observer

log = logging.getLogger("mkdocs.kbgen.serve")
DEFAULT_CONFIG = Path(__file__).with_name("default_mkdocs.yml")
PLUGIN = "kbgen"
_SITE_MARKERS = ("index.html", "404.html", "sitemap.xml")


class SiteDirError(click.ClickException):
    """The site folder is unsafe to (re)write: it is, holds, or lies inside the vault."""


@dataclass(slots=True)
class BuildResult:
    ok: bool
    site_dir: Path
    message: str
    findings_count: int = 0
    pages: int = 0
    seconds: float = 0.0
    reused: int = 0  # page bodies taken from the build cache


def check_site_dir(vault: Path, site_dir: Path) -> None:
    """Refuse a site folder that would overwrite notes or something that is not a site."""
    vault, site = vault.resolve(), site_dir.resolve()
    if site == vault or site.is_relative_to(vault) or vault.is_relative_to(site):
        raise SiteDirError(f"refusing to build into {site_dir}: it is, holds, or lies inside the vault {vault}")
    if site.exists() and not site.is_dir():
        raise SiteDirError(f"refusing to build into {site_dir}: it is a file")
    if site.is_dir() and any(site.iterdir()) and not any((site / m).exists() for m in _SITE_MARKERS):
        raise SiteDirError(f"refusing to replace {site_dir}: not empty and not a built site")


@dataclass(frozen=True, slots=True)
class CacheChoice:
    """``kbgen build --no-cache`` / ``--cache-dir``: None keeps what mkdocs.yml says."""

    enabled: bool | None = None
    folder: Path | None = None


def load_site_config(vault: Path, config_file: Path | None, cache: CacheChoice = CacheChoice(),
                     **options: object) -> MkDocsConfig:
    """``config_file`` (or kbgen's built-in one) with ``docs_dir`` set to the vault."""
    config = load_config(
        config_file=str(config_file or DEFAULT_CONFIG), docs_dir=str(vault.resolve()), **options
    )
    if PLUGIN not in config.plugins:
        raise MkDocsException(f"{config.config_file_path}: add '{PLUGIN}' to 'plugins' to build notes with kbgen")
    plugin_options = config.plugins[PLUGIN].config
    if cache.enabled is not None:
        plugin_options["cache"] = cache.enabled
    if cache.folder is not None:
        plugin_options["cache_dir"] = str(Path(cache.folder).resolve())
    return config


@contextlib.contextmanager
def mkdocs_logging(level: int = logging.WARNING) -> Iterator[None]:
    """Print MkDocs' messages (``WARNING -  path:line: message``) when nobody else does."""
    logger = logging.getLogger("mkdocs")
    if logger.handlers:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(level)
    old_level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > level:
        logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_stale(site: Path) -> list[Path]:
    """Tidy what killed builds left beside ``site``; returns what was removed or restored.

    ``.<site>.tmp-<pid>`` of a dead build is removed.  ``.<site>.old-<pid>`` (the previous
    site, renamed aside an instant before the swap) is put back when no site is in place,
    else removed.  Leftovers of a build still running (live pid) are not touched.
    """
    if not site.parent.is_dir():
        return []
    handled = []
    prefix = f".{site.name}."
    for leftover in sorted(site.parent.iterdir()):
        kind, dash, pid = leftover.name[len(prefix):].partition("-")
        if (not leftover.name.startswith(prefix) or kind not in ("tmp", "old") or not dash
                or not pid.isdigit() or _pid_alive(int(pid))):
            continue
        if kind == "old" and not site.exists() and not site.is_symlink():
            leftover.rename(site)
        else:
            _remove(leftover)
        handled.append(leftover)
    return handled


def _swap(new: Path, site: Path) -> None:
    """Put ``new`` where ``site`` is; the old site is renamed aside, then removed."""
    aside = site.parent / f".{site.name}.old-{os.getpid()}"
    _remove(aside)
    if site.exists():
        site.rename(aside)
    try:
        new.rename(site)
    except BaseException:
        if aside.exists() and not site.exists():
            aside.rename(site)
        raise
    _remove(aside)


def build_site(vault: Path | None, site_dir: Path, config_file: Path | None = None,
               strict: bool = False, cache: CacheChoice = CacheChoice()) -> BuildResult:
    """Build ``vault`` into ``site_dir``; on any failure ``site_dir`` is left as it was.

    ``vault=None`` takes ``docs_dir`` from ``config_file``.  ``strict`` makes every
    MkDocs warning (each vault finding is one) fail the build, after all are printed.
    Raises ``SiteDirError`` for an unsafe ``site_dir``, before anything is written.
    """
    site = Path(site_dir).resolve()
    if vault is None:
        vault = Path(load_config(config_file=str(config_file or DEFAULT_CONFIG)).docs_dir)
    check_site_dir(vault, site)
    clean_stale(site)
    temp = site.parent / f".{site.name}.tmp-{os.getpid()}"
    _remove(temp)
    site.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    try:
        with mkdocs_logging():
            config = load_site_config(vault, config_file, cache, site_dir=str(temp), strict=strict)
            build(config)
    except MkDocsException as error:  # includes Abort (strict warnings, config errors)
        _remove(temp)
        return BuildResult(False, site, f"build failed, {site_dir} left unchanged: {error.format_message()}")
    except BaseException:
        _remove(temp)
        raise
    _swap(temp, site)
    plugin = config.plugins[PLUGIN]
    seconds = time.monotonic() - start
    findings = getattr(plugin, "findings_count", 0)
    pages = getattr(plugin, "pages_rendered", 0)
    notices = getattr(plugin, "notices_count", 0)
    left_out = getattr(plugin, "unpublished_count", 0)
    stats = getattr(plugin, "stats", None)
    cached = (f"; build cache: {stats.reused} of {stats.pages} page bodies reused"
              if stats is not None and getattr(plugin, "_cache", None) is not None else "")
    message = (f"built {pages} pages into {site_dir} in {seconds:.2f} s, {left_out} unpublished note(s) left out "
               f"({findings - notices} warning(s), "
               f"{notices} notice(s) such as links to notes not written yet: `kbgen check` lists them all){cached}")
    return BuildResult(True, site, message, findings, pages, seconds, stats.reused if cached else 0)


def serve_site(vault: Path, config_file: Path | None = None, dev_addr: str = "127.0.0.1:8000",
               cache: CacheChoice = CacheChoice()) -> None:
    """A live preview of ``vault`` until Ctrl-C: after the first build, a save rebuilds the
    site from what this process keeps (``kbgen.mkdocs_live``): only the notes saved are
    parsed, only bodies whose reads changed are rendered, only changed pages are laid out
    and written; then the browser reloads.

    MkDocs' own ``serve`` reloads the configuration, and so a new plugin, on every save;
    here one configuration and one plugin serve all rebuilds.  The vault is watched with
    the system's file events (inotify), not by polling every file four times a second.
    """
    from mkdocs.livereload import LiveReloadServer

    from kbgen.mkdocs_live import LiveSession

    host, _, port = dev_addr.rpartition(":")
    with mkdocs_logging(logging.INFO), tempfile.TemporaryDirectory(prefix="kbgen-serve-") as site_dir:
        config = load_site_config(vault, config_file, cache, site_dir=site_dir)
        plugin = config.plugins[PLUGIN]
        plugin.serving, plugin.live = True, LiveSession(plugin)
        mount_path = urlsplit(config.site_url or "/").path or "/"
        serve_url = f"http://{host}:{port}{mount_path}"
        config.site_url = serve_url

        def rebuild() -> None:
            if not plugin.live.update(config):
                build(config, serve_url=serve_url)

        server = LiveReloadServer(rebuild, host, int(port), site_dir, mount_path)
        server.observer = _ChangesObserver()  # a save is seen at once; no walk of the vault 4 times a second
        server.build_delay = QUIET_BEFORE_BUILD
        server.error_handler = lambda code: _error_page(Path(site_dir), code)
        server.watch(str(Path(vault).resolve()))
        if config.config_file_path:
            server.watch(config.config_file_path, recursive=False)
        rebuild()
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()


# Seconds without a file event before a save is applied (MkDocs waits 0.1 s).  An editor's
# save is a burst of events a few milliseconds long; a longer burst (a checkout) may start
# a build before it ends, and its later events start another, so the site ends up right.
QUIET_BEFORE_BUILD = 0.03


class _ChangesObserver(Observer):  # type: ignore[misc, valid-type]
    """watchdog's native observer (inotify on Linux), told to report changes only: a file
    merely opened or read (by kbgen's own build, say) would start another build."""

    CHANGES = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent,
               events.FileMovedEvent, events.FileClosedEvent]

    def schedule(self, handler: Any, path: Any, **options: Any) -> Any:
        return super().schedule(handler, path, **{**options, "event_filter": self.CHANGES})


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / "404.html"
    return page.read_bytes() if code == 404 and page.is_file() else None


serve = serve_site
