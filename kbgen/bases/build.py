"""Every base of the vault evaluated once, after the vault is resolved, before the graph.

Three places show a base: a ``.base`` file's own page (every view; ``this`` is the file),
a ```` ```base ```` block in a note (``this`` is the note) and an embed
``![[X.base#View]]`` (that view, or the first; ``this`` is the embedding note).  Rows are
the published notes only.  The links the views show are links of the base (or of the
note holding the block) in the graph, one per target and view.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbgen.bases.evaluate import Evaluator
from kbgen.bases.facts import FactIndex
from kbgen.bases.query import ViewResult, cell_links, run_view
from kbgen.bases.runtime import World
from kbgen.bases.spec import CODE, BaseSpec, parse_base
from kbgen.bases.values import LinkValue
from kbgen.derived import DerivedLink, read_text
from kbgen.model import Finding, Resolution
from kbgen.vault import Vault

SUFFIX = ".base"


def is_base(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


@dataclass(slots=True)
class ShownBase:
    """A base as one place shows it: its spec and the views evaluated there."""

    spec: BaseSpec
    views: list[ViewResult] = field(default_factory=list)
    error: str | None = None  # an embed naming a view the base lacks


@dataclass(slots=True)
class BaseIndex:
    files: dict[str, ShownBase] = field(default_factory=dict)  # .base path -> its page
    blocks: dict[tuple[str, int], ShownBase] = field(default_factory=dict)  # (note, fence line) -> block
    embeds: dict[tuple[str, int], ShownBase] = field(default_factory=dict)  # (note, link index) -> embed
    findings: list[Finding] = field(default_factory=list)
    links: list[DerivedLink] = field(default_factory=list)


def build_clock() -> dt.datetime:
    """``now()``: the time of the build, or ``SOURCE_DATE_EPOCH`` for a reproducible one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.now().replace(microsecond=0)


class Runner:
    """Evaluates bases over one vault: the rows, file facts and link resolution, built once."""

    def __init__(self, root: Path | None, vault: Vault, now: dt.datetime) -> None:
        self.vault = vault
        rows = sorted(p for p in vault.notes if vault.is_published(p))
        self.facts = FactIndex(root, vault.notes, rows, lambda p: vault.resolutions.get(p, []),
                               set(vault.attachments))
        self.rows = [self.facts.get(p) for p in rows]
        self._resolved: dict[tuple[str, str, str | None], LinkValue] = {}
        self.world = World(self.facts, self.resolve, now)
        self.index = BaseIndex()
        self._reported: set[Finding] = set()
        self._cache: dict[tuple[int, str, str | None], ViewResult] = {}

    def resolve(self, link: LinkValue) -> LinkValue:
        key = (link.source, link.target, link.subpath)
        hit = self._resolved.get(key)
        if hit is None:
            res, _ = self.vault.resolve_link(link.source, link.as_link())
            path = res.target_path if res.kind != "missing" else None
            hit = self._resolved[key] = LinkValue(link.target, link.subpath, None, link.source, path, res=res)
        return LinkValue(link.target, link.subpath, link.display, link.source, hit.path, link.url, hit.res)

    def report(self, finding: Finding) -> None:
        if finding not in self._reported:
            self._reported.add(finding)
            self.index.findings.append(finding)

    def show(self, spec: BaseSpec, this: str, view_name: str | None = None, *, every: bool = True) -> ShownBase:
        shown = ShownBase(spec)
        views = spec.views if every and view_name is None else [spec.view(view_name)]
        for view in views:
            if view is None:
                continue
            key = (id(spec), view.name, this if spec.uses_this else None)
            result = self._cache.get(key)
            if result is None:
                evaluator = Evaluator(self.world, {n: s.node for n, s in spec.formulas.items() if s.node}, this)
                result = self._cache[key] = run_view(spec, view, evaluator, self.rows, self.report)
            shown.views.append(result)
        return shown

    def count(self, source: str, shown: ShownBase, line: int) -> None:
        """The links ``shown`` displays, as links of ``source``: one per target and view."""
        for view in shown.views:
            seen: set[str] = set()
            for link in cell_links(view):
                res = link.res
                if res is None:
                    continue
                target = res.target_path or f"missing:{res.missing_key}"
                if target in seen or target == source:
                    continue
                seen.add(target)
                self.index.links.append(DerivedLink(source, "base", res, f'listed in the view "{view.name}"', line))


def evaluate_bases(root: Path | None, vault: Vault, now: dt.datetime | None = None) -> BaseIndex:
    """Read every ``.base`` file and ```` ```base ```` block and evaluate where each is shown."""
    if not any(is_base(p) for p in vault.attachments) and not any(n.base_blocks for n in vault.notes.values()):
        return BaseIndex()  # no base anywhere: no file facts to gather
    bases = Runner(root, vault, now or build_clock())
    index = bases.index
    specs: dict[str, BaseSpec] = {}
    for path in vault.attachments:
        if not is_base(path):
            continue
        text = read_text(root, path, index.findings)
        if text is None:
            continue
        spec = specs[path] = parse_base(text, path)
        index.findings.extend(spec.findings)
        if vault.is_published(path):
            shown = index.files[path] = bases.show(spec, path)
            bases.count(path, shown, 1)
    for path, note in vault.notes.items():
        published = vault.is_published(path)
        for line, text in note.base_blocks:
            spec = parse_base(text, path, line + 1)
            index.findings.extend(spec.findings)
            if published:
                shown = index.blocks[(path, line)] = bases.show(spec, path)
                bases.count(path, shown, line)
        if not published:
            continue
        for res in vault.resolutions.get(path, []):
            target = res.target_path
            if not res.link.embed or target is None or not is_base(target) or target not in specs:
                continue
            if not vault.is_published(target):
                continue
            _embed(bases, path, res, specs[target])
    index.findings.sort(key=lambda f: (f.source, f.line or 0, f.message))
    return index


def _embed(bases: Runner, path: str, res: Resolution, spec: BaseSpec) -> None:
    wanted = res.link.subpath
    view = spec.view(wanted)
    if view is None:
        name = res.link.target + (f"#{wanted}" if wanted else "")
        why = f"no view named {wanted!r}" if wanted else "it has no views"
        bases.report(Finding(path, res.link.line, CODE, f"embed of {name!r}: {why}"))
        bases.index.embeds[(path, res.link.index)] = ShownBase(spec, error=why)
        return
    shown = bases.show(spec, path, view.name, every=False)
    bases.index.embeds[(path, res.link.index)] = shown
    if spec.uses_this:  # rows chosen for this note: its own links, like a block's
        bases.count(path, shown, res.link.line)


def links_of(index: Any) -> list[DerivedLink]:
    return list(index.links) if index is not None else []
