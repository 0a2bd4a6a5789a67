"""The ``kbgen check`` report: one JSON object, or ``path:line: message`` lines."""

from __future__ import annotations

from typing import Any

from kbgen.pipeline import LoadedVault

RESOLUTION_CODES = {"unresolved-link", "ambiguous-link", "heading-miss", "block-miss"}


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
        "unpublished": sorted(loaded.unpublished),
    }


def _misses(resolutions, *, heading: bool) -> list[dict[str, Any]]:
    return [
        {"source": r.source, "line": r.link.line, "target": r.link.target, "subpath": r.link.subpath}
        for r in resolutions
        if r.subpath_missed and (r.link.subpath or "").startswith("^") != heading
    ]


def _finding(finding) -> dict[str, Any]:
    return {"source": finding.source, "line": finding.line, "message": finding.message}


def check_lines(loaded: LoadedVault) -> list[str]:
    """Text output: every finding as ``path:line: message``, then a summary line."""
    report = check_report(loaded)
    lines = [str(f) for f in loaded.findings]
    lines.append(
        f"{report['notes']} notes, {report['attachments']} attachments, {report['links']} links: "
        f"{report['resolved']} resolved, {report['alias_resolved']} via alias, "
        f"{len(report['unresolved'])} unresolved ({len(report['missing_targets'])} missing targets), "
        f"{len(report['ambiguous'])} ambiguous, {len(report['heading_misses'])} heading misses, "
        f"{len(report['block_misses'])} block misses, {len(report['warnings'])} other warnings"
    )
    return lines
