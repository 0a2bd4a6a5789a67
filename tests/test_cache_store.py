"""The build cache's parts: digests that agree across processes, entries that are checked,
pruned, and never trusted when damaged."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

from kbgen.cache import CacheStore
from kbgen.cache.fingerprint import digest, fingerprint

_PROGRAM = """
from kbgen.cache.fingerprint import digest
from kbgen.site.emitters.tags import TagEntry
entry = TagEntry("t"); entry.notes.update({"a.md", "b.md", "c/d.md", "e.md"})
values = [(True, frozenset({"a", "b", "c/d.html", "e", "f"})), [{"k": {"x", "y", "z", "w"}}], entry]
print(" ".join(digest(v).hex() for v in values))
"""


def _digests_in_a_process(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", _PROGRAM], env=env, capture_output=True, text=True,
                          check=True).stdout


def test_digests_of_sets_agree_across_processes_with_other_hash_seeds() -> None:
    assert _digests_in_a_process("1") == _digests_in_a_process("2") == _digests_in_a_process("3")


def test_digests_tell_values_apart() -> None:
    assert digest({"a", "b"}) == digest({"b", "a"})
    assert digest({"a", "b"}) != digest({"a", "c"})
    assert digest(("a", 1)) != digest(("a", "1"))
    assert fingerprint("short") == "short"
    assert fingerprint("x" * 1000) == digest("x" * 1000)
    assert digest(object()) != digest(object())  # not plain data: never equal


def test_entries_round_trip_and_damage_is_noticed(tmp_path: Path) -> None:
    store = CacheStore(tmp_path, "salt")
    store.put("ns", "key", b"payload")
    assert store.get("ns", "key") == b"payload"  # before it is written, too
    store.flush()
    assert CacheStore(tmp_path, "salt").get("ns", "key") == b"payload"
    assert CacheStore(tmp_path, "other salt").get("ns", "key") is None
    entry = store.entry_path("ns", "key")
    entry.write_bytes(entry.read_bytes()[:-1] + b"X")
    damaged = CacheStore(tmp_path, "salt")
    assert damaged.get("ns", "key") is None
    assert [f.code for f in damaged.findings] == ["cache"] and not entry.exists()


def test_prune_keeps_only_what_the_build_used(tmp_path: Path) -> None:
    store = CacheStore(tmp_path, "salt")
    for key in ("a", "b", "c"):
        store.put("ns", key, key.encode())
    store.flush()
    store.forget_use()
    assert store.get("ns", "b") == b"b"
    assert store.prune() == 2
    fresh = CacheStore(tmp_path, "salt")
    assert fresh.get("ns", "b") == b"b" and fresh.get("ns", "a") is None and fresh.get("ns", "c") is None


def test_model_records_fingerprint_by_every_field() -> None:
    from dataclasses import fields, replace

    from kbgen.cache.fingerprint import _REPR_FAITHFUL
    from kbgen.graph import Backlink

    for kind in _REPR_FAITHFUL:  # a field left out of repr would let two records pass as one
        assert all(f.repr for f in fields(kind)), kind
        assert "def __repr__" not in inspect.getsource(kind), f"{kind} has its own repr"
    one = Backlink("a.md", 3, "link", "see [[b]]", 0)
    assert fingerprint(one) == fingerprint(Backlink("a.md", 3, "link", "see [[b]]", 0))
    assert fingerprint(one) != fingerprint(replace(one, context="see [[b]]!"))
    assert fingerprint([one]) != fingerprint([one, one])
