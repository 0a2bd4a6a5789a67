"""Hand memory Python has freed back to the operating system.

Large objects (a note's packed tokens, a page body) live in the C heap; when they are
freed the C library keeps their pages for later use, so the process stays as big as its
largest moment.  ``malloc_trim`` (glibc) returns them.  Elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def give_back_free_memory() -> bool:
    """True when the C library was asked to return its free pages."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
