"""Layout parts rendered once and reused (``LayoutFragments``) give every page exactly the
bytes it gets when each page renders its whole layout itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen import mkdocs_page_parts
from kbgen.site_build import CacheChoice, build_site

# Pages at several depths, some sharing a URL prefix with the pages in the nav (tags,
# reading list), so relative links differ in more ways than by depth alone.
VAULT = {
    "Top.md": "# Top\n\n#alpha [[Deep]] [[Nowhere]]\n\n## Reading\n\n- *cult* [[Deep]]\n",
    "A/First.md": "# First\n\n#alpha/beta [[Top]] [[B/C/Deep]]\n",
    "A/Second.md": "# Second\n\n[[First]] [[Missing one]]\n",
    "B/C/Deep.md": "---\ntags: [gamma]\n---\n# Deep\n\n[[Top]] ![[First]]\n",
    "_kbgen-like/Name.md": "# Name\n\n[[Top]]\n",
    **{f"A/Many {i}.md": f"# Many {i}\n\n[[First]]\n" for i in range(12)},  # one shape, many pages
}
FEATURES_CONFIG = """site_name: Fragments
use_directory_urls: {directory_urls}
theme:
  name: material
  font: false
  features: [navigation.tabs, navigation.tabs.sticky, toc.integrate, navigation.indexes]
plugins:
  - kbgen
"""


def _vault(root: Path) -> Path:
    for rel, text in VAULT.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html")
            if "pagefind" not in p.parts}


def _build(vault: Path, site: Path, config: Path | None) -> dict[str, bytes]:
    result = build_site(vault, site, config, cache=CacheChoice(enabled=False))
    assert result.ok, result.message
    return _pages(site)


@pytest.mark.parametrize("shape", ["default", "tabs-integrated-toc", "file-urls"])
def test_reused_parts_give_every_page_the_bytes_of_a_full_render(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str) -> None:
    vault = _vault(tmp_path / "vault")
    config = None
    if shape != "default":
        config = tmp_path / "mkdocs.yml"
        directory_urls = "false" if shape == "file-urls" else "true"
        config.write_text(FEATURES_CONFIG.format(directory_urls=directory_urls), encoding="utf-8")
    renders: list[str] = []
    install = mkdocs_page_parts.LayoutFragments.install

    def counting_install(self: mkdocs_page_parts.LayoutFragments, env: object) -> None:
        install(self, env)
        fragment = env.globals["kbgen_fragment"]  # type: ignore[attr-defined]

        def counted(context: object, name: str, *key: object, caller: object) -> str:
            def call() -> str:
                renders.append(name)
                return caller()  # type: ignore[operator]
            return fragment(context, name, *key, caller=call)
        counted.jinja_pass_arg = fragment.jinja_pass_arg  # type: ignore[attr-defined]
        env.globals["kbgen_fragment"] = counted  # type: ignore[attr-defined]

    monkeypatch.setattr(mkdocs_page_parts.LayoutFragments, "install", counting_install)
    reused = _build(vault, tmp_path / "reused", config)
    parts_rendered = renders.count("header-start")

    monkeypatch.setattr(mkdocs_page_parts.LayoutFragments, "MAX_VARIANTS", 0)  # nothing kept
    renders.clear()
    every_time = _build(vault, tmp_path / "every-time", config)

    assert reused.keys() == every_time.keys()
    assert len(reused) > 10
    assert {name for name, page in reused.items() if page != every_time[name]} == set()
    assert parts_rendered < renders.count("header-start") / 2, "the parts must actually be reused"
