"""kbgen's build cache: parsed notes, rendered bodies and laid-out pages, keyed by content.

``store``: entries on disk (checked, safe to delete); ``fingerprint``: stable digests of
values; ``reads``: what a page render read, recorded so a later build can tell whether
the page would come out the same without rendering it.
"""

from kbgen.cache.store import CacheStore, code_salt, default_cache_dir

__all__ = ["CacheStore", "code_salt", "default_cache_dir"]
