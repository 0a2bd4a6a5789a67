"""The ``kbgen check`` report: one JSON object, or ``path:line: message`` lines.

A real vault can have thousands of findings of one kind (links to notes not written
yet): the text report shows a few of each kind and ends with a count per kind, so the
rare kinds are not buried; ``--verbose`` and the JSON report keep every finding.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kbgen.model import Finding
from kbgen.pipeline import LoadedVault

RESOLUTION_CODES = {"unresolved-link", "ambiguous-link", "heading-miss", "block-miss"}
PER_KIND = 5  # finding lines shown per kind without --verbose
KIND_NAMES = {
    "unresolved-link": "links to notes not written yet",
    "reading-conflict": "readings written differently in two places",
    "malformed-link": "malformed links shown as text",
    "ambiguous-link": "names several notes share",
    "heading-miss": "links to a missing #heading",
    "block-miss": "links to a missing #^block",
    "invalid-link": "invalid wikilinks",
    "front-matter": "front matter problems",
    "reading-malformed": "reading entries that do not parse",
    "reading-date": "reading dates not YYYY[-MM[-DD]]",
    "encoding": "files not in UTF-8",
    "empty": "empty files",
    "nesting": "nesting too deep",
    "unsafe-html": "raw HTML removed",
    "base": "Bases views that do not read or evaluate",
    "canvas": "canvas files with broken parts",
}


def check_report(loaded: LoadedVault) -> dict[str, Any]:
    """Counts and lists of what resolution found; the shape is documented in the README."""
    vault = loaded.vault
    resolutions = [r for source in sorted(vault.resolutions) for r in vault.resolutions[source]]
    unresolved = [r for r in resolutions if r.status == "unresolved"]
    missing: dict[str, dict[str, Any]] = {}
    for r in unresolved:
        entry = missing.setdefault(r.missing_key or "", {"target": r.missing_name, "referrers": []})
        entry["referrers"].append({"source": r.source, "line": r.link.line})
    return {
        "notes": len(vault.notes),
        "attachments": len(vault.attachments),
        "links": len(resolutions),
        "resolved": sum(r.status == "resolved" for r in resolutions),
        "alias_resolved": sum(r.status == "alias" for r in resolutions),
        "unresolved": [{"source": r.source, "line": r.link.line, "target": r.missing_name} for r in unresolved],
        "missing_targets": sorted(missing.values(), key=lambda m: (-len(m["referrers"]), m["target"].casefold())),
        "ambiguous": [_finding(f) for f in loaded.findings if f.code == "ambiguous-link"],
        "heading_misses": _misses(resolutions, heading=True),
        "block_misses": _misses(resolutions, heading=False),
        "warnings": [_finding(f) for f in loaded.findings if f.code not in RESOLUTION_CODES],
        "by_kind": dict(kind_counts(loaded.findings)),
        "unpublished": sorted(loaded.unpublished),
    }


def _misses(resolutions, *, heading: bool) -> list[dict[str, Any]]:
    return [
        {"source": r.source, "line": r.link.line, "target": r.link.target, "subpath": r.link.subpath}
        for r in resolutions
        if r.subpath_missed and (r.link.subpath or "").startswith("^") != heading
    ]


def _finding(finding: Finding) -> dict[str, Any]:
    return {"source": finding.source, "line": finding.line, "code": finding.code, "message": finding.message}


def kind_counts(findings: list[Finding]) -> list[tuple[str, int]]:
    """``(code, count)`` per kind of finding, most frequent first (then by code)."""
    return sorted(Counter(f.code for f in findings).items(), key=lambda kv: (-kv[1], kv[0]))


def shown_findings(findings: list[Finding], per_kind: int | None) -> list[Finding]:
    """The first ``per_kind`` findings of each kind, in file order (all when None)."""
    if per_kind is None:
        return list(findings)
    seen: Counter[str] = Counter()
    out = []
    for finding in findings:
        seen[finding.code] += 1
        if seen[finding.code] <= per_kind:
            out.append(finding)
    return out


def summary_lines(findings: list[Finding], per_kind: int | None) -> list[str]:
    """``Findings by kind:`` with a count, a name and notice/warning for each kind."""
    if not findings:
        return ["No findings."]
    lines = ["Findings by kind:"]
    hidden = 0
    for code, count in kind_counts(findings):
        severity = "notice" if Finding("", None, code, "").is_notice else "warning"
        name = KIND_NAMES.get(code, code)
        more = count - per_kind if per_kind is not None and count > per_kind else 0
        hidden += more
        shown = f", {count - more} shown" if more else ""
        lines.append(f"  {count:>6}  {code} ({severity}): {name}{shown}")
    if hidden:
        lines.append(f"{hidden} more not shown: kbgen check --verbose lists every finding.")
    return lines


def check_lines(loaded: LoadedVault, *, verbose: bool = False) -> list[str]:
    """Text output: findings as ``path:line: message`` (a few per kind unless ``verbose``),
    the count per kind, then the link counts."""
    report = check_report(loaded)
    per_kind = None if verbose else PER_KIND
    lines = [str(f) for f in shown_findings(loaded.findings, per_kind)]
    lines.extend(summary_lines(loaded.findings, per_kind))
    lines.append(
        f"{report['notes']} notes, {report['attachments']} attachments, {report['links']} links: "
        f"{report['resolved']} resolved, {report['alias_resolved']} via alias, "
        f"{len(report['unresolved'])} unresolved ({len(report['missing_targets'])} missing targets), "
        f"{len(report['ambiguous'])} ambiguous, {len(report['heading_misses'])} heading misses, "
        f"{len(report['block_misses'])} block misses, {len(report['warnings'])} other findings"
    )
    return lines
