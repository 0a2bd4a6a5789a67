"""Stable digests of plain values: the same value gives the same digest in any process.

Used to tell whether what a render read is still the same.  A value is pickled without
pickle's memo (so equal values give equal bytes however their parts are shared), sets
in a sorted order and a parsed note as its path and content hash; a value that cannot
be pickled gets a digest that never matches, so whatever read it renders again.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import PurePath
from typing import Any


class _Canonical(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is set or kind is frozenset:
            return tuple, (tuple(sorted(obj, key=repr)),)
        if isinstance(obj, PurePath):
            return str, (obj.as_posix(),)
        if hasattr(obj, "content_hash") and hasattr(obj, "packed"):  # a parsed note: its source says it all
            return str, (f"{obj.path}\0{obj.content_hash}",)
        return NotImplemented


_AS_IS = (str, int, bool, type(None))


def fingerprint(value: Any) -> Any:
    """What a recorded answer is compared by: a short string or number as it is (cheaper
    than any digest, and never equal to one), a parsed note as (path, content hash),
    anything else as its ``digest``."""
    if type(value) in _AS_IS and (type(value) is not str or len(value) <= 256):
        return value
    if hasattr(value, "content_hash") and hasattr(value, "packed"):
        return (value.path, value.content_hash)
    return digest(value)


def digest(value: Any) -> bytes:
    """16 bytes standing for ``value``."""
    buffer = io.BytesIO()
    pickler = _Canonical(buffer, protocol=5)
    pickler.fast = True  # no memo: equal values, equal bytes
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - not plain data: never equal to anything
        return b"?" + os.urandom(15)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
