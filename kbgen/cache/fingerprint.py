"""Stable digests of plain values: the same value gives the same digest in any process.

Used to tell whether what a render read is still the same.  A value is pickled without
pickle's memo (so equal values give equal bytes however their parts are shared), sets
in a sorted order and a parsed note as its path and content hash; a value that cannot
be pickled gets a digest that never matches, so whatever read it renders again.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import io
import os
import pickle
from pathlib import PurePath
from typing import Any

from kbgen.graph import Backlink, Outlink, RelatedNote
from kbgen.model import Link, Note, Resolution
from kbgen.vault import MissingTarget


_CONTAINERS = (list, tuple, dict, set, frozenset)


def _settled(value: Any) -> Any:
    """``value`` with every set (inside lists, tuples and dicts) as a sorted tuple: the C
    pickler writes builtin containers itself, in a set's hash order."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is set or kind is frozenset:
        return ("<set>", *sorted((_settled(v) for v in value), key=repr))
    if kind is list or kind is tuple:
        return kind(_settled(v) for v in value) if any(type(v) in _CONTAINERS for v in value) else value
    if kind is dict:
        if any(type(v) in _CONTAINERS for v in value.values()):
            return {k: _settled(v) for k, v in value.items()}
        return value
    return value


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for any other class), looked up once per class."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))


class _Canonical(pickle.Pickler):
    """Dataclasses pickle as plain tuples of their (settled) fields; objects of any other
    class refuse (their state may hide where pickle cannot see it)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, PurePath):
            return str, (obj.as_posix(),)
        if isinstance(obj, Note):  # a parsed note: its source says it all
            return str, (f"{obj.path}\0{obj.content_hash}",)
        names = _field_names(type(obj))
        if names is not None:
            return tuple, ((type(obj).__qualname__, *[_settled(getattr(obj, name)) for name in names]),)
        if isinstance(obj, (enum.Enum, type)):
            return NotImplemented  # pickled by name
        raise TypeError(f"no canonical form for {type(obj).__qualname__}")  # unknown state: never equal


_AS_IS = (str, int, bool, type(None))


# Model records whose fields are all plain (str, int, bool, None, tuples/lists of them, or
# another class listed here) and whose repr is the dataclass's own: their repr says all
# of them, and is twice as fast to make as a canonical pickle.
_REPR_FAITHFUL: frozenset[type] = frozenset({Resolution, Link, Backlink, Outlink, RelatedNote, MissingTarget})


def fingerprint(value: Any) -> Any:
    """What a recorded answer is compared by: a short string or number as it is (cheaper
    than any digest, and never equal to one), a parsed note as (path, content hash), a
    model record (or a list of them) by a digest of its repr, anything else as its
    ``digest``."""
    kind = type(value)
    if kind in _AS_IS and (kind is not str or len(value) <= 256):
        return value
    if kind is Note:
        return (value.path, value.content_hash)
    if kind in _REPR_FAITHFUL or ((kind is list or kind is tuple) and value
                                  and all(type(v) in _REPR_FAITHFUL for v in value)):
        return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return digest(value)


def digest(value: Any) -> bytes:
    """16 bytes standing for ``value``."""
    buffer = io.BytesIO()
    pickler = _Canonical(buffer, protocol=5)
    pickler.fast = True  # no memo: equal values, equal bytes
    try:
        pickler.dump(_settled(value))
    except Exception:  # noqa: BLE001 - not plain data: never equal to anything
        return b"?" + os.urandom(15)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
