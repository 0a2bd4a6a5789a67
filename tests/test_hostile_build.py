"""End to end, through the command line: a vault of every hostile input builds, warns about
each bad file, publishes nothing executable and nothing from outside, and is left untouched.

The vault is written at test time (``hostile_vault.py``); all commands run at once as
subprocesses, as a user would run them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from hostile_vault import (MATERIAL, OUTSIDE_MARKER, THEME_BUNDLE, HostileVault, Run, make_hostile_vault,
                           vault_state)
from site_checks import broken_internal_links

import kbgen
from kbgen.site_build import build_site

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site_vault"


@dataclass(frozen=True, slots=True)
class Hostile:
    vault: HostileVault
    site: Path
    runs: dict[str, Run]
    before: dict[str, str]
    after: dict[str, str]


def _start(*args: str | Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kbgen", *map(str, args)], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    root = tmp_path_factory.mktemp("hostile")
    hv = make_hostile_vault(root)
    before = vault_state(hv.vault)
    commands = {
        "check": ("check", hv.vault, "--verbose"),
        "graph": ("graph", hv.vault, "-o", root / "graph.json"),
        "readings": ("readings", hv.vault, "--format", "json"),
        "build": ("build", hv.vault, "-o", root / "site"),
        "strict": ("build", hv.vault, "-o", root / "strict-site", "--strict"),
    }
    procs = {name: _start(*args, cwd=root) for name, args in commands.items()}
    runs = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=900)
        runs[name] = Run(proc.returncode, out, err)
    return Hostile(hv, root / "site", runs, before, vault_state(hv.vault))


@pytest.fixture(scope="module")
def reference_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The theme's inline scripts, from a clean build of the fixture vault."""
    site = tmp_path_factory.mktemp("reference") / "site"
    assert build_site(FIXTURE, site).ok
    found: set[str] = set()
    for page in site.rglob("*.html"):
        found |= {s for s, _ in _scan(page).inline_scripts}
    return found


# ---- what may run in a page ------------------------------------------------------------

URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background",
             "cite", "codebase", "srcset", "ping"}
BANNED_TAGS = {"object", "embed", "applet", "base", "frame", "frameset"}
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_REL_PATH = re.compile(r'"(?:\.\./)*\.{0,2}"|"(?:\.\./)+[^"]*"|"\./[^"]*"')


def _scheme(url: str) -> str:
    probe = _IGNORED.sub("", url).lower()
    head = probe.split("/", 1)[0]
    return head.split(":", 1)[0] if ":" in head else ""


@dataclass
class Scan:
    problems: list[str]
    inline_scripts: list[tuple[str, str]]  # (normalised text, raw text)
    script_srcs: list[str]


