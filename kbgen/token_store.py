"""A note's tokens kept packed (as plain tuples, marshalled, then compressed) between its
parse and its render.

Token objects take ~20× the note's size in memory; packed they take about a fifth of the
note's size.  A large vault is parsed in worker processes that send their notes back
packed (cheaper than sending objects, and far smaller to keep), the build cache stores
them packed, and the render workers unpack a note's tokens only while they render a page
that shows it.  Unpacking was a third of rendering a note page when tokens were pickled:
``marshal`` reads plain tuples several times faster than pickle rebuilds slotted objects,
so each token is stored as the tuple of its fields and made a ``Token`` again here (a
token whose ``meta`` holds something marshal cannot write is pickled instead).  The
tokens are still those of the one parse: packing only changes how they are stored.
"""

from __future__ import annotations

import marshal
import pickle
import zlib
from typing import Any

from markdown_it.token import Token

from kbgen.model import Note

LEVEL = 1  # measured on the benchmark notes: 5.1x smaller, 166 MB/s in, 311 MB/s out
_TUPLES, _PICKLED = b"T", b"P"
_new = object.__new__


def _fields(token: Token) -> tuple[Any, ...]:
    children = token.children
    return (token.type, token.tag, token.nesting, token.attrs or None, token.map, token.level,
            None if children is None else [_fields(child) for child in children],
            token.content, token.markup, token.info, token.meta or None, token.block, token.hidden)


def _token(fields: tuple[Any, ...]) -> Token:
    token = _new(Token)
    (token.type, token.tag, token.nesting, attrs, token.map, token.level, children, token.content, token.markup,
     token.info, meta, token.block, token.hidden) = fields
    token.attrs = {} if attrs is None else attrs
    token.meta = {} if meta is None else meta
    token.children = None if children is None else [_token(child) for child in children]
    return token


def packed_tokens(tokens: list[Token]) -> bytes:
    try:
        return _TUPLES + zlib.compress(marshal.dumps([_fields(token) for token in tokens]), LEVEL)
    except ValueError:  # something in a token's meta that marshal cannot write
        return _PICKLED + zlib.compress(pickle.dumps(tokens, protocol=pickle.HIGHEST_PROTOCOL), LEVEL)


def pack(note: Note) -> None:
    """Move ``note.tokens`` into ``note.packed``."""
    note.packed = packed_tokens(note.tokens)
    note.tokens = []


def tokens_of(note: Note) -> list[Token]:
    """The note's tokens, unpacked when they are stored packed (not kept: the caller's)."""
    if note.tokens or note.packed is None:
        return note.tokens
    kind, data = note.packed[:1], zlib.decompress(note.packed[1:])
    if kind == _TUPLES:
        return [_token(fields) for fields in marshal.loads(data)]
    return pickle.loads(data)
