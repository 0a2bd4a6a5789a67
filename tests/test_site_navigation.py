"""Navigation kbgen owns: a note page's bytes do not grow with its folder or the vault,
and the MkDocs adapter holds no HTML and no list of pages of its own."""

from __future__ import annotations

import ast
from pathlib import Path

from kbgen.site_build import build_site

PLUGIN = Path(__file__).resolve().parent.parent / "kbgen" / "mkdocs_plugin.py"
NOTE = "# Probe\n\nA note with a [[Sibling 1]] link, a #tag and a [[Nowhere]].\n\n## Part\n\nText.\n"


def flat_vault(root: Path, siblings: int) -> Path:
    root.mkdir(parents=True)
    (root / "Probe.md").write_text(NOTE, encoding="utf-8")
    for i in range(siblings):
        (root / f"Sibling {i}.md").write_text(f"# Sibling {i}\n\nBody of sibling {i}.\n",
                                              encoding="utf-8")
    return root


def probe_page_bytes(tmp_path: Path, siblings: int) -> int:
    vault = flat_vault(tmp_path / f"v{siblings}", siblings)
    site = tmp_path / f"s{siblings}"
    result = build_site(vault, site)
    assert result.ok, result.message
    return len((site / "Probe" / "index.html").read_bytes())


def test_note_page_size_does_not_depend_on_its_folder(tmp_path: Path) -> None:
    small = probe_page_bytes(tmp_path, 10)
    large = probe_page_bytes(tmp_path, 400)
    # Nothing per sibling: the bytes differ at most by a few digits (counts on the page).
    assert large <= small * 1.01, (small, large)
    assert large - small < 100, "a page must not list its folder's notes"


def _strings(tree: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_the_plugin_holds_no_html_and_no_page_list() -> None:
    tree = ast.parse(PLUGIN.read_text(encoding="utf-8"))
    docstrings = {ast.get_docstring(n, clean=False) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))}
    code_strings = [s for s in _strings(tree) if s not in docstrings]
    assert not [s for s in code_strings if "<" in s and ">" in s], "HTML belongs to templates"
    assert not [s for s in code_strings if "_kbgen" in s], "generated URLs belong to the site plan"
    kinds = {"wanted", "tags", "readings", "missing", "home", "folder", "tag", "note"}
    assert not kinds & set(code_strings), "which pages exist is the site plan's business"
    lines = [line for line in PLUGIN.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) < 200
