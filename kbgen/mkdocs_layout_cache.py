"""Laid-out pages kept between builds: MkDocs' theme runs only for pages that changed.

The theme wraps a page's body in the site's layout.  The result depends on the page
(URL, output path, title, body, table of contents) and on the site around it: the
theme's templates, the configuration, the navigation and kbgen's own code.  All of
those go into the key, so a page whose key was laid out before is written from the
cache: MkDocs renders a one-line template that returns the stored HTML, and every
plugin's ``on_post_page`` still runs on it as on a fresh page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from kbgen.cache.fingerprint import digest
from kbgen.cache.store import CacheStore, code_salt, default_cache_dir
from kbgen.pipeline import PARSE_NAMESPACE
from kbgen.site.model import PlannedPage

NAMESPACE = "page"
TEMPLATE = "kbgen-laid-out.html"
CONTEXT_KEY = "kbgen_laid_out"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def _folder_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode("utf-8", "surrogatepass") + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _plain(value: Any) -> Any:
    """Theme settings as plain data (a set in a stable order, a locale as its name)."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def site_salt(config: MkDocsConfig, nav: Iterable[tuple[str, str]]) -> str:
    """What every page's layout depends on besides the page itself."""
    packaged = [Path(mkdocs.__file__).parent]
    try:
        import material
        packaged.append(Path(material.__file__).parent)
    except ImportError:
        pass
    themes = []
    for folder in map(Path, config.theme.dirs):
        resolved = folder.resolve()
        if any(resolved.is_relative_to(p) for p in packaged):
            themes.append(str(resolved.relative_to(next(p for p in packaged if resolved.is_relative_to(p)).parent)))
        elif resolved.is_dir():
            themes.append(_folder_digest(resolved))
    source = Path(config.config_file_path) if config.config_file_path else None
    return digest((
        _version("mkdocs"), _version("mkdocs-material"), themes,
        source.read_bytes() if source and source.is_file() else b"",
        {str(k): _plain(v) for k, v in config.theme.items() if k != "custom_dir"},
        [str(s) for s in config.extra_css], [str(s) for s in config.extra_javascript],
        config.site_url or "", config.use_directory_urls, list(nav),
    )).hex()


class LayoutCache:
    """One build's use of the cache's laid-out pages."""

    def __init__(self, cache: CacheStore) -> None:
        self.cache = cache
        self.salt = ""
        self.active = False
        self._hits: dict[str, str] = {}  # src_uri -> key of its stored layout
        self._keys: dict[str, str] = {}  # src_uri -> key to store the fresh layout under

    def start(self, config: MkDocsConfig, nav: Iterable[tuple[str, str]]) -> None:
        """A new build's layout pass.  A first build (the cache held no parsed note of this
        kbgen) neither looks layouts up nor stores them: hashing and writing every page
        would cost it a tenth of its time for a gain only later; the next build stores them."""
        self.active = self.cache.used_before(PARSE_NAMESPACE)
        self.salt = site_salt(config, nav) if self.active else ""
        self._hits.clear()
        self._keys.clear()

    @staticmethod
    def install(env: jinja2.Environment) -> None:
        """The template a reused page renders: its stored HTML, as it is."""
        loader = env.loader
        if isinstance(loader, jinja2.ChoiceLoader) and any(
                isinstance(inner, jinja2.DictLoader) and TEMPLATE in inner.mapping for inner in loader.loaders):
            return
        # the stored HTML; the page's full layout if its entry was found damaged meanwhile
        reuse = "{%% if %s is defined %%}{{ %s | safe }}{%% else %%}{%% include 'main.html' %%}{%% endif %%}" % (
            CONTEXT_KEY, CONTEXT_KEY)
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({TEMPLATE: reuse}), *([loader] if loader else [])])

    def look_up(self, page: Page, planned: PlannedPage) -> None:
        """Called once the page's body and TOC are set: reuse its layout if stored."""
        assert planned.body is not None
        if not self.active:
            return
        key = digest((self.salt, page.url, planned.output, page.title, page.meta.get("title"), planned.body.html,
                      repr(planned.body.toc), page.file.src_uri)).hex()
        if not self.cache.has(NAMESPACE, key):
            self._keys[page.file.src_uri] = key
            return
        self._hits[page.file.src_uri] = key  # read just before the page is written, not all at once
        page.meta["template"] = TEMPLATE

    def context(self, page: Page, context: dict[str, Any]) -> None:
        key = self._hits.pop(page.file.src_uri, None)
        if key is None:
            return
        stored = self.cache.get(NAMESPACE, key)
        if stored is None:  # damaged since: the page is laid out afresh (TEMPLATE falls back) and stored
            self._keys[page.file.src_uri] = key
            return
        context[CONTEXT_KEY] = stored.decode("utf-8", "surrogatepass")

    def store(self, page: Page, output: str) -> None:
        key = self._keys.pop(page.file.src_uri, None)
        if key is not None:
            self.cache.put(NAMESPACE, key, output.encode("utf-8", "surrogatepass"))


def open_layout_cache(config: MkDocsConfig, enabled: bool, folder: str) -> tuple[LayoutCache | None, str]:
    """The build cache (``folder``, or the vault's default one), unless switched off or
    placed where it would write into the vault or the site (then with why)."""
    if not enabled:
        return None, ""
    where = Path(folder or default_cache_dir(Path(config.docs_dir))).resolve()
    for inside, name in ((config.docs_dir, "vault"), (config.site_dir, "site")):
        if where == Path(inside).resolve() or where.is_relative_to(Path(inside).resolve()):
            return None, f"build cache not used: {where} lies inside the {name} ({inside})"
    return LayoutCache(CacheStore(where, code_salt())), ""
