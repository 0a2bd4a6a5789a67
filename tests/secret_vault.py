"""A vault whose unpublished notes hold a secret word everywhere a site could leak it.

Each way of leaving a note out is used once: ``publish: false``, ``draft: true``, an
excluded folder, a glob, and a private tag (nested).  The secret is in their titles,
aliases, tags, bodies, link contexts, reading entries, file names, a missing target only
they link to, an attachment only they use and one in the excluded folder.  The
published notes link and embed them by names that do not hold the secret.
"""

from __future__ import annotations

SECRET = "quokkasecret"
OPTIONS = {"exclude": ["Private/", "*.excalidraw.md"], "private_tags": ["private"]}
OPTIONS_YAML = """exclude: [Private/, "*.excalidraw.md"]
      private_tags: [private]"""

SHARED_READING = '- *cult*: "Shared Work" [Ada Author; book; 2016](https://example.org/shared)\n'
SECRET_READING = (f'- *cult*: "{SECRET.title()} Title" [{SECRET} Author; book; 2016]'
                  f"(https://example.org/{SECRET})\n")

FILES: dict[str, str | bytes] = {
    "Home.md": (
        "# Home\n\n"
        "Plans: [[Draft Plan]] and [[Diary|my diary]], see [the plan](Draft%20Plan.md).\n\n"
        "A part: [[Tagged Note#Part]]. Public: [[Public]].\n\n"
        "![[Hidden Embed]]\n\n"
        "Inline ![[Drawing.excalidraw]] embed.\n\n"
        "![[photo.png]]\n\n"
        "## Reading\n\n" + SHARED_READING
    ),
    "Public.md": "# Public\n\nPublic text with ![[shared.png]].\n\n" + SHARED_READING,
    "Draft Plan.md": (
        f"---\ntitle: {SECRET.title()} Plan\naliases: [{SECRET}-alias]\ntags: [{SECRET}-tag]\ndraft: true\n---\n"
        f"The {SECRET} plan links [[Public]] and [[{SECRET.title()} Missing]].\n\n"
        f"![[{SECRET}-scan.png]] ![[shared.png]]\n\n#{SECRET}-inline\n\n## Reading\n\n"
        + SECRET_READING + SHARED_READING
    ),
    "Hidden Embed.md": (
        f"---\npublish: false\n---\n# {SECRET} heading\n\nEmbedded {SECRET} text #{SECRET}/nested, "
        f"back to [[Home]].\n"
    ),
    "Private/Diary.md": f"# Diary\n\nDear diary, {SECRET} about [[Public]].\n",
    "Tagged Note.md": f"---\ntags: [private/personal]\n---\n# Tagged\n\n## Part\n\n{SECRET} part, [[Home]].\n",
    "Drawing.excalidraw.md": f"# Drawing\n\n{SECRET} drawing data\n",
    f"{SECRET}-scan.png": b"\x89PNG\r\n\x1a\n" + SECRET.encode(),
    "Private/photo.png": b"\x89PNG\r\n\x1a\n" + SECRET.encode(),
    "shared.png": b"\x89PNG\r\n\x1a\nshared",
}

UNPUBLISHED = ["Draft Plan.md", "Drawing.excalidraw.md", "Hidden Embed.md", "Private/Diary.md", "Tagged Note.md"]
UNPUBLISHED_ATTACHMENTS = ["Private/photo.png", f"{SECRET}-scan.png"]
# What the published notes show in place of a link to an unpublished note or file.
PLAIN_TEXTS = ["Draft Plan", "my diary", "the plan", "Tagged Note › Part", "Hidden Embed",
               "Drawing.excalidraw", "photo.png"]


def leaks(text: str) -> bool:
    """Whether ``text`` holds the secret in any case."""
    return SECRET in text.casefold()
