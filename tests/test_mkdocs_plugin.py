"""The MkDocs adapter: entry points, config schema, logging of findings, and what it feeds MkDocs.

Builds run real MkDocs (``mkdocs.commands.build``) over small vaults written per test,
once through the ``mkdocs`` command itself to prove the entry point is what MkDocs loads.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort


from kbgen.mkdocs_page_parts import toc_tokens
from kbgen.mkdocs_plugin import KbgenPlugin
from kbgen.render import TocEntry
from kbgen.site.emitters.assets import EVERY_PAGE_SCRIPTS, EVERY_PAGE_STYLES
from site_checks import broken_internal_links

LOGGER = "mkdocs.plugins.kbgen"
BASE_CONFIG = """site_name: Test
theme:
  name: material
  font: false
plugins:
  - search
  - kbgen{options}
{extra}"""


def write_config(root: Path, vault: Path, options: str = "", extra: str = "") -> Path:
    config = root / "mkdocs.yml"
    text = BASE_CONFIG.format(options=(":\n      " + options) if options else "", extra=extra)
    config.write_text(text + f"docs_dir: {vault}\nsite_dir: {root / 'site'}\n", encoding="utf-8")
    return config


def run_build(config_file: Path, strict: bool = False) -> Path:
    config = load_config(str(config_file), strict=strict)
    build(config)
    return Path(config.site_dir)


@pytest.fixture
def vault(write_tree: Callable[..., Path]) -> Path:
    return write_tree({
        "Start.md": "# Start\n\nSee [[Other]] and [[Nowhere]].\n",
        "Other.md": "# Other\n\n## Part\n\nBack to [[Start#Start]].\n",
        "templates/Daily.md": "# Daily\n\nA template note. #journal\n",
        ".obsidian/app.json": "{}",
    }, name="vault")


# ---- registration and configuration ---------------------------------------------------------

@pytest.mark.parametrize("group", ["mkdocs.plugins", "properdocs.plugins"])
def test_entry_points(group: str) -> None:
    found = {ep.name: ep for ep in entry_points(group=group)}
    assert found["kbgen"].value == "kbgen.mkdocs_plugin:KbgenPlugin"
    assert found["kbgen"].load() is KbgenPlugin


def test_config_schema() -> None:
    plugin = KbgenPlugin()
    errors, warnings = plugin.load_config({})
    assert (errors, warnings) == ([], [])
    assert plugin.config.home is True and plugin.config.strict_links is False
    errors, _ = KbgenPlugin().load_config({"home": "yes"})
    assert errors and errors[0][0] == "home"
    _, warnings = KbgenPlugin().load_config({"backlink": False})
    assert warnings and warnings[0][0] == "backlink"


def test_assets_added_once_across_serve_rebuilds(tmp_path: Path, vault: Path) -> None:
    config = load_config(str(write_config(tmp_path, vault)))
    plugin = config.plugins["kbgen"]
    plugin.on_config(config)
    plugin.on_config(config)
    for css in EVERY_PAGE_STYLES:
        assert config.extra_css.count(css) == 1
    for js in EVERY_PAGE_SCRIPTS:
        assert [str(s) for s in config.extra_javascript].count(js) == 1


def test_toc_tokens_escape_and_nest() -> None:
    entries = [TocEntry(2, "a", "A <b> & c", [TocEntry(3, "a-1", "Sub", [])])]
    assert toc_tokens(entries) == [{
        "level": 2, "id": "a", "name": "A &lt;b&gt; &amp; c",
        "children": [{"level": 3, "id": "a-1", "name": "Sub", "children": []}],
    }]


# ---- findings as MkDocs warnings -------------------------------------------------------------

def test_findings_are_warnings_on_the_plugin_logger(tmp_path: Path, vault: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    run_build(write_config(tmp_path, vault, "strict_links: true"))
    ours = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == LOGGER]
    assert ours == [(logging.WARNING, "Start.md:3: unresolved link to 'Nowhere': no such note or file")]
    caplog.clear()
    run_build(write_config(tmp_path, vault))  # by default a red link is a notice
    assert [r.levelno for r in caplog.records if r.name == LOGGER] == [logging.INFO]


def test_strict_fails_after_printing_every_finding(tmp_path: Path, write_tree: Callable[..., Path],
                                                  caplog: pytest.LogCaptureFixture) -> None:
    vault = write_tree({"A.md": "[[X]]\n\n[[Y]]\n", "B.md": "---\ntitle: [oops\n---\ntext\n"}, name="v")
    with pytest.raises(Abort, match="3 warnings"):
        run_build(write_config(tmp_path, vault, "strict_links: true"), strict=True)
    ours = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert [m.split(":")[0] for m in ours] == ["A.md", "A.md", "B.md"]


def test_strict_links_false_only_quietens_missing_notes(tmp_path: Path, write_tree: Callable[..., Path],
                                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    vault = write_tree({"A.md": "[[Missing]]\n"}, name="v")
    run_build(write_config(tmp_path, vault, "strict_links: false"), strict=True)
    levels = [r.levelno for r in caplog.records if r.name == LOGGER]
    assert levels == [logging.INFO]
    (vault / "B.md").write_text("[[A#No heading]]\n", encoding="utf-8")
    with pytest.raises(Abort):
        run_build(write_config(tmp_path, vault, "strict_links: false"), strict=True)


def test_mkdocs_command_uses_the_plugin(tmp_path: Path, vault: Path) -> None:
    config = write_config(tmp_path, vault, "strict_links: true")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]
    failed = subprocess.run([*cmd, "--strict"], capture_output=True, text=True, env=env)
    assert failed.returncode == 1
    assert "Start.md:3: unresolved link to 'Nowhere'" in failed.stderr
    (vault / "Start.md").write_text("# Start\n\nSee [[Other]].\n", encoding="utf-8")
    ok = subprocess.run([*cmd, "--strict"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "site" / "Other" / "index.html").is_file()


# ---- what MkDocs is given -------------------------------------------------------------------

def test_mkdocs_never_reads_the_notes(tmp_path: Path, write_tree: Callable[..., Path]) -> None:
    vault = write_tree({
        "Bytes.md": b"# Bytes\n\nna\xefve \xff\xfe text\n",
        "Yaml.md": "---\ntitle: [never closed\n---\n# Yaml\n",
        "Jinja.md": "---\ntemplate: nothing.html\n---\n# Jinja {{ config }}\n",
    }, name="v")
    site = run_build(write_config(tmp_path, vault))
    assert "na\ufffdve" in (site / "Bytes" / "index.html").read_text(encoding="utf-8")
    assert (site / "Yaml" / "index.html").is_file()
    assert "Jinja {{ config }}" in (site / "Jinja" / "index.html").read_text(encoding="utf-8")


def test_published_files_are_the_vaults(tmp_path: Path, vault: Path) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "Secret.md").write_text("# Secret\n", encoding="utf-8")
    (vault / "linked").symlink_to(outside, target_is_directory=True)
    site = run_build(write_config(tmp_path, vault))
    assert (site / "templates" / "Daily" / "index.html").is_file(), "MkDocs alone drops templates/"
    assert not (site / "linked").exists(), "a symlink out of the vault is not published"
    assert not (site / ".obsidian").exists()
    assert (site / "_kbgen" / "tags" / "journal" / "index.html").is_file()


def test_a_note_mkdocs_would_not_render(tmp_path: Path, write_tree: Callable[..., Path]) -> None:
    vault = write_tree({"Shout.MD": "# Shout\n\nLoud.\n", "A.md": "# A\n\n[[Shout]]\n"}, name="v")
    site = run_build(write_config(tmp_path, vault))
    assert "Loud." in (site / "Shout" / "index.html").read_text(encoding="utf-8")
    assert 'href="../Shout/"' in (site / "A" / "index.html").read_text(encoding="utf-8")
    assert not (site / "Shout.MD").exists()
    assert broken_internal_links(site) == []


def test_home_generated_or_linked_from_the_users_index(tmp_path: Path, vault: Path) -> None:
    site = run_build(write_config(tmp_path, vault))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="_kbgen/wanted/"' in home and 'href="Start/"' in home
    (vault / "index.md").write_text("# My own home\n", encoding="utf-8")
    site = run_build(write_config(tmp_path, vault))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "My own home" in home
    assert 'class="kbgen-site-links"' in home and 'href="_kbgen/tags/"' in home


def test_home_can_be_turned_off(tmp_path: Path, vault: Path) -> None:
    site = run_build(write_config(tmp_path, vault, "home: false"))
    assert not (site / "index.html").exists()
    assert (site / "_kbgen" / "wanted" / "index.html").is_file()


def test_file_urls_without_directory_urls(tmp_path: Path, vault: Path) -> None:
    site = run_build(write_config(tmp_path, vault, extra="use_directory_urls: false\n"))
    start = (site / "Start.html").read_text(encoding="utf-8")
    assert 'href="Other.html"' in start
    assert 'href="_kbgen/missing/nowhere/index.html"' in start
    assert broken_internal_links(site) == []


def test_toc_tokens_keep_a_notes_own_h1_sections() -> None:
    entries = [TocEntry(1, "topics", "Topics", [TocEntry(2, "sub", "Sub", [])]), TocEntry(1, "backlinks", "Backlinks")]
    tokens = toc_tokens(entries)
    assert [t["level"] for t in tokens] == [2, 2] and tokens[0]["children"][0]["level"] == 3
