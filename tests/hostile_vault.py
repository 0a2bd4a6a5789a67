"""A vault of every hostile input the "nothing crashes, leaks or is lost" issue names.

Written at test time (bytes, odd file names, symlinks and a 60,000-line note do not belong
in git).  ``make_hostile_vault(tmp)`` returns where things are and what a build must say:
``HostileVault.bad`` maps each bad file to a fragment of its warning.  ``OUTSIDE_MARKER``
is only in files outside the vault that the vault links, embeds and symlinks to: it must
never appear in a built site.  Every payload sets ``window.__pwned`` if it ever runs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import material

OUTSIDE_MARKER = "KBGEN-OUTSIDE-9c1f2e"
PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SCRIPT_PAYLOAD = "<script>window.__pwned=2</script>"
MATERIAL = Path(material.__file__).parent / "templates"
THEME_BUNDLE = next(MATERIAL.glob("assets/javascripts/bundle.*.min.js")).relative_to(MATERIAL).as_posix()
FOLDER_PAYLOAD = "<img src=x onerror=window.__pwned=40>"  # no "/": a valid folder name
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)

# Name-only cases: each must get its own working page.  (Linux allows all but "/" and NUL.)
ODD_NAMES = [
    "names/a<b>c.md", 'names/say "hi".md', "names/it's.md", "names/hash#tag.md",
    "names/100%.md", "names/what?.md", "names/a&b.md", "names/party 🎉.md",
    "names/Ünïcödé ñame.md", "names/日本語.md", "names/%2e%2e.md", "names/plus+sign.md",
    f"names/{PAYLOAD.replace('/', '')}.md",
]

RAW_HTML = f"""\
Harmless: <kbd>Ctrl</kbd> <span style="color: red">red</span> <mark>marked</mark>

<div class="user-box" title="box">
<details><summary>More</summary>Hidden text KEEP-DETAILS</details>
<table><tr><td>cell KEEP-TABLE</td></tr></table>
<img src="../../pic.png" alt="pic">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline data image">
<iframe src="https://example.org/embed" title="ok frame"></iframe>
</div>

{SCRIPT_PAYLOAD}

<style>body {{ display: none }}</style>

{PAYLOAD} <svg onload="window.__pwned=3"><circle r="1"/></svg>

<a href="javascript:window.__pwned=4">js link</a> <a href=" JaVaScRiPt:window.__pwned=5">spaced</a>
<a href="java&#x09;script:window.__pwned=6">tab</a> <a href="vbscript:msgbox(1)">vb</a>
<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD03PC9zY3JpcHQ+">data link</a>
<iframe src="javascript:window.__pwned=8"></iframe> <iframe srcdoc="<script>window.__pwned=9</script>"></iframe>
<object data="x.swf"></object> <embed src="x.swf"> <base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=10">
<form action="https://evil.example/"><input name="q"><button formaction="javascript:1">go</button></form>
<div onmouseover="window.__pwned=11" style="width:10px">hover KEEP-HOVER-TEXT</div>
<math><mi xlink:href="javascript:window.__pwned=12">m</mi></math>

<div
onclick="window.__pwned=13">

split **across** tokens KEEP-SPLIT

</div>

inline <b onclick="window.__pwned=14">bold</b> and <a href="https://example.org" onclick="x()">ok link</a>
"""

MD_LINKS = """\
[js](javascript:window.__pwned=20) [js2](<javascript:window.__pwned=21>) [vb](vbscript:x)
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ![img](javascript:window.__pwned=22)
<javascript:window.__pwned=23> [ref link][r] [[javascript:window.__pwned=24]]
[[Good|<img src=x onerror="window.__pwned=25">]] [[<script>x</script>]]

[r]: javascript:window.__pwned=26

> [!note] <img src=x onerror="window.__pwned=27"> callout title

# Heading <img src=x onerror="window.__pwned=28">

```<script>window.__pwned=29</script>
code
```

$<script>window.__pwned=30</script>$ $\\href{javascript:window.__pwned=50}{math link}$ $\\url{javascript:alert(1)}$

```mermaid
graph TD
A["<img src=x onerror=window.__pwned=51>"] --> B
click A href "javascript:window.__pwned=52"
click B call window.eval("window.__pwned=53")
```

