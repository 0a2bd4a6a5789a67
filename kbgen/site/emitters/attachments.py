"""Every attachment of the vault, copied as it is; web pages and drawings published inert."""

from __future__ import annotations

from collections.abc import Iterator

from kbgen.attachments import inert_attachment, is_active
from kbgen.derived import is_page_file
from kbgen.model import Finding
from kbgen.site.context import SiteContext
from kbgen.site.model import PlannedFile

KIND = "attachment"


def plan(site: SiteContext, findings: list[Finding]) -> Iterator[PlannedFile]:
    root = site.loaded.root
    for path in sorted(site.vault.attachments):
        if is_page_file(path):  # a base or canvas: a page of its own (emitters bases, canvases)
            continue
        source = root / path
        output = site.urls.output(path)
        depends = frozenset({f"file:{path}"})
        if not is_active(path):
            yield PlannedFile(KIND, output, source=source, depends_on=depends)
            continue
        try:
            data = source.read_bytes()
        except OSError as error:
            findings.append(Finding(path, None, "unreadable", f"not published: {error.strerror or error}"))
            continue
        content, removed = inert_attachment(path, data)
        findings.extend(removed)
        yield PlannedFile(KIND, output, content=content, depends_on=depends)
