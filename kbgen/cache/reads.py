"""What a page render read, recorded as it reads, so a later build can check it cheaply.

A renderer gets the site through ``Recorded`` views: every method it calls, mapping key
it looks up and attribute it reads is logged with a digest of the answer.  A page's
body is a function of its planned record and those answers (the salt of the cache
covers kbgen's code and options), so a later build that gets the same answers to the
same questions (``still_true``) would render the same bytes: it reuses the body.
Nothing is guessed: a read that does not go through a view is not possible, since the
renderer holds no other reference to the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kbgen.cache.fingerprint import fingerprint

# A path leads from the site to the object asked: attribute names, and ("call", name, args)
# for an index a method returned.  (path, operation, argument) -> digest of the answer.
Step = str | tuple[str, str, tuple[Any, ...]]
ReadKey = tuple[tuple[Step, ...], str, Any]
Read = tuple[tuple[Step, ...], str, Any, Any]  # the answer's fingerprint last


class ReadLog:
    """The reads of one page render; ``digests`` memoises answers shared by many pages
    of one build (the model does not change while pages render)."""

    __slots__ = ("reads", "_seen", "digests")

    def __init__(self, digests: dict[ReadKey, Any] | None = None) -> None:
        self.reads: list[Read] = []
        self._seen: set[ReadKey] = set()
        self.digests = digests if digests is not None else {}

    def record(self, key: ReadKey, value: Any) -> None:
        try:
            if key in self._seen:
                return
        except TypeError:  # an unhashable argument: a question that cannot be asked again
            self.reads.append(((), "unrepeatable", None, b""))
            return
        self._seen.add(key)
        found = self.digests.get(key, _ABSENT)
        if found is _ABSENT:
            found = self.digests[key] = fingerprint(value)
        self.reads.append((*key, found))


class Recorded:
    """A read-only view of ``target`` that logs each read into ``log``.

    Objects of the types in ``views`` (the vault, graph, URLs, folder index…) come back as
    views themselves; mappings as ``RecordedMapping``; any other answer is logged.
    """

    __slots__ = ("_target", "_path", "_log", "_views", "_children")

    def __init__(self, target: Any, log: ReadLog, views: tuple[type, ...], path: tuple[Step, ...] = ()) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_views", views)
        object.__setattr__(self, "_children", {})  # views and methods handed out (the model holds still)

    def __getattr__(self, name: str) -> Any:
        child = self._children.get(name)
        if child is not None:
            return child
        value = getattr(self._target, name)
        path = (*self._path, name)
        if isinstance(value, self._views):
            child = Recorded(value, self._log, self._views, path)
        elif isinstance(value, Mapping):
            child = RecordedMapping(value, self._log, path)
        elif callable(value):
            child = _RecordedCall(value, self._log, self._views, self._path, name)
        else:
            self._log.record((self._path, "attr", name), value)
            return value
        self._children[name] = child
        return child

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{name}: a page render may not change the site model")


_PLAIN = (str, int, bool, type(None))


class _RecordedCall:
    __slots__ = ("_call", "_log", "_views", "_path", "_name", "_op", "_indexes")

    def __init__(self, call: Callable[..., Any], log: ReadLog, views: tuple[type, ...],
                 path: tuple[Step, ...], name: str) -> None:
        self._call, self._log, self._views, self._path, self._name = call, log, views, path, name
        self._op = f"call:{name}"
        self._indexes = (Mapping, *views)

    def __call__(self, *args: Any) -> Any:
        value = self._call(*args)
        if type(value) in _PLAIN:
            self._log.record((self._path, self._op, args), value)
            return value
        if self._name == "memo":  # (name, make): the index is the model's, built in planning
            args = args[:1]
        if isinstance(value, self._indexes):  # an index: its lookups are logged one by one
            step = ("call", self._name, args)
            if isinstance(value, Mapping):
                return RecordedMapping(value, self._log, (*self._path, step))
            return Recorded(value, self._log, self._views, (*self._path, step))
        self._log.record((self._path, self._op, args), value)
        return value


class RecordedMapping(Mapping):
    """A mapping whose lookups are logged key by key (iterating logs the whole mapping)."""

    __slots__ = ("_target", "_log", "_path")

    def __init__(self, target: Mapping[Any, Any], log: ReadLog, path: tuple[Step, ...]) -> None:
        self._target, self._log, self._path = target, log, path

    def __getitem__(self, key: Any) -> Any:
        value = self._target.get(key, _ABSENT)
        self._log.record((self._path, "get", key), None if value is _ABSENT else value)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._target.get(key, _ABSENT)
        self._log.record((self._path, "get", key), None if value is _ABSENT else value)
        return default if value is _ABSENT else value

    def __contains__(self, key: object) -> bool:
        found = key in self._target
        self._log.record((self._path, "in", key), found)
        return found

    def _whole(self) -> Mapping[Any, Any]:
        self._log.record((self._path, "all", None), self._target)
        return self._target

    def __iter__(self) -> Iterator[Any]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def items(self):  # noqa: ANN201
        return self._whole().items()

    def keys(self):  # noqa: ANN201
        return self._whole().keys()

    def values(self):  # noqa: ANN201
        return self._whole().values()


_ABSENT = object()
_TARGETS = ((), "targets", None)  # the key under which ``still_true`` keeps the paths' objects
_UNANSWERABLE = object()  # equal to no recorded answer


class _NotPlanned(LookupError):
    pass


def _refuse() -> Any:
    raise _NotPlanned("not built in planning")


def _call(target: Any, name: str, args: tuple[Any, ...]) -> Any:
    if name == "memo":
        return target.memo(args[0], _refuse)
    return getattr(target, name)(*args)


def answer(root: Any, path: tuple[Step, ...], op: str, arg: Any, targets: dict[Any, Any] | None = None) -> Any:
    """The answer the model ``root`` gives now to one recorded question (``targets``
    memoises the object each path leads to: many questions share a path)."""
    target = targets.get(path, _ABSENT) if targets is not None else _ABSENT
    if target is _ABSENT:
        target = root
        for step in path:
            target = getattr(target, step) if isinstance(step, str) else _call(target, step[1], step[2])
        if targets is not None:
            targets[path] = target
    if op == "attr":
        return getattr(target, arg)
    if op == "get":
        return target.get(arg)
    if op == "in":
        return arg in target
    if op == "all":
        return target
    return _call(target, op.removeprefix("call:"), arg)


def still_true(root: Any, reads: list[Read], digests: dict[ReadKey, Any]) -> bool:
    """Whether the model ``root`` answers every recorded read as it did (``digests``
    memoises answers across the pages of one build)."""
    targets = digests.setdefault(_TARGETS, {})
    for path, op, arg, expected in reads:
        key = (path, op, arg)
        try:
            found = digests[key]
        except KeyError:
            try:
                found = fingerprint(answer(root, path, op, arg, targets))
            except Exception:  # noqa: BLE001 - a question the new model cannot answer: render again
                found = _UNANSWERABLE
            digests[key] = found
        except TypeError:  # an unhashable argument cannot be memoised
            return False
        if found != expected:
            return False
    return True