class _Executables(HTMLParser):
    """Everything in a page that could run script, and every script it loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan([], [], [])
        self._script: str | None = None
        self._config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        problems = self.scan.problems
        problems += [f"<{tag} {k}=…> event handler" for k in values if k.startswith("on")]
        for key in URL_ATTRS & values.keys():
            scheme = _scheme(values[key])
            if scheme in ("javascript", "vbscript", "livescript", "file"):
                problems.append(f"<{tag} {key}={values[key][:60]!r}>")
            if scheme == "data" and not (tag == "img" and key == "src"
                                         and _IGNORED.sub("", values[key]).lower().startswith("data:image/")):
                problems.append(f"<{tag} {key}=data:…>")
        if tag in BANNED_TAGS:
            problems.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        if tag == "iframe" and ("srcdoc" in values or _scheme(values.get("src", "")) not in ("", "http", "https")):
            problems.append(f"<iframe {values}>")
        if tag == "script":
            if "src" in values:
                self.scan.script_srcs.append(values["src"])
            else:
                self._script = ""
                self._config = values.get("type") == "application/json" and values.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if self._config:  # the theme's settings: data, never run, but must stay valid JSON
                try:
                    json.loads(self._script)
                except ValueError:
                    self.scan.problems.append("__config is not JSON")
                self.scan.inline_scripts.append(("__config", self._script))
            else:
                self.scan.inline_scripts.append((_REL_PATH.sub('"REL"', self._script.strip()), self._script))
            self._script = None


def _scan(page: Path) -> Scan:
    parser = _Executables()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser.scan


# ---- tests -------------------------------------------------------------------------------

def test_the_scan_catches_what_it_looks_for(tmp_path: Path, reference_scripts: set[str]) -> None:
    page = tmp_path / "p.html"
    page.write_text('<img src=x onerror=a()><a href=" JavaScript:x">j</a><iframe srcdoc="x"></iframe>'
                    '<a href="data:text/html,x">d</a><object data=x></object><script>evil()</script>'
                    '<img src="data:image/png;base64,AA"><a href="https://x.org">ok</a>', encoding="utf-8")
    scan = _scan(page)
    assert len(scan.problems) == 5
    assert [norm for norm, _ in scan.inline_scripts] == ["evil()"] and "evil()" not in reference_scripts
    assert len(reference_scripts) >= 3  # the theme's own inline scripts were found



# Files whose only problem is a notice (a link to a note not written yet): a build counts
# notices in its summary and `kbgen check` names them (strict_links is false by default).
NOTICES_ONLY = frozenset({"broken/long-target.md", "inject/traversal.md"})


def test_build_succeeds_and_names_every_bad_file(hostile: Hostile) -> None:
    build = hostile.runs["build"]
    assert build.code == 0, build.output[-3000:]
    assert "Traceback" not in build.output
    lines = build.err.splitlines()
    for path, fragment in hostile.vault.bad.items():
        if path not in NOTICES_ONLY:
            assert any(f" {path}:" in line and fragment in line for line in lines), (path, fragment)
    assert "notice(s)" in build.output


def test_check_names_the_files_with_notices(hostile: Hostile) -> None:
    lines = hostile.runs["check"].out.splitlines()
    for path in NOTICES_ONLY:
        fragment = hostile.vault.bad[path]
        assert any(line.startswith(f"{path}:") and fragment in line for line in lines), path


def test_strict_fails_only_after_reporting_every_bad_file(hostile: Hostile) -> None:
    strict = hostile.runs["strict"]
    assert strict.code == 1
    assert "Traceback" not in strict.output
    for path, fragment in hostile.vault.bad.items():
        if path not in NOTICES_ONLY:
            assert any(f" {path}:" in line and fragment in line for line in strict.err.splitlines()), path
    assert not (hostile.vault.root / "strict-site").exists()  # a failed build publishes nothing
    assert not [p for p in hostile.vault.root.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def test_no_command_writes_into_the_vault(hostile: Hostile) -> None:
    for name in ("check", "graph", "readings"):
        assert hostile.runs[name].code == 0, hostile.runs[name].output[-2000:]
    assert hostile.after == hostile.before
    json.loads(hostile.runs["readings"].out)
    json.loads((hostile.vault.root / "graph.json").read_text(encoding="utf-8"))


def test_nothing_is_written_outside_the_site(hostile: Hostile) -> None:
    """Tags such as ``../../../../escaped`` from front matter stay inside ``_kbgen/tags/``."""
    assert sorted(p.name for p in hostile.vault.root.iterdir()) == ["graph.json", "outside", "site", "vault"]
    assert not list(hostile.site.parent.parent.glob("escaped")) and not list(hostile.site.glob("escaped"))
    assert any(hostile.site.glob("_kbgen/tags/*/*/*/*/escaped/index.html"))


def test_no_page_holds_executable_markup(hostile: Hostile, reference_scripts: set[str]) -> None:
    pages = sorted(hostile.site.rglob("*.html"))
    assert len(pages) > 100
    problems = []
    for page in pages:
        scan = _scan(page)
        rel = page.relative_to(hostile.site).as_posix()
        problems += [f"{rel}: {p}" for p in scan.problems]
        problems += [f"{rel}: unknown inline script {raw[:80]!r}" for norm, raw in scan.inline_scripts
                     if norm not in reference_scripts]
        for src in scan.script_srcs:
            target = urlsplit(urljoin("http://site/" + rel, src)).path.lstrip("/")
            known = target.startswith(("assets/javascripts/", "_kbgen/assets/"))
            if _scheme(src) or not known or not (hostile.site / unquote(target)).is_file():
                problems.append(f"{rel}: script src {src!r}")
    assert problems == []


def test_the_sites_own_scripts_cannot_be_replaced_by_vault_files(hostile: Hostile) -> None:
    assert (hostile.site / THEME_BUNDLE).read_bytes() == (MATERIAL / THEME_BUNDLE).read_bytes()
    assert (hostile.site / "_kbgen/assets/kbgen.js").read_bytes() == Path(kbgen.__file__).with_name(
        "assets").joinpath("kbgen.js").read_bytes()
    assert (hostile.site / THEME_BUNDLE.replace(".js", "-2.js")).read_text() == "window.__pwned = 60;\n"


def test_titles_and_payloads_are_text(hostile: Hostile) -> None:
    page = (hostile.site / "inject" / "titles" / "index.html").read_text(encoding="utf-8")
    assert '&lt;img src=x onerror="window.__pwned=1"&gt;' in page or \
        "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in page
    assert "<title>&lt;img" in page
    # Search results take their title from the page's data-kbgen-title (Pagefind meta): escaped.
    assert 'data-kbgen-title="&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;' in page or \
        'data-kbgen-title="&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;' in page
    assert (hostile.site / "_kbgen" / "pagefind" / "pagefind.js").is_file()


def test_every_json_file_parses(hostile: Hostile) -> None:
    for path in hostile.site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_nothing_from_outside_the_vault_is_published(hostile: Hostile) -> None:
    marker = OUTSIDE_MARKER.encode()
    leaks = [p for p in hostile.site.rglob("*") if p.is_file() and marker in p.read_bytes()]
    assert leaks == []
    assert not (hostile.site / "link-secret").exists() and not (hostile.site / "outside-link").exists()
    assert OUTSIDE_MARKER not in hostile.runs["check"].output + (hostile.vault.root / "graph.json").read_text()


def test_internal_links_all_resolve(hostile: Hostile) -> None:
    """Every link kbgen wrote works (``src=x`` is the payloads' own broken image)."""
    assert [b for b in broken_internal_links(hostile.site) if b[1] != "x"] == []


def _page(site: Path, url: str) -> str:
    return (site / unquote(url) / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("url", "text"), [
    ("broken/bad-yaml/", "BAD-YAML-BODY"), ("broken/list-front-matter/", "LIST-FM-BODY"),
    ("broken/wrong-types/", "WRONG-TYPES-BODY"), ("broken/latin1/", "caf\ufffd LATIN1-BODY"),
    ("broken/bom-crlf/", "BOM-BODY"), ("broken/bad-wikilinks/", "BAD-WIKILINKS-END"),
    ("broken/long-target/", "LONG-TARGET-END"), ("broken/huge/", "HUGE-END"),
    ("broken/deep-quote/", "DEEP-QUOTE-TEXT"), ("broken/deep-list/", "DEEP-LIST-END"),
    ("broken/deep-list/", "item 999"), ("broken/deep-html/", "DEEP-HTML-TEXT"),
    ("broken/deep-inline/", "DEEP-INLINE-TEXT"), ("embeds/self/", "SELF-END"),
    ("inject/titles/", "KEEP-SPLIT"), ("inject/titles/", "KEEP-HOVER-TEXT"), ("inject/tags/", "TAGS-BODY"),
])
def test_broken_notes_still_show_their_text(hostile: Hostile, url: str, text: str) -> None:
    assert text in _page(hostile.site, url)


def test_every_note_has_a_page(hostile: Hostile) -> None:
    for path, state in hostile.before.items():
        if not path.endswith(".md") or state.startswith("link:") or state == "special" or "\udcff" in path:
            continue
        page = hostile.site / path[:-3] / "index.html"
        moved = hostile.site / (path[:-3] + "-2") / "index.html"
        assert page.is_file() or moved.is_file(), path


def test_harmless_html_is_kept(hostile: Hostile) -> None:
    page = _page(hostile.site, "inject/titles/")
    for kept in ("<kbd>Ctrl</kbd>", '<span style="color: red">red</span>', "KEEP-DETAILS</details>",
                 "<td>cell KEEP-TABLE</td>", '<iframe src="https://example.org/embed" title="ok frame">',
                 '<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline data image">',
                 '<a href="https://example.org">ok link</a>'):
        assert kept in page


def test_case_twins_get_distinct_pages_and_links(hostile: Hostile) -> None:
    upper, lower = _page(hostile.site, "case/Note/"), _page(hostile.site, "case/note-2/")
    assert "CASE-UPPER" in upper and "CASE-LOWER" in lower
    assert 'href="../note-2/"' in upper and 'href="../Note/"' in lower
    assert (hostile.site / "case" / "Pic.png").read_bytes().endswith(b"upper")
    assert (hostile.site / "case" / "pic-2.png").read_bytes().endswith(b"lower")
    assert 'src="../pic-2.png"' in upper
    folded = [p.relative_to(hostile.site).as_posix().casefold() for p in hostile.site.rglob("*")]
    assert len(folded) == len(set(folded))  # the site unpacks whole on a case-insensitive disk


def test_odd_file_names_are_reachable_through_links(hostile: Hostile) -> None:
    index_url = "names/index%20of%20odd%20names/"
    hrefs = re.findall(r'<li><a href="([^"]+)">\d+</a></li>', _page(hostile.site, index_url))
    assert len(hrefs) == 13
    for href in hrefs:
        target = urlsplit(urljoin("http://site/" + index_url, href.replace("&amp;", "&")))
        assert not target.query and not target.fragment, href  # "#", "?" are encoded, not URL syntax
        page = hostile.site / unquote(target.path.lstrip("/")) / "index.html"
        assert "Odd name" in page.read_text(encoding="utf-8"), href
    assert (hostile.site / "names" / "pic #1 100%.png").is_file()
