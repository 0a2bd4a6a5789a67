"""Stable digests of plain values: the same value gives the same digest in any process.

Used to tell whether what a render read is still the same.  A value it cannot digest
faithfully (an object of unknown type) gets a digest that never matches, so the page is
rendered again rather than served stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import struct
from collections.abc import Mapping
from typing import Any

def digest(value: Any) -> bytes:
    """16 bytes standing for ``value``; sets and dict keys are order-independent."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value)
    return h.digest()


def _feed(h: Any, value: Any) -> None:  # noqa: C901 - one branch per kind of value
    if value is None or isinstance(value, bool):
        h.update(b"N" if value is None else (b"T" if value else b"F"))
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s" + struct.pack("<Q", len(data)) + data)
    elif isinstance(value, int):
        h.update(b"i" + str(value).encode())
    elif isinstance(value, float):
        h.update(b"f" + struct.pack("<d", value))
    elif isinstance(value, bytes):
        h.update(b"b" + struct.pack("<Q", len(value)) + value)
    elif hasattr(value, "content_hash") and hasattr(value, "path"):  # a parsed note: its source says it all
        h.update(b"n")
        _feed(h, value.path)
        _feed(h, value.content_hash)
    elif isinstance(value, (list, tuple)):
        h.update(b"l" + struct.pack("<Q", len(value)))
        for item in value:
            _feed(h, item)
    elif isinstance(value, (set, frozenset)):
        h.update(b"S" + struct.pack("<Q", len(value)))
        for part in sorted(digest(item) for item in value):
            h.update(part)
    elif isinstance(value, Mapping):
        h.update(b"d" + struct.pack("<Q", len(value)))
        for part in sorted(digest(k) + digest(v) for k, v in value.items()):
            h.update(part)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(b"D")
        _feed(h, type(value).__qualname__)
        for f in dataclasses.fields(value):
            _feed(h, f.name)
            _feed(h, getattr(value, f.name))
    elif hasattr(value, "value") and hasattr(type(value), "__members__"):  # an Enum
        h.update(b"E")
        _feed(h, type(value).__qualname__)
        _feed(h, value.value)
    else:  # unknown: never equal to anything, so whatever read it renders again
        h.update(b"?" + os.urandom(16))
