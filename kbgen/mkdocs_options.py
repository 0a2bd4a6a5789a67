"""The options of the MkDocs plugin ``kbgen`` (``plugins: - kbgen: {...}`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class KbgenConfig(base.Config):
    """``plugins: - kbgen: {home: true, strict_links: false}``."""

    home = c.Type(bool, default=True)
    """Generate a home page when the vault has no ``index.md``."""
    strict_links = c.Type(bool, default=False)
    """Log links to notes that do not exist as warnings (``--strict`` fails); else as info."""
    exclude = c.ListOfItems(c.Type(str), default=[])
    """Vault paths left out of the site: folders (``Private/``), globs (``*.excalidraw.md``)."""
    private_tags = c.ListOfItems(c.Type(str), default=[])
    """Notes with one of these tags (or a tag nested under one) are left out."""
    publish_by_default = c.Type(bool, default=True)
    """False: only notes whose front matter says ``publish: true`` are published."""
    cache = c.Type(bool, default=True)
    """Keep parsed notes, page bodies, layouts and search shards between builds."""
    cache_dir = c.Type(str, default="")
    """Where (default: ``$KBGEN_CACHE_DIR``, else a folder per vault in ``~/.cache/kbgen``)."""