- *cult*: "{payload}" [<script>Author</script>; book; 2016](javascript:window.__pwned=31)
- *introductionary*: "Safe Title" [A. Author; book; 2020](https://example.org/book)
- *cult*: "{payload} Title" [{script} Ann Author; paper; 2019](https://example.org/p?a=1&b=<x>)
"""

TRAVERSAL = """\
[[../outside/secret]] [[../../etc/passwd]] ![[/etc/hostname]] ![[../outside/secret.png]]
![[../outside/secret]] [md](../outside/secret.md) ![img](../outside/secret.png)
[enc](%2e%2e%2foutside%2fsecret.md) [abs](/etc/passwd) [file](file:///etc/passwd)
![[%2e%2e%2foutside%2fsecret]] [[..%2Foutside%2Fsecret]] ![[outside-link/secret]]
"""


@dataclass(frozen=True, slots=True)
class HostileVault:
    root: Path
    vault: Path
    outside: Path
    bad: dict[str, str]  # vault path (or folder) -> fragment of its warning


def _huge_note() -> str:
    """60,000 lines holding 100,000 links (most to Good, some to missing notes)."""
    lines = []
    for i in range(60_000):
        if i < 40_000:
            n = 3 if i < 20_000 else 2
            lines.append(" ".join("[[Good]]" if (i + k) % 97 else f"[[Missing {i % 50}]]" for k in range(n)))
        else:
            lines.append(f"plain line {i}")
    return "# Huge\n" + "\n".join(lines) + "\nHUGE-END\n"


HEAVY = ("broken/huge.md", "broken/deep-quote.md", "broken/deep-list.md", "broken/deep-html.md",
         "broken/deep-inline.md", "broken/long-target.md")


def make_hostile_vault(tmp: Path, *, heavy: bool = True) -> HostileVault:
    """Write the hostile vault under ``tmp/vault`` and its outside files under ``tmp/outside``.

    ``heavy=False`` leaves out the ``HEAVY`` notes (size and depth), for quick builds.
    """
    outside, vault = tmp / "outside", tmp / "vault"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.md").write_text(f"# Secret\n{OUTSIDE_MARKER}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(PNG + OUTSIDE_MARKER.encode())
    (outside / "dir" / "inner.md").write_text(f"inner {OUTSIDE_MARKER}\n", encoding="utf-8")
    files: dict[str, str | bytes] = {
        "Good.md": "---\ntitle: Good\ntags: [fine]\n---\n# Good\n\nA plain note. GOOD-TEXT\n",
        "pic.png": PNG,
        "broken/bad-yaml.md": "---\ntitle: [unclosed\ntags: x\n---\nBody BAD-YAML-BODY\n",
        "broken/list-front-matter.md": "---\n- a\n- b\n---\nBody LIST-FM-BODY\n",
        "broken/wrong-types.md": "---\ntags: 5\naliases: {a: b}\ntitle: 7\n---\nBody WRONG-TYPES-BODY\n",
        "broken/latin1.md": "caf\xe9 LATIN1-BODY\n".encode("latin-1"),
        "broken/binary.md": PNG + b"\x00\x00\x00binary",
        "broken/bom-crlf.md": b"\xef\xbb\xbf---\r\ntitle: Bom Note\r\n---\r\n# Bom\r\n\r\nBOM-BODY [[Good]]\r\n",
        "broken/empty.md": "",
        "broken/front-matter-only.md": "---\ntitle: Only Front Matter\n---\n",
        "broken/bad-wikilinks.md": "start [[ unterminated\n\n[[]]\n\n[[|]]\n\n[[#]]\n\nBAD-WIKILINKS-END\n",
        "broken/long-target.md": "[[" + "x" * 5000 + "]] #" + "t" * 3000 + " LONG-TARGET-END\n",
        "broken/huge.md": _huge_note(),
        "broken/deep-quote.md": ">" * 5000 + " DEEP-QUOTE-TEXT\n",
        "broken/deep-list.md": "- " * 3000 + "DEEP-LIST-TEXT\n\n"
        + "".join("  " * i + f"- item {i}\n" for i in range(1000)) + "DEEP-LIST-END\n",
        "broken/deep-html.md": "<div>" * 20000 + "DEEP-HTML-TEXT" + "</div>" * 20000 + "\n",
        "broken/deep-inline.md": "*" * 20000 + "x" + "*" * 20000 + "\n\n" + "[" * 20000
        + "DEEP-INLINE-TEXT\n",
        "embeds/self.md": "Self ![[self]] SELF-END\n",
        "embeds/a.md": "A ![[b]]\n",
        "embeds/b.md": "B ![[a]]\n",
        "case/Note.md": "Upper CASE-UPPER [[case/note.md]] ![](Pic.png) ![](pic.png)\n",
        "case/note.md": "Lower CASE-LOWER [[case/Note.md]]\n",
        "case/Pic.png": PNG + b"upper",
        "case/pic.png": PNG + b"lower",
        "names/pic #1 100%.png": PNG,
        "names/uses odd attachment.md": "![odd](pic%20%231%20100%25.png)\n",
        FOLDER_PAYLOAD + "/inside.md": "In a folder with a hostile name. [[Good]]\n",
        "inject/" + FOLDER_PAYLOAD + "/deeper.md": "A nested section with a hostile name.\n",
        "inject/tags.md": '---\ntags: ["../../../../escaped", "a\\0b", "./.", "ok/../../up"]\n---\nTAGS-BODY\n',
        "inject/titles.md": (
            f"---\ntitle: '{PAYLOAD}'\naliases: ['{SCRIPT_PAYLOAD}']\n"
            "tags: ['<b>x</b>', '\"onmouseover=alert(1)']\n---\n" + RAW_HTML),
        "inject/links.md": MD_LINKS.replace("{payload}", PAYLOAD).replace("{script}", SCRIPT_PAYLOAD),
        "inject/traversal.md": TRAVERSAL,
        "clips/clipped page.html": "<html><head><script>window.__pwned=70</script></head>"
        "<body onload='window.__pwned=71'><p>CLIP-TEXT</p><a href='javascript:window.__pwned=72'>x</a>"
        "</body></html>\n",
        "clips/drawing.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=73">'
        '<script>window.__pwned=74</script><circle r="1" onclick="window.__pwned=75"/></svg>\n',
        "clips/uses clips.md": "![[drawing.svg]] [clip](clipped%20page.html)\n",
    }
    for name in ODD_NAMES:
        files[name] = f"Odd name {name!r}. [[Good]]\n"
    for script in (THEME_BUNDLE, "_kbgen/assets/kbgen.js"):  # would replace the site's own scripts
        files[script] = "window.__pwned = 60;\n"
    if not heavy:
        files = {k: v for k, v in files.items() if k not in HEAVY}
    files["names/index of odd names.md"] = "".join(
        f"- [{i}]({_md_path(n[len('names/'):])})\n" for i, n in enumerate(ODD_NAMES))
    for rel, content in files.items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    os.symlink(outside / "secret.md", vault / "link-secret.md")
    os.symlink(outside, vault / "outside-link")
    os.symlink(vault, vault / "loop")  # a loop back to the root
    (vault / "loops").mkdir()
    os.symlink("../loops", vault / "loops" / "again")
    with open(os.fsencode(vault / "names") + b"/bad\xffbyte.md", "wb") as handle:  # not UTF-8
        handle.write(b"undecodable name")
    os.mkfifo(vault / "fifo.md")  # reading it would block for ever
    (vault / "bomb").mkdir()  # two links to the parent: a naive walk doubles at every level
    os.symlink("..", vault / "bomb" / "x")
    os.symlink("..", vault / "bomb" / "y")
    bad = {
        "broken/bad-yaml.md": "broken YAML", "broken/list-front-matter.md": "not a mapping",
        "broken/wrong-types.md": "should be", "broken/latin1.md": "UTF-8",
        "broken/binary.md": "binary", "broken/empty.md": "empty",
        "broken/bad-wikilinks.md": "[[", "broken/long-target.md": "x" * 20,
        "broken/deep-quote.md": "nested too deep", "broken/deep-list.md": "nested too deep",
        "broken/deep-inline.md": "nested deeper than", "broken/deep-html.md": "nested deeper than",
        "embeds/self.md": "cycle", "embeds/a.md": "cycle", "embeds/b.md": "cycle",
        "inject/traversal.md": "unresolved",
        "case/note.md": "case-insensitive", "case/pic.png": "case-insensitive",
        "inject/titles.md": "unsafe raw HTML", "inject/links.md": "unsafe raw HTML",
        "link-secret.md": "outside the vault", "outside-link": "outside the vault",
        "names/bad\ufffdbyte.md": "not valid UTF-8", "fifo.md": "not a regular file",
        THEME_BUNDLE: "the site's own file", "_kbgen/assets/kbgen.js": "the site's own file",
        "clips/clipped page.html": "removed from this web page", "clips/drawing.svg": "removed from this SVG",
    }
    return HostileVault(tmp, vault, outside, {k: v for k, v in bad.items() if heavy or k not in HEAVY})


def _md_path(name: str) -> str:
    """A markdown link destination for a file name: every odd character percent-encoded."""
    return quote(name)


def vault_state(root: Path) -> dict[str, str]:
    """Every file, folder and symlink below ``root`` (links not followed) with a content hash."""
    state: dict[str, str] = {}
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                state[rel] = "dir" if path.is_dir() else "special"
    return state


@dataclass(frozen=True, slots=True)
class Run:
    """One ``kbgen`` command line run in a subprocess."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_kbgen(*args: str | Path, cwd: Path, timeout: float = 600) -> Run:
    proc = subprocess.run([sys.executable, "-m", "kbgen", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return Run(proc.returncode, proc.stdout, proc.stderr)
