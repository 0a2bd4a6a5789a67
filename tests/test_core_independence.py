"""Design rule 2: the core imports nothing from MkDocs; only the adapter does."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kbgen"
ADAPTER = {"mkdocs_plugin.py", "mkdocs_options.py", "mkdocs_live.py", "mkdocs_parallel_layout.py",
           "mkdocs_layout_cache.py", "mkdocs_page_parts.py", "site_build.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_mkdocs() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.split(".")[0] in ("mkdocs", "material"))
        for path in PACKAGE.rglob("*.py") if path.name not in ADAPTER
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_loading_and_rendering_a_vault_loads_no_mkdocs(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("# A\n[[B]] ![[A#A]]\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; import kbgen.cli, kbgen.pages;"
        "from kbgen.pipeline import load_vault; from kbgen.render import render_note;"
        "from kbgen.urls import DirectoryUrls;"
        f"lv = load_vault(Path({str(tmp_path)!r})); n = lv.vault.notes['A.md'];"
        "render_note(n, lv.vault, lv.graph, DirectoryUrls(), 'A/');"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
