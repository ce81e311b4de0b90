"""Class reports: what ``grade_many`` found, as files for people and for other programs.

``write_reports(batch, out_dir, formats)`` writes, for one exercise::

    OUT/reports/<student>.json   one per student: exactly Report.to_dict()
    OUT/summary.json             the class: student, name, score, max_score, error, file
    OUT/grades.csv               for the Moodle grade book (see write_csv)
    OUT/junit.xml                for CI (see write_junit)
    OUT/index.html               heat map, most-failed checks; OUT/students/<student>.html

Nothing is lost between runs: grading part of a class (``--student``, ``--retry-errors``, a
re-run after Ctrl-C) into a folder that already holds grades of the same exercise *merges*
(``merge_into``): each new result replaces that student's old one, everybody else stays. The
JSON files (``summary.json`` and ``reports/``) are the folder's memory, so they are always
written, whatever ``formats`` says. Every file is written to a temporary file in the same folder
and renamed over the old one, so an earlier file stays whole until its replacement is complete.

A student whose host could not be read has no score anywhere: ``score`` is null in JSON, the
grade cell is empty in CSV (Moodle keeps its grade), the HTML pages say "no grade" and show the
reason, JUnit marks every check ``error``.

File names are the student ids, with any character outside ``A-Z a-z 0-9 . _ @ -`` replaced
(and a short hash added, so two ids never share a file). Everything a student could control
(host output in messages, names) is escaped in HTML and XML, cleaned of characters XML
forbids, and guarded against formula injection in CSV.

The parts, one responsibility each: :mod:`labkit.grading.outdir` (the folder's JSON memory,
file names, atomic writes, reading back and merging), :mod:`labkit.grading.exports` (CSV for
Moodle, JUnit XML) and :mod:`labkit.grading.pages` (the HTML pages). This module writes them
together and names every public function of the three.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from labkit.grading.batch import BatchResult
from labkit.grading.exports import (
    MOODLE_ID_COLUMNS,
    check_scale,
    csv_cell,
    csv_text,
    junit_tree,
    number,
    write_csv,
    write_junit,
    xml_text,
)
from labkit.grading.outdir import (
    atomic_write,
    error_ids,
    load_batch,
    merge,
    merge_into,
    read_summary,
    report_from_dict,
    safe_name,
    write_json,
)
from labkit.grading.pages import check_ranking, write_html

__all__ = ["FORMATS", "MOODLE_ID_COLUMNS", "atomic_write", "check_ranking", "check_scale",
           "csv_cell", "csv_text", "error_ids", "junit_tree", "load_batch", "merge",
           "merge_into", "number", "read_summary", "report_from_dict", "safe_name", "write_csv",
           "write_html", "write_json", "write_junit", "write_reports", "xml_text"]

FORMATS = ("json", "csv", "junit", "html")


# -- all of them -----------------------------------------------------------------------------
def write_reports(batch: BatchResult, out_dir: str | Path,
                  formats: Iterable[str] = FORMATS, *, id_column: str = "idnumber",
                  scale: float | None = None, merge: bool = True) -> dict[str, Path]:
    """Write ``formats`` into ``out_dir``; returns the main file of each format.

    With ``merge`` (the default) the students already graded in ``out_dir`` stay, and
    ``batch``'s students replace their own earlier results (see the module docstring)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r} (known: {', '.join(FORMATS)})")
    check_scale(scale)
    if merge:
        batch = merge_into(batch, out)
    written: dict[str, Path] = {}
    json_main = write_json(batch, out)[-1]  # always: the folder's memory for the next merge
    if "json" in wanted:
        written["json"] = json_main
    if "csv" in wanted:
        written["csv"] = write_csv(batch, out / "grades.csv", id_column=id_column, scale=scale)
    if "junit" in wanted:
        written["junit"] = write_junit(batch, out / "junit.xml")
    if "html" in wanted:
        written["html"] = write_html(batch, out)
    return written
