"""A note's tokens kept packed (pickled bytes) between its parse and its render.

Token objects take ~20× the note's size in memory; packed they take about half of the
note's size in tokens' pickle.  A large vault is parsed in worker processes that send
their notes back packed (cheaper than sending objects, and far smaller to keep), and the
render workers unpack a note's tokens only while they render a page that shows it.  The
tokens are still those of the one parse: packing only changes how they are stored.
"""

from __future__ import annotations

import pickle

from markdown_it.token import Token

from kbgen.model import Note


def pack(note: Note) -> None:
    """Move ``note.tokens`` into ``note.packed``."""
    note.packed = pickle.dumps(note.tokens, protocol=pickle.HIGHEST_PROTOCOL)
    note.tokens = []


def tokens_of(note: Note) -> list[Token]:
    """The note's tokens, unpacked when they are stored packed (not kept: the caller's)."""
    if note.tokens or note.packed is None:
        return note.tokens
    return pickle.loads(note.packed)
