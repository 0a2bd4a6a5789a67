"""Reading lists as data: entries from note tokens, one ``Reading`` per work, exports.

``extract``/``extract_entries`` read one note's tokens, ``dedupe`` merges the
entries of all notes into works (reporting disagreements), and ``to_csl_json``,
``to_bibtex`` and ``to_csv`` export them.
"""

from kbgen.readings.dedupe import dedupe, dedupe_with_findings, normalise_url, title_key
from kbgen.readings.entries import extract, extract_entries, extract_legend, extract_notes, iter_entries
from kbgen.readings.export import to_bibtex, to_csl_json, to_csv, to_table
from kbgen.readings.model import Citation, Extraction, LegendItem, Reading, ReadingEntry

__all__ = [
    "Citation", "Extraction", "LegendItem", "Reading", "ReadingEntry",
    "dedupe", "dedupe_with_findings", "extract", "extract_entries", "extract_legend",
    "extract_notes", "iter_entries", "normalise_url", "title_key",
    "to_bibtex", "to_csl_json", "to_csv", "to_table",
]
