"""A vault shaped like a real personal one: category notes, books with properties, a
``Books.base`` with two tables and a cards view, an embed of one view, a ```base block
using ``this``, a draft that must never show, and a canvas with every kind of node."""

from __future__ import annotations

import json
import struct
import zlib

def _png(width: int, height: int) -> bytes:
    """A small opaque PNG (an orange-to-brown gradient, like a desert book cover)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(c for x in range(width) for c in (230 - y, 140 - y // 2, 40 + x // 2))
                    for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = _png(96, 128)


def book(author: str, year: int, rating: int, extra: str = "") -> str:
    return (f'---\ncategories: ["[[Books]]"]\nauthor: "[[{author}]]"\nyear: {year}\nrating: {rating}\n{extra}---\n'
            f"Notes on the book.\n")


BOOKS_BASE = """\
filters:
  and:
    - categories.contains(link("Books"))
formulas:
  age: 2025 - year
  stars: '"★".repeat(rating)'
properties:
  author:
    displayName: Author
  formula.age:
    displayName: Years since
  file.name:
    displayName: Title
views:
  - type: table
    name: All books
    order:
      - file.name
      - author
      - year
      - rating
    sort:
      - property: year
        direction: ASC
  - type: table
    name: Top rated
    filters: 'rating >= 4'
    order:
      - file.name
      - rating
      - formula.age
    sort:
      - property: rating
        direction: DESC
      - property: file.name
        direction: ASC
  - type: cards
    name: Gallery
    order:
      - file.name
      - author
      - formula.stars
    image: cover
    sort:
      - property: file.name
        direction: ASC
  - type: map
    name: Where
"""

AUTHOR_BLOCK = """\
# Frank Herbert

Books by this author:

```base
filters:
  and:
    - author == this
views:
  - type: list
    name: Books by
    order:
      - file.name
      - year
```
"""

CANVAS = {
    "nodes": [
        {"id": "group1", "type": "group", "x": -40, "y": -60, "width": 760, "height": 420,
         "label": "Reading <plan>", "color": "4"},
        {"id": "text1", "type": "text", "x": 0, "y": 0, "width": 300, "height": 160,
         "text": "## Next up\nRead [[Dune]] then [[Snow Crash]].\n\n<b onclick=\"x()\">bold</b><script>bad()</script>",
         "color": "1"},
        {"id": "file1", "type": "file", "x": 380, "y": 0, "width": 300, "height": 200, "file": "Books/Neuromancer.md"},
        {"id": "img1", "type": "file", "x": 380, "y": 240, "width": 120, "height": 100, "file": "dune.png"},
        {"id": "link1", "type": "link", "x": 0, "y": 220, "width": 300, "height": 80,
         "url": "https://example.org/reading", "color": "#3366ff"},
        {"id": "secret", "type": "file", "x": 800, "y": 0, "width": 200, "height": 100, "file": "Books/Draft Book.md"},
    ],
    "edges": [
        {"id": "e1", "fromNode": "text1", "fromSide": "right", "toNode": "file1", "toSide": "left",
         "label": "then <this>", "color": "2"},
        {"id": "e2", "fromNode": "file1", "fromSide": "bottom", "toNode": "img1", "toSide": "top",
         "fromEnd": "arrow", "toEnd": "none"},
    ],
}

VAULT: dict[str, str | bytes] = {
    "Books.md": "# Books\n\nEvery book I read: [[Books.base]].\n",
    "Movies.md": "# Movies\n",
    "Books/Dune.md": book("Frank Herbert", 1965, 5, 'cover: "[[dune.png]]"\n'),
    "Books/Neuromancer.md": book("William Gibson", 1984, 4),
    "Books/The Hobbit.md": book("J. R. R. Tolkien", 1937, 5),
    "Books/Snow Crash.md": book("Neal Stephenson", 1992, 3),
    "Books/Draft Book.md": book("Frank Herbert", 1970, 5, "draft: true\n"),
    "Movies/Dune (film).md": '---\ncategories: ["[[Movies]]"]\nyear: 2021\nrating: 4\n---\nA film.\n',
    "People/Frank Herbert.md": AUTHOR_BLOCK,
    "Reading.md": "# Reading\n\nThe best ones:\n\n![[Books.base#Top rated]]\n\nAnd the plan: [[Plan.canvas]]\n",
    "Books.base": BOOKS_BASE,
    "Plan.canvas": json.dumps(CANVAS, indent=2),
    "dune.png": PNG,
}
